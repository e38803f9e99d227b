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
    /** Absent for a decision the workflow's policy makes (closing for no response): it is made when recorded. */
    decidedAt: z.iso.datetime().optional(),
    via: z.enum(['team', 'mediation', 'policy']).default('team'),
  })
  .strict();

export type DecisionInput = z.input<typeof decisionSchema>;
