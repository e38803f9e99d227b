import type { BaseIntake, Family, Outcome } from '#policy/family-policy.ts';

/** The outcomes a deciding team may record: all of the family's, except the one only mediation reaches. */
export const teamOutcomes = (family: Family<BaseIntake>): readonly Outcome[] =>
  family.outcomes.filter((o) => o.id !== family.mediation?.outcome);
