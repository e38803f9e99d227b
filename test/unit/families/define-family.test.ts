import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { accountRecovery } from '#policy/account-recovery/index.ts';
import { buyerDispute } from '#policy/buyer-dispute/index.ts';
import {
  defineFamily,
  FamilyDefinitionError,
  type FamilyViolation,
  familyViolations,
} from '#policy/define-family.ts';
import { FAMILIES } from '#policy/families.ts';
import type { BaseIntake, Family } from '#policy/family-policy.ts';
import { payoutHold } from '#policy/payout-hold/index.ts';
import { payoutHoldIntake } from '#policy/payout-hold/intake.ts';

/**
 * Each invariant defineFamily checks at load, proved on a deliberately broken copy of a real family: the
 * copy fails with a message naming the family, where and what; the real families load clean.
 */
const violationsOf = (define: () => unknown): FamilyViolation[] => {
  try {
    define();
  } catch (error) {
    if (error instanceof FamilyDefinitionError) return [...error.violations];
    throw error;
  }
  throw new Error('the definition loaded');
};

const payout = payoutHold;
const [firstRule, ...laterRules] = payout.routing.rules;

describe('defineFamily: routing', () => {
  it('refuses a routing team without a handoff contract (and no "*" one)', () => {
    const { 'risk-operations': _dropped, ...contracts } = payout.handoff.contracts;

    const violations = violationsOf(() =>
      defineFamily({ ...payout, handoff: { ...payout.handoff, contracts } }),
    );

    expect(violations).toEqual([
      {
        family: 'payout-hold',
        where: 'handoff.contracts',
        what: 'no contract for team "risk-operations", which routing can choose (nor a "*" one)',
      },
    ]);
  });

  it('accepts a "*" contract for every team routing can choose', () => {
    const contracts = { '*': z.object({}) };

    expect(() => defineFamily({ ...payout, handoff: { ...payout.handoff, contracts } })).not.toThrow();
  });

  it('refuses a last rule that does not match everything', () => {
    const rules = payout.routing.rules.slice(0, -1);

    expect(() => defineFamily({ ...payout, routing: { ...payout.routing, rules } })).toThrow(
      /payout-hold routing rule ph-risk-review: the last rule must match everything/,
    );
  });

  it('refuses a rule matching a reason the family does not have, and a rule id used twice', () => {
    const rules = [{ ...firstRule!, when: { reason: ['tax_hold'] } }, firstRule!, ...laterRules];

    const violations = violationsOf(() => defineFamily({ ...payout, routing: { ...payout.routing, rules } }));

    expect(violations.map((v) => `${v.where}: ${v.what}`)).toEqual([
      'routing rule ph-compliance-senior-high-value: rule id used twice',
      'routing rule ph-compliance-senior-high-value: matches unknown reason "tax_hold"',
    ]);
  });
});

describe('defineFamily: evidence', () => {
  it('refuses a reason no evidence item is required for', () => {
    const evidence = payout.evidence.map((item) => ({
      ...item,
      requiredFor: item.requiredFor.filter((r) => r !== 'negative_balance'),
    }));

    expect(() => defineFamily({ ...payout, evidence })).toThrow(
      /payout-hold reason negative_balance: no evidence item is required for it; add one, or declare it in `evidenceNotNeeded`/,
    );
  });

  it('accepts such a reason when it is declared as needing none, and refuses a declaration that is not true', () => {
    const evidence = payout.evidence.map((item) => ({
      ...item,
      requiredFor: item.requiredFor.filter((r) => r !== 'negative_balance'),
    }));
    const declared = { negative_balance: 'the ledger already shows the balance' };

    expect(() => defineFamily({ ...payout, evidence, evidenceNotNeeded: declared })).not.toThrow();
    expect(violationsOf(() => defineFamily({ ...payout, evidenceNotNeeded: declared }))).toEqual([
      {
        family: 'payout-hold',
        where: 'evidenceNotNeeded.negative_balance',
        what: 'declared as needing no evidence, yet evidence items require it',
      },
    ]);
  });

  it('refuses an evidence item required for a reason the family does not have', () => {
    const evidence = [
      ...payout.evidence,
      { ...payout.evidence[0]!, kind: 'tax_form', requiredFor: ['tax_hold'] },
    ];

    expect(() => defineFamily({ ...payout, evidence })).toThrow(
      /payout-hold evidence tax_form: requiredFor names unknown reason "tax_hold"/,
    );
  });
});

describe('defineFamily: intake', () => {
  it('refuses an intake whose reason accepts other reasons than those declared', () => {
    const intake = payoutHoldIntake.extend({ reason: z.enum(['verification_required', 'tax_hold']) });

    const violations = violationsOf(() =>
      defineFamily({ ...payout, intake } as unknown as Family<BaseIntake>),
    );

    expect(violations.map((v) => `${v.where}: ${v.what}`)).toEqual([
      'intake.reason: does not accept declared reasons: risk_review, negative_balance',
      'intake.reason: accepts undeclared reasons: tax_hold',
    ]);
  });

  it('refuses an intake whose reason is not an enum it can check', () => {
    const intake = payoutHoldIntake.extend({ reason: z.string() });

    expect(() => defineFamily({ ...payout, intake } as unknown as Family<BaseIntake>)).toThrow(
      /payout-hold intake.reason: must be a z.enum of the declared reasons/,
    );
  });
});

