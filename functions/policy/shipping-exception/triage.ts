import type { SellerHistory, SellerTier, TriageFacts } from '../family-policy.ts';
import { riskFrom, urgencyFrom } from '../standard-policy.ts';
import type { ShippingExceptionIntake } from './intake.ts';

/** Declared values (in the declared currency) at which a shipping exception is medium or high risk. */
export const RISK_AMOUNTS = { medium: 250, high: 1000 } as const;
/** Prior shipping exceptions in 90 days that make the next one high risk. */
export const REPEAT_EXCEPTIONS = 4;

/**
 * An address problem is urgent: while the parcel is still moving the carrier can redirect it, later it
 * comes back or is lost. A large declared value or a run of exceptions is high risk. Without a declared
 * value the risk rests on the seller's history and tier alone.
 */
export const triageShippingException = (
  intake: ShippingExceptionIntake,
  history: SellerHistory,
  tier: SellerTier,
): TriageFacts => {
  const risk = riskFrom({
    amount: intake.amount,
    thresholds: RISK_AMOUNTS,
    priorCases90d: history.priorCases90d,
    repeatAt: REPEAT_EXCEPTIONS,
    tier,
  });
  return {
    family: 'shipping-exception',
    reason: intake.reason,
    ...(intake.amount !== undefined && intake.currency !== undefined
      ? { amount: intake.amount, currency: intake.currency }
      : {}),
    region: intake.region,
    tier,
    priorCases90d: history.priorCases90d,
    risk,
    urgency: urgencyFrom(risk, intake.reason === 'address_problem'),
    signals: {
      carrier: intake.carrier,
      shippedAt: intake.shippedAt,
      hasDeclaredValue: intake.amount !== undefined,
      hasCarrierClaim: intake.carrierClaimReference !== undefined,
    },
  };
};
