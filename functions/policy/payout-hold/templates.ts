import type { FamilyTemplates } from '../family-policy.ts';
import { standardTemplates } from '../standard-templates.ts';

/**
 * Payout-hold messages: the standard set in payout words. The first response goes out without an evidence
 * request only when the intake already carries all a hold needs, so it tells the seller that the team able
 * to release the payout has the case and nothing more is needed from them.
 */
export const payoutHoldTemplates: FamilyTemplates = standardTemplates({
  familyId: 'payout-hold',
  owner: 'payments-policy@sellerworks.example',
  reviewBy: '2027-04-30',
  policy: {
    acknowledgement: 'PH-POL-1.1 Payout holds: acknowledgement',
    evidence: 'PH-POL-2.1 Payout holds: verification and supporting documents',
    decision: 'PH-POL-3.1 Payout holds: decisions',
    appeal: 'PH-POL-4.1 Payout holds: appeals',
  },
  topic: (subject) => `the hold on ${subject}`,
  nextAfterFirstResponse:
    'we have what we need, so the hold is now with the team that can release the payout. Nothing is needed from you; we will email you the decision.',
});
