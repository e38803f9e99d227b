import type { SellerHistory, SellerTier, TriageFacts } from '../family-policy.ts';
import { riskFrom, urgencyFrom } from '../standard-policy.ts';
import type { PayoutHoldIntake } from './intake.ts';

/** Held amounts (in the payout currency) at which a hold is medium or high risk. */
export const RISK_AMOUNTS = { medium: 2000, high: 10_000 } as const;
/** Prior payout holds in 90 days that make the next one high risk. */
export const REPEAT_HOLDS = 3;

/**
 * A risk review exists because the platform saw unusual activity, so it is high risk (and urgent) until a
 * person has looked. Otherwise large or repeated holds are high risk; every held payout is seller cash, so
 * a high-risk hold is urgent too.
 */
export const triagePayoutHold = (
  intake: PayoutHoldIntake,
  history: SellerHistory,
  tier: SellerTier,
): TriageFacts => {
  const risk = riskFrom({
    amount: intake.amount,
    thresholds: RISK_AMOUNTS,
    priorCases90d: history.priorCases90d,
    repeatAt: REPEAT_HOLDS,
    tier,
    forceHigh: intake.reason === 'risk_review',
  });
  return {
    family: 'payout-hold',
    reason: intake.reason,
    amount: intake.amount,
    currency: intake.currency,
    region: intake.region,
    tier,
    priorCases90d: history.priorCases90d,
    risk,
    urgency: urgencyFrom(risk, false),
    signals: {
      heldSince: intake.heldSince,
      hasSellerDetails: intake.details !== undefined,
      priorHolds365d: history.priorCases365d,
    },
  };
};
