import { forbidden } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { validate } from '#commons/http/request.ts';
import { agentsWithFigures } from '#domain/agents.ts';
import { agentsQuery } from './contracts.ts';

/**
 * `GET /ops/agents[?team=]`: each team's agents with their skills, capacity, status, current load and
 * figures (`metrics`: handled, median handle hours, reassigned away). A supervisor sees every team (or the
 * one asked for); a team member sees their own.
 */
export const listAgents = async (event: ApiEvent) => {
  const ops = requireOps(event);
  const { team } = validate(event.queryStringParameters ?? {}, agentsQuery);
  if (ops.team !== undefined && team !== undefined && team !== ops.team)
    throw forbidden(`a member of the ${ops.team} team sees only its agents`);
  return json(200, { agents: await agentsWithFigures(ops.team ?? team) });
};

export const handler = apiHandler(listAgents);
