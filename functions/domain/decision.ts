import { z } from 'zod';

/** A team's decision as it travels from the decision API, through the task token, to the Resolve step. */
export const decisionSchema = z
  .object({
    outcome: z.string().min(1).max(64),
    rationale: z.string().trim().min(1).max(2000),
    decidedBy: z.string().min(1),
    decidedAt: z.iso.datetime(),
  })
  .strict();

export type DecisionInput = z.infer<typeof decisionSchema>;
