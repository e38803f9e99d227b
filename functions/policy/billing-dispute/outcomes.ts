import type { Outcome } from '../family-policy.ts';

/** The decisions finance may record on a billing dispute; each names the policy it rests on. */
export const billingDisputeOutcomes: readonly Outcome[] = [
  {
    id: 'refunded',
    label: 'Refunded',
    sellerSummary:
      'The disputed amount is refunded to your seller balance and paid out with your next payout.',
    policyRef: 'BL-POL-3.2 Billing disputes: refunds',
  },
  {
    id: 'charge_upheld',
    label: 'Charge upheld',
    sellerSummary:
      'We checked the charge and it is correct, so it stands. The decision explains how it was calculated.',
    policyRef: 'BL-POL-3.3 Billing disputes: charges upheld',
  },
  {
    id: 'chargeback_contested',
    label: 'Chargeback contested',
    sellerSummary:
      "We sent your evidence to the card network to contest the chargeback. The buyer's bank now decides; that can take several weeks, and we will email you its decision.",
    policyRef: 'BL-POL-3.4 Billing disputes: contesting chargebacks',
  },
];
