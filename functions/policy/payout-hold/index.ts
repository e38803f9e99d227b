import { defineFamily } from '../define-family.ts';
import { days } from '../standard-policy.ts';
import { evidenceFromReply, payoutHoldEvidence } from './evidence.ts';
import { payoutHoldContracts, payoutHoldHandoffDetails } from './handoff.ts';
import { type PayoutHoldIntake, payoutHoldIntake } from './intake.ts';
import { payoutHoldOutcomes } from './outcomes.ts';
import { payoutHoldRouting } from './routing.ts';
import { payoutHoldTemplates } from './templates.ts';
import { triagePayoutHold } from './triage.ts';

/**
 * A seller's payout is paused. The seller supplies the documents or account the hold needs, then a
 * compliance review decides: the handoff to the compliance-aware team routing chose (verification,
 * senior compliance or risk operations; payments support for a negative balance). Payout delays hit
 * seller cash flow directly (seed 8.1), so the SLAs are tight and the evidence wait allows time to
 * fetch documents but not more.
 */
export const payoutHold = defineFamily<PayoutHoldIntake>({
  id: 'payout-hold',
  name: 'Payout hold',
  description: 'A payout is paused for verification, a risk review or a negative balance.',
  intake: payoutHoldIntake,
  reasons: {
    verification_required: 'we need documents to verify your business or identity before paying out',
    risk_review: 'we are reviewing unusual activity on your account before paying out',
    negative_balance: 'your seller balance is negative, so payouts are paused until it is settled',
  },
  triage: triagePayoutHold,
  routing: payoutHoldRouting,
  evidence: payoutHoldEvidence,
  // Payments support handles negative balances, which need no documents.
  protectedAccess: ['compliance-senior', 'verification', 'risk-operations'],
  evidenceAtIntake: (intake) => (intake.details ? ['seller_statement'] : []),
  evidenceFromReply,
  outcomes: payoutHoldOutcomes,
  windows: { appealDays: 14, reopenDays: 30 },
  // Quality reviews: the decision touches the seller's money, account or standing: a larger sample.
  review: { sampleShare: 0.2 },
  // Asked once the outcome has had time to show: whether the released payout arrived shows within two days.
  followUp: { after: 'P2D' },
  waits: { evidenceSeconds: days(10), decisionSeconds: days(5) },
  sla: {
    new: { firstResponseHours: 24, resolutionHours: 120 },
    standard: { firstResponseHours: 24, resolutionHours: 120 },
    top_rated: { firstResponseHours: 8, resolutionHours: 72 },
  },
  handoff: {
    details: payoutHoldHandoffDetails,
    contracts: payoutHoldContracts,
  },
  templates: payoutHoldTemplates,
  subject: (intake) => `payout ${intake.payoutId}`,
  statement: (intake) => intake.details,
});
