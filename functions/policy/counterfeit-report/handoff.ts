import { z } from 'zod';
import type { TriageFacts } from '../family-policy.ts';
import { COUNTERFEIT_REPORT_REASONS, type CounterfeitReportIntake, REPORTERS } from './intake.ts';

/**
 * What trust and safety need to decide a report without re-investigating: the listing, the allegation and
 * who made it, and the seller's strikes in the past year (the fact that decides senior review).
 */
export const trustAndSafetyContract = z
  .object({
    listingId: z.string().min(1),
    reason: z.enum(COUNTERFEIT_REPORT_REASONS),
    reportedBy: z.enum(REPORTERS),
    claimDetails: z.string().min(1),
    priorStrikes: z.number().int().min(0),
  })
  .strict();

export const counterfeitReportContracts = {
  'trust-and-safety': trustAndSafetyContract,
  'trust-and-safety-senior': trustAndSafetyContract,
  '*': trustAndSafetyContract,
} as const;

/**
 * The payload for trust and safety. Strikes come from triage, not the intake, so they are read from
 * `facts`: without them the handoff fails its contract rather than telling the team "no strikes".
 */
export const counterfeitReportHandoffDetails = (
  intake: CounterfeitReportIntake,
  _team: string,
  facts?: TriageFacts,
): Record<string, unknown> => {
  const priorStrikes = facts?.signals.priorStrikes;
  return {
    listingId: intake.listingId,
    reason: intake.reason,
    reportedBy: intake.reportedBy,
    claimDetails: intake.claimDetails,
    ...(typeof priorStrikes === 'number' ? { priorStrikes } : {}),
  };
};
