import type { RoutingRule, RoutingRuleset, RuleCondition, TriageFacts } from '#policy/family-policy.ts';
import type { Routing } from './case.ts';

type Check = (facts: TriageFacts) => { holds: boolean; fact: string; value: unknown; because: string };

const checksOf = (when: RuleCondition): Check[] => {
  const checks: Check[] = [];
  const among = (field: keyof TriageFacts & keyof RuleCondition, allowed: readonly string[]) =>
    checks.push((f) => ({
      holds: allowed.includes(String(f[field])),
      fact: field,
      value: f[field],
      because: `${field} is ${String(f[field])}`,
    }));
  if (when.reason) among('reason', when.reason);
  if (when.risk) among('risk', when.risk);
  if (when.urgency) among('urgency', when.urgency);
  if (when.tier) among('tier', when.tier);
  if (when.region) among('region', when.region);
  const { amountAtLeast, priorCases90dAtLeast } = when;
  if (amountAtLeast !== undefined) {
    checks.push((f) => ({
      holds: f.amount !== undefined && f.amount >= amountAtLeast,
      fact: 'amount',
      value: f.amount,
      because: `amount ${f.amount} ${f.currency ?? ''} ≥ ${amountAtLeast}`.replace('  ', ' '),
    }));
  }
  for (const [name, least] of Object.entries(when.signalAtLeast ?? {})) {
    checks.push((f) => {
      const value = f.signals[name];
      return {
        holds: typeof value === 'number' && value >= least,
        fact: name,
        value,
        because: `${name} ${String(value)} ≥ ${least}`,
      };
    });
  }
  for (const [name, allowed] of Object.entries(when.signalIn ?? {})) {
    checks.push((f) => {
      const value = f.signals[name];
      return {
        holds: value !== undefined && allowed.includes(value),
        fact: name,
        value,
        because: `${name} is ${String(value)}`,
      };
    });
  }
  if (priorCases90dAtLeast !== undefined) {
    checks.push((f) => ({
      holds: f.priorCases90d >= priorCases90dAtLeast,
      fact: 'priorCases90d',
      value: f.priorCases90d,
      because: `${f.priorCases90d} prior cases in 90 days ≥ ${priorCases90dAtLeast}`,
    }));
  }
  return checks;
};

/** One condition's verdict on some facts: whether it holds, on which fact, and why, in words. */
export type ConditionResult = ReturnType<Check>;

/** Checks every condition of `when` against the facts: the rule matches when all of them hold. */
export const checkCondition = (when: RuleCondition, facts: TriageFacts): ConditionResult[] =>
  checksOf(when).map((check) => check(facts));

/** Thrown when a ruleset has no rule for some facts: a policy bug, caught by the policy tests. */
export class NoRouteError extends Error {
  override name = 'NoRouteError';
}

/**
 * Chooses the team for a case: the first rule whose every condition holds. The result says which rule
 * matched, on which facts, and why, so the decision explains itself.
 */
export const route = (ruleset: RoutingRuleset, facts: TriageFacts): Routing => {
  for (const rule of ruleset.rules) {
    const results = checkCondition(rule.when, facts);
    if (results.every((r) => r.holds)) return explain(ruleset, rule, results);
  }
  throw new NoRouteError(
    `routing ruleset ${ruleset.version} has no rule for ${facts.family}/${facts.reason}`,
  );
};

const explain = (ruleset: RoutingRuleset, rule: RoutingRule, results: ReturnType<Check>[]): Routing => ({
  team: rule.team,
  ruleId: rule.id,
  rulesetVersion: ruleset.version,
  reason:
    results.length === 0
      ? `${rule.description} (default rule)`
      : `${rule.description}: ${results.map((r) => r.because).join(', ')}`,
  matched: Object.fromEntries(results.map((r) => [r.fact, r.value])),
});
