import { defineFamily } from '../define-family.ts';
import { days } from '../standard-policy.ts';
import { evidenceFromReply, shippingExceptionEvidence } from './evidence.ts';
import { shippingExceptionContracts, shippingExceptionHandoffDetails } from './handoff.ts';
import { type ShippingExceptionIntake, shippingExceptionIntake } from './intake.ts';
import { shippingExceptionOutcomes } from './outcomes.ts';
import { shippingExceptionRouting } from './routing.ts';
import { shippingExceptionTemplates } from './templates.ts';
import { triageShippingException } from './triage.ts';

/**
 * A parcel that went wrong between the seller and the buyer: lost, damaged, late, or stuck on an address.
 * The seller sends the carrier's records, then a shipping team claims from the carrier, covers a
 * reshipment, or explains why nothing changes. The evidence wait leaves a week to file a carrier claim.
 */
export const shippingException = defineFamily<ShippingExceptionIntake>({
  id: 'shipping-exception',
  name: 'Shipping exception',
  description: 'A parcel was lost, damaged or delayed in transit, or has an address problem.',
  intake: shippingExceptionIntake,
  reasons: {
    lost_in_transit: 'the parcel was lost on its way to the buyer',
    damaged_in_transit: 'the parcel was damaged on its way to the buyer',
    delayed: 'the parcel is late',
    address_problem: 'the carrier cannot deliver to the address',
  },
  triage: triageShippingException,
  routing: shippingExceptionRouting,
  evidence: shippingExceptionEvidence,
  evidenceAtIntake: (intake) => (intake.carrierClaimReference ? ['carrier_claim_reference'] : []),
  evidenceFromReply,
  outcomes: shippingExceptionOutcomes,
  windows: { appealDays: 14, reopenDays: 30 },
  // Quality reviews: one resolved case in ten.
  review: { sampleShare: 0.1 },
  // Asked once the outcome has had time to show: a replacement or carrier claim takes about a working week.
  followUp: { after: 'P5D' },
  waits: { evidenceSeconds: days(7), decisionSeconds: days(10) },
  sla: {
    new: { firstResponseHours: 24, resolutionHours: 240 },
    standard: { firstResponseHours: 24, resolutionHours: 240 },
    top_rated: { firstResponseHours: 12, resolutionHours: 168 },
  },
  handoff: {
    details: shippingExceptionHandoffDetails,
    contracts: shippingExceptionContracts,
  },
  templates: shippingExceptionTemplates,
  subject: (intake) => `order ${intake.orderId}`,
});
