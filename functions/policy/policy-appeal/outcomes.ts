import type { Outcome } from '../family-policy.ts';

/** The decisions an appeal reviewer may record; each names the policy it rests on. */
export const policyAppealOutcomes: readonly Outcome[] = [
  {
    id: 'decision_reversed',
    label: 'Decision reversed',
    sellerSummary:
      'We reversed the original decision: what it restricted is restored, and it no longer counts against your account.',
    policyRef: 'PA-POL-4.2 Policy appeals: reversal',
  },
  {
    id: 'decision_upheld',
    label: 'Decision upheld',
    sellerSummary:
      'The original decision stands. The reasons below say what would need to change for a new review.',
    policyRef: 'PA-POL-4.3 Policy appeals: decision upheld',
  },
  {
    id: 'partially_reversed',
    label: 'Decision partly reversed',
    sellerSummary:
      'We reversed part of the original decision; the reasons below say what is restored and what still applies.',
    policyRef: 'PA-POL-4.4 Policy appeals: partial reversal',
  },
];
