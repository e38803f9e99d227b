import { describe, expect, it } from 'vitest';
import { historyOf, type PastCase, type ReplayPolicy, replay } from '#domain/replay.ts';
import { FAMILIES } from '#policy/families.ts';
import type { BaseIntake, Family, RoutingRuleset } from '#policy/family-policy.ts';
import { PRIORITY } from '#policy/priority.ts';
import { CURRENT_POLICY, pastCaseFrom, SAMPLE_INTAKES, syntheticPastCases } from '../support/past-cases.ts';

const CASES = [...syntheticPastCases(3_000, 7)];

/** The working tree's policy with one family's routing replaced. */
const withRouting = (family: keyof typeof FAMILIES, routing: RoutingRuleset): ReplayPolicy => ({
  ...CURRENT_POLICY,
  families: { ...FAMILIES, [family]: { ...FAMILIES[family], routing } as Family<BaseIntake> },
});

const amountOf = (c: PastCase) => c.intake.amount as number;

describe('replay', () => {
  it('reports no change when the policy is the one the cases ran under', () => {
    const report = replay(CASES, CURRENT_POLICY);

    expect(report.cases).toBe(3_000);
    expect(report.changed).toBe(0);
    expect(report.changedCases).toEqual([]);
    expect(report.families.reduce((n, f) => n + f.cases, 0)).toBe(3_000);
  });

  it('a changed routing rule moves exactly the cases it should, and only those', () => {
    // Prepare: senior compliance from 5,000 instead of 10,000.
    const current = FAMILIES['payout-hold'].routing;
    const lowered: RoutingRuleset = {
      version: `${current.version}-replay-test`,
      rules: current.rules.map((rule) =>
        rule.id === 'ph-compliance-senior-high-value' ? { ...rule, when: { amountAtLeast: 5_000 } } : rule,
      ),
    };
    const expected = CASES.filter(
      (c) => c.family === 'payout-hold' && amountOf(c) >= 5_000 && amountOf(c) < 10_000,
    );
    expect(expected.length).toBeGreaterThan(10);

    // Act
    const report = replay(CASES, withRouting('payout-hold', lowered));

    // Assess: the moved cases are those, each to compliance-senior by that rule, and nothing else changed.
    expect(report.changedCases.map((c) => c.caseId).sort()).toEqual(expected.map((c) => c.caseId).sort());
    for (const moved of report.changedCases) {
      const past = expected.find((c) => c.caseId === moved.caseId) as PastCase;
      expect(moved.differences).toEqual([
        {
          field: 'team',
          from: `${past.happened.team} (${past.happened.ruleId})`,
          to: 'compliance-senior (ph-compliance-senior-high-value)',
        },
      ]);
    }
    const payout = report.families.find((f) => f.family === 'payout-hold');
    expect(payout?.changed).toBe(expected.length);
    expect(payout?.changes.reduce((n, c) => n + c.cases, 0)).toBe(expected.length);
    for (const change of payout?.changes ?? []) {
      expect(change.examples.length).toBeLessThanOrEqual(5);
      expect(change.examples.length).toBeGreaterThan(0);
    }
    expect(report.families.filter((f) => f.family !== 'payout-hold').every((f) => f.changed === 0)).toBe(
      true,
    );
  });

  it('reports a priority rule change on the cases whose level it changes', () => {
    const rules = PRIORITY.rules.map((rule) =>
      rule.id === 'p3-medium-risk' ? { ...rule, level: 2 as const } : rule,
    );
    const report = replay(CASES, { ...CURRENT_POLICY, priority: { version: 'test', rules } });

    const expected = CASES.filter((c) => c.happened.priority === 3);
    expect(expected.length).toBeGreaterThan(0);
    expect(report.changedCases.map((c) => c.caseId).sort()).toEqual(expected.map((c) => c.caseId).sort());
    expect(
      new Set(report.changedCases.flatMap((c) => c.differences.map((d) => `${d.from}→${d.to}`))),
    ).toEqual(new Set(['P3→P2']));
  });

  it('reports SLA targets and templates that would change', () => {
    const family = FAMILIES['buyer-dispute'];
    const resolution = family.templates.resolution;
    const eu = resolution.regions?.EU;
    expect(eu).toBeDefined();
    const policy: ReplayPolicy = {
      ...CURRENT_POLICY,
      families: {
        ...FAMILIES,
        'buyer-dispute': {
          ...family,
          sla: { ...family.sla, top_rated: { ...family.sla.top_rated, firstResponseHours: 2 } },
          templates: {
            ...family.templates,
            resolution: { ...resolution, regions: { EU: { ...eu!, version: eu!.version + 1 } } },
          },
        },
      },
    };
    const past = (caseId: string, region: string, tier: 'top_rated' | 'new') =>
      pastCaseFrom(caseId, 'buyer-dispute', { ...SAMPLE_INTAKES['buyer-dispute'], region }, tier, {
        priorCases90d: 0,
        priorCases365d: 0,
      });
    const cases = [
      past('eu-top', 'EU', 'top_rated'),
      past('us-new', 'US', 'new'),
      past('eu-new', 'EU', 'new'),
    ];

    const report = replay(cases, policy);

    const byCase = Object.fromEntries(report.changedCases.map((c) => [c.caseId, c.differences]));
    expect(Object.keys(byCase).sort()).toEqual(['eu-new', 'eu-top']);
    expect(byCase['eu-top']?.map((d) => d.field)).toEqual(['sla', 'template']);
    expect(byCase['eu-top']?.[0]?.to).toMatch(/^first response 2h, /);
    expect(byCase['eu-new']).toEqual([
      { field: 'template', from: `${eu!.id}@${eu!.version}`, to: `${eu!.id}@${eu!.version + 1}` },
    ]);
  });

  it('reports a triage that now fails instead of throwing', () => {
    const broken: ReplayPolicy = {
      ...CURRENT_POLICY,
      families: {
        ...FAMILIES,
        'payout-hold': { ...FAMILIES['payout-hold'], routing: { version: 'x', rules: [] } },
      },
    };
    const cases = CASES.filter((c) => c.family === 'payout-hold').slice(0, 3);

    const report = replay(cases, broken);

    expect(report.changed).toBe(3);
    expect(report.changedCases[0]?.differences[0]).toMatchObject({
      field: 'triage',
      to: expect.stringMatching(/^fails: /),
    });
  });

  it('reads the yearly history from the signal the family records it in', () => {
    const [hold] = CASES.filter(
      (c) => c.family === 'payout-hold' && Number(c.triage?.signals.priorHolds365d ?? 0) > 0,
    );
    expect(historyOf(hold?.triage)).toEqual({
      priorCases90d: hold?.triage?.priorCases90d,
      priorCases365d: hold?.triage?.signals.priorHolds365d,
    });
  });
});
