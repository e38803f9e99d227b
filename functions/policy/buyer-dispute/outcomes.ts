import type { Outcome } from '../family-policy.ts';

/** The decisions the disputes team may record; each names the policy it rests on. */
export const buyerDisputeOutcomes: readonly Outcome[] = [
  {
    id: 'seller_favoured',
    label: 'Decided in your favour',
    sellerSummary: 'The dispute is closed in your favour. No refund is taken from your payouts.',
    policyRef: 'BD-POL-4.2 Buyer disputes: seller protection',
  },
  {
    id: 'buyer_refunded',
    label: 'Buyer refunded',
    sellerSummary: 'The buyer is refunded in full; the amount is deducted from your next payout.',
    policyRef: 'BD-POL-4.3 Buyer disputes: full refund',
  },
  {
    id: 'partial_refund',
    label: 'Partial refund',
    sellerSummary: 'The buyer receives a partial refund; that amount is deducted from your next payout.',
    policyRef: 'BD-POL-4.4 Buyer disputes: partial refund',
  },
  {
    id: 'mediated_partial_refund',
    label: 'Settled by mediation',
    sellerSummary:
      'You accepted the mediation offer: the buyer receives the agreed partial refund and the case closes without a decision against you.',
    policyRef: 'BD-POL-3.1 Buyer disputes: mediation',
  },
];
