import type { Outcome } from '../family-policy.ts';

/** The decisions the reviewing team may record on a payout hold; each names the policy it rests on. */
export const payoutHoldOutcomes: readonly Outcome[] = [
  {
    id: 'payout_released',
    label: 'Payout released',
    sellerSummary:
      'The hold is lifted and the payout is sent to your bank account with the next payout run. No further action is needed.',
    policyRef: 'PH-POL-3.2 Payout holds: release',
  },
  {
    id: 'hold_extended',
    label: 'Hold extended',
    sellerSummary:
      'The documents we have are not yet enough to release the payout, so the hold stays in place. The decision says what is still missing; send it and we will review the hold again.',
    policyRef: 'PH-POL-3.3 Payout holds: extension while verification is incomplete',
  },
  {
    id: 'funds_returned',
    label: 'Funds returned to buyers',
    sellerSummary:
      'The held funds are paid back to the buyers who paid them, so they will not reach your bank account. Your listings and other payouts are not affected by this decision.',
    policyRef: 'PH-POL-3.4 Payout holds: return of funds to buyers',
  },
];
