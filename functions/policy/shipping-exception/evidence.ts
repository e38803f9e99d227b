import type { EvidenceItemSpec } from '../family-policy.ts';
import { IMAGE, PDF, replyEvidence } from '../standard-policy.ts';

/**
 * What a shipping-exception decision rests on, by reason. Every carrier claim starts from the proof the
 * carrier took the parcel; damage is judged on photos of the item and its packaging; and a lost or damaged
 * parcel needs the seller's own claim with the carrier, because the seller is the carrier's customer.
 */
export const shippingExceptionEvidence: readonly EvidenceItemSpec[] = [
  {
    kind: 'carrier_receipt',
    label: 'The carrier’s receipt or the shipping label for this parcel',
    provider: 'seller',
    requiredFor: ['lost_in_transit', 'damaged_in_transit', 'delayed', 'address_problem'],
  },
  {
    kind: 'damage_photos',
    label: 'Photos of the damaged item and of its packaging (photos the buyer sent you are fine)',
    provider: 'seller',
    requiredFor: ['damaged_in_transit'],
  },
  {
    kind: 'carrier_claim_reference',
    label: 'The reference of the claim you filed with the carrier',
    provider: 'seller',
    requiredFor: ['lost_in_transit', 'damaged_in_transit'],
  },
];

/** "claim reference: CLM-2026-55812", "claim #55812339": a claim word, then a reference with a digit in it. */
const CLAIM_REFERENCE =
  /\bclaim(?:\s+(?:reference|ref|number|no|id))?\.?[\s:#-]{1,5}(?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{4,39}\b/i;

/**
 * Which evidence kinds a reply provides: a PDF is the carrier's receipt or label (carriers issue them as
 * PDFs), photos are of the damage, and a claim reference in the text is the carrier claim.
 */
export const evidenceFromReply = replyEvidence([
  { kind: 'carrier_receipt', party: 'seller', attachment: PDF },
  { kind: 'damage_photos', party: 'seller', attachment: IMAGE },
  { kind: 'carrier_claim_reference', party: 'seller', textMatches: CLAIM_REFERENCE },
]);
