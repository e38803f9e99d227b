// Emitted by `npm run emit` from the registry's keys (functions/policy/families.ts); do not edit.
export const FAMILY_IDS = [
  'payout-hold',
  'buyer-dispute',
  'billing-dispute',
  'shipping-exception',
  'listing-suppression',
  'counterfeit-report',
  'policy-appeal',
  'account-recovery',
  'integration-problem',
] as const;
