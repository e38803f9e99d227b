import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { HttpError } from '#commons/errors.ts';
import { startExecution } from '#gateways/workflow.ts';
import type { FamilyId } from '#state-machines/catalog.ts';

const stateMachineArns = JSON.parse(requireEnv(ENV.stateMachineArns)) as Record<FamilyId, string>;

export type Entry = 'intake' | 'appeal' | 'reopen';

/**
 * Starts (or re-enters) a case's workflow. Executions are named after the case and the entry
 * (`<caseId>`, `<caseId>-appeal-1`, …), so a retried request starts nothing new: an existing execution of
 * that name is this very run, started already and maybe finished.
 */
export const startWorkflow = async (
  caseId: string,
  family: FamilyId,
  entry: Entry = 'intake',
  ordinal = 0,
): Promise<void> => {
  const name = entry === 'intake' ? caseId : `${caseId}-${entry}-${ordinal}`;
  try {
    await startExecution(stateMachineArns[family], name, {
      caseId,
      family,
      ...(entry === 'intake' ? {} : { entry }),
    });
  } catch (error) {
    throw new HttpError(
      503,
      'unavailable',
      'the request is stored but its workflow did not start; send the same request again (with the same Idempotency-Key, for a new case)',
      [],
      { cause: error, expose: true },
    );
  }
};
