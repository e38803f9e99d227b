import { nowIso } from '#commons/clock.ts';
import { conflict, forbidden, notFound, validationFailed } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { requireTeamOwner } from '#domain/assignment.ts';
import { logCaseKeys } from '#domain/case-loader.ts';
import { getCase } from '#domain/case-store.ts';
import type { DecisionInput } from '#domain/decision.ts';
import { teamOutcomes } from '#domain/outcomes.ts';
import { completeTask } from '#gateways/workflow.ts';
import { familyOf } from '#policy/families.ts';
import { decisionBody } from './contracts.ts';

/**
 * `POST /ops/cases/{caseId}/decision`: the owning team decides. The decision goes to the waiting workflow
 * through its task token, which completes once: a second decision is a 409 and changes nothing. The
 * workflow's Resolve step records it with the resolution, in one transaction.
 */
export const recordDecision = async (event: ApiEvent) => {
  const principal = requireOps(event);
  const caseId = caseIdParam(event);
  const { outcome, rationale } = jsonBody(event, decisionBody);
  const record = await getCase(caseId);
  if (!record) throw notFound(`no case ${caseId}`);
  logCaseKeys(record);
  const family = familyOf(record.family);
  const allowed = teamOutcomes(family).map((o) => o.id);
  if (!allowed.includes(outcome)) {
    throw validationFailed([{ path: 'outcome', reason: `must be one of ${allowed.join(', ')}` }]);
  }
  const { taskToken } = requireTeamOwner(record, principal, 'decide it');
  if (record.waiting?.excludedDecider === principal.userId) {
    throw forbidden('this is an appeal of your own decision; another reviewer must decide it');
  }
  const decision: DecisionInput = {
    outcome,
    rationale,
    decidedBy: principal.userId,
    decidedAt: nowIso(),
  };
  if ((await completeTask(taskToken, decision)) === 'closed')
    throw conflict(`case ${caseId} is no longer awaiting this decision`);
  return json(202, { caseId, outcome, status: 'decided', links: { self: `/ops/cases/${caseId}` } });
};

export const handler = apiHandler(recordDecision);
