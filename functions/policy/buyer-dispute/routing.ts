import type { RoutingRuleset } from '../family-policy.ts';

/**
 * Who decides a buyer dispute. Ordered: the first matching rule wins; the last matches everything.
 * Bump `version` with every change: each case records the version that routed it.
 */
export const buyerDisputeRouting: RoutingRuleset = {
  version: '2026-11-22.1',
  rules: [
    {
      id: 'bd-senior-high-value',
      description: 'High-value disputes go to senior dispute specialists',
      when: { amountAtLeast: 1000 },
      team: 'disputes-senior',
    },
    {
      id: 'bd-senior-repeat',
      description: 'A seller with repeated recent disputes gets a senior reviewer',
      when: { priorCases90dAtLeast: 3 },
      team: 'disputes-senior',
    },
    {
      id: 'bd-default',
      description: 'Every other buyer dispute goes to the disputes team',
      when: {},
      team: 'disputes',
    },
  ],
};
