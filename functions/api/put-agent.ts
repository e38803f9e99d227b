import { forbidden } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { agentIdParam, jsonBody } from '#commons/http/request.ts';
import { agentView, saveAgent } from '#domain/agents.ts';
import { agentSpecSchema } from '#domain/assignment-policy.ts';

/**
 * `PUT /ops/agents/{agentId}` `{ team, name, skills, capacity, status }`: a supervisor (an ops token without
 * a team) creates or changes an agent. Answers the agent with their current load.
 */
export const putAgentRoute = async (event: ApiEvent) => {
  const ops = requireOps(event);
  if (ops.team !== undefined) throw forbidden('only a supervisor manages agents');
  const agentId = agentIdParam(event);
  const spec = jsonBody(event, agentSpecSchema);
  return json(200, agentView(await saveAgent(agentId, spec)));
};

export const handler = apiHandler(putAgentRoute);
