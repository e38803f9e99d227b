import type { Risk, SellerHistory, SellerTier, TriageFacts, Urgency } from '../family-policy.ts';
import type { BuyerDisputeIntake } from './intake.ts';

/** Amounts (in the case currency) at which a dispute is medium or high risk. */
export const RISK_AMOUNTS = { medium: 100, high: 500 } as const;
/** Prior disputes in 90 days that make a seller's next dispute high risk. */
export const REPEAT_DISPUTES = 3;

const riskOf = (amount: number, prior: number, tier: SellerTier): Risk => {
  if (amount >= RISK_AMOUNTS.high || prior >= REPEAT_DISPUTES) return 'high';
  if (amount >= RISK_AMOUNTS.medium || tier === 'new') return 'medium';
  return 'low';
};

/** A buyer who never got the item is waiting on the seller now; other claims are normal urgency. */
const urgencyOf = (intake: BuyerDisputeIntake, risk: Risk): Urgency =>
  intake.reason === 'not_received' || risk === 'high' ? 'high' : 'normal';

export const triageBuyerDispute = (
  intake: BuyerDisputeIntake,
  history: SellerHistory,
  tier: SellerTier,
): TriageFacts => {
  const risk = riskOf(intake.amount, history.priorCases90d, tier);
  return {
    family: 'buyer-dispute',
    reason: intake.reason,
    amount: intake.amount,
    currency: intake.currency,
    region: intake.region,
    tier,
    priorCases90d: history.priorCases90d,
    risk,
    urgency: urgencyOf(intake, risk),
  };
};
