import { z } from 'zod';
import { REGIONS, SELLER_TIERS } from '#policy/family-policy.ts';

/**
 * The fields every handoff carries, whatever the family and team: what happened, why it matters, what
 * has been checked, and what the receiving team must do (seed 000, 3.3). The family adds its own details,
 * validated against the receiving team's contract.
 */
export const commonHandoff = z
  .object({
    caseId: z.string().min(1),
    family: z.string().min(1),
    team: z.string().min(1),
    reason: z.string().min(1),
    region: z.enum(REGIONS),
    sellerTier: z.enum(SELLER_TIERS),
    risk: z.enum(['low', 'medium', 'high']),
    urgency: z.enum(['normal', 'high']),
    priorCases90d: z.number().int().nonnegative(),
    signals: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    evidenceReceived: z.array(z.string()),
    evidenceMissing: z.array(z.string()),
    routing: z.object({ ruleId: z.string(), reason: z.string() }),
    allowedOutcomes: z.array(z.string()).min(1),
    /** Set on an appeal: the decision under appeal; its decider may not decide again. */
    appealOf: z.object({ outcome: z.string(), decidedBy: z.string(), decidedAt: z.string() }).optional(),
    details: z.record(z.string(), z.unknown()),
  })
  .strict();

export type HandoffPayload = z.infer<typeof commonHandoff>;
