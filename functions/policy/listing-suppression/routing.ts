import type { RoutingRuleset } from '../family-policy.ts';
import { AFFECTED_LISTINGS } from './triage.ts';

/**
 * Who owns a suppression (seed 8.3): a product data defect goes to product ops — or to engineering when
 * it hits so many listings that the cause is systemic — and a policy or rights question goes to a policy
 * specialist. Ordered: the first matching rule wins; the last matches everything. Bump `version` with
 * every change: each case records the version that routed it.
 */
export const listingSuppressionRouting: RoutingRuleset = {
  version: '2026-11-24.1',
  rules: [
    {
      id: 'ls-engineering-systemic-defect',
      description: `A product data defect affecting ${AFFECTED_LISTINGS.high} or more listings is systemic: engineering`,
      when: { reason: ['product_data_defect'], signalAtLeast: { affectedListings: AFFECTED_LISTINGS.high } },
      team: 'engineering',
    },
    {
      id: 'ls-product-ops-defect',
      description: 'A product data defect on a few listings goes to product ops with its reproducible record',
      when: { reason: ['product_data_defect'] },
      team: 'product-ops',
    },
    {
      id: 'ls-policy-specialist',
      description: 'A policy concern or suspected infringement goes to a policy specialist with risk signals',
      when: { reason: ['policy_concern', 'suspected_infringement'] },
      team: 'policy-specialists',
    },
    {
      id: 'ls-default',
      description: 'Any other suppression goes to the policy specialists, who own suppression decisions',
      when: {},
      team: 'policy-specialists',
    },
  ],
};
