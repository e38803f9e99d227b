import type { SellerHistory, SellerTier, TriageFacts } from '../family-policy.ts';
import { riskFrom, urgencyFrom } from '../standard-policy.ts';
import type { ListingSuppressionIntake } from './intake.ts';

/**
 * Suppressed listings at which a case is medium or high risk: the count is the seller's exposure (every
 * hidden listing is lost sales), so it plays the part an amount plays in money families. At the high
 * mark a product data defect is systemic, not one bad record, and goes to engineering.
 */
export const AFFECTED_LISTINGS = { medium: 10, high: 50 } as const;
/** Prior suppressions in 90 days that make the next one high risk. */
export const REPEAT_SUPPRESSIONS = 3;

/**
 * Risk from the listings affected, repeat suppressions and tier. Signals carry what the policy
 * specialists and the routing rules need: scale, whether a defect is systemic, and the yearly history.
 */
export const triageListingSuppression = (
  intake: ListingSuppressionIntake,
  history: SellerHistory,
  tier: SellerTier,
): TriageFacts => {
  const risk = riskFrom({
    amount: intake.affectedListings,
    thresholds: AFFECTED_LISTINGS,
    priorCases90d: history.priorCases90d,
    repeatAt: REPEAT_SUPPRESSIONS,
    tier,
  });
  return {
    family: 'listing-suppression',
    reason: intake.reason,
    region: intake.region,
    tier,
    priorCases90d: history.priorCases90d,
    risk,
    urgency: urgencyFrom(risk, false),
    signals: {
      affectedListings: intake.affectedListings,
      systemicDefect:
        intake.reason === 'product_data_defect' && intake.affectedListings >= AFFECTED_LISTINGS.high,
      priorCases365d: history.priorCases365d,
    },
  };
};
