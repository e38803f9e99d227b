import { performance } from 'node:perf_hooks';
import { replay } from '../../functions/domain/replay.ts';
import type { BaseIntake, Family } from '../../functions/policy/family-policy.ts';
import { CURRENT_POLICY, syntheticPastCases } from '../../test/support/past-cases.ts';

/**
 * `sellerworks replay`'s core over `count` synthetic past cases of every family (made before the clock
 * starts), once through the policy they ran under and once with payout-hold's senior-compliance amount
 * lowered, which moves some of them: the rate is cases replayed a second, triage to templates.
 */
export const benchReplay = async (count: number) => {
  const cases = [...syntheticPastCases(count)];
  const payoutHold = CURRENT_POLICY.families['payout-hold'] as Family<BaseIntake>;
  const lowered = {
    ...CURRENT_POLICY,
    families: {
      ...CURRENT_POLICY.families,
      'payout-hold': {
        ...payoutHold,
        routing: {
          version: 'bench',
          rules: payoutHold.routing.rules.map((rule, i) =>
            i === 0 ? { ...rule, when: { amountAtLeast: 5_000 } } : rule,
          ),
        },
      },
    },
  };
  for (const [label, policy] of [
    ['same policy', CURRENT_POLICY],
    ['senior-compliance amount lowered', lowered],
  ] as const) {
    const started = performance.now();
    const report = replay(cases, policy);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `replay (${label}): ${report.cases.toLocaleString('en')} cases in ${seconds.toFixed(2)} s = ` +
        `${Math.round(report.cases / seconds).toLocaleString('en')} cases/s (target: 100,000 in ≤ 10 s); ` +
        `${report.changed.toLocaleString('en')} would change`,
    );
  }
};
