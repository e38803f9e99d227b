import { z } from 'zod';
import { REGIONS, type TriageFacts } from '#policy/family-policy.ts';
import { PRIORITY } from '#policy/priority.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';
import type { CaseRecord } from './case.ts';
import { firstMatch } from './routing.ts';
import { clockView } from './sla.ts';

/**
 * Who works a team's cases, and in what order: agents as data (skills, capacity, status), each case's
 * priority while it waits for a team, and which agent a case goes to. Pure: the store keeps agents
 * (agent-store.ts) and assignment.ts moves cases between agents and the queue.
 */

export const AGENT_STATUSES = ['available', 'away'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

const ID = /^[A-Za-z0-9_-]{1,64}$/;
export const agentIdSchema = z.string().regex(ID, '1-64 letters, digits, _ or -');

/** What a case must be for an agent to take it; an empty or absent list accepts anything. */
export const skillsSchema = z
  .object({
    families: z.array(z.enum(FAMILY_IDS)).max(FAMILY_IDS.length).optional(),
    reasons: z.array(z.string().min(1).max(64)).max(100).optional(),
    regions: z.array(z.enum(REGIONS)).max(REGIONS.length).optional(),
    /** ISO 639-1 codes of the languages the agent answers sellers in. */
    languages: z
      .array(z.string().regex(/^[a-z]{2}$/, 'an ISO 639-1 code, e.g. "de"'))
      .max(50)
      .optional(),
  })
  .strict();
export type Skills = z.infer<typeof skillsSchema>;

/** `PUT /ops/agents/{agentId}`: a supervisor's description of an agent. */
export const agentSpecSchema = z
  .object({
    team: agentIdSchema,
    name: z.string().trim().min(1).max(120),
    skills: skillsSchema,
    /** How many cases the agent holds at once. */
    capacity: z.number().int().min(0).max(200),
    status: z.enum(AGENT_STATUSES),
  })
  .strict();
export type AgentSpec = z.infer<typeof agentSpecSchema>;

/** `PUT /ops/agents/{agentId}/status`: the agent's status alone. */
export const agentStatusSchema = z.object({ status: z.enum(AGENT_STATUSES) }).strict();

export interface Agent extends AgentSpec {
  readonly agentId: string;
  /** The cases the agent holds now (their count is the agent's load). */
  readonly cases: readonly string[];
  /** When the agent was last given a case: among equals, the one idle longest goes first. */
  readonly lastAssignedAt?: string;
  readonly updatedAt: string;
}

export const loadOf = (agent: Pick<Agent, 'cases'>) => agent.cases.length;
export const hasRoom = (agent: Agent) => agent.status === 'available' && loadOf(agent) < agent.capacity;

/** A case's priority while it waits for a team: the rule that gave its level, and why. */
export interface CasePriority {
  readonly level: number;
  readonly ruleId: string;
  readonly reason: string;
  readonly rulesetVersion: string;
  /** When the case's resolution target falls due: within a level, the earliest first. */
  readonly dueAt?: string;
}

/** The first priority rule whose conditions hold (the last holds for every case). */
export const priorityOf = (facts: TriageFacts, record: Pick<CaseRecord, 'sla'>, at: number): CasePriority => {
  const clock = record.sla?.resolution;
  const dueAt = clock ? clockView(clock, at).dueAt : undefined;
  const match = firstMatch(PRIORITY.rules, facts);
  if (match) {
    return {
      level: match.rule.level,
      ruleId: match.rule.id,
      rulesetVersion: PRIORITY.version,
      reason: match.reason,
      ...(dueAt ? { dueAt } : {}),
    };
  }
  throw new Error(`priority ruleset ${PRIORITY.version} has no rule for ${facts.family}/${facts.reason}`);
};

/** What a queued case needs of an agent: its family, reason, region and language, and who may not take it. */
export interface CaseNeeds {
  readonly family: string;
  readonly reason: string;
  readonly region: string;
  readonly language: string;
  /** Who may not take it: on an appeal the original decider; agents who sat on it past the target. */
  readonly excludedAgents?: readonly string[];
}

/** The language a case is worked in: the intake's, or English. */
export const caseLanguage = (record: Pick<CaseRecord, 'intake'>): string => {
  const language = (record.intake as { language?: unknown }).language;
  return typeof language === 'string' && /^[a-z]{2}$/.test(language) ? language : 'en';
};

export const needsOf = (record: CaseRecord): CaseNeeds => {
  const excluded = [
    ...(record.waiting?.excludedDecider ? [record.waiting.excludedDecider] : []),
    ...(record.passedOver ?? []),
  ];
  return {
    family: record.family,
    reason: record.intake.reason,
    region: record.region,
    language: caseLanguage(record),
    ...(excluded.length > 0 ? { excludedAgents: excluded } : {}),
  };
};

const accepts = (list: readonly string[] | undefined, value: string) =>
  list === undefined || list.length === 0 || list.includes(value);

/** Whether the agent's skills cover the case (and they are not the decider an appeal excludes). */
export const skilledFor = (agent: Pick<Agent, 'agentId' | 'skills'>, needs: CaseNeeds): boolean =>
  !(needs.excludedAgents ?? []).includes(agent.agentId) &&
  accepts(agent.skills.families, needs.family) &&
  accepts(agent.skills.reasons, needs.reason) &&
  accepts(agent.skills.regions, needs.region) &&
  accepts(agent.skills.languages, needs.language);

/** How an agent was chosen: the rule and the reason, recorded with the assignment. */
export interface Choice {
  readonly agent: Agent;
  readonly rule: 'least-loaded' | 'longest-idle';
  readonly reason: string;
}

/**
 * The agent a case goes to: among those available with room and the skills, the least loaded; among
 * equally loaded, the one given a case longest ago (never first), which turns equals into a round-robin.
 */
export const chooseAgent = (agents: readonly Agent[], needs: CaseNeeds): Choice | undefined => {
  const eligible = agents
    .filter((a) => hasRoom(a) && skilledFor(a, needs))
    .sort(
      (a, b) =>
        loadOf(a) - loadOf(b) ||
        (a.lastAssignedAt ?? '').localeCompare(b.lastAssignedAt ?? '') ||
        a.agentId.localeCompare(b.agentId),
    );
  const [agent, next] = eligible;
  if (!agent) return undefined;
  const skilled = `skills cover ${needs.family}/${needs.reason}, ${needs.region}, ${needs.language}`;
  if (next && loadOf(next) === loadOf(agent)) {
    return {
      agent,
      rule: 'longest-idle',
      reason: `${skilled}; ${eligible.filter((a) => loadOf(a) === loadOf(agent)).length} equally loaded (${loadOf(agent)}/${agent.capacity}), ${agent.agentId} idle longest`,
    };
  }
  return {
    agent,
    rule: 'least-loaded',
    reason: `${skilled}; least loaded (${loadOf(agent)}/${agent.capacity})${eligible.length > 1 ? ` of ${eligible.length} eligible` : ''}`,
  };
};
