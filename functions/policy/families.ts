import { FAMILY_IDS, type FamilyId } from '#state-machines/catalog.ts';
import { buyerDispute } from './buyer-dispute/index.ts';
import type { BaseIntake, Family } from './family-policy.ts';

/** Every family's policy, by id. Adding a family is adding an entry here and its folder. */
export const FAMILIES: Readonly<Record<FamilyId, Family<BaseIntake>>> = {
  'buyer-dispute': buyerDispute as unknown as Family<BaseIntake>,
};

export const isFamilyId = (value: unknown): value is FamilyId =>
  typeof value === 'string' && (FAMILY_IDS as readonly string[]).includes(value);

export const familyOf = (id: FamilyId): Family<BaseIntake> => FAMILIES[id];
