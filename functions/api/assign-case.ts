import { conflict, forbidden, notFound, validationFailed } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { assign, dispatchAfter, waitingTeam } from '#domain/assignment.ts';
import { logCaseKeys } from '#domain/case-loader.ts';
import { getCase, getTeamAgent } from '#domain/case-store.ts';
import { assignBody } from './contracts.ts';

/**
 * `POST /ops/cases/{caseId}/assign` `{ agentId, reason? }`: a supervisor gives a case waiting for its team
 * to one of that team's agents (or moves it from one to another), whatever their load — a supervisor's
 * call — but never to an agent who is away, or to the decider an appeal excludes.
 */
export const assignCase = async (event: ApiEvent) => {
  const ops = requireOps(event);
  if (ops.team !== undefined) throw forbidden('only a supervisor assigns cases');
  const caseId = caseIdParam(event);
  const { agentId, reason } = jsonBody(event, assignBody);
  const record = await getCase(caseId);
  if (!record) throw notFound(`no case ${caseId}`);
  logCaseKeys(record);
  const team = waitingTeam(record);
  if (!team) throw conflict(`case ${caseId} is not waiting for a team's decision (status ${record.status})`);
  const agent = await getTeamAgent(team, agentId);
  if (!agent) throw validationFailed([{ path: 'agentId', reason: `not an agent of the ${team} team` }]);
  if (agent.status !== 'available') throw conflict(`${agentId} is away`);
  if (record.waiting?.excludedDecider === agentId)
    throw conflict(`${agentId} made the decision this appeal is about; another reviewer must take it`);
  const assigned = await assign(record, agent, {
    rule: 'supervisor',
    reason: reason ?? `assigned by supervisor ${ops.userId}`,
    actor: { kind: 'ops', id: ops.userId },
    override: true,
  });
  if (!assigned?.assignee) throw conflict(`case ${caseId} changed meanwhile; read it again and retry`);
  // Whoever held it before has room again.
  if (record.assignee) await dispatchAfter(team);
  return json(200, { caseId, assignee: assigned.assignee });
};

export const handler = apiHandler(assignCase);
