import type { FamilyTemplates } from '../family-policy.ts';
import { standardTemplates } from '../standard-templates.ts';

/**
 * Account-recovery messages: the standard set about "the access request". Recovery mail is what phishing
 * imitates, so no message asks for sign-in secrets of any kind; the family's tests hold every template
 * to that.
 */
export const accountRecoveryTemplates: FamilyTemplates = standardTemplates({
  familyId: 'account-recovery',
  owner: 'identity-policy@sellerworks.example',
  reviewBy: '2027-02-28',
  policy: {
    acknowledgement: 'AR-POL-1.1 Account recovery: acknowledgement',
    evidence: 'AR-POL-2.1 Account recovery: proof of identity',
    decision: 'AR-POL-3.1 Account recovery: decisions',
    appeal: 'AR-POL-4.1 Account recovery: appeals',
  },
  topic: (subject) => `the access request for ${subject}`,
  nextAfterFirstResponse:
    'the team that verifies account holders is reviewing your request with what you sent. Nothing else is needed from you; we will email you the decision at this address.',
});
