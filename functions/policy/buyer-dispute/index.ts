import { defineFamily } from '../define-family.ts';
import { days } from '../standard-policy.ts';
import { buyerDisputeEvidence, evidenceFromReply } from './evidence.ts';
import { buyerDisputeHandoffDetails, disputesContract } from './handoff.ts';
import { type BuyerDisputeIntake, buyerDisputeIntake } from './intake.ts';
import { buyerDisputeOutcomes } from './outcomes.ts';
import { buyerDisputeRouting } from './routing.ts';
import { buyerDisputeTemplates } from './templates.ts';
import { triageBuyerDispute } from './triage.ts';

/** A buyer's claim against an order: evidence from both sides, a mediation offer, then the disputes team. */
export const buyerDispute = defineFamily<BuyerDisputeIntake>({
  id: 'buyer-dispute',
  name: 'Buyer dispute',
  description: 'A buyer says an item is defective, not as described, or never arrived.',
  intake: buyerDisputeIntake,
  reasons: {
    item_defective: 'the buyer reports the item arrived defective',
    not_as_described: 'the buyer reports the item is not as described',
    not_received: 'the buyer reports the item never arrived',
  },
  triage: triageBuyerDispute,
  routing: buyerDisputeRouting,
  evidence: buyerDisputeEvidence,
  evidenceAtIntake: (intake) => ['buyer_statement', ...(intake.trackingNumber ? ['shipment_tracking'] : [])],
  evidenceFromReply,
  outcomes: buyerDisputeOutcomes,
  windows: { appealDays: 14, reopenDays: 30 },
  // Quality reviews: one resolved case in ten.
  review: { sampleShare: 0.1 },
  // Asked once the outcome has had time to show: a refund or return settles within a few days.
  followUp: { after: 'P3D' },
  waits: { evidenceSeconds: days(5), decisionSeconds: days(10), mediationSeconds: days(3) },
  sla: {
    new: { firstResponseHours: 24, resolutionHours: 240 },
    standard: { firstResponseHours: 24, resolutionHours: 240 },
    top_rated: { firstResponseHours: 8, resolutionHours: 168 },
  },
  nextUpdateHours: 48,
  turnaroundHours: { disputes: 72, 'disputes-senior': 48 },
  handoff: {
    details: buyerDisputeHandoffDetails,
    contracts: { '*': disputesContract },
  },
  templates: buyerDisputeTemplates,
  mediation: {
    outcome: 'mediated_partial_refund',
    offer: (intake) =>
      `refund the buyer half of the order (${intake.currency} ${(intake.amount / 2).toFixed(2)}); the case then closes without a decision against you`,
  },
  buyerEmail: (intake) => intake.buyerEmail,
  subject: (intake) => `order ${intake.orderId}`,
  statement: (intake) => intake.buyerStatement,
});
