import type { RoutingRuleset } from '../family-policy.ts';

/** Payouts at or above this amount (in the payout currency) always get a senior compliance reviewer. */
export const SENIOR_COMPLIANCE_AMOUNT = 10_000;

/**
 * Who reviews a payout hold. Seed 8.1: a hold waiting on verification documents belongs in a
 * compliance-aware verification queue, not generic support, so the seller is not sent back and forth.
 * Handing the case to `verification` or `compliance-senior` is what the messages call a "compliance review".
 * Ordered: the first matching rule wins; the last matches everything. Bump `version` with every change:
 * each case records the version that routed it.
 */
export const payoutHoldRouting: RoutingRuleset = {
  version: '2026-11-29.1',
  rules: [
    {
      id: 'ph-compliance-senior-high-value',
      description: 'Large held payouts get a senior compliance reviewer, whatever the reason',
      when: { amountAtLeast: SENIOR_COMPLIANCE_AMOUNT },
      team: 'compliance-senior',
    },
    {
      id: 'ph-verification',
      description: 'Holds waiting on business or identity verification go to the verification queue',
      when: { reason: ['verification_required'] },
      team: 'verification',
    },
    {
      id: 'ph-risk-review',
      description: 'Holds placed for unusual activity go to risk operations',
      when: { reason: ['risk_review'] },
      team: 'risk-operations',
    },
    {
      id: 'ph-default',
      description: 'Every other payout hold goes to payments support',
      when: {},
      team: 'payments-support',
    },
  ],
};

/** Every team the rules can choose: each needs a handoff contract. */
export const PAYOUT_HOLD_TEAMS: readonly string[] = [...new Set(payoutHoldRouting.rules.map((r) => r.team))];
