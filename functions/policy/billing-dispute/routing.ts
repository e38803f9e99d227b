import type { RoutingRuleset } from '../family-policy.ts';

/** Disputes at or above this amount (in the charge currency) go to senior finance. */
export const SENIOR_FINANCE_AMOUNT = 5000;

/**
 * Who decides a billing dispute. Chargebacks need people who work card network rules and deadlines every
 * day; the rest is ledger work for finance. Ordered: the first matching rule wins; the last matches
 * everything. Bump `version` with every change: each case records the version that routed it.
 */
export const billingDisputeRouting: RoutingRuleset = {
  version: '2026-11-29.1',
  rules: [
    {
      id: 'bl-finance-senior-high-value',
      description: 'High-value billing disputes go to senior finance, whatever the reason',
      when: { amountAtLeast: SENIOR_FINANCE_AMOUNT },
      team: 'finance-senior',
    },
    {
      id: 'bl-chargebacks',
      description: 'Chargebacks go to the chargebacks team, which answers the card networks',
      when: { reason: ['chargeback'] },
      team: 'finance-chargebacks',
    },
    {
      id: 'bl-default',
      description: 'Every other billing dispute goes to finance',
      when: {},
      team: 'finance',
    },
  ],
};

/** Every team the rules can choose: each needs a handoff contract. */
export const BILLING_DISPUTE_TEAMS: readonly string[] = [
  ...new Set(billingDisputeRouting.rules.map((r) => r.team)),
];
