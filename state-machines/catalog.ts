import { FAMILY_IDS } from './family-ids.ts';

/**
 * The issue families SellerWorks runs, one state machine each (the taxonomy of DESIGN.md and the seeds).
 * The list is the registry's (functions/policy/families.ts), emitted by `npm run emit` so that the code
 * that only needs the ids (metrics, case lists, CDK, the local runtime) loads no policy.
 */
export { FAMILY_IDS };
export type FamilyId = (typeof FAMILY_IDS)[number];

/** Where a family's emitted ASL lives, relative to the repository root. */
export const aslPath = (family: FamilyId): string => `state-machines/asl/${family}.asl.json`;
