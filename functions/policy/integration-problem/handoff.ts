import { z } from 'zod';
import {
  INTEGRATION_PROBLEM_REASONS,
  type IntegrationProblemIntake,
  MIN_REPRODUCTION_STEPS,
} from './intake.ts';

/**
 * What engineering needs to start without a re-investigation (seed 3.3: reproducible steps): what failed,
 * where, when, how to see it again, and how many orders it stops.
 */
export const engineeringContract = z
  .object({
    integrationName: z.string().min(1),
    reason: z.enum(INTEGRATION_PROBLEM_REASONS),
    endpoint: z.string().min(1).optional(),
    errorCode: z.string().min(1),
    occurredAt: z.iso.datetime(),
    affectedOrders: z.number().int().min(0),
    reproductionSteps: z.string().min(MIN_REPRODUCTION_STEPS),
  })
  .strict();

export const integrationProblemContracts = {
  engineering: engineeringContract,
  'engineering-oncall': engineeringContract,
  '*': engineeringContract,
} as const;

/** Both engineering teams get the same reproducible record. */
export const integrationProblemHandoffDetails = (
  intake: IntegrationProblemIntake,
): Record<string, unknown> => ({
  integrationName: intake.integrationName,
  reason: intake.reason,
  ...(intake.endpoint ? { endpoint: intake.endpoint } : {}),
  errorCode: intake.errorCode,
  occurredAt: intake.occurredAt,
  affectedOrders: intake.affectedOrders,
  reproductionSteps: intake.reproductionSteps,
});
