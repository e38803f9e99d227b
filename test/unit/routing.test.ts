import { describe, expect, it } from 'vitest';
import { route } from '#domain/routing.ts';
import { buyerDisputeRouting } from '#policy/buyer-dispute/routing.ts';
import type { TriageFacts } from '#policy/family-policy.ts';

const facts = (overrides: Partial<TriageFacts> = {}): TriageFacts => ({
  family: 'buyer-dispute',
  reason: 'item_defective',
  amount: 40,
  currency: 'USD',
  region: 'US',
  tier: 'standard',
  priorCases90d: 0,
  risk: 'low',
  urgency: 'normal',
  signals: {},
  ...overrides,
});

describe('buyer-dispute routing', () => {
  it('sends an ordinary dispute to the disputes team by the default rule', () => {
    const routing = route(buyerDisputeRouting, facts());

    expect(routing).toMatchObject({
      team: 'disputes',
      ruleId: 'bd-default',
      rulesetVersion: buyerDisputeRouting.version,
    });
    expect(routing.reason).toContain('default rule');
  });

  it('sends a high-value dispute to senior specialists and records the amount it matched', () => {
    const routing = route(buyerDisputeRouting, facts({ amount: 1250, risk: 'high' }));

    expect(routing.team).toBe('disputes-senior');
    expect(routing.ruleId).toBe('bd-senior-high-value');
    expect(routing.matched).toEqual({ amount: 1250 });
    expect(routing.reason).toContain('amount 1250 USD ≥ 1000');
  });

  it('sends a seller with repeated recent disputes to senior specialists', () => {
    const routing = route(buyerDisputeRouting, facts({ priorCases90d: 4 }));

    expect(routing).toMatchObject({
      team: 'disputes-senior',
      ruleId: 'bd-senior-repeat',
      matched: { priorCases90d: 4 },
    });
  });

  it('lets the first matching rule win when several match', () => {
    const routing = route(buyerDisputeRouting, facts({ amount: 5000, priorCases90d: 9 }));

    expect(routing.ruleId).toBe('bd-senior-high-value');
  });

  it('matches rules on reason, tier and region lists', () => {
    const ruleset = {
      version: 't',
      rules: [
        {
          id: 'eu-new',
          description: 'EU new sellers',
          when: { region: ['EU'], tier: ['new'] } as const,
          team: 'eu',
        },
        { id: 'rest', description: 'rest', when: {}, team: 'rest' },
      ],
    };

    expect(route(ruleset, facts({ region: 'EU', tier: 'new' })).team).toBe('eu');
    expect(route(ruleset, facts({ region: 'EU', tier: 'standard' })).team).toBe('rest');
  });

  it('matches rules on family signals, and records the value that matched', () => {
    const ruleset = {
      version: 't',
      rules: [
        {
          id: 'strikes',
          description: 'Repeat offenders',
          when: { signalAtLeast: { priorStrikes: 2 } },
          team: 'senior',
        },
        { id: 'rest', description: 'rest', when: {}, team: 'rest' },
      ],
    };

    expect(route(ruleset, facts({ signals: { priorStrikes: 3 } }))).toMatchObject({
      team: 'senior',
      matched: { priorStrikes: 3 },
    });
    expect(route(ruleset, facts({ signals: { priorStrikes: 1 } })).team).toBe('rest');
    expect(route(ruleset, facts()).team).toBe('rest');
  });

  it('refuses facts no rule covers instead of guessing a team', () => {
    const ruleset = {
      version: 't',
      rules: [{ id: 'only-us', description: 'US', when: { region: ['US'] } as const, team: 'us' }],
    };

    expect(() => route(ruleset, facts({ region: 'EU' }))).toThrow(/no rule/);
  });
});
