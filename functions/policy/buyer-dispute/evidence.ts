import type { EvidenceItemSpec } from '../family-policy.ts';
import { IMAGE, PDF, replyEvidence } from '../standard-policy.ts';

/** The evidence a buyer-dispute decision rests on, from both sides, by claim reason. */
export const buyerDisputeEvidence: readonly EvidenceItemSpec[] = [
  {
    kind: 'item_photos',
    label: 'Photos of the item as you shipped it',
    provider: 'seller',
    requiredFor: ['item_defective', 'not_as_described'],
  },
  {
    kind: 'seller_statement',
    label: 'Your account of the order and the item’s condition',
    provider: 'seller',
    requiredFor: ['item_defective', 'not_as_described'],
  },
  {
    kind: 'shipment_tracking',
    label: 'Shipment tracking number or proof of delivery',
    provider: 'seller',
    requiredFor: ['not_received'],
  },
  {
    kind: 'buyer_statement',
    label: 'The buyer’s description of the problem',
    provider: 'buyer',
    requiredFor: ['item_defective', 'not_as_described', 'not_received'],
  },
  {
    kind: 'buyer_photos',
    label: 'Photos of the item as it arrived',
    provider: 'buyer',
    requiredFor: ['item_defective', 'not_as_described'],
  },
];

const TRACKING = /\btracking\b[^A-Za-z0-9]{0,20}([A-Z0-9]{8,34})\b/i;

/** Which evidence kinds a reply provides, depending on who sent it. */
export const evidenceFromReply = replyEvidence([
  { kind: 'item_photos', party: 'seller', attachment: IMAGE },
  { kind: 'shipment_tracking', party: 'seller', attachment: PDF },
  { kind: 'shipment_tracking', party: 'seller', textMatches: TRACKING },
  { kind: 'seller_statement', party: 'seller', anyText: true },
  { kind: 'buyer_photos', party: 'buyer', attachment: IMAGE },
]);
