import { z } from 'zod';
import { forbidden } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { validate } from '#commons/http/request.ts';
import { agentView, rosters } from '#domain/agents.ts';

const query = z
  .object({
    team: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
  })
  .strict();

/**
 * `GET /ops/agents[?team=]`: each team's agents with their skills, capacity, status and current load. A
 * supervisor sees every team (or the one asked for); a team member sees their own.
 */
export const listAgents = async (event: ApiEvent) => {
  const ops = requireOps(event);
  const { team } = validate(event.queryStringParameters ?? {}, query);
  if (ops.team !== undefined && team !== undefined && team !== ops.team)
    throw forbidden(`a member of the ${ops.team} team sees only its agents`);
  const agents = await rosters(ops.team ?? team);
  return json(200, { agents: agents.map(agentView) });
};

export const handler = apiHandler(listAgents);
