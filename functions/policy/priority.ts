import type { RuleCondition } from './family-policy.ts';

/** A priority rule: the first whose every condition holds gives a case waiting for a team its level. */
export interface PriorityRule {
  readonly id: string;
  readonly description: string;
  /** 1 is taken first. */
  readonly level: 1 | 2 | 3 | 4;
  readonly when: RuleCondition;
}

export interface PriorityRuleset {
  readonly version: string;
  /** Ordered; the last matches everything. */
  readonly rules: readonly PriorityRule[];
}

/**
 * How cases waiting for a team are ordered, for every family: by level from triage's risk and urgency, then,
 * within a level, by when their resolution target falls due (the case's SLA), earliest first. Reviewed like
 * routing rules: a change here reorders queues and needs no workflow change.
 */
export const PRIORITY: PriorityRuleset = {
  version: '2026-12-06',
  rules: [
    {
      id: 'p1-high-risk-urgent',
      description: 'High risk and urgent',
      level: 1,
      when: { risk: ['high'], urgency: ['high'] },
    },
    { id: 'p2-high-risk', description: 'High risk', level: 2, when: { risk: ['high'] } },
    { id: 'p2-urgent', description: 'Urgent', level: 2, when: { urgency: ['high'] } },
    { id: 'p3-medium-risk', description: 'Medium risk', level: 3, when: { risk: ['medium'] } },
    { id: 'p4-standard', description: 'Standard', level: 4, when: {} },
  ],
};
