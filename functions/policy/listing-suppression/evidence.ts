import type { EvidenceItemSpec } from '../family-policy.ts';
import { DOCUMENT, PDF, replyEvidence } from '../standard-policy.ts';
import type { ListingSuppressionIntake } from './intake.ts';

/** What a suppression decision rests on, by reason; all of it comes from the seller. */
export const listingSuppressionEvidence: readonly EvidenceItemSpec[] = [
  {
    kind: 'seller_explanation',
    label: 'Your explanation of the listing and the suppression',
    provider: 'seller',
    requiredFor: ['policy_concern', 'suspected_infringement', 'product_data_defect'],
  },
  {
    kind: 'compliance_statement',
    label:
      'A statement that the product meets our policy, with anything you changed and any safety or test certificates',
    provider: 'seller',
    requiredFor: ['policy_concern'],
  },
  {
    kind: 'rights_documentation',
    label: 'Proof you may sell this brand: a brand authorisation letter, a licence or supplier invoices',
    provider: 'seller',
    requiredFor: ['suspected_infringement'],
  },
  {
    kind: 'defect_record',
    label: 'The defect record: attribute, expected value, value shown and steps to reproduce',
    provider: 'seller',
    requiredFor: ['product_data_defect'],
  },
  {
    kind: 'corrected_product_data',
    label: 'The corrected product data: the right value in your reply, or the corrected feed file',
    provider: 'seller',
    requiredFor: ['product_data_defect'],
  },
];

/** The intake brings the seller's explanation, and for a defect its record (the intake refuses a defect without one). */
export const listingSuppressionEvidenceAtIntake = (intake: ListingSuppressionIntake): string[] => [
  'seller_explanation',
  ...(intake.defect ? ['defect_record'] : []),
];

/** Feed and catalogue files a seller sends corrected data in. */
export const FEED_FILE =
  /^(text\/(csv|tab-separated-values|xml)|application\/(xml|json|vnd\.ms-excel|vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet))$/;
const COMPLIANCE =
  /\b(compl(y|ies|iant|iance)|conforms?|meets? (the |your |all )?(policy|policies|requirements))\b/i;
const CORRECTED_VALUE = /\b(correct(ed)?|right|new) (value|data|attribute)\b|\bshould (be|read|say)\b/i;

/**
 * Which evidence kinds a seller's reply provides. Documents count as rights documentation and PDFs as
 * compliance certificates; a kind only matters for the reasons that require it, and the owner reads the
 * files either way.
 */
export const evidenceFromReply = replyEvidence([
  { kind: 'compliance_statement', party: 'seller', textMatches: COMPLIANCE },
  { kind: 'compliance_statement', party: 'seller', attachment: PDF },
  { kind: 'rights_documentation', party: 'seller', attachment: DOCUMENT },
  { kind: 'corrected_product_data', party: 'seller', attachment: FEED_FILE },
  { kind: 'corrected_product_data', party: 'seller', textMatches: CORRECTED_VALUE },
]);
