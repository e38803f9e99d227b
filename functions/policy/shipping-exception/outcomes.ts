import type { Outcome } from '../family-policy.ts';

/** The decisions the shipping teams may record; each names the policy it rests on. */
export const shippingExceptionOutcomes: readonly Outcome[] = [
  {
    id: 'carrier_claim_filed',
    label: 'Claim filed with the carrier',
    sellerSummary:
      'We filed a claim with the carrier for this parcel. Any compensation the carrier pays is credited to your seller balance.',
    policyRef: 'SX-POL-3.2 Shipping exceptions: carrier claims',
  },
  {
    id: 'reshipment_covered',
    label: 'Reshipment covered',
    sellerSummary:
      'Send the order again to the buyer; we cover the cost of the new shipment, credited to your seller balance.',
    policyRef: 'SX-POL-3.3 Shipping exceptions: covered reshipment',
  },
  {
    id: 'no_action',
    label: 'No action needed',
    sellerSummary:
      'The parcel is on its way or was delivered, or the problem is outside what we cover, so nothing changes on your account. The decision explains why.',
    policyRef: 'SX-POL-3.4 Shipping exceptions: no action',
  },
];
