import { nowIso } from '#commons/clock.ts';
import { ConflictError, conflict, forbidden } from '#commons/errors.ts';
import type { Principal } from '#commons/http/principal.ts';
import { logger } from '#commons/logging.ts';
import { type Agent, chooseAgent, hasRoom, needsOf, skilledFor } from './assignment-policy.ts';
import type { Actor, Assignee, AuditEvent, CaseRecord } from './case.ts';
import {
  agentReleasesItem,
  agentTakesItem,
  commitChange,
  getCase,
  type TransactItem,
  TransactionRefused,
  teamAgents,
  teamBacklog,
} from './case-store.ts';

/**
 * Moves cases between a team's queue and its agents. A case waiting for a team's decision is either held
 * by one agent (`assignee`) or queued in the team's backlog (case-store.ts, teamBacklog); the agent's item
 * lists the cases they hold, and both change in one transaction, so an agent's load is always the number
 * of cases that name them. Every move is an audit event with its rule and reason.
 */

const SYSTEM: Actor = { kind: 'system', id: 'assignment' };

/** The team whose decision a case waits for, when it waits for one. */
export const waitingTeam = (record: CaseRecord): string | undefined =>
  record.status === 'handed_off' && record.waiting?.step === 'decision'
    ? (record.waiting.team ?? record.routing?.team)
    : undefined;

/**
 * Who may act for the team on a case it is deciding (decide, write to the seller): its assignee, or a
 * supervisor (an ops principal of no team); while it is queued, any member of the team. Anyone else is
 * refused (403), and a case not waiting for a team's decision is a 409. Answers the wait's task token.
 */
export const requireTeamOwner = (
  record: CaseRecord,
  ops: Extract<Principal, { kind: 'ops' }>,
  doing: string,
): { taskToken: string; team: string | undefined } => {
  const waiting = record.waiting;
  if (record.status !== 'handed_off' || waiting?.step !== 'decision' || !waiting.taskToken) {
    throw conflict(`case ${record.caseId} is not awaiting a decision (status ${record.status})`);
  }
  if (ops.team !== undefined && ops.team !== waiting.team) {
    throw forbidden(`the case belongs to the ${waiting.team} team`);
  }
  const owner = record.assignee;
  if (ops.team !== undefined && owner && owner.agentId !== ops.userId) {
    throw forbidden(
      `the case is assigned to ${owner.name} (${owner.agentId}); only they or a supervisor ${doing}`,
    );
  }
  return { taskToken: waiting.taskToken, team: waiting.team };
};

/** The transaction item that frees the case's agent, if it has one (decided, transferred, back to queue). */
export const releaseOf = (record: CaseRecord): TransactItem[] => {
  const team = record.assignee ? (record.waiting?.team ?? record.routing?.team) : undefined;
  return record.assignee && team ? [agentReleasesItem(team, record.assignee.agentId, record.caseId)] : [];
};

/**
 * Gives a queued (or reassigned) case to an agent, in one transaction with the agent's item. Answers the
 * case as committed, or undefined when the agent had no room any more, or the case no longer waits for
 * this team (someone else moved first).
 */
export const assign = async (
  record: CaseRecord,
  agent: Agent,
  how: { rule: string; reason: string; actor?: Actor; override?: boolean },
): Promise<CaseRecord | undefined> => {
  const team = waitingTeam(record);
  if (team !== agent.team) return undefined;
  if (record.assignee?.agentId === agent.agentId) return record;
  const at = nowIso();
  const assignee: Assignee = {
    agentId: agent.agentId,
    name: agent.name,
    assignedAt: at,
    rule: how.rule,
    reason: how.reason,
  };
  const previous = record.assignee;
  try {
    return await commitChange(record, {
      set: { assignee },
      // The agent's item first: a refusal of it (no room) is told apart from the case having moved on.
      extra: [
        agentTakesItem(agent, record.caseId, at, how.override ? 'none' : 'capacity'),
        ...releaseOf(record),
      ],
      events: [
        {
          type: previous ? 'case.reassigned' : 'case.assigned',
          actor: how.actor ?? SYSTEM,
          detail: previous
            ? `Reassigned from ${previous.name} to ${agent.name} on the ${team} team`
            : `Assigned to ${agent.name} on the ${team} team`,
          data: {
            agentId: agent.agentId,
            team,
            rule: how.rule,
            reason: how.reason,
            ...(previous ? { from: previous.agentId } : {}),
            ...(record.priority ? { priority: record.priority.level } : {}),
          },
        },
      ],
    });
  } catch (error) {
    if (error instanceof TransactionRefused || error instanceof ConflictError) return undefined;
    throw error;
  }
};

/**
 * The agent a case goes to as it reaches its team, to commit with the handoff itself (so a case with an
 * agent free is never seen queued): the assignee to set, the agent's item and the audit event. Undefined
 * when nobody has room; agents in `skip` refused it a moment ago (they filled up meanwhile).
 */
export const assignmentOnArrival = async (
  record: CaseRecord,
  team: string,
  skip: readonly string[] = [],
): Promise<{ assignee: Assignee; take: TransactItem; event: AuditEvent } | undefined> => {
  const agents = (await teamAgents(team)).filter((a) => !skip.includes(a.agentId));
  const needs = needsOf(record);
  // Back from the seller with what its agent asked for: to that agent, if they are here, even when full.
  const asker = agents.find((a) => a.agentId === record.returnsTo?.agentId);
  const returning =
    asker && asker.status === 'available' && skilledFor(asker, needs)
      ? {
          agent: asker,
          rule: 'returning-owner',
          reason: `${asker.agentId} asked the seller for more; the answer comes back to them`,
        }
      : undefined;
  const choice = returning ?? chooseAgent(agents, needs);
  if (!choice) return undefined;
  const at = nowIso();
  return {
    assignee: {
      agentId: choice.agent.agentId,
      name: choice.agent.name,
      assignedAt: at,
      rule: choice.rule,
      reason: choice.reason,
    },
    take: agentTakesItem(choice.agent, record.caseId, at, returning ? 'presence' : 'capacity'),
    event: {
      type: 'case.assigned',
      actor: SYSTEM,
      detail: `Assigned to ${choice.agent.name} on the ${team} team`,
      data: {
        agentId: choice.agent.agentId,
        team,
        rule: choice.rule,
        reason: choice.reason,
        ...(record.priority ? { priority: record.priority.level } : {}),
      },
    },
  };
};