describe('defineFamily: outcomes', () => {
  it('refuses a mediation outcome the family does not have', () => {
    const mediation = { ...buyerDispute.mediation!, outcome: 'split_the_difference' };

    expect(() => defineFamily({ ...buyerDispute, mediation })).toThrow(
      /buyer-dispute mediation.outcome: "split_the_difference" is not one of the family's outcomes/,
    );
  });

  it('refuses an evidence-timeout outcome the family does not have', () => {
    const evidenceTimeout = { ...accountRecovery.evidenceTimeout!, outcome: 'gave_up' };

    expect(() => defineFamily({ ...accountRecovery, evidenceTimeout })).toThrow(
      /account-recovery evidenceTimeout.outcome: "gave_up" is not one of the family's outcomes/,
    );
  });

  it('refuses a follow-up delay that is not a duration, too short, or past the reopen window', () => {
    const at = (after: string) =>
      violationsOf(() => defineFamily({ ...payout, followUp: { after } })).map(
        (v) => `${v.where}: ${v.what}`,
      );

    expect(at('3 days')).toEqual([
      'followUp.after: "3 days" is not an ISO 8601 duration in days/hours (P3D)',
    ]);
    expect(at('P1M')).toHaveLength(1);
    expect(at('PT30M')).toEqual(['followUp.after: must be at least an hour after resolution']);
    // Payout holds reopen within 30 days: a follow-up then could no longer reopen anything.
    expect(at('P30D')).toEqual(['followUp.after: must come before the reopen window (30 days) closes']);
    expect(() => defineFamily({ ...payout, followUp: { after: 'P1DT12H' } })).not.toThrow();
  });

  it('refuses mediation without an offer template, and an offer template without mediation', () => {
    const { mediationOffer: _dropped, ...withoutOffer } = buyerDispute.templates;
    const { mediation: _policy, ...withoutMediation } = buyerDispute;

    expect(() => defineFamily({ ...buyerDispute, templates: withoutOffer })).toThrow(
      /buyer-dispute templates.mediationOffer: a family that mediates needs a mediation offer template/,
    );
    expect(() => defineFamily(withoutMediation)).toThrow(
      /buyer-dispute templates.mediationOffer: a mediation offer template without a mediation policy is never sent/,
    );
  });
});

describe('defineFamily: teams and templates', () => {
  it('refuses protected access and turnaround targets for teams routing never chooses', () => {
    const violations = violationsOf(() =>
      defineFamily({
        ...buyerDispute,
        protectedAccess: ['dispute'],
        turnaroundHours: { ...buyerDispute.turnaroundHours, 'disputes-junior': 24 },
      }),
    );

    expect(violations.map((v) => `${v.where}: ${v.what}`)).toEqual([
      'protectedAccess: team "dispute" is not a team routing can choose',
      'turnaroundHours: team "disputes-junior" is not a team routing can choose',
    ]);
  });

  it('refuses two templates with one id, region variants included', () => {
    const resolution = payout.templates.resolution;
    const templates = {
      ...payout.templates,
      resolution: { ...resolution, regions: { EU: { ...resolution.default } } },
    };

    expect(() => defineFamily({ ...payout, templates })).toThrow(
      /payout-hold template payout-hold.resolution: template id used twice/,
    );
  });
});

describe('defineFamily: reply snippets', () => {
  it('refuses a snippet id used twice, and a request for more where the seller owes nothing', () => {
    const [first] = payout.templates.snippets;
    const snippets = [...payout.templates.snippets, first!];
    const evidence = payout.evidence.map((item) => ({ ...item, provider: 'internal' as const }));

    const violations = violationsOf(() =>
      defineFamily({ ...payout, evidence, templates: { ...payout.templates, snippets } }),
    );

    expect(violations.map((v) => `${v.where}: ${v.what}`)).toEqual(
      expect.arrayContaining([
        'snippet status-update: snippet id used twice',
        'templates.snippets: a snippet asks for evidence, but the family has no seller evidence items',
      ]),
    );
  });
});

describe('defineFamily: the error', () => {
  it('lists every violation in one error, each with family, where and what', () => {
    const rules = payout.routing.rules.slice(0, -1);
    const { 'risk-operations': _dropped, ...contracts } = payout.handoff.contracts;

    expect(() =>
      defineFamily({
        ...payout,
        routing: { ...payout.routing, rules },
        handoff: { ...payout.handoff, contracts },
      }),
    ).toThrow(
      [
        'family payout-hold breaks 2 invariants:',
        '  - payout-hold routing rule ph-risk-review: the last rule must match everything (an empty `when`)',
        '  - payout-hold handoff.contracts: no contract for team "risk-operations", which routing can choose (nor a "*" one)',
      ].join('\n'),
    );
  });
});

describe('the real families', () => {
  it.each(Object.entries(FAMILIES))('%s loads with every invariant holding', (id, family) => {
    expect(family.id).toBe(id);
    expect(familyViolations(family)).toEqual([]);
  });

  it('derive the workflow shape from the policy: who provides evidence, whether they mediate', () => {
    expect(buyerDispute.workflow).toEqual({ evidenceFrom: ['seller', 'buyer'], mediation: true });
    expect(payoutHold.workflow).toEqual({ evidenceFrom: ['seller'], mediation: false });
    // Counterfeit reports hold internal evidence too, which no party is asked for.
    expect(FAMILIES['counterfeit-report'].workflow).toEqual({ evidenceFrom: ['seller'], mediation: false });
  });
});
