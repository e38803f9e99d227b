import { z } from 'zod';
import { REGIONS } from '../family-policy.ts';
import { channel, deadlineDay, identifier, money, pastDay, sellerEmail } from '../intake-fields.ts';

export const BILLING_DISPUTE_REASONS = [
  'chargeback',
  'duplicate_payment',
  'unrecognised_charge',
  'subscription_charge',
] as const;
export type BillingDisputeReason = (typeof BILLING_DISPUTE_REASONS)[number];

/**
 * What a seller portal sends to open a billing-dispute case (`POST /cases`). `paymentReference` is how
 * finance finds the money movement in the ledger, so a case cannot be opened without it.
 *
 * `evidenceDueBy` is the card network's deadline for chargeback evidence, as the payment processor reports
 * it (Stripe: the dispute's `evidence_details.due_by`, a Unix timestamp, sent here as its UTC date). It is
 * absent when the processor gives none (Stripe: null or 0, meaning the bank allows no response); the
 * case is then not racing a network clock.
 */
export const billingDisputeIntake = z
  .object({
    family: z.literal('billing-dispute'),
    paymentReference: identifier,
    reason: z.enum(BILLING_DISPUTE_REASONS, { error: `one of ${BILLING_DISPUTE_REASONS.join(', ')}` }),
    ...money,
    chargedAt: pastDay('the day of the charge, as YYYY-MM-DD'),
    evidenceDueBy: deadlineDay("the card network's evidence deadline, as YYYY-MM-DD").optional(),
    region: z.enum(REGIONS, { error: `one of ${REGIONS.join(', ')}` }),
    sellerEmail,
    channel,
  })
  .strict()
  .refine((v) => v.evidenceDueBy === undefined || v.evidenceDueBy >= v.chargedAt, {
    path: ['evidenceDueBy'],
    error: 'the evidence deadline cannot be before the charge (chargedAt)',
    /** Compare only two valid dates: a malformed one already has its own issue. */
    when: (payload) =>
      !payload.issues.some((i) => i.path?.[0] === 'chargedAt' || i.path?.[0] === 'evidenceDueBy'),
  });

export type BillingDisputeIntake = z.infer<typeof billingDisputeIntake>;
