import type { Outcome } from '../family-policy.ts';

/** The decisions the identity teams may record on a recovery request; each names the policy it rests on. */
export const accountRecoveryOutcomes: readonly Outcome[] = [
  {
    id: 'recovered',
    label: 'Access recovered',
    sellerSummary:
      'You can sign in to the account again. Review its contact details, payout details and recent activity, and turn on two-step sign-in if it is off.',
    policyRef: 'AR-POL-3.2 Account recovery: restoring access',
  },
  {
    id: 'retired',
    label: 'Account retired',
    sellerSummary:
      'The account is closed for good and cannot be recovered. Any remaining balance is paid out to the verified bank account once open orders and disputes are settled.',
    policyRef: 'AR-POL-3.3 Account recovery: retiring an account',
  },
  {
    id: 'verification_failed',
    label: 'Verification failed',
    sellerSummary:
      'We could not confirm that you are the account holder, so the account stays locked. You can appeal with further identity or business documents.',
    policyRef: 'AR-POL-3.4 Account recovery: failed verification',
  },
];
