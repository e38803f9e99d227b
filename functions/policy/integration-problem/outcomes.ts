import type { Outcome } from '../family-policy.ts';

/** The decisions engineering may record; each names the policy it rests on. */
export const integrationProblemOutcomes: readonly Outcome[] = [
  {
    id: 'fixed',
    label: 'Fixed',
    sellerSummary:
      'We fixed the problem on our side. Your integration works again without changes; retry anything that failed.',
    policyRef: 'IP-POL-4.2 Integration problems: platform fix',
  },
  {
    id: 'workaround_provided',
    label: 'Workaround provided',
    sellerSummary:
      'A permanent fix is still in progress; the workaround below keeps your integration running until then. We will tell you when the fix ships.',
    policyRef: 'IP-POL-4.3 Integration problems: workaround',
  },
  {
    id: 'not_a_platform_issue',
    label: 'Not a platform issue',
    sellerSummary:
      'Our platform behaved as documented. The reasons below point to the change needed in your integration or its provider.',
    policyRef: 'IP-POL-4.4 Integration problems: outside the platform',
  },
];
