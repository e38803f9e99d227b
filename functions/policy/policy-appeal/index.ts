import { defineFamily } from '../define-family.ts';
import { days } from '../standard-policy.ts';
import { evidenceFromReply, policyAppealEvidence, policyAppealEvidenceAtIntake } from './evidence.ts';
import { policyAppealContracts, policyAppealHandoffDetails } from './handoff.ts';
import { type PolicyAppealIntake, policyAppealIntake } from './intake.ts';
import { policyAppealOutcomes } from './outcomes.ts';
import { policyAppealRouting } from './routing.ts';
import { policyAppealTemplates } from './templates.ts';
import { triagePolicyAppeal } from './triage.ts';

/**
 * A seller appeals a marketplace enforcement decision: the original decision and the seller's case go to a
 * reviewer who did not take it — senior reviewers when the whole account is suspended.
 */
export const policyAppeal = defineFamily<PolicyAppealIntake>({
  id: 'policy-appeal',
  name: 'Policy appeal',
  description: 'A seller appeals an account suspension, a listing removal or a selling limit.',
  intake: policyAppealIntake,
  reasons: {
    account_suspension: 'you are appealing the suspension of your selling account',
    listing_removal: 'you are appealing the removal of a listing',
    selling_limit: 'you are appealing a limit placed on your selling',
  },
  triage: triagePolicyAppeal,
  routing: policyAppealRouting,
  evidence: policyAppealEvidence,
  evidenceAtIntake: policyAppealEvidenceAtIntake,
  evidenceFromReply,
  outcomes: policyAppealOutcomes,
  windows: { appealDays: 30, reopenDays: 30 },
  // Quality reviews: the decision touches the seller's money, account or standing: a larger sample.
  review: { sampleShare: 0.2 },
  // Asked once the outcome has had time to show: restored selling privileges show within a few days.
  followUp: { after: 'P3D' },
  /** A plan of action takes work to write, so the seller gets ten days; reviewers get two weeks. */
  waits: { evidenceSeconds: days(10), decisionSeconds: days(14) },
  sla: {
    new: { firstResponseHours: 24, resolutionHours: 168 },
    standard: { firstResponseHours: 24, resolutionHours: 168 },
    top_rated: { firstResponseHours: 8, resolutionHours: 96 },
  },
  handoff: {
    details: policyAppealHandoffDetails,
    contracts: policyAppealContracts,
  },
  templates: policyAppealTemplates,
  subject: (intake) => `decision ${intake.originalDecision.decisionId}`,
  statement: (intake) => intake.appealStatement,
});
