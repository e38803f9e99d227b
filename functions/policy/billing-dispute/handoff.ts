import { z } from 'zod';
import type { BillingDisputeIntake } from './intake.ts';

/**
 * What a finance team needs beyond the common handoff: the payment reference to find the money movement
 * in the ledger, the amount and the day it was charged, and the network's deadline when there is one.
 */
export const financeContract = z
  .object({
    paymentReference: z.string().min(1),
    amount: z.number().positive(),
    currency: z.string().length(3),
    chargedAt: z.iso.date(),
    evidenceDueBy: z.iso.date().optional(),
  })
  .strict();

/** Contract per receiving team (every team billing-dispute routing can choose). */
export const billingDisputeContracts = {
  'finance-senior': financeContract,
  'finance-chargebacks': financeContract,
  finance: financeContract,
} as const;

export const billingDisputeHandoffDetails = (intake: BillingDisputeIntake) => ({
  paymentReference: intake.paymentReference,
  amount: intake.amount,
  currency: intake.currency,
  chargedAt: intake.chargedAt,
  ...(intake.evidenceDueBy ? { evidenceDueBy: intake.evidenceDueBy } : {}),
});
