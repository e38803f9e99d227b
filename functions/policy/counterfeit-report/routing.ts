import type { RoutingRuleset } from '../family-policy.ts';
import { SENIOR_STRIKES } from './triage.ts';

/**
 * Who decides a counterfeit or fraud report. Ordered: the first matching rule wins; the last matches
 * everything. Bump `version` with every change: each case records the version that routed it.
 */
export const counterfeitReportRouting: RoutingRuleset = {
  version: '2026-11-24.1',
  rules: [
    {
      id: 'cr-senior-repeat-strikes',
      description: `A seller with ${SENIOR_STRIKES} or more reports in a year goes to senior trust and safety`,
      when: { signalAtLeast: { priorStrikes: SENIOR_STRIKES } },
      team: 'trust-and-safety-senior',
    },
    {
      id: 'cr-default',
      description: 'Every other counterfeit, rights or fraud report goes to trust and safety',
      when: {},
      team: 'trust-and-safety',
    },
  ],
};
