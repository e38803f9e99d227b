import { DomainRuleError } from '#commons/errors.ts';
import { appendLogKeys } from '#commons/logging.ts';
import { familyOf } from '#policy/families.ts';
import type { BaseIntake, Family } from '#policy/family-policy.ts';
import type { CaseRecord } from './case.ts';
import { type CaseBundle, getCaseBundle } from './case-store.ts';

/**
 * Puts the case's keys on the current invocation's log lines: its family, and the correlation id its intake
 * request left on it, so a later request, step, email or timer of the case logs the same id.
 */
export const logCaseKeys = (record: Pick<CaseRecord, 'caseId' | 'family' | 'correlationId'> | undefined) => {
  if (record) {
    appendLogKeys({ caseId: record.caseId, family: record.family, correlationId: record.correlationId });
  }
};

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
  logCaseKeys(bundle.record);
  const family = familyOf(bundle.record.family);
  const intake = family.intake.parse(bundle.record.intake);
  return { ...bundle, family, intake };
};
