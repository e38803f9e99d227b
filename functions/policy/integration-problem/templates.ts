import type { FamilyTemplates } from '../family-policy.ts';
import { standardTemplates } from '../standard-templates.ts';

/** Integration problems are decided the same way in every region, so there are no regional variants. */
export const integrationProblemTemplates: FamilyTemplates = standardTemplates({
  familyId: 'integration-problem',
  owner: 'developer-support@sellerworks.example',
  reviewBy: '2027-01-31',
  policy: {
    acknowledgement: 'IP-POL-1.1 Integration problems: acknowledgement',
    evidence: 'IP-POL-2.1 Integration problems: logs and files engineering needs',
    decision: 'IP-POL-4.1 Integration problems: resolutions',
    appeal: 'IP-POL-5.1 Integration problems: reopening and review',
  },
  topic: (subject) => `the integration problem with ${subject}`,
  nextAfterFirstResponse:
    'your reproduction steps go to our engineers. Nothing more is needed from you for now; we will email you when it is fixed or if we find a workaround.',
});