/** Takes a case from its agent and puts it back in the team's queue (the agent went away, or is silent). */
export const returnToQueue = async (
  record: CaseRecord,
  why: { reason: string; actor?: Actor },
): Promise<CaseRecord | undefined> => {
  const team = waitingTeam(record);
  if (!team || !record.assignee) return undefined;
  try {
    return await commitChange(record, {
      remove: ['assignee'],
      extra: releaseOf(record),
      events: [
        {
          type: 'case.unassigned',
          actor: why.actor ?? SYSTEM,
          detail: `Back in the ${team} team's queue`,
          data: { agentId: record.assignee.agentId, team, reason: why.reason },
        },
      ],
    });
  } catch (error) {
    if (error instanceof ConflictError) return undefined;
    throw error;
  }
};

/** How many backlog cases one dispatch looks at: the head of the queue, where capacity goes first. */
const QUEUE_HEAD = 50;

/**
 * Gives the team's queued cases, highest priority first, to its agents with room and the skills, until
 * either runs out: run whenever a case joins the queue or capacity frees (a decision, a transfer, an agent
 * back or given more room). Each case goes to the least-loaded eligible agent, the longest idle among
 * equals. Safe to run concurrently and repeatedly: each assignment is a conditional transaction, and a
 * lost race only means another dispatch took that case or that capacity. Answers how many it assigned.
 */
export const dispatchTeam = async (team: string): Promise<number> => {
  let assigned = 0;
  for (let round = 0; round < 5; round += 1) {
    const agents = (await teamAgents(team)).filter(hasRoom);
    if (agents.length === 0) return assigned;
    const queued = await teamBacklog(team, QUEUE_HEAD);
    if (queued.length === 0) return assigned;
    let progressed = false;
    let lost = false;
    for (const entry of queued) {
      const choice = chooseAgent(agents, entry.needs);
      if (!choice) continue;
      const record = await getCase(entry.caseId);
      if (!record || record.assignee || waitingTeam(record) !== team) continue;
      const done = await assign(record, choice.agent, { rule: choice.rule, reason: choice.reason });
      if (!done) {
        // The agent filled up or went away meanwhile: read the roster again before going on.
        lost = true;
        break;
      }
      assigned += 1;
      progressed = true;
      const index = agents.indexOf(choice.agent);
      agents[index] = {
        ...choice.agent,
        cases: [...choice.agent.cases, entry.caseId],
        lastAssignedAt: done.updatedAt,
      };
      if (!agents.some(hasRoom)) return assigned;
    }
    if (!lost && (!progressed || queued.length < QUEUE_HEAD)) return assigned;
  }
  return assigned;
};

/**
 * `POST /ops/queue/next`: the agent takes the highest-priority queued case of their team that their skills
 * cover, even past their capacity (asking is their call). Undefined when there is none (or every such case
 * was taken by someone else meanwhile).
 */
export const takeNext = async (agent: Agent): Promise<CaseRecord | undefined> => {
  for (const entry of await teamBacklog(agent.team, QUEUE_HEAD)) {
    if (!skilledFor(agent, entry.needs)) continue;
    const record = await getCase(entry.caseId);
    if (!record || record.assignee || waitingTeam(record) !== agent.team) continue;
    const taken = await assign(record, agent, {
      rule: 'queue-next',
      reason: `${agent.agentId} took the highest-priority case their skills cover`,
      actor: { kind: 'ops', id: agent.agentId },
      // Asking for the next case is the agent's own call on their capacity.
      override: true,
    });
    if (taken) return taken;
  }
  return undefined;
};

/**
 * Dispatches the team's queue after a change that was committed on its own (a handoff, a decision, an
 * agent's status): a failure here leaves the cases queued, never lost — the next dispatch of the team
 * (any handoff, decision or agent change) takes them — so it is reported, not thrown.
 */
export const dispatchAfter = async (...teams: readonly (string | undefined)[]): Promise<void> => {
  for (const team of new Set(teams)) {
    if (team === undefined) continue;
    try {
      await dispatchTeam(team);
    } catch (error) {
      logger.warn('dispatching the team queue failed; its cases stay queued', {
        team,
        error: (error as Error).message,
      });
    }
  }
};

/**
 * Every team's queue, dispatched: the safety net under {@link dispatchAfter}. A dispatch that failed (a
 * throttle), or that never ran because its process stopped between a commit and its dispatch, leaves cases
 * queued with capacity free; this finds them within a minute (on AWS a schedule runs it every minute;
 * locally the runtime does, more often). Costs a roster read per team, and a backlog read only where an
 * agent has room.
 */
export const dispatchEveryTeam = async (teams: readonly string[]): Promise<number> => {
  let assigned = 0;
  for (const team of teams) {
    try {
      assigned += await dispatchTeam(team);
    } catch (error) {
      logger.warn('dispatching the team queue failed; the next sweep tries again', {
        team,
        error: (error as Error).message,
      });
    }
  }
  return assigned;
};
