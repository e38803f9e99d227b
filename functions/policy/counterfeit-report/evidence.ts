import type { EvidenceItemSpec } from '../family-policy.ts';
import { DOCUMENT, replyEvidence } from '../standard-policy.ts';

const ALL_REASONS = ['counterfeit_claim', 'rights_owner_notice', 'fraud_allegation'];

/** What a decision on a report rests on: the claim itself, and the seller's proof by reason. */
export const counterfeitReportEvidence: readonly EvidenceItemSpec[] = [
  {
    kind: 'claim_details',
    label: 'The report as it was made to us',
    provider: 'internal',
    requiredFor: ALL_REASONS,
  },
  {
    kind: 'supplier_invoices',
    label:
      'Invoices from your supplier for this item (prices may be blacked out; names, dates and quantities must show)',
    provider: 'seller',
    requiredFor: ['counterfeit_claim', 'rights_owner_notice'],
  },
  {
    kind: 'authenticity_documents',
    label:
      'Proof the item is genuine: a brand authorisation letter, a licence agreement or a certificate of authenticity',
    provider: 'seller',
    requiredFor: ['counterfeit_claim', 'rights_owner_notice'],
  },
  {
    kind: 'transaction_records',
    label: 'Records of the orders in question: order numbers, payment and shipping records',
    provider: 'seller',
    requiredFor: ['fraud_allegation'],
  },
  {
    kind: 'seller_statement',
    label: 'Your account of where the item comes from and how you sold it',
    provider: 'seller',
    requiredFor: ALL_REASONS,
  },
];

/** The claim arrives with the intake; everything from the seller comes by reply. */
export const counterfeitReportEvidenceAtIntake = (): string[] => ['claim_details'];

const SPREADSHEET =
  /^(text\/(csv|tab-separated-values)|application\/(vnd\.ms-excel|vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet))$/;
const AUTHENTICITY =
  /\b(brand authori[sz]ation|letter of authori[sz]ation|authori[sz]ed (reseller|retailer|distributor|dealer)|certificate of authenticity|licen[cs]e agreement)\b/i;
const ORDER_NUMBERS = /\border(s)?\s*(number|no\.?|id|#)?\s*[:#]?\s*[A-Z0-9][A-Z0-9-]{5,}/i;

/**
 * Which evidence kinds a seller's reply provides. A reply cannot show what a file is, so a document counts
 * as invoices (the commonest proof) or, for a fraud allegation, as transaction records; authenticity
 * documents count when the seller names one. A kind only matters for the reasons that require it, and
 * trust and safety open the files either way.
 */
export const evidenceFromReply = replyEvidence([
  { kind: 'supplier_invoices', party: 'seller', attachment: DOCUMENT },
  { kind: 'authenticity_documents', party: 'seller', textMatches: AUTHENTICITY },
  { kind: 'transaction_records', party: 'seller', attachment: DOCUMENT },
  { kind: 'transaction_records', party: 'seller', attachment: SPREADSHEET },
  { kind: 'transaction_records', party: 'seller', textMatches: ORDER_NUMBERS },
  { kind: 'seller_statement', party: 'seller', anyText: true },
]);
