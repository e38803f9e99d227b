import type { BaseIntake, Family } from '../functions/policy/family-policy.ts';
import { callback, escalation, failureStates, ifTrue, type State, step, type Workflow } from './blocks.ts';

/**
 * The one case workflow every family runs, shaped by the family's policy (`family.workflow`):
 *
 *   Entry ─▶ Triage ─▶ EvidenceNeeded? ─▶ RequestEvidence ⏸ │ SendFirstResponse
 *        │            [buyer evidence] ─▶ BuyerEvidenceNeeded? ─▶ RequestBuyerEvidence ⏸
 *        │            [mediation] ─▶ OfferMediation ⏸ ─▶ MediationAccepted? ─▶ ResolveSettlement
 *        │            ─▶ HandOff ⏸ ─▶ Resolve ─▶ Resolved
 *        │                 └─ the owner asks for more ─▶ RequestMoreEvidence ⏸ ─▶ HandOff (back to them)
 *        ├─ appeal ─▶ AcknowledgeAppeal ─▶ HandOff (another reviewer) …
 *        └─ reopen ─▶ AcknowledgeReopen ─▶ HandOff …
 *
 * Waits (⏸) are callbacks with the family's hard caps; evidence caps escalate and the team decides on the
 * evidence at hand; an overdue decision escalates and waits again; a failed step escalates and fails.
 * Who decides and what evidence is needed stay in policy, so routing changes never touch this.
 */
