import { z } from 'zod';
import { REGIONS } from '../family-policy.ts';
import { channel, identifier, money, pastDay, sellerEmail } from '../intake-fields.ts';

export const SHIPPING_EXCEPTION_REASONS = [
  'lost_in_transit',
  'damaged_in_transit',
  'delayed',
  'address_problem',
] as const;
export type ShippingExceptionReason = (typeof SHIPPING_EXCEPTION_REASONS)[number];

/**
 * What a seller portal sends to open a shipping-exception case (`POST /cases`). `amount` and `currency`
 * are the value declared to the carrier, optional because not every shipment declares one, but a value
 * without its currency (or the reverse) means nothing and is refused. A seller who already filed a claim
 * with the carrier gives its reference, which is then evidence the case does not ask for again.
 */
export const shippingExceptionIntake = z
  .object({
    family: z.literal('shipping-exception'),
    orderId: identifier,
    reason: z.enum(SHIPPING_EXCEPTION_REASONS, { error: `one of ${SHIPPING_EXCEPTION_REASONS.join(', ')}` }),
    carrier: z.string().trim().min(1, 'the carrier that took the parcel, e.g. UPS').max(64),
    trackingNumber: z.string().trim().min(4).max(64),
    shippedAt: pastDay('the day the parcel was handed to the carrier, as YYYY-MM-DD'),
    amount: money.amount.optional(),
    currency: money.currency.optional(),
    carrierClaimReference: z.string().trim().min(3).max(64).optional(),
    region: z.enum(REGIONS, { error: `one of ${REGIONS.join(', ')}` }),
    sellerEmail,
    channel,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.amount !== undefined && v.currency === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['currency'],
        message: 'a declared value (amount) needs its currency',
      });
    }
    if (v.currency !== undefined && v.amount === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: 'a currency needs the declared value (amount)',
      });
    }
  });

export type ShippingExceptionIntake = z.infer<typeof shippingExceptionIntake>;
