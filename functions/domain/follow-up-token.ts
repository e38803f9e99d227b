import { timingSafeEqual } from 'node:crypto';
import { sign } from './reply-token.ts';

/**
 * The follow-up email's signed links: `/follow-up/<caseId>.<followUpId>.<signature>`, the signature an HMAC
 * (the reply-token key, reply-token.ts) of the case and the follow-up, so a link cannot be forged, nor moved
 * to another case or another follow-up. The link is the seller's only credential on the page it opens; the
 * case says whether that follow-up is still open.
 */
const TOKEN = /^(case_[0-9a-z]{8,40})\.(follow-up-\d{1,6})\.([0-9a-f]{32})$/;

const purpose = (followUpId: string) => `follow-up:${followUpId}`;

export const followUpToken = (secret: string, caseId: string, followUpId: string): string =>
  `${caseId}.${followUpId}.${sign(secret, caseId, purpose(followUpId))}`;

/** The case and follow-up a token names, when its signature holds; `undefined` for anything else. */
export const readFollowUpToken = (
  secret: string,
  token: string,
): { readonly caseId: string; readonly followUpId: string } | undefined => {
  const match = TOKEN.exec(token);
  if (!match) return undefined;
  const [, caseId = '', followUpId = '', signature = ''] = match;
  const expected = Buffer.from(sign(secret, caseId, purpose(followUpId)), 'hex');
  const given = Buffer.from(signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given)
    ? { caseId, followUpId }
    : undefined;
};