export const caseWorkflow = (family: Family<BaseIntake>): Workflow => {
  const asksBuyer = family.workflow.evidenceFrom.includes('buyer');
  const mediates = family.workflow.mediation;
  const decide = mediates ? 'OfferMediation' : 'HandOff';
  const afterSeller = asksBuyer ? 'BuyerEvidenceNeeded' : decide;

  const states: Record<string, State> = {
    Entry: {
      Type: 'Choice',
      Comment: 'A new case is triaged; an appeal or a reopen re-enters with the history kept',
      Choices: [
        {
          And: [
            { Variable: '$.entry', IsPresent: true },
            { Variable: '$.entry', StringEquals: 'appeal' },
          ],
          Next: 'AcknowledgeAppeal',
        },
        {
          And: [
            { Variable: '$.entry', IsPresent: true },
            { Variable: '$.entry', StringEquals: 'reopen' },
          ],
          Next: 'AcknowledgeReopen',
        },
      ],
      Default: 'Triage',
    },
    Triage: step('Triage', {
      resultPath: '$.triage',
      next: 'EvidenceNeeded',
      comment: 'Facts, risk, urgency; route by rule',
    }),
    EvidenceNeeded: ifTrue(
      '$.triage.evidenceNeeded',
      'RequestEvidence',
      'SendFirstResponse',
      'Does the evidence contract still miss something only the seller can provide?',
    ),
    SendFirstResponse: step('NotifySeller', {
      parameters: { message: 'first-response' },
      next: afterSeller,
      comment: 'Acknowledge the case; nothing is needed from the seller',
    }),
    RequestEvidence: callback('RequestEvidence', {
      comment: 'First response naming exactly what evidence is missing; wait for the seller’s reply',
      payload: { party: 'seller' },
      resultPath: '$.evidence',
      timeoutSeconds: family.waits.evidenceSeconds,
      onTimeout: 'EscalateEvidenceTimeout',
      next: afterSeller,
    }),
    EscalateEvidenceTimeout: escalation(
      'evidence_timeout',
      family.evidenceTimeout?.action === 'close' ? 'CloseForNoResponse' : afterSeller,
    ),
    HandOff: callback('HandOff', {
      comment: 'Hand the validated case to the deciding team; wait for its decision',
      // This workflow takes an agent's request for more evidence as the wait's answer (DecidedOrAsked); an
      // execution of an earlier definition does not, and the API refuses one there (replies.ts).
      payload: { asks: true },
      resultPath: '$.decision',
      timeoutSeconds: family.waits.decisionSeconds,
      onTimeout: 'EscalateDecisionOverdue',
      next: 'DecidedOrAsked',
    }),
    DecidedOrAsked: {
      Type: 'Choice',
      Comment: 'The team decided, or its agent wrote to the seller for more evidence (replies.ts)',
      Choices: [{ Variable: '$.decision.moreEvidence', IsPresent: true, Next: 'RequestMoreEvidence' }],
      Default: 'Resolve',
    },
    RequestMoreEvidence: callback('RequestEvidence', {
      comment:
        'The agent’s reply asking for more, with a fresh reply address; the answer goes back to the team',
      payload: { party: 'seller', 'reply.$': '$.decision.moreEvidence' },
      resultPath: '$.evidence',
      timeoutSeconds: family.waits.evidenceSeconds,
      onTimeout: 'EscalateMoreEvidenceTimeout',
      next: 'HandOff',
    }),
    EscalateMoreEvidenceTimeout: escalation('evidence_timeout', 'HandOff'),
    EscalateDecisionOverdue: escalation('decision_overdue', 'HandOff'),
    Resolve: step('Resolve', { parameters: { 'decision.$': '$.decision' }, next: 'Resolved' }),
    Resolved: { Type: 'Succeed' },
    AcknowledgeAppeal: step('NotifySeller', {
      parameters: { message: 'appeal-acknowledgement' },
      next: 'HandOff',
      comment: 'Acknowledge the appeal; a reviewer other than the original decider takes it',
    }),
    AcknowledgeReopen: step('NotifySeller', {
      parameters: { message: 'reopen-acknowledgement' },
      next: 'HandOff',
      comment: 'Acknowledge the reopened case; the owning team reviews it again',
    }),
    ...failureStates(family.id),
  };
  if (family.evidenceTimeout?.action === 'close') {
    // The family's policy: no evidence by the cap closes the case, with its reason, instead of deciding.
    states.CloseForNoResponse = step('Resolve', {
      comment: 'Close the case for no response, as the family policy says',
      parameters: {
        decision: {
          outcome: family.evidenceTimeout.outcome,
          rationale: family.evidenceTimeout.rationale,
          decidedBy: 'sla-policy',
          via: 'policy',
        },
      },
      next: 'Resolved',
    });
  }
  if (asksBuyer) {
    Object.assign(states, {
      BuyerEvidenceNeeded: ifTrue(
        '$.triage.buyerEvidenceNeeded',
        'RequestBuyerEvidence',
        decide,
        'Does the contract still miss something only the buyer can provide?',
      ),
      RequestBuyerEvidence: callback('RequestEvidence', {
        comment: 'Ask the buyer for their side; wait for the reply',
        payload: { party: 'buyer' },
        resultPath: '$.buyerEvidence',
        timeoutSeconds: family.waits.evidenceSeconds,
        onTimeout: 'EscalateBuyerEvidenceTimeout',
        next: decide,
      }),
      EscalateBuyerEvidenceTimeout: escalation('evidence_timeout', decide),
    });
  }
  if (mediates) {
    Object.assign(states, {
      OfferMediation: callback('OfferMediation', {
        comment: 'Offer the seller a settlement before any team decides; silence means no',
        resultPath: '$.mediation',
        timeoutSeconds: family.waits.mediationSeconds ?? 3 * 86_400,
        onTimeout: 'HandOff',
        next: 'MediationAccepted',
      }),
      MediationAccepted: ifTrue(
        '$.mediation.accepted',
        'ResolveSettlement',
        'HandOff',
        'Did the seller accept the settlement?',
      ),
      ResolveSettlement: step('Resolve', {
        parameters: { 'decision.$': '$.mediation.decision' },
        next: 'Resolved',
      }),
    });
  }
  return {
    Comment: `SellerWorks ${family.id}: intake → triage → routing → evidence → handoff → decision → resolution`,
    StartAt: 'Entry',
    States: states,
  };
};
