import type { EvidenceItemSpec } from '#policy/family-policy.ts';
import type { EvidenceRecord } from './case.ts';

export interface EvidenceStatus {
  readonly required: readonly EvidenceItemSpec[];
  readonly received: readonly string[];
  readonly missing: readonly EvidenceItemSpec[];
}

/** What the evidence contract requires for a claim reason, what has arrived, and what is still missing. */
export const evidenceStatus = (
  contract: readonly EvidenceItemSpec[],
  reason: string,
  records: readonly EvidenceRecord[],
): EvidenceStatus => {
  const required = contract.filter((item) => item.requiredFor.includes(reason));
  const received = [...new Set(records.flatMap((r) => r.kinds))];
  return { required, received, missing: required.filter((item) => !received.includes(item.kind)) };
};

/** The missing items a given party must provide (the seller's list goes into the evidence request). */
export const missingFrom = (status: EvidenceStatus, provider: EvidenceItemSpec['provider']) =>
  status.missing.filter((item) => item.provider === provider);
