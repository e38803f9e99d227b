import { z } from 'zod';
import type { ShippingExceptionIntake } from './intake.ts';

const shipment = {
  orderId: z.string().min(1),
  carrier: z.string().min(1),
  trackingNumber: z.string().min(4),
  shippedAt: z.iso.date(),
  carrierClaimReference: z.string().min(1).optional(),
};

/**
 * What carrier relations and shipping support need beyond the common handoff: the order and the parcel as
 * the carrier knows it, and the declared value when there is one.
 */
export const shipmentContract = z
  .object({
    ...shipment,
    amount: z.number().positive().optional(),
    currency: z.string().length(3).optional(),
  })
  .strict();

/** The claims team files against the carrier for the declared value, so it cannot take a case without one. */
export const claimsContract = z
  .object({
    ...shipment,
    amount: z.number().positive(),
    currency: z.string().length(3),
  })
  .strict();

/** Contract per receiving team (every team shipping-exception routing can choose). */
export const shippingExceptionContracts = {
  'shipping-claims': claimsContract,
  'carrier-relations': shipmentContract,
  'shipping-support': shipmentContract,
} as const;

export const shippingExceptionHandoffDetails = (intake: ShippingExceptionIntake) => ({
  orderId: intake.orderId,
  carrier: intake.carrier,
  trackingNumber: intake.trackingNumber,
  shippedAt: intake.shippedAt,
  ...(intake.amount !== undefined && intake.currency !== undefined
    ? { amount: intake.amount, currency: intake.currency }
    : {}),
  ...(intake.carrierClaimReference ? { carrierClaimReference: intake.carrierClaimReference } : {}),
});
