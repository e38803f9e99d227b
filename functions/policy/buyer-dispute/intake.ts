import { z } from 'zod';
import { REGIONS } from '../family-policy.ts';
import { channel, money, sellerEmail } from '../intake-fields.ts';

export const BUYER_DISPUTE_REASONS = ['item_defective', 'not_as_described', 'not_received'] as const;
export type BuyerDisputeReason = (typeof BUYER_DISPUTE_REASONS)[number];

/** What a seller portal sends to open a buyer-dispute case (`POST /cases`). */
export const buyerDisputeIntake = z
  .object({
    family: z.literal('buyer-dispute'),
    orderId: z.string().trim().min(1).max(64),
    reason: z.enum(BUYER_DISPUTE_REASONS),
    buyerStatement: z.string().trim().min(1).max(5000),
    ...money,
    region: z.enum(REGIONS),
    sellerEmail,
    channel,
    buyerEmail: z.email().max(254),
    trackingNumber: z.string().trim().min(4).max(64).optional(),
  })
  .strict();

export type BuyerDisputeIntake = z.infer<typeof buyerDisputeIntake>;
