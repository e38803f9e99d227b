/** The issue families SellerWorks runs, one state machine each (the taxonomy of DESIGN.md and the seeds). */
export const FAMILY_IDS = [
  'payout-hold',
  'buyer-dispute',
  'billing-dispute',
  'shipping-exception',
  'listing-suppression',
  'counterfeit-report',
  'policy-appeal',
  'account-recovery',
  'integration-problem',
] as const;
export type FamilyId = (typeof FAMILY_IDS)[number];

/** Where a family's emitted ASL lives, relative to the repository root. */
export const aslPath = (family: FamilyId): string => `state-machines/asl/${family}.asl.json`;
