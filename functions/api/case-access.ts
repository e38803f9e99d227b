import { notFound } from '#commons/errors.ts';
import type { Principal } from '#commons/http/principal.ts';
import type { CaseRecord } from '#domain/case.ts';
import { logCaseKeys } from '#domain/case-loader.ts';
import { getCase } from '#domain/case-store.ts';

/** The case if this principal may act on it: its own seller, or ops. Anything else does not exist (404). */
export const caseFor = async (principal: Principal, caseId: string): Promise<CaseRecord> => {
  const record = await getCase(caseId);
  if (!record || (principal.kind === 'seller' && record.sellerId !== principal.sellerId)) {
    throw notFound(`no case ${caseId}`);
  }
  // Only once the caller may see the case: its correlation id goes back in the response's header.
  logCaseKeys(record);
  return record;
};
