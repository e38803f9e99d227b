import { z } from 'zod';

/**
 * A decision as it travels to the Resolve step through a task token: from the deciding team
 * (`POST /ops/cases/{id}/decision`) or from the seller accepting a mediation offer.
 */
export const decisionSchema = z
  .object({
    outcome: z.string().min(1).max(64),
    rationale: z.string().trim().min(1).max(2000),
    decidedBy: z.string().min(1),
    decidedAt: z.iso.datetime(),
    via: z.enum(['team', 'mediation']).default('team'),
  })
  .strict();

export type DecisionInput = z.input<typeof decisionSchema>;
