import { DomainRuleError } from '#commons/errors.ts';
import type { CaseRecord, CaseStatus } from './case.ts';

/**
 * The case lifecycle: the one module that decides a case's status. Callers say where a case goes with
 * {@link moveTo}; the case store applies the move in the same transaction as the change and its audit
 * events, checking it against the status the case has then (a rebased commit is checked again). Nothing
 * else can put a status into a change: `CasePatch` has no `status`, and a {@link StatusMove} can only be
 * made here.
 *
 *   received ─▶ routed ─▶ awaiting_seller ⇄ under_review ─▶ handed_off ─▶ resolved ─▶ appealed | reopened
 *                                                                                       └──▶ handed_off …
 *   any open status ─▶ failed (a step failed for good; an operator is alerted)
 */

declare const moveBrand: unique symbol;

/** A status change made by {@link moveTo}; the case store applies it. */
export interface StatusMove {
  readonly to: CaseStatus;
  readonly [moveBrand]: true;
}

/** The status a new case is created with. */
export const INITIAL_STATUS: CaseStatus = 'received';

/** Where each status may go. Staying put is allowed where a step can re-enter it (a transfer, a new wait). */
const NEXT: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  received: ['routed', 'failed'],
  routed: ['awaiting_seller', 'under_review', 'handed_off', 'resolved', 'failed'],
  awaiting_seller: ['awaiting_seller', 'under_review', 'handed_off', 'resolved', 'failed'],
  under_review: ['awaiting_seller', 'under_review', 'handed_off', 'resolved', 'failed'],
  // A team's agent may ask the seller for more evidence before deciding (replies.ts).
  handed_off: ['handed_off', 'awaiting_seller', 'under_review', 'resolved', 'failed'],
  resolved: ['appealed', 'reopened'],
  appealed: ['handed_off', 'resolved', 'failed'],
  reopened: ['handed_off', 'resolved', 'failed'],
  failed: [],
};

/** Statuses in which the case still has work ahead (SLA clocks run, timers fire, replies count). */
const OPEN: ReadonlySet<CaseStatus> = new Set([
  'received',
  'routed',
  'awaiting_seller',
  'under_review',
  'handed_off',
  'appealed',
  'reopened',
]);

export const OPEN_STATUSES: readonly CaseStatus[] = [...OPEN];

/** Whether the case still has work ahead of it. */
export const isOpen = (status: CaseStatus): boolean => OPEN.has(status);

/** Whether the case was decided and resolved (an appeal or a reopen may still bring it back). */
export const isResolved = (status: CaseStatus): boolean => status === 'resolved';

/** Whether a case in `from` may move to `to`. */
export const canMove = (from: CaseStatus, to: CaseStatus): boolean => NEXT[from].includes(to);

/** A move of a case to `to`, for a change to commit. */
export const moveTo = (to: CaseStatus): StatusMove => ({ to }) as StatusMove;

/**
 * The status a change leaves the case in: the move's target, checked against the status the case has now.
 * @throws DomainRuleError when the lifecycle does not allow the move (the transaction is not attempted).
 */
export const applyMove = (record: CaseRecord, move: StatusMove | undefined): CaseStatus => {
  if (move === undefined) return record.status;
  if (!canMove(record.status, move.to)) {
    throw new DomainRuleError(`case ${record.caseId} cannot go from ${record.status} to ${move.to}`);
  }
  return move.to;
};
