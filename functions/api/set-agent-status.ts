import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { agentIdParam, jsonBody } from '#commons/http/request.ts';
import { agentView, changeStatus } from '#domain/agents.ts';
import { agentStatusSchema } from '#domain/assignment-policy.ts';

/**
 * `PUT /ops/agents/{agentId}/status` `{ status: available | away }`: the agent themself or a supervisor.
 * Going away sends the agent's cases back to the team's queue; coming back takes queued cases.
 */
export const setAgentStatusRoute = async (event: ApiEvent) => {
  const ops = requireOps(event);
  const agentId = agentIdParam(event);
  const { status } = jsonBody(event, agentStatusSchema);
  return json(200, agentView(await changeStatus(ops, agentId, status)));
};

export const handler = apiHandler(setAgentStatusRoute);
