import type { SellerHistory, SellerTier, TriageFacts } from '../family-policy.ts';
import { riskFrom, urgencyFrom } from '../standard-policy.ts';
import type { PolicyAppealIntake } from './intake.ts';

/** Prior appeals in 90 days that make the next one high risk: a seller repeatedly in enforcement. */
export const REPEAT_APPEALS = 3;

/**
 * A suspended seller cannot sell at all: the appeal is high risk and urgent. Other appeals are rated by
 * repeat appeals and tier.
 */
export const triagePolicyAppeal = (
  intake: PolicyAppealIntake,
  history: SellerHistory,
  tier: SellerTier,
): TriageFacts => {
  const suspended = intake.reason === 'account_suspension';
  const risk = riskFrom({
    priorCases90d: history.priorCases90d,
    repeatAt: REPEAT_APPEALS,
    tier,
    forceHigh: suspended,
  });
  return {
    family: 'policy-appeal',
    reason: intake.reason,
    region: intake.region,
    tier,
    priorCases90d: history.priorCases90d,
    risk,
    urgency: urgencyFrom(risk, suspended),
    signals: {
      accountSuspended: suspended,
      priorAppeals365d: history.priorCases365d,
      originalPolicyRef: intake.originalDecision.policyRef,
    },
  };
};
