import type { SellerHistory, SellerTier, TriageFacts } from '../family-policy.ts';
import { riskFrom, urgencyFrom } from '../standard-policy.ts';
import type { CounterfeitReportIntake } from './intake.ts';

/**
 * Prior counterfeit reports in a year at which a seller has a pattern: the next report is high risk and
 * goes to senior trust and safety. Counted over 365 days because counterfeit stock resurfaces slowly.
 */
export const SENIOR_STRIKES = 2;

/**
 * A fraud allegation or a pattern of strikes is high risk. A rights owner's notice is urgent whatever the
 * risk: notice-and-action rules expect the marketplace to act on it expeditiously.
 */
export const triageCounterfeitReport = (
  intake: CounterfeitReportIntake,
  history: SellerHistory,
  tier: SellerTier,
): TriageFacts => {
  const priorStrikes = history.priorCases365d;
  const risk = riskFrom({
    priorCases90d: history.priorCases90d,
    repeatAt: SENIOR_STRIKES,
    tier,
    forceHigh: priorStrikes >= SENIOR_STRIKES || intake.reason === 'fraud_allegation',
  });
  return {
    family: 'counterfeit-report',
    reason: intake.reason,
    region: intake.region,
    tier,
    priorCases90d: history.priorCases90d,
    risk,
    urgency: urgencyFrom(risk, intake.reason === 'rights_owner_notice'),
    signals: { priorStrikes, reportedBy: intake.reportedBy },
  };
};
