import { defineFamily } from '../define-family.ts';
import { days } from '../standard-policy.ts';
import {
  counterfeitReportEvidence,
  counterfeitReportEvidenceAtIntake,
  evidenceFromReply,
} from './evidence.ts';
import { counterfeitReportContracts, counterfeitReportHandoffDetails } from './handoff.ts';
import { type CounterfeitReportIntake, counterfeitReportIntake } from './intake.ts';
import { counterfeitReportOutcomes } from './outcomes.ts';
import { counterfeitReportRouting } from './routing.ts';
import { counterfeitReportTemplates } from './templates.ts';
import { triageCounterfeitReport } from './triage.ts';

/**
 * A counterfeit, rights-owner or fraud allegation against a seller: the seller's proof, then trust and
 * safety — senior reviewers when the seller already has strikes.
 */
export const counterfeitReport = defineFamily<CounterfeitReportIntake>({
  id: 'counterfeit-report',
  name: 'Counterfeit or fraud report',
  description:
    'Someone reported that a listing is counterfeit, infringes a rights owner, or is part of a fraud.',
  intake: counterfeitReportIntake,
  reasons: {
    counterfeit_claim: 'someone reported that the item may not be genuine',
    rights_owner_notice: 'a brand or rights owner sent us a notice about this listing',
    fraud_allegation: 'we received a report of possible fraud involving this listing',
  },
  triage: triageCounterfeitReport,
  routing: counterfeitReportRouting,
  evidence: counterfeitReportEvidence,
  evidenceAtIntake: counterfeitReportEvidenceAtIntake,
  evidenceFromReply,
  outcomes: counterfeitReportOutcomes,
  /** Six months to appeal: the DSA's minimum for contesting a removal or restriction (Art. 20(1)), for every region alike. */
  windows: { appealDays: 180, reopenDays: 30 },
  // Quality reviews: the decision touches the seller's money, account or standing: a larger sample.
  review: { sampleShare: 0.2 },
  // Asked once the outcome has had time to show: takedowns and strikes play out over a week.
  followUp: { after: 'P7D' },
  /** Short waits: a rights owner's notice must be acted on expeditiously, so the seller gets five days to answer. */
  waits: { evidenceSeconds: days(5), decisionSeconds: days(7) },
  sla: {
    new: { firstResponseHours: 12, resolutionHours: 120 },
    standard: { firstResponseHours: 12, resolutionHours: 120 },
    top_rated: { firstResponseHours: 8, resolutionHours: 96 },
  },
  handoff: {
    details: counterfeitReportHandoffDetails,
    contracts: counterfeitReportContracts,
  },
  templates: counterfeitReportTemplates,
  subject: (intake) => `listing ${intake.listingId}`,
  statement: (intake) => intake.claimDetails,
});
