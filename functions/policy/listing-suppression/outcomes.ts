import type { Outcome } from '../family-policy.ts';

/** The decisions a suppression's owner may record; each names the policy it rests on. */
export const listingSuppressionOutcomes: readonly Outcome[] = [
  {
    id: 'listing_reinstated',
    label: 'Listing reinstated',
    sellerSummary: 'Your listing is visible to buyers again. You do not need to change anything.',
    policyRef: 'LS-POL-4.2 Listing suppression: reinstatement',
  },
  {
    id: 'listing_removed',
    label: 'Listing removed',
    sellerSummary:
      'The listing stays off the marketplace because it does not meet our policy. Do not list the same product again without the changes or documents named below.',
    policyRef: 'LS-POL-4.3 Listing suppression: removal',
  },
  {
    id: 'data_corrected',
    label: 'Product data corrected',
    sellerSummary:
      'We corrected the product data that caused the suppression; the affected listings are visible again.',
    policyRef: 'LS-POL-4.4 Listing suppression: product data correction',
  },
];
