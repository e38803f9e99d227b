import { z } from 'zod';
import { REGIONS } from '../family-policy.ts';
import { channel, identifier, money, pastDay, sellerEmail, statement } from '../intake-fields.ts';

export const PAYOUT_HOLD_REASONS = ['verification_required', 'risk_review', 'negative_balance'] as const;
export type PayoutHoldReason = (typeof PAYOUT_HOLD_REASONS)[number];

/**
 * What a seller portal sends to open a payout-hold case (`POST /cases`). `amount` and `currency` are the
 * held payout's, as the payouts page shows them; `heldSince` is the day the hold began, which the team
 * needs to see how long the seller's cash has been tied up.
 */
export const payoutHoldIntake = z
  .object({
    family: z.literal('payout-hold'),
    payoutId: identifier,
    reason: z.enum(PAYOUT_HOLD_REASONS, { error: `one of ${PAYOUT_HOLD_REASONS.join(', ')}` }),
    ...money,
    heldSince: pastDay('the day the hold began, as YYYY-MM-DD'),
    region: z.enum(REGIONS, { error: `one of ${REGIONS.join(', ')}` }),
    sellerEmail,
    channel,
    /** Anything the seller wants the team to know; it counts as their statement. */
    details: statement.optional(),
  })
  .strict();

export type PayoutHoldIntake = z.infer<typeof payoutHoldIntake>;
