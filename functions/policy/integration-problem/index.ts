import { defineFamily } from '../define-family.ts';
import { days } from '../standard-policy.ts';
import {
  evidenceFromReply,
  integrationProblemEvidence,
  integrationProblemEvidenceAtIntake,
} from './evidence.ts';
import { integrationProblemContracts, integrationProblemHandoffDetails } from './handoff.ts';
import { type IntegrationProblemIntake, integrationProblemIntake } from './intake.ts';
import { integrationProblemOutcomes } from './outcomes.ts';
import { integrationProblemRouting } from './routing.ts';
import { integrationProblemTemplates } from './templates.ts';
import { triageIntegrationProblem } from './triage.ts';

/**
 * A seller's integration (API, feeds, webhooks, sign-in) fails: reproducible steps at intake, the log or
 * file the reason calls for, then engineering — on call when many orders stop or the seller is locked out.
 */
export const integrationProblem = defineFamily<IntegrationProblemIntake>({
  id: 'integration-problem',
  name: 'Integration problem',
  description: 'A seller’s API calls, feeds, webhooks or sign-in to the platform fail.',
  intake: integrationProblemIntake,
  reasons: {
    api_error: 'calls to our API return an error',
    feed_rejected: 'a product or inventory feed you uploaded was rejected',
    webhook_failure: 'notifications (webhooks) from us are not reaching your system',
    auth_failure: 'your integration cannot sign in, or its access is refused',
  },
  triage: triageIntegrationProblem,
  routing: integrationProblemRouting,
  evidence: integrationProblemEvidence,
  evidenceAtIntake: integrationProblemEvidenceAtIntake,
  evidenceFromReply,
  outcomes: integrationProblemOutcomes,
  /** A fix that regresses is reopened rather than filed again, so reopening stays open for a month. */
  windows: { appealDays: 14, reopenDays: 30 },
  // Quality reviews: one resolved case in ten.
  review: { sampleShare: 0.1 },
  // Asked once the outcome has had time to show: the next feed or sync runs within two days.
  followUp: { after: 'P2D' },
  waits: { evidenceSeconds: days(5), decisionSeconds: days(14) },
  /** Orders stop while an integration fails: the fastest first response of any family. */
  sla: {
    new: { firstResponseHours: 8, resolutionHours: 72 },
    standard: { firstResponseHours: 8, resolutionHours: 72 },
    top_rated: { firstResponseHours: 4, resolutionHours: 48 },
  },
  handoff: {
    details: integrationProblemHandoffDetails,
    contracts: integrationProblemContracts,
  },
  templates: integrationProblemTemplates,
  subject: (intake) => `${intake.integrationName} (error ${intake.errorCode})`,
  statement: (intake) => intake.reproductionSteps,
});
