import { z } from 'zod';
import { REGIONS } from '../family-policy.ts';
import { channel, sellerEmail } from '../intake-fields.ts';

export const INTEGRATION_PROBLEM_REASONS = [
  'api_error',
  'feed_rejected',
  'webhook_failure',
  'auth_failure',
] as const;
export type IntegrationProblemReason = (typeof INTEGRATION_PROBLEM_REASONS)[number];

/** Fewer characters than this cannot say what was called, with what, and what came back. */
export const MIN_REPRODUCTION_STEPS = 20;

/**
 * What a seller portal sends to open an integration-problem case (`POST /cases`). Engineering needs steps
 * it can reproduce (seed 3.3), so the intake refuses a problem without them instead of asking later.
 */
export const integrationProblemIntake = z
  .object({
    family: z.literal('integration-problem'),
    reason: z.enum(INTEGRATION_PROBLEM_REASONS, {
      message: `one of ${INTEGRATION_PROBLEM_REASONS.join(', ')}`,
    }),
    integrationName: z.string().trim().min(1).max(100),
    endpoint: z.string().trim().min(1).max(500).optional(),
    errorCode: z.string().trim().min(1).max(100),
    occurredAt: z.iso.datetime({ message: 'an ISO 8601 UTC timestamp such as 2026-11-21T03:40:00Z' }),
    affectedOrders: z.number().int('a whole number of orders').min(0).max(10_000_000),
    reproductionSteps: z
      .string()
      .trim()
      .min(
        MIN_REPRODUCTION_STEPS,
        `steps engineering can follow to see the problem happen: at least ${MIN_REPRODUCTION_STEPS} characters`,
      )
      .max(10_000),
    region: z.enum(REGIONS),
    sellerEmail,
    channel,
  })
  .strict();

export type IntegrationProblemIntake = z.infer<typeof integrationProblemIntake>;
