import { z } from 'zod';
import type { BuyerDisputeIntake } from './intake.ts';

/** What the disputes teams need beyond the common handoff: the order, the money and both sides' words. */
export const disputesContract = z
  .object({
    orderId: z.string().min(1),
    amount: z.number().positive(),
    currency: z.string().length(3),
    buyerStatement: z.string().min(1),
    trackingNumber: z.string().optional(),
  })
  .strict();

export const buyerDisputeHandoffDetails = (intake: BuyerDisputeIntake) => ({
  orderId: intake.orderId,
  amount: intake.amount,
  currency: intake.currency,
  buyerStatement: intake.buyerStatement,
  ...(intake.trackingNumber ? { trackingNumber: intake.trackingNumber } : {}),
});
