import type { Outcome } from '../family-policy.ts';

/** The decisions trust and safety may record on a report; each names the policy it rests on. */
export const counterfeitReportOutcomes: readonly Outcome[] = [
  {
    id: 'cleared',
    label: 'Report cleared',
    sellerSummary:
      'We found the report unfounded. Your listing stays live and the report does not count against you.',
    policyRef: 'CR-POL-4.2 Counterfeit and fraud reports: clearance',
  },
  {
    id: 'listing_removed',
    label: 'Listing removed',
    sellerSummary:
      'The listing is removed and counts as a strike on your account. Do not list the item again unless you can prove it is genuine.',
    policyRef: 'CR-POL-4.3 Counterfeit and fraud reports: listing removal',
  },
  {
    id: 'account_restricted',
    label: 'Account restricted',
    sellerSummary:
      'Your account is restricted: you cannot create or edit listings until the restriction is lifted. The reasons below say what lifts it.',
    policyRef: 'CR-POL-4.4 Counterfeit and fraud reports: account restriction',
  },
];
