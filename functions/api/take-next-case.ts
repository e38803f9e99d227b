import { conflict } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { signedInAgent } from '#domain/agents.ts';
import { takeNext } from '#domain/assignment.ts';

/**
 * `POST /ops/queue/next`: the signed-in agent takes the highest-priority case of their team's queue that
 * their skills cover. 200 with the case id and why; 204 when the queue holds nothing for them.
 */
export const takeNextCase = async (event: ApiEvent) => {
  const agent = await signedInAgent(requireOps(event));
  if (agent.status !== 'available')
    throw conflict(`${agent.agentId} is away; set the status to available first`);
  const taken = await takeNext(agent);
  if (!taken?.assignee) return { statusCode: 204 };
  return json(200, {
    caseId: taken.caseId,
    assignee: taken.assignee,
    ...(taken.priority ? { priority: taken.priority } : {}),
    links: { self: `/ops/cases/${taken.caseId}` },
  });
};

export const handler = apiHandler(takeNextCase);
