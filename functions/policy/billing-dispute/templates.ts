import type { FamilyTemplates } from '../family-policy.ts';
import { standardTemplates } from '../standard-templates.ts';

/** Billing-dispute messages: the standard set, naming the payment so the seller can match it to their books. */
export const billingDisputeTemplates: FamilyTemplates = standardTemplates({
  familyId: 'billing-dispute',
  owner: 'finance-policy@sellerworks.example',
  reviewBy: '2027-03-31',
  policy: {
    acknowledgement: 'BL-POL-1.1 Billing disputes: acknowledgement',
    evidence: 'BL-POL-2.1 Billing disputes: supporting documents',
    decision: 'BL-POL-3.1 Billing disputes: decisions',
    appeal: 'BL-POL-4.1 Billing disputes: appeals',
  },
  topic: (subject) => `the billing dispute about ${subject}`,
  nextAfterFirstResponse:
    'the case already has the documents finance needs, so it goes to the finance team that decides. Nothing is needed from you; we will email you the decision.',
});
