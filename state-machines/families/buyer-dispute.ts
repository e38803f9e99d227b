import { buyerDispute } from '../../functions/policy/buyer-dispute/index.ts';
import { callback, escalation, failureStates, step, type Workflow } from '../blocks.ts';

/**
 * Buyer dispute: triage and routing; a first response to the seller — which, when the evidence contract
 * says something only the seller can provide is missing, is the evidence request itself (one email, with
 * the reply address) — then handoff to the deciding team and resolution. Who decides and what evidence is
 * needed are policy (functions/policy/buyer-dispute); this is only the shape.
 */
export const buyerDisputeWorkflow = (): Workflow => ({
  Comment:
    'SellerWorks buyer dispute: intake → triage → routing → evidence → handoff → decision → resolution',
  StartAt: 'Triage',
  States: {
    Triage: step('Triage', {
      resultPath: '$.triage',
      next: 'EvidenceNeeded',
      comment: 'Facts, risk, urgency; route by rule',
    }),
    EvidenceNeeded: {
      Type: 'Choice',
      Comment: 'Does the evidence contract still miss something only the seller can provide?',
      Choices: [{ Variable: '$.triage.evidenceNeeded', BooleanEquals: true, Next: 'RequestEvidence' }],
      Default: 'SendFirstResponse',
    },
    SendFirstResponse: step('NotifySeller', {
      parameters: { message: 'first-response' },
      next: 'HandOff',
      comment: 'Acknowledge the case; nothing is needed from the seller',
    }),
    RequestEvidence: callback('RequestEvidence', {
      comment: 'First response naming exactly what evidence is missing; wait for the seller’s reply',
      resultPath: '$.evidence',
      timeoutSeconds: buyerDispute.waits.evidenceSeconds,
      onTimeout: 'EscalateEvidenceTimeout',
      next: 'HandOff',
    }),
    EscalateEvidenceTimeout: escalation('evidence_timeout', 'HandOff'),
    HandOff: callback('HandOff', {
      comment: 'Hand the validated case to the deciding team; wait for its decision',
      resultPath: '$.decision',
      timeoutSeconds: buyerDispute.waits.decisionSeconds,
      onTimeout: 'EscalateDecisionOverdue',
      next: 'Resolve',
    }),
    EscalateDecisionOverdue: escalation('decision_overdue', 'HandOff'),
    Resolve: step('Resolve', { parameters: { 'decision.$': '$.decision' }, next: 'Resolved' }),
    Resolved: { Type: 'Succeed' },
    ...failureStates(),
  },
});
