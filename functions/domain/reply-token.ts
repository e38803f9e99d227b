import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Reply addresses carry a signed, case-scoped token: `reply+<tokenId>-<signature>@<reply domain>`.
 * The token id is random (unguessable, one per evidence request); the signature is an HMAC of the case id
 * and the token id, so a token cannot be forged or moved to another case. Lower-case hex only, because
 * mail systems may change the case of an address's local part.
 */
const ADDRESS = /^reply\+([0-9a-f]{20})-([0-9a-f]{32})@(.+)$/;

export interface ParsedReplyAddress {
  readonly tokenId: string;
  readonly signature: string;
  readonly domain: string;
}

export const newTokenId = (): string => randomBytes(10).toString('hex');

export const sign = (secret: string, caseId: string, tokenId: string): string =>
  createHmac('sha256', secret).update(`${caseId}:${tokenId}`).digest('hex').slice(0, 32);

export const replyAddress = (secret: string, caseId: string, tokenId: string, domain: string): string =>
  `reply+${tokenId}-${sign(secret, caseId, tokenId)}@${domain}`;

export const parseReplyAddress = (address: string): ParsedReplyAddress | undefined => {
  const match = ADDRESS.exec(address.trim().toLowerCase());
  if (!match) return undefined;
  const [, tokenId = '', signature = '', domain = ''] = match;
  return { tokenId, signature, domain };
};

export const verifySignature = (secret: string, caseId: string, parsed: ParsedReplyAddress): boolean => {
  const expected = Buffer.from(sign(secret, caseId, parsed.tokenId), 'hex');
  const given = Buffer.from(parsed.signature, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
};

/** A reply token as stored: which case, party and mailbox it belongs to, and the wait it resumes. */
export interface ReplyTokenRecord {
  readonly tokenId: string;
  readonly caseId: string;
  readonly party: 'seller' | 'buyer';
  /** The only address (lower case) whose reply the token accepts. */
  readonly participant: string;
  /** The task token of the wait a reply resumes (re-pointed when the workflow restarts). */
  readonly taskToken: string;
  readonly status: 'open' | 'used';
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly usedAt?: string;
  readonly usedBy?: string;
}
