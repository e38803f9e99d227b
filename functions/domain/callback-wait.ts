import type { CaseRecord } from './case.ts';
import { type Change, TransactionRefused, waitItem, waitRecorded } from './case-store.ts';
import { commitAndDispatch } from './outbox-dispatch.ts';

/**
 * Callback steps (`.waitForTaskToken`: RequestEvidence, OfferMediation, HandOff) record their wait with the
 * task token it ends on. The engine may invoke a step again with the same task token when it cannot know
 * whether the first invocation completed (a crash); the step must then change and send nothing. A wait item
 * keyed by the task token (table-design.ts) is written in the transaction that records the wait: its
 * presence says the wait is recorded, and its condition stops two concurrent invocations both recording it.
 * A different task token (a restarted workflow, an escalation loop re-entering HandOff) is a new wait.
 */

export interface WaitFor {
  readonly caseId: string;
  readonly taskToken: string;
  readonly step: 'evidence' | 'decision' | 'mediation';
  /** The wait's hard cap (ISO); the wait item expires a month after it. */
  readonly deadline: string;
}

/** Whether this very task token's wait is already recorded (the step is being re-invoked). */
export const alreadyWaiting = (taskToken: string): Promise<boolean> => waitRecorded(taskToken);

/**
 * Commits the change that records a wait, with its wait item, then sends what it implies. `recorded` when
 * this invocation recorded it; `already-recorded` when another invocation with the same task token did
 * first (nothing of this one was written).
 */
export const commitWait = async (
  current: CaseRecord,
  wait: WaitFor,
  change: Change,
  options: { readonly rebase?: number } = {},
): Promise<'recorded' | 'already-recorded'> => {
  try {
    await commitAndDispatch(
      current,
      { ...change, extra: [waitItem(wait.taskToken, wait), ...(change.extra ?? [])] },
      options,
    );
    return 'recorded';
  } catch (error) {
    if (error instanceof TransactionRefused && error.index === 0) return 'already-recorded';
    throw error;
  }
};
