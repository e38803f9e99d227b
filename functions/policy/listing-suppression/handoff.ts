import { z } from 'zod';
import type { TriageFacts } from '../family-policy.ts';
import { LISTING_SUPPRESSION_REASONS, type ListingSuppressionIntake } from './intake.ts';

const nonEmpty = z.string().min(1);

/**
 * Product ops and engineering take a defect only with a reproducible record (seed 8.3): without it they
 * would have to re-investigate the case from scratch.
 */
export const reproducibleRecordContract = z
  .object({
    listingId: nonEmpty,
    attribute: nonEmpty,
    expectedValue: nonEmpty,
    observedValue: nonEmpty,
    stepsToReproduce: nonEmpty,
    affectedListings: z.number().int().min(1),
    suppressedAt: z.iso.datetime(),
  })
  .strict();

/** Policy specialists decide on the listing, the reason and the risk signals triage found. */
export const policySpecialistContract = z
  .object({
    listingId: nonEmpty,
    reason: z.enum(LISTING_SUPPRESSION_REASONS),
    explanation: nonEmpty,
    affectedListings: z.number().int().min(1),
    suppressedAt: z.iso.datetime(),
    risk: z.enum(['low', 'medium', 'high']),
    priorCases90d: z.number().int().min(0),
    priorCases365d: z.number().int().min(0),
  })
  .strict();

export const listingSuppressionContracts = {
  'product-ops': reproducibleRecordContract,
  engineering: reproducibleRecordContract,
  'policy-specialists': policySpecialistContract,
  '*': policySpecialistContract,
} as const;

const DEFECT_TEAMS: readonly string[] = ['product-ops', 'engineering'];

/**
 * The payload for the receiving team. Risk signals come from triage, not the intake, so they are read
 * from `facts`: without them a handoff to the policy specialists fails its contract rather than going
 * out with the seller's history missing or guessed.
 */
export const listingSuppressionHandoffDetails = (
  intake: ListingSuppressionIntake,
  team: string,
  facts?: TriageFacts,
): Record<string, unknown> => {
  if (DEFECT_TEAMS.includes(team)) {
    return {
      listingId: intake.listingId,
      ...(intake.defect ?? {}),
      affectedListings: intake.affectedListings,
      suppressedAt: intake.suppressedAt,
    };
  }
  const yearly = facts?.signals.priorCases365d;
  return {
    listingId: intake.listingId,
    reason: intake.reason,
    explanation: intake.explanation,
    affectedListings: intake.affectedListings,
    suppressedAt: intake.suppressedAt,
    ...(facts ? { risk: facts.risk, priorCases90d: facts.priorCases90d } : {}),
    ...(typeof yearly === 'number' ? { priorCases365d: yearly } : {}),
  };
};
