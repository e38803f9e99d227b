import type { RoutingRuleset, RuleCondition, TriageFacts } from '#policy/family-policy.ts';
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

/**
 * The first of ordered rules whose every condition holds for the facts, with why in words ("<description>:
 * <fact> is <value>, …", or "(default rule)" for one with no conditions) and the facts it matched on.
 * Routing and priority (assignment-policy.ts) both choose this way.
 */
export const firstMatch = <R extends { readonly description: string; readonly when: RuleCondition }>(
  rules: readonly R[],
  facts: TriageFacts,
): { rule: R; reason: string; matched: Record<string, unknown> } | undefined => {
  for (const rule of rules) {
    const results = checksOf(rule.when).map((check) => check(facts));
    if (results.every((r) => r.holds)) {
      return {
        rule,
        reason:
          results.length === 0
            ? `${rule.description} (default rule)`
            : `${rule.description}: ${results.map((r) => r.because).join(', ')}`,
        matched: Object.fromEntries(results.map((r) => [r.fact, r.value])),
      };
    }
  }
  return undefined;
};

/** Thrown when a ruleset has no rule for some facts: a policy bug, caught by the policy tests. */
export class NoRouteError extends Error {
  override name = 'NoRouteError';
}

/**
 * Chooses the team for a case: the first rule whose every condition holds. The result says which rule
 * matched, on which facts, and why, so the decision explains itself.
 */
export const route = (ruleset: RoutingRuleset, facts: TriageFacts): Routing => {
  const match = firstMatch(ruleset.rules, facts);
  if (match) {
    return {
      team: match.rule.team,
      ruleId: match.rule.id,
      rulesetVersion: ruleset.version,
      reason: match.reason,
      matched: match.matched,
    };
  }
  throw new NoRouteError(
    `routing ruleset ${ruleset.version} has no rule for ${facts.family}/${facts.reason}`,
  );
};
