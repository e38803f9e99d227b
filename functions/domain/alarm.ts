import { createHash } from 'node:crypto';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import type { CaseAlarm, CaseStatus, FollowUp } from './case.ts';
import { type OutboxMessage, scheduleRecord } from './outbox.ts';

/**
 * A case's alarm: the one EventBridge schedule an open case holds, set for the earliest of its timers still
 * to fire. Timers themselves are items in the case's partition (timers.ts); none has a schedule of its own.
 * So live schedules never outnumber open cases, and a case that closes deletes its alarm: a resolved case
 * leaves no schedule behind, and the timers it no longer needs cost no invocation.
 *
 * The case store works the alarm out in the transaction of every change (case-store.ts, from the case as it
 * is at that commit, a rebased one included), so two writers can never leave it later than a timer:
 * - a change that arms timers moves the alarm earlier when its earliest timer is due before the alarm, and
 *   deletes the alarm it replaces;
 * - the fire-timer function fires every timer due when the alarm rings, then commits the spent alarm's
 *   successor, for the earliest timer still scheduled (fire-timer.ts);
 * - a change that closes the case (resolved, failed) deletes its alarm. An appeal or a reopen arms new
 *   timers, and with them a new alarm. The one timer a resolved case still fires, its follow-up, holds no
 *   schedule while it waits: it waits in the outbox as a deferred record (follow-up.ts), which creates a
 *   schedule only minutes before it is due.
 * Creating and deleting schedules are outbox records, sent after the commit like any other side effect.
 */

/**
 * A case resolved before follow-ups waited in the outbox holds its alarm for its follow-up until that is
 * asked (stores and stacks from before the change): its commits keep the alarm, for the follow-up's time,
 * rather than delete it as a closed case's, or the follow-up would never be asked.
 */
export const holdsFollowUpAlarm = (
  status: CaseStatus,
  alarm: CaseAlarm | undefined,
  followUp: FollowUp | undefined,
): boolean => status === 'resolved' && followUp?.status === 'scheduled' && alarm !== undefined;

/** What a change says about the alarm; the store decides, against the case as it is at commit. */
export interface AlarmChange {
  /** The earliest due time among the timers the change arms (or, after a firing, still scheduled). */
  readonly earliest?: string | undefined;
  /** The name of the alarm that rang: it is spent, and is replaced rather than kept. */
  readonly fired?: string | undefined;
  /** Set by the fire-timer function: an alarm ringing never replaces another overdue one (no ping-pong). */
  readonly ringing?: boolean | undefined;
  /** The function the schedule invokes (the fire-timer function passes its own ARN; see timers.ts). */
  readonly target?: string | undefined;
}

/** Schedule names: ≤ 64 characters of [0-9a-zA-Z-_.]; unique per case, due time and case version. */
export const alarmNameOf = (caseId: string, at: string, version: number): string =>
  `sw-${createHash('sha256').update(`${caseId}#${at}#${version}`).digest('hex').slice(0, 40)}`;

/** What the fire-timer function is invoked with when a case's alarm rings. */
export interface AlarmInput {
  readonly caseId: string;
  readonly alarm: string;
}

/**
 * The alarm a case has after a change: `undefined` when it stays as it is; otherwise the alarm to store
 * (`null` for none) and the outbox record that creates the new schedule and deletes the one it replaces.
 */
export const alarmAfter = (
  record: { readonly caseId: string; readonly alarm?: CaseAlarm },
  nextVersion: number,
  open: boolean,
  change: AlarmChange | undefined,
  now: string,
): { readonly alarm: CaseAlarm | null; readonly outbox: readonly OutboxMessage[] } | undefined => {
  const current = record.alarm;
  // A rung alarm's schedule deleted itself after invoking (ActionAfterCompletion DELETE).
  const live = current && current.name !== change?.fired ? current : undefined;
  let wanted: CaseAlarm | undefined = live;
  // An alarm past its time is ringing, or rang and failed for good (the console lists failed schedules): a
  // change that arms timers replaces it with one that rings now, so a lost alarm strands no later timer.
  const overdue = live !== undefined && live.at <= now && !change?.ringing;
  if (!open) wanted = undefined;
  else if (change?.earliest && (!live || overdue || change.earliest < live.at)) {
    // A timer already due (a late commit) rings at once rather than at a time gone by.
    const at = overdue || change.earliest < now ? now : change.earliest;
    wanted = { at, name: alarmNameOf(record.caseId, at, nextVersion) };
  }
  if (wanted?.name === current?.name) return undefined;
  const create =
    wanted && wanted !== live
      ? [
          {
            name: wanted.name,
            at: wanted.at,
            target: change?.target ?? requireEnv(ENV.timerFunctionArn),
            input: { caseId: record.caseId, alarm: wanted.name },
          },
        ]
      : [];
  const remove = live && wanted !== live ? [live.name] : [];
  return {
    alarm: wanted ?? null,
    outbox: create.length + remove.length > 0 ? [scheduleRecord(record.caseId, create, remove)] : [],
  };
};
