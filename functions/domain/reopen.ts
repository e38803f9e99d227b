import { nowMs } from '#commons/clock.ts';
import type { BaseIntake, Family } from '#policy/family-policy.ts';
import type { AuditEvent, CaseRecord, EvidenceRecord } from './case.ts';
import type { Change } from './case-store.ts';
import { moveTo } from './lifecycle.ts';
import { startWorkflow } from './workflow.ts';

const DAY_MS = 86_400_000;

/**
 * Reopening a resolved case: the problem came back or was not solved. One use case for both doors — the
 * seller's `POST /cases/{id}/reopen` and a follow-up answered "not handled" (follow-up.ts) — so both count
 * the same, keep the same history, and re-enter the workflow the same way.
 */

/** When the family's reopen window of the case's latest resolution closes (epoch ms). */
export const reopenCloses = (record: CaseRecord, family: Family<BaseIntake>): number =>
  Date.parse(record.decision?.decidedAt ?? record.updatedAt) + family.windows.reopenDays * DAY_MS;

/** Whether the case may be reopened now: resolved, and within its window. */
export const reopenable = (record: CaseRecord, family: Family<BaseIntake>): boolean =>
  record.status === 'resolved' && nowMs() <= reopenCloses(record, family);

/**
 * The change that reopens a case (its status move, count, the seller's statement as evidence, the audit
 * event), for the caller to commit with whatever else it records; then {@link startReopened}.
 */
export const reopenChange = (
  record: CaseRecord,
  sellerId: string,
  statement: string,
  at: string,
  via: 'portal' | 'follow-up' = 'portal',
): {
  readonly reopenCount: number;
  readonly change: Required<Pick<Change, 'move' | 'evidence' | 'events'>> & {
    readonly set: { readonly reopenCount: number };
  };
} => {
  const reopenCount = (record.reopenCount ?? 0) + 1;
  const evidence: EvidenceRecord = {
    evidenceId: `reopen-${reopenCount}`,
    kinds: ['reopen_statement'],
    provider: 'seller',
    source: 'portal',
    receivedAt: at,
    text: statement,
  };
  const event: AuditEvent = {
    type: 'case.reopened',
    actor: { kind: 'seller', id: sellerId },
    detail:
      via === 'follow-up'
        ? `The seller answered the follow-up: not handled; the case is reopened (reopen ${reopenCount})`
        : `The seller reopened the case (reopen ${reopenCount})`,
    data: { reopenCount },
  };
  return {
    reopenCount,
    change: { move: moveTo('reopened'), set: { reopenCount }, evidence: [evidence], events: [event] },
  };
};

/** After the reopen committed: the case re-enters its workflow, back to its owning team. */
export const startReopened = (record: CaseRecord, reopenCount: number): Promise<void> =>
  startWorkflow(record.caseId, record.family, 'reopen', reopenCount);
