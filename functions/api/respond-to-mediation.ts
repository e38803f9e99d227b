import { nowIso } from '#commons/clock.ts';
import { conflict } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireSeller } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { commitChange } from '#domain/case-store.ts';
import type { DecisionInput } from '#domain/decision.ts';
import { completeTask } from '#gateways/workflow.ts';
import { familyOf } from '#policy/families.ts';
import { caseFor } from './case-access.ts';
import { mediationBody } from './contracts.ts';

/**
 * `POST /cases/{caseId}/mediation`: the seller accepts or declines the settlement offered before a team
 * decides. Accepting resolves the case as settled; declining sends it to the deciding team. Answered once.
 */
export const respondToMediation = async (event: ApiEvent) => {
  const seller = requireSeller(event);
  const caseId = caseIdParam(event);
  const { accept } = jsonBody(event, mediationBody);
  const record = await caseFor(seller, caseId);
  const family = familyOf(record.family);
  const waiting = record.waiting;
  if (waiting?.step !== 'mediation' || !waiting.taskToken || !family.mediation) {
    throw conflict(`case ${caseId} has no open settlement offer`);
  }
  const decision: DecisionInput | undefined = accept
    ? {
        outcome: family.mediation.outcome,
        rationale: 'The seller accepted the settlement offered in mediation.',
        decidedBy: seller.sellerId,
        decidedAt: nowIso(),
        via: 'mediation',
      }
    : undefined;
  if (!accept) {
    await commitChange(record, {
      events: [
        {
          type: 'mediation.declined',
          actor: { kind: 'seller', id: seller.sellerId },
          detail: 'The seller declined the settlement; the deciding team takes the case',
        },
      ],
    });
  }
  const answer = await completeTask(waiting.taskToken, {
    accepted: accept,
    ...(decision ? { decision } : {}),
  });
  if (answer === 'closed') throw conflict(`the settlement offer on case ${caseId} has closed`);
  return json(202, { caseId, accepted: accept });
};

export const handler = apiHandler(respondToMediation);
