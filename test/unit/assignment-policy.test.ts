import { describe, expect, it } from 'vitest';
import {
  type Agent,
  agentSpecSchema,
  type CaseNeeds,
  chooseAgent,
  priorityOf,
  skilledFor,
} from '#domain/assignment-policy.ts';
import type { EvidenceRecord } from '#domain/case.ts';
import { quotesProtected } from '#domain/case-view.ts';
import { FAMILIES } from '#policy/families.ts';
import type { TriageFacts } from '#policy/family-policy.ts';

const agent = (agentId: string, overrides: Partial<Agent> = {}): Agent => ({
  agentId,
  team: 'verification',
  name: agentId,
  skills: {},
  capacity: 2,
  status: 'available',
  cases: [],
  updatedAt: '2026-12-01T00:00:00.000Z',
  ...overrides,
});

const needs: CaseNeeds = {
  family: 'payout-hold',
  reason: 'verification_required',
  region: 'EU',
  language: 'en',
};

describe('choosing an agent', () => {
  it('takes only agents available, with room and the skills', () => {
    const agents = [
      agent('away', { status: 'away' }),
      agent('full', { capacity: 1, cases: ['case_a'] }),
      agent('us-only', { skills: { regions: ['US'] } }),
      agent('no-payouts', { skills: { families: ['buyer-dispute'] } }),
      agent('german', { skills: { languages: ['de'] } }),
      agent('eu', { skills: { regions: ['EU'], reasons: ['verification_required'] } }),
    ];

    expect(chooseAgent(agents, needs)?.agent.agentId).toBe('eu');
    expect(chooseAgent(agents.slice(0, 5), needs)).toBeUndefined();
  });

  it('prefers the least loaded, then the one idle longest (never given a case first), then the id', () => {
    const busy = agent('busy', { cases: ['case_a'] });
    const recent = agent('recent', { lastAssignedAt: '2026-12-05T10:00:00.000Z' });
    const earlier = agent('earlier', { lastAssignedAt: '2026-12-05T09:00:00.000Z' });
    const fresh = agent('fresh');

    expect(chooseAgent([busy, recent, earlier], needs)).toMatchObject({
      agent: { agentId: 'earlier' },
      rule: 'longest-idle',
    });
    expect(chooseAgent([busy, recent, earlier, fresh], needs)?.agent.agentId).toBe('fresh');
    const single = chooseAgent([busy, recent], needs);
    expect(single).toMatchObject({ agent: { agentId: 'recent' }, rule: 'least-loaded' });
    expect(single?.reason).toMatch(/least loaded \(0\/2\) of 2 eligible/);
  });

  it('turns equals into a round-robin as each assignment updates who was idle longest', () => {
    let agents = [agent('a'), agent('b'), agent('c')].map((a) => ({ ...a, capacity: 10 }));
    const order: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const choice = chooseAgent(agents, needs);
      if (!choice) throw new Error('nobody chosen');
      order.push(choice.agent.agentId);
      const at = new Date(Date.UTC(2026, 11, 5, 10, i)).toISOString();
      agents = agents.map((a) =>
        a === choice.agent ? { ...a, cases: [...a.cases, `case_${i}`], lastAssignedAt: at } : a,
      );
    }
    expect(order).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('never gives an appeal to the decider it is about', () => {
    expect(skilledFor(agent('ana'), { ...needs, excludedAgents: ['ana'] })).toBe(false);
    expect(
      chooseAgent([agent('ana'), agent('ben')], { ...needs, excludedAgents: ['ana'] })?.agent.agentId,
    ).toBe('ben');
  });
});

describe('priority', () => {
  const facts = (risk: TriageFacts['risk'], urgency: TriageFacts['urgency']): TriageFacts => ({
    family: 'payout-hold',
    reason: 'verification_required',
    region: 'EU',
    tier: 'standard',
    priorCases90d: 0,
    risk,
    urgency,
    signals: {},
  });
  const sla = {
    resolution: { targetMs: 72 * 3_600_000, startedAt: '2026-12-05T00:00:00.000Z', pausedMs: 0 },
  };

  it('ranks by risk and urgency, records the rule and why, and carries the resolution due time', () => {
    const at = Date.parse('2026-12-05T12:00:00.000Z');
    expect(priorityOf(facts('high', 'high'), { sla }, at)).toMatchObject({
      level: 1,
      ruleId: 'p1-high-risk-urgent',
      reason: 'High risk and urgent: risk is high, urgency is high',
      dueAt: '2026-12-08T00:00:00.000Z',
    });
    expect(priorityOf(facts('high', 'normal'), { sla }, at).level).toBe(2);
    expect(priorityOf(facts('low', 'high'), { sla }, at).ruleId).toBe('p2-urgent');
    expect(priorityOf(facts('medium', 'normal'), { sla }, at).level).toBe(3);
    const standard = priorityOf(facts('low', 'normal'), {}, at);
    expect(standard).toMatchObject({ level: 4, ruleId: 'p4-standard' });
    expect(standard.dueAt).toBeUndefined();
  });
});

describe('an agent as a supervisor describes them', () => {
  it('refuses unknown skills, families and regions, and a negative capacity, with field paths', () => {
    const result = agentSpecSchema.safeParse({
      team: 'verification',
      name: 'Ana',
      skills: { families: ['no-such-family'], regions: ['XX'], languages: ['German'], moods: [] },
      capacity: -1,
      status: 'busy',
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual([
      'capacity',
      'skills',
      'skills.families.0',
      'skills.languages.0',
      'skills.regions.0',
      'status',
    ]);
  });
});

describe('a note that quotes protected evidence', () => {
  const family = FAMILIES['payout-hold'];
  const evidence: EvidenceRecord[] = [
    {
      evidenceId: 'ev_1',
      kinds: ['identity_document'],
      provider: 'seller',
      source: 'portal',
      receivedAt: '2026-12-05T10:00:00.000Z',
      text: 'Passport number X1234567 of the account holder, issued in Lisbon.',
      attachments: [
        { filename: 'passport-scan.pdf', contentType: 'application/pdf', size: 10, sha256: 'x', s3Key: 'k' },
      ],
    },
  ];

  it('is told by a run of its words, a document number or a file name', () => {
    expect(quotesProtected('Matches: passport number x1234567 checked.', evidence, family)).toBe(true);
    expect(quotesProtected('He said: "of the account holder, issued" — fine.', evidence, family)).toBe(true);
    expect(quotesProtected('See passport-scan.pdf, page 2.', evidence, family)).toBe(true);
    expect(quotesProtected('The passport looks fine; the account holder called.', evidence, family)).toBe(
      false,
    );
    expect(quotesProtected('X1234567', [], family)).toBe(false);
  });
});
