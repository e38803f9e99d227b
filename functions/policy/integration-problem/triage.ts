import type { SellerHistory, SellerTier, TriageFacts } from '../family-policy.ts';
import { riskFrom, urgencyFrom } from '../standard-policy.ts';
import type { IntegrationProblemIntake } from './intake.ts';

/**
 * Orders affected at which a problem is medium or high risk: the count is the seller's exposure, so it
 * plays the part an amount plays in money families. At the high mark the problem is urgent and on-call.
 */
export const AFFECTED_ORDERS = { medium: 10, high: 100 } as const;
/** Prior integration cases in 90 days that make the next one high risk: the fix did not hold. */
export const REPEAT_PROBLEMS = 3;

/**
 * Risk from the orders affected, repeat problems and tier. A failed sign-in is urgent whatever the count:
 * it stops every call the integration makes.
 */
export const triageIntegrationProblem = (
  intake: IntegrationProblemIntake,
  history: SellerHistory,
  tier: SellerTier,
): TriageFacts => {
  const risk = riskFrom({
    amount: intake.affectedOrders,
    thresholds: AFFECTED_ORDERS,
    priorCases90d: history.priorCases90d,
    repeatAt: REPEAT_PROBLEMS,
    tier,
  });
  return {
    family: 'integration-problem',
    reason: intake.reason,
    region: intake.region,
    tier,
    priorCases90d: history.priorCases90d,
    risk,
    urgency: urgencyFrom(
      risk,
      intake.reason === 'auth_failure' || intake.affectedOrders >= AFFECTED_ORDERS.high,
    ),
    signals: { affectedOrders: intake.affectedOrders, integrationName: intake.integrationName },
  };
};
