import type { RoutingRuleset } from '../family-policy.ts';

/**
 * Who reviews an appeal. Ordered: the first matching rule wins; the last matches everything. Bump
 * `version` with every change: each case records the version that routed it.
 */
export const policyAppealRouting: RoutingRuleset = {
  version: '2026-11-24.1',
  rules: [
    {
      id: 'pa-senior-suspension',
      description: 'An appeal against an account suspension goes to senior policy appeals reviewers',
      when: { reason: ['account_suspension'] },
      team: 'policy-appeals-senior',
    },
    {
      id: 'pa-default',
      description: 'Every other appeal goes to the policy appeals team',
      when: {},
      team: 'policy-appeals',
    },
  ],
};
