import type { SellerHistory, SellerTier, TriageFacts } from '../family-policy.ts';
import { riskFrom, urgencyFrom } from '../standard-policy.ts';
import type { BillingDisputeIntake } from './intake.ts';

/** Disputed amounts (in the charge currency) at which a billing dispute is medium or high risk. */
export const RISK_AMOUNTS = { medium: 1000, high: 5000 } as const;
/** Prior billing disputes in 90 days that make the next one high risk. */
export const REPEAT_DISPUTES = 3;

/**
 * A card network deadline makes a case urgent whatever the amount: evidence that reaches the network late
 * is not considered, and the chargeback is lost by default. Large or repeated disputes are high risk.
 */
export const triageBillingDispute = (
  intake: BillingDisputeIntake,
  history: SellerHistory,
  tier: SellerTier,
): TriageFacts => {
  const hasNetworkDeadline = intake.evidenceDueBy !== undefined;
  const risk = riskFrom({
    amount: intake.amount,
    thresholds: RISK_AMOUNTS,
    priorCases90d: history.priorCases90d,
    repeatAt: REPEAT_DISPUTES,
    tier,
  });
  return {
    family: 'billing-dispute',
    reason: intake.reason,
    amount: intake.amount,
    currency: intake.currency,
    region: intake.region,
    tier,
    priorCases90d: history.priorCases90d,
    risk,
    urgency: urgencyFrom(risk, hasNetworkDeadline),
    signals: {
      hasNetworkDeadline,
      ...(intake.evidenceDueBy ? { evidenceDueBy: intake.evidenceDueBy } : {}),
      chargedAt: intake.chargedAt,
    },
  };
};
