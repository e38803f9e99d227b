import type { FamilyTemplates } from '../family-policy.ts';
import { standardTemplates } from '../standard-templates.ts';

/** Shipping-exception messages: the standard set, naming the order the seller ships by. */
export const shippingExceptionTemplates: FamilyTemplates = standardTemplates({
  familyId: 'shipping-exception',
  owner: 'shipping-policy@sellerworks.example',
  reviewBy: '2027-06-30',
  policy: {
    acknowledgement: 'SX-POL-1.1 Shipping exceptions: acknowledgement',
    evidence: 'SX-POL-2.1 Shipping exceptions: shipment records and claims',
    decision: 'SX-POL-3.1 Shipping exceptions: decisions',
    appeal: 'SX-POL-4.1 Shipping exceptions: appeals',
  },
  topic: (subject) => `the shipping problem with ${subject}`,
  nextAfterFirstResponse:
    'the case already has the shipment records it needs, so it goes to the shipping team that handles it, which may contact the carrier. Nothing is needed from you; we will email you the decision.',
});
