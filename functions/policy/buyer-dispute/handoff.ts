import { z } from 'zod';
import { REGIONS, SELLER_TIERS } from '../family-policy.ts';
import { BUYER_DISPUTE_REASONS } from './intake.ts';

/**
 * The payload the disputes team receives. A handoff is refused unless it validates: the team must never
 * get a case without the facts and evidence its decision rests on.
 */
export const buyerDisputeHandoff = z
  .object({
    caseId: z.string().min(1),
    family: z.literal('buyer-dispute'),
    team: z.string().min(1),
    orderId: z.string().min(1),
    reason: z.enum(BUYER_DISPUTE_REASONS),
    amount: z.number().positive(),
    currency: z.string().length(3),
    region: z.enum(REGIONS),
    sellerTier: z.enum(SELLER_TIERS),
    priorCases90d: z.number().int().nonnegative(),
    risk: z.enum(['low', 'medium', 'high']),
    urgency: z.enum(['normal', 'high']),
    buyerStatement: z.string().min(1),
    evidenceReceived: z.array(z.string()),
    evidenceMissing: z.array(z.string()),
    routing: z.object({ ruleId: z.string(), reason: z.string() }),
    allowedOutcomes: z.array(z.string()).min(1),
  })
  .strict();

export type BuyerDisputeHandoff = z.infer<typeof buyerDisputeHandoff>;
