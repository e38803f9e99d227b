import type { EvidenceItemSpec } from '../family-policy.ts';
import { allOf, namedDocuments, type ReplyRule, replyEvidence } from '../standard-policy.ts';

/**
 * What an account-recovery decision rests on: proof the requester is the account holder, and for a
 * business verification proof of the business. Both documents are protected (seed 7.1). The contract
 * never lists sign-in secrets: nobody at SellerWorks may ask for them.
 */
export const accountRecoveryEvidence: readonly EvidenceItemSpec[] = [
  {
    kind: 'identity_document',
    label: 'An identity document of the account holder (passport, national ID card or driving licence)',
    provider: 'seller',
    requiredFor: ['lost_access', 'compromised_account', 'identity_verification'],
    protected: true,
  },
  {
    kind: 'business_registration',
    label: 'Your business registration document (for example a certificate of incorporation)',
    provider: 'seller',
    requiredFor: ['identity_verification'],
    protected: true,
  },
  {
    kind: 'seller_statement',
    label: 'Your account of how you lost access or what happened to the account',
    provider: 'seller',
    requiredFor: ['lost_access', 'compromised_account', 'identity_verification'],
  },
];

/** Document kinds, recognised by the name the seller gives them in the reply or the file name. */
const documentRules: readonly ReplyRule[] = [
  {
    kind: 'identity_document',
    party: 'seller',
    textMatches: /passport|\bid[\s_-]*card|identity|national[\s_-]*id|driv(ing|er'?s?)[\s_-]*licen[cs]e/i,
  },
  {
    kind: 'business_registration',
    party: 'seller',
    textMatches: /\b(business|company)[\s_-]*(registration|licen[cs]e)|incorporation|registration/i,
  },
];

const statementOf = replyEvidence([{ kind: 'seller_statement', party: 'seller', anyText: true }]);

/** Which evidence kinds a reply provides: documents named as such, and any words as the seller’s statement. */
export const evidenceFromReply = allOf(namedDocuments(documentRules), statementOf);
