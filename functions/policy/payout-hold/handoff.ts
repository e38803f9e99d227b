import { z } from 'zod';
import type { PayoutHoldIntake } from './intake.ts';

/**
 * What a team reviewing a payout hold needs beyond the common handoff: which payout, how much, and how
 * long it has been held. The same for every receiving team; the compliance-aware teams open the protected
 * documents from the case, never from this payload.
 */
export const payoutContract = z
  .object({
    payoutId: z.string().min(1),
    amount: z.number().positive(),
    currency: z.string().length(3),
    heldSince: z.iso.date(),
    sellerDetails: z.string().min(1).optional(),
  })
  .strict();

/** Contract per receiving team (every team payout-hold routing can choose). */
export const payoutHoldContracts = {
  'compliance-senior': payoutContract,
  verification: payoutContract,
  'risk-operations': payoutContract,
  'payments-support': payoutContract,
} as const;

export const payoutHoldHandoffDetails = (intake: PayoutHoldIntake) => ({
  payoutId: intake.payoutId,
  amount: intake.amount,
  currency: intake.currency,
  heldSince: intake.heldSince,
  ...(intake.details ? { sellerDetails: intake.details } : {}),
});
