import { defineFamily } from '../define-family.ts';
import { days } from '../standard-policy.ts';
import { billingDisputeEvidence, evidenceFromReply } from './evidence.ts';
import { billingDisputeContracts, billingDisputeHandoffDetails } from './handoff.ts';
import { type BillingDisputeIntake, billingDisputeIntake } from './intake.ts';
import { billingDisputeOutcomes } from './outcomes.ts';
import { billingDisputeRouting } from './routing.ts';
import { billingDisputeTemplates } from './templates.ts';
import { triageBillingDispute } from './triage.ts';

/**
 * A disputed money movement: a chargeback, a payment taken twice, a charge the seller does not recognise,
 * or a subscription charge. The seller sends the documents, then finance decides. The evidence wait is
 * short because a chargeback's evidence must reach the card network before its deadline.
 */
export const billingDispute = defineFamily<BillingDisputeIntake>({
  id: 'billing-dispute',
  name: 'Billing dispute',
  description: 'A chargeback, a duplicate payment, or a charge the seller does not recognise or disputes.',
  intake: billingDisputeIntake,
  reasons: {
    chargeback: "a buyer's bank reversed a payment to you (a chargeback)",
    duplicate_payment: 'the same payment was taken twice',
    unrecognised_charge: 'there is a charge you do not recognise',
    subscription_charge: 'you were charged for a subscription you dispute',
  },
  triage: triageBillingDispute,
  routing: billingDisputeRouting,
  evidence: billingDisputeEvidence,
  protectedAccess: ['finance-senior', 'finance-chargebacks', 'finance'],
  evidenceAtIntake: () => [],
  evidenceFromReply,
  outcomes: billingDisputeOutcomes,
  windows: { appealDays: 14, reopenDays: 60 },
  // Quality reviews: one resolved case in ten.
  review: { sampleShare: 0.1 },
  // Asked once the outcome has had time to show: a refund or reversal shows on the next statement, within a working week.
  followUp: { after: 'P5D' },
  waits: { evidenceSeconds: days(4), decisionSeconds: days(10) },
  sla: {
    new: { firstResponseHours: 24, resolutionHours: 168 },
    standard: { firstResponseHours: 24, resolutionHours: 168 },
    top_rated: { firstResponseHours: 8, resolutionHours: 120 },
  },
  handoff: {
    details: billingDisputeHandoffDetails,
    contracts: billingDisputeContracts,
  },
  templates: billingDisputeTemplates,
  externalDeadline: (intake) => (intake.evidenceDueBy ? `${intake.evidenceDueBy}T23:59:59.000Z` : undefined),
  subject: (intake) => `payment ${intake.paymentReference}`,
});
