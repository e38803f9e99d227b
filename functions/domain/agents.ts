import { nowIso } from '#commons/clock.ts';
import { conflict, forbidden, notFound, validationFailed } from '#commons/errors.ts';
import type { Principal } from '#commons/http/principal.ts';
import { dispatchAfter, returnToQueue } from './assignment.ts';
import { type Agent, type AgentSpec, type AgentStatus, loadOf } from './assignment-policy.ts';
import {
  getAgent,
  getCases,
  getTeamAgent,
  putAgent,
  scoreTotals,
  setAgentStatus,
  teamAgents,
} from './case-store.ts';
import { agentFiguresOf } from './metrics.ts';
import { allTeams } from './sla-board.ts';

type Ops = Extract<Principal, { kind: 'ops' }>;

/** An agent as the ops API shows them: their description, the cases they hold and their load. */
export const agentView = (agent: Agent) => ({
  agentId: agent.agentId,
  team: agent.team,
  name: agent.name,
  skills: agent.skills,
  capacity: agent.capacity,
  status: agent.status,
  load: loadOf(agent),
  cases: agent.cases,
  ...(agent.lastAssignedAt ? { lastAssignedAt: agent.lastAssignedAt } : {}),
  updatedAt: agent.updatedAt,
});

/** One team's agents, or every team's (one query per team: teams are few, and each roster is one key). */
export const rosters = async (team?: string): Promise<Agent[]> => {
  const teams = team === undefined ? allTeams() : [team];
  return (await Promise.all(teams.map((t) => teamAgents(t)))).flat();
};

/**
 * `GET /ops/agents`: the agents with their figures — cases handled, median handle time, cases taken from
 * them — read off each one's assignee segment of the scoreboard (four items an agent, never their cases),
 * so the queue page and the scoreboard's assignee lines always agree.
 */
export const agentsWithFigures = async (team?: string) => {
  const agents = await rosters(team);
  const segment = (agentId: string) => `assignee=${agentId}`;
  const totals = await scoreTotals(agents.map((a) => segment(a.agentId)));
  return agents.map((agent) => ({
    ...agentView(agent),
    metrics: agentFiguresOf(totals.get(segment(agent.agentId)) ?? {}),
  }));
};

/**
 * A supervisor creates or changes an agent. Their cases stay with them; going `away` sends those back to
 * the queue, and more room or coming back takes queued cases at once.
 */
export const saveAgent = async (agentId: string, spec: AgentSpec): Promise<Agent> => {
  if (!allTeams().includes(spec.team))
    throw validationFailed([{ path: 'team', reason: `not a team; one of ${allTeams().join(', ')}` }]);
  const current = await getAgent(agentId);
  if (current && current.team !== spec.team && current.cases.length > 0) {
    throw conflict(
      `agent ${agentId} holds ${current.cases.length} case(s) of the ${current.team} team; reassign them before moving the agent`,
    );
  }
  const saved = await putAgent(agentId, spec, nowIso(), current);
  if (saved.status === 'away') await sendBack(saved, 'the agent is away');
  await dispatchAfter(saved.team);
  return (await getTeamAgent(saved.team, agentId)) ?? saved;
};

/** The agent themself, or a supervisor, sets their status; `away` returns their cases to the queue. */
export const changeStatus = async (ops: Ops, agentId: string, status: AgentStatus): Promise<Agent> => {
  const isSelf = ops.userId === agentId;
  if (ops.team !== undefined && !isSelf)
    throw forbidden('only the agent themself or a supervisor sets an agent’s status');
  const agent = await getAgent(agentId);
  if (!agent) throw notFound(`no agent ${agentId}`);
  await setAgentStatus(agent, status, nowIso());
  if (status === 'away') await sendBack({ ...agent, status }, 'the agent is away');
  await dispatchAfter(agent.team);
  return (await getTeamAgent(agent.team, agentId)) ?? { ...agent, status };
};

/** Every case the agent holds goes back to their team's queue (where dispatch gives it to someone else). */
const sendBack = async (agent: Agent, reason: string) => {
  for (const record of await getCases(agent.cases)) {
    if (record.assignee?.agentId !== agent.agentId) continue;
    await returnToQueue(record, { reason, actor: { kind: 'system', id: 'assignment' } });
  }
};

/** The agent behind an ops token: a registered agent of the token's team. */
export const signedInAgent = async (ops: Ops): Promise<Agent> => {
  if (ops.team === undefined) throw forbidden('this route is for an agent of a team, not a supervisor');
  const agent = await getTeamAgent(ops.team, ops.userId);
  if (!agent) throw forbidden(`${ops.userId} is not an agent of the ${ops.team} team`);
  return agent;
};
