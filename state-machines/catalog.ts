/** The issue families SellerWorks runs, one state machine each. Issue 3 adds the rest of the taxonomy. */
export const FAMILY_IDS = ['buyer-dispute'] as const;
export type FamilyId = (typeof FAMILY_IDS)[number];

/** Where a family's emitted ASL lives, relative to the repository root. */
export const aslPath = (family: FamilyId): string => `state-machines/asl/${family}.asl.json`;
