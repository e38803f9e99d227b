import type { RoutingRuleset } from '../family-policy.ts';

/**
 * Who handles an account-recovery request. A compromised account is an attack in progress, so trust and
 * safety take it; losing access or verifying identity is the identity-and-access team's daily work.
 * Ordered: the first matching rule wins; the last matches everything. Bump `version` with every change:
 * each case records the version that routed it.
 */
export const accountRecoveryRouting: RoutingRuleset = {
  version: '2026-11-29.1',
  rules: [
    {
      id: 'ar-compromised',
      description: 'Compromised accounts go to trust and safety',
      when: { reason: ['compromised_account'] },
      team: 'trust-and-safety',
    },
    {
      id: 'ar-default',
      description: 'Every other recovery or verification request goes to identity and access',
      when: {},
      team: 'identity-and-access',
    },
  ],
};

/** Every team the rules can choose: each needs a handoff contract. */
export const ACCOUNT_RECOVERY_TEAMS: readonly string[] = [
  ...new Set(accountRecoveryRouting.rules.map((r) => r.team)),
];
