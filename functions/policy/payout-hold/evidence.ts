import type { EvidenceItemSpec } from '../family-policy.ts';
import { allOf, namedDocuments, type ReplyRule, replyEvidence } from '../standard-policy.ts';

/**
 * What a payout-hold decision rests on, by hold reason. Identity, business and bank documents are
 * protected: only teams with the right may open them (seed 7.1).
 */
export const payoutHoldEvidence: readonly EvidenceItemSpec[] = [
  {
    kind: 'business_registration',
    label: 'Your business registration document (for example a certificate of incorporation)',
    provider: 'seller',
    requiredFor: ['verification_required'],
    protected: true,
  },
  {
    kind: 'identity_document',
    label: 'An identity document of the account holder (passport, national ID card or driving licence)',
    provider: 'seller',
    requiredFor: ['verification_required'],
    protected: true,
  },
  {
    kind: 'bank_statement',
    label: 'A recent statement (last 3 months) for the bank account your payouts go to',
    provider: 'seller',
    requiredFor: ['risk_review'],
    protected: true,
  },
  {
    kind: 'seller_statement',
    label: 'Your account of the recent activity or of how the balance became negative',
    provider: 'seller',
    requiredFor: ['risk_review', 'negative_balance'],
  },
];

/** Document kinds, recognised by the name the seller gives them in the reply or the file name. */
const documentRules: readonly ReplyRule[] = [
  {
    kind: 'business_registration',
    party: 'seller',
    textMatches: /\b(business|company)[\s_-]*(registration|licen[cs]e)|incorporation|registration/i,
  },
  {
    kind: 'identity_document',
    party: 'seller',
    textMatches: /passport|\bid[\s_-]*card|identity|national[\s_-]*id|driv(ing|er'?s?)[\s_-]*licen[cs]e/i,
  },
  { kind: 'bank_statement', party: 'seller', textMatches: /bank[\s_-]*statement/i },
];

const statementOf = replyEvidence([{ kind: 'seller_statement', party: 'seller', anyText: true }]);

/** Which evidence kinds a reply provides: documents named as such, and any words as the seller’s statement. */
export const evidenceFromReply = allOf(namedDocuments(documentRules), statementOf);
