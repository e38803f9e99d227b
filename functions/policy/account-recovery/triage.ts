import type { SellerHistory, SellerTier, TriageFacts } from '../family-policy.ts';
import { riskFrom, urgencyFrom } from '../standard-policy.ts';
import type { AccountRecoveryIntake } from './intake.ts';

/** Prior recovery requests in 90 days that make the next one high risk (a pattern of takeover attempts). */
export const REPEAT_REQUESTS = 2;

/** Whether the request comes from the address the account already trusts. */
export const requesterIsContactOnFile = (intake: AccountRecoveryIntake): boolean =>
  intake.sellerEmail.trim().toLowerCase() === intake.contactEmailOnFile.trim().toLowerCase();

/**
 * A compromised account is high risk and urgent: someone else may be changing payout details or listings
 * right now. Repeated requests are high risk too. There is no amount: risk rests on the reason, history
 * and tier. Whether the requester writes from the address on file is recorded for the reviewer.
 */
export const triageAccountRecovery = (
  intake: AccountRecoveryIntake,
  history: SellerHistory,
  tier: SellerTier,
): TriageFacts => {
  const compromised = intake.reason === 'compromised_account';
  const risk = riskFrom({
    priorCases90d: history.priorCases90d,
    repeatAt: REPEAT_REQUESTS,
    tier,
    forceHigh: compromised,
  });
  return {
    family: 'account-recovery',
    reason: intake.reason,
    region: intake.region,
    tier,
    priorCases90d: history.priorCases90d,
    risk,
    urgency: urgencyFrom(risk, compromised),
    signals: {
      requesterIsContactOnFile: requesterIsContactOnFile(intake),
      hasLastSuccessfulLogin: intake.lastSuccessfulLoginAt !== undefined,
    },
  };
};
