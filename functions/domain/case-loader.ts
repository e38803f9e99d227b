import { DomainRuleError } from '#commons/errors.ts';
import { familyOf } from '#policy/families.ts';
import type { BaseIntake, Family } from '#policy/family-policy.ts';
import { type CaseBundle, getCaseBundle } from './case-store.ts';

export interface LoadedCase extends CaseBundle {
  readonly family: Family<BaseIntake>;
  /** The intake, re-validated against the family's schema (state data is an input like any other). */
  readonly intake: BaseIntake;
}

/** Loads a case with its family policy; a step on a case that does not exist is a hard failure. */
export const loadCase = async (caseId: string): Promise<LoadedCase> => {
  const bundle = await getCaseBundle(caseId);
  if (!bundle) throw new DomainRuleError(`case ${caseId} does not exist`);
  const family = familyOf(bundle.record.family);
  const intake = family.intake.parse(bundle.record.intake);
  return { ...bundle, family, intake };
};
