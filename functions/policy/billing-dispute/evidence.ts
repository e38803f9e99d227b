import type { EvidenceItemSpec } from '../family-policy.ts';
import { allOf, namedDocuments, type ReplyRule, replyEvidence } from '../standard-policy.ts';

/**
 * What a billing-dispute decision rests on, by reason. A chargeback is won with proof the buyer got what
 * they paid for and what they were told; a duplicate payment with the bank's record of both debits; a
 * subscription charge with the terms and the cancellation. The bank statement is protected (seed 7.1).
 */
export const billingDisputeEvidence: readonly EvidenceItemSpec[] = [
  {
    kind: 'invoice_receipt',
    label: 'The invoice or receipt for the charge',
    provider: 'seller',
    requiredFor: ['chargeback', 'duplicate_payment', 'unrecognised_charge', 'subscription_charge'],
  },
  {
    kind: 'proof_of_delivery',
    label: 'Proof of delivery, or proof that the service was provided',
    provider: 'seller',
    requiredFor: ['chargeback'],
  },
  {
    kind: 'customer_communication',
    label: 'Your messages with the customer about this order',
    provider: 'seller',
    requiredFor: ['chargeback'],
  },
  {
    kind: 'bank_statement',
    label: 'A bank statement showing both payments',
    provider: 'seller',
    requiredFor: ['duplicate_payment'],
    protected: true,
  },
  {
    kind: 'subscription_terms',
    label: 'The subscription terms the customer agreed to',
    provider: 'seller',
    requiredFor: ['subscription_charge'],
  },
  {
    kind: 'cancellation_record',
    label: 'The record of the cancellation (or of its absence), with its date',
    provider: 'seller',
    requiredFor: ['subscription_charge'],
  },
];

/** Document kinds, recognised by the name the seller gives them in the reply or the file name. */
const documentRules: readonly ReplyRule[] = [
  { kind: 'invoice_receipt', party: 'seller', textMatches: /invoice|receipt/i },
  {
    kind: 'proof_of_delivery',
    party: 'seller',
    textMatches: /deliver|tracking|proof[\s_-]*of[\s_-]*service/i,
  },
  { kind: 'bank_statement', party: 'seller', textMatches: /bank[\s_-]*statement/i },
  { kind: 'subscription_terms', party: 'seller', textMatches: /terms|subscription[\s_-]*agreement/i },
  { kind: 'cancellation_record', party: 'seller', textMatches: /cancel/i },
  {
    kind: 'customer_communication',
    party: 'seller',
    textMatches: /message|conversation|chat|correspondence/i,
  },
];

/** A forwarded email (message/rfc822) is the customer conversation itself, whatever its name. */
const forwardedMail = replyEvidence([
  { kind: 'customer_communication', party: 'seller', attachment: /^message\/rfc822$/ },
]);

/** Which evidence kinds a reply provides: documents named as such, and the forwarded customer conversation. */
export const evidenceFromReply = allOf(namedDocuments(documentRules), forwardedMail);
