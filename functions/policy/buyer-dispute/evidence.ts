import type { EvidenceItemSpec, ReplyContent } from '../family-policy.ts';

/** The evidence a buyer-dispute decision rests on, by claim reason. */
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
];

const TRACKING = /\btracking\b[^A-Za-z0-9]{0,20}([A-Z0-9]{8,34})\b/i;

/** Which evidence kinds a seller's reply provides. */
export const evidenceFromReply = (reply: ReplyContent): string[] => {
  const kinds = new Set<string>();
  if (reply.attachments.some((a) => a.contentType.startsWith('image/'))) kinds.add('item_photos');
  if (reply.attachments.some((a) => a.contentType === 'application/pdf') || TRACKING.test(reply.text)) {
    kinds.add('shipment_tracking');
  }
  if (reply.text.trim().length > 0) kinds.add('seller_statement');
  return [...kinds];
};
