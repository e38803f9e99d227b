import { DomainRuleError } from '#commons/errors.ts';
import { appendLogKeys } from '#commons/logging.ts';
import { familyOf } from '#policy/families.ts';
import type { BaseIntake, Family } from '#policy/family-policy.ts';
import { type CaseBundle, getCaseBundle } from './case-store.ts';

export interface LoadedCase extends CaseBundle {
  readonly family: Family<BaseIntake>;
  /** The intake, re-validated against the family's schema (state data is an input like any other). */
  readonly intake: BaseIntake;
}

/**
 * Loads a case with its family policy; a step on a case that does not exist is a hard failure. Every step,
 * timer and email handler loads its case here, so this is where their log lines learn the case's family
 * and the correlation id its intake request left on it.
 */
export const loadCase = async (caseId: string): Promise<LoadedCase> => {
  const bundle = await getCaseBundle(caseId);
  if (!bundle) throw new DomainRuleError(`case ${caseId} does not exist`);
  appendLogKeys({ caseId, family: bundle.record.family, correlationId: bundle.record.correlationId });
  const family = familyOf(bundle.record.family);
  const intake = family.intake.parse(bundle.record.intake);
  return { ...bundle, family, intake };
};
