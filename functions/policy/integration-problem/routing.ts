import type { RoutingRuleset } from '../family-policy.ts';
import { AFFECTED_ORDERS } from './triage.ts';

/**
 * Who fixes an integration problem: on-call engineering when it stops many orders or locks the seller
 * out, engineering otherwise. Ordered: the first matching rule wins; the last matches everything. Bump
 * `version` with every change: each case records the version that routed it.
 */
export const integrationProblemRouting: RoutingRuleset = {
  version: '2026-11-24.1',
  rules: [
    {
      id: 'ip-oncall-widespread',
      description: `A problem affecting ${AFFECTED_ORDERS.high} or more orders goes to on-call engineering`,
      when: { signalAtLeast: { affectedOrders: AFFECTED_ORDERS.high } },
      team: 'engineering-oncall',
    },
    {
      id: 'ip-oncall-auth',
      description: 'A sign-in or access failure stops every call the integration makes: on-call engineering',
      when: { reason: ['auth_failure'] },
      team: 'engineering-oncall',
    },
    {
      id: 'ip-default',
      description: 'Every other integration problem goes to engineering',
      when: {},
      team: 'engineering',
    },
  ],
};
