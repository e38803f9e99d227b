import { z } from 'zod';
import { forbidden, notFound } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { jsonBody } from '#commons/http/request.ts';
import { agentView, saveAgent } from '#domain/agents.ts';
import { agentIdSchema, agentSpecSchema } from '#domain/assignment-policy.ts';

/** The `{agentId}` path parameter; anything that cannot be an agent id is simply not found. */
export const agentIdParam = (event: ApiEvent): string => {
  const parsed = agentIdSchema.safeParse(event.pathParameters?.agentId ?? '');
  if (!parsed.success) throw notFound(`no agent ${JSON.stringify(event.pathParameters?.agentId ?? '')}`);
  return parsed.data;
};

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

/** `PUT /ops/agents/{agentId}/status` body. */
export const statusBody = z.object({ status: agentSpecSchema.shape.status }).strict();
