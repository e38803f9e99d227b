import type { SellerHistory, SellerTier, TriageFacts } from '../family-policy.ts';
import { riskFrom, urgencyFrom } from '../standard-policy.ts';
import type { BuyerDisputeIntake } from './intake.ts';

/** Amounts (in the case currency) at which a dispute is medium or high risk. */
export const RISK_AMOUNTS = { medium: 100, high: 500 } as const;
/** Prior disputes in 90 days that make a seller's next dispute high risk. */
export const REPEAT_DISPUTES = 3;

/** A buyer who never got the item is waiting now: urgent. Large or repeated disputes are high risk. */
export const triageBuyerDispute = (
  intake: BuyerDisputeIntake,
  history: SellerHistory,
  tier: SellerTier,
): TriageFacts => {
  const risk = riskFrom({
    amount: intake.amount,
    thresholds: RISK_AMOUNTS,
    priorCases90d: history.priorCases90d,
    repeatAt: REPEAT_DISPUTES,
    tier,
  });
  return {
    family: 'buyer-dispute',
    reason: intake.reason,
    amount: intake.amount,
    currency: intake.currency,
    region: intake.region,
    tier,
    priorCases90d: history.priorCases90d,
    risk,
    urgency: urgencyFrom(risk, intake.reason === 'not_received'),
    signals: { hasTracking: intake.trackingNumber !== undefined },
  };
};
