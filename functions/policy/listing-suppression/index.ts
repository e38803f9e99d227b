import { defineFamily } from '../define-family.ts';
import { days } from '../standard-policy.ts';
import {
  evidenceFromReply,
  listingSuppressionEvidence,
  listingSuppressionEvidenceAtIntake,
} from './evidence.ts';
import { listingSuppressionContracts, listingSuppressionHandoffDetails } from './handoff.ts';
import { type ListingSuppressionIntake, listingSuppressionIntake } from './intake.ts';
import { listingSuppressionOutcomes } from './outcomes.ts';
import { listingSuppressionRouting } from './routing.ts';
import { listingSuppressionTemplates } from './templates.ts';
import { triageListingSuppression } from './triage.ts';

/**
 * A listing the marketplace hid (seed 8.3): the reason in plain words, the evidence that reason needs from
 * the seller, and the owner the reason calls for — policy specialists, product ops or engineering.
 */
export const listingSuppression = defineFamily<ListingSuppressionIntake>({
  id: 'listing-suppression',
  name: 'Listing suppression',
  description: 'A listing was hidden over a policy concern, suspected infringement or a product data defect.',
  intake: listingSuppressionIntake,
  reasons: {
    policy_concern: 'the listing was hidden because it may break a marketplace policy',
    suspected_infringement:
      'the listing was hidden because it may infringe someone else’s brand, trademark or copyright',
    product_data_defect: 'the listing was hidden because of a problem with its product data',
  },
  triage: triageListingSuppression,
  routing: listingSuppressionRouting,
  evidence: listingSuppressionEvidence,
  evidenceAtIntake: listingSuppressionEvidenceAtIntake,
  evidenceFromReply,
  outcomes: listingSuppressionOutcomes,
  /** Six months to appeal: the DSA's minimum for contesting a content restriction (Art. 20(1)), for every region alike. */
  windows: { appealDays: 180, reopenDays: 30 },
  // Quality reviews: one resolved case in ten.
  review: { sampleShare: 0.1 },
  // Asked once the outcome has had time to show: a reinstated listing shows in search within two days.
  followUp: { after: 'P2D' },
  waits: { evidenceSeconds: days(7), decisionSeconds: days(10) },
  /** A hidden listing sells nothing, so suppressions are answered faster than disputes. */
  sla: {
    new: { firstResponseHours: 24, resolutionHours: 120 },
    standard: { firstResponseHours: 24, resolutionHours: 120 },
    top_rated: { firstResponseHours: 8, resolutionHours: 72 },
  },
  handoff: {
    details: listingSuppressionHandoffDetails,
    contracts: listingSuppressionContracts,
  },
  templates: listingSuppressionTemplates,
  subject: (intake) => `listing ${intake.listingId}`,
  statement: (intake) => intake.explanation,
});
