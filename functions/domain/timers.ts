import { createHash } from 'node:crypto';
import { nowIso } from '#commons/clock.ts';
import type { AlarmChange } from './alarm.ts';
import type { CaseRecord } from './case.ts';
import { type TransactItem, timerItem } from './case-store.ts';
import { ESCALATE_AT, type SlaClockName, WARN_AT, whenShareUsed } from './sla.ts';

/**
 * SLA timers: a reminder to whoever owes evidence, a pre-breach warning to the owning team, and one timer per
 * escalation level. Each is an item in the case's partition (its state, for exactly-once firing), put in the
 * transaction of the change that arms it. No timer has a schedule of its own: the case's alarm (alarm.ts),
 * one EventBridge Scheduler schedule per open case, rings for the earliest, and the fire-timer function
 * fires every timer due then and sets the alarm for the next. Locally the runtime answers the same
 * Scheduler API with a durable timer.
 */
export type TimerKind = 'reminder' | 'warning' | 'breach' | 'update' | 'follow-up';

export interface TimerRecord {
  readonly timerId: string;
  readonly caseId: string;
  readonly type: TimerKind;
  /** Escalation level of a breach timer (1: senior reviewer, 2: manager). */
  readonly level?: number;
  /** The SLA clock a warning, breach or update timer watches (resolution by default). */
  readonly clock?: SlaClockName;
  /** The share of the clock's target the timer waits for. */
  readonly threshold?: number;
  /**
   * For a warning or breach: when the clock it watches started. A clock started again since (an appeal's
   * resolution clock, a transfer's handoff clock) has timers of its own, and this one is skipped.
   */
  readonly clockStartedAt?: string;
  /** For a reminder: who owes the evidence and the wait it belongs to. */
  readonly party?: 'seller' | 'buyer';
  readonly tokenId?: string;
  readonly dueAt: string;
  readonly status: 'scheduled' | 'fired' | 'skipped';
  readonly scheduleName: string;
  readonly createdAt: string;
}

/** Reminders go out when this share of an evidence wait has passed. */
export const REMIND_AT = 0.5;

/**
 * A timer's arm: a token that changes whenever the timer is moved to a later time, so that a firing that
 * read it before the move cannot also move it (the condition of `timerUpdateItem`). Stored as
 * `scheduleName`, from when each timer had a schedule of that name.
 */
const armTokenOf = (timerId: string, arm: number) =>
  `sw-${createHash('sha256').update(`${timerId}#${arm}`).digest('hex').slice(0, 40)}`;

/** Timer items to commit with a change, and what they ask of the case's alarm. */
export interface ArmedTimers {
  readonly items: TransactItem[];
  readonly alarm?: AlarmChange;
}

export const NO_TIMERS: ArmedTimers = { items: [] };
const NONE = NO_TIMERS;

const earliestOf = (dueTimes: readonly (string | undefined)[]) =>
  dueTimes.filter((t): t is string => t !== undefined).sort()[0];

const armed = (timers: readonly TimerRecord[]): ArmedTimers => {
  const earliest = earliestOf(timers.map((t) => t.dueAt));
  return { items: timers.map(timerItem), ...(earliest ? { alarm: { earliest } } : {}) };
};

/** Both sets of timers, committed together (the alarm for the earlier of the two). */
export const bothTimers = (a: ArmedTimers, b: ArmedTimers): ArmedTimers => {
  const earliest = earliestOf([a.alarm?.earliest, b.alarm?.earliest]);
  return { items: [...a.items, ...b.items], ...(earliest ? { alarm: { earliest } } : {}) };
};

const newTimer = (
  caseId: string,
  timerId: string,
  fields: Omit<TimerRecord, 'timerId' | 'caseId' | 'status' | 'scheduleName' | 'createdAt'>,
) => ({
  timerId,
  caseId,
  status: 'scheduled' as const,
  scheduleName: armTokenOf(`${caseId}#${timerId}`, 0),
  createdAt: nowIso(),
  ...fields,
});

/**
 * The timers of one SLA clock: a pre-breach warning, one breach timer per escalation level, or — for the
 * next-update clock — a watchdog that alerts each time the seller has gone a whole target without news.
 * `key` keeps each clock's timers apart (a new resolution clock after an appeal, each handoff).
 */
export const armClockTimers = (
  record: CaseRecord,
  clockName: SlaClockName,
  key: string,
  at: number,
  plan: { readonly warn: boolean; readonly levels: readonly number[]; readonly watchdog?: boolean },
): ArmedTimers => {
  const clock = record.sla?.[clockName];
  if (!clock) return NONE;
  const timers: TimerRecord[] = [
    ...(plan.watchdog
      ? [
          newTimer(record.caseId, `${key}-update`, {
            type: 'update',
            clock: clockName,
            threshold: 1,
            dueAt: whenShareUsed(clock, 1, at),
          }),
        ]
      : []),
    ...(plan.warn && !clock.stoppedAt
      ? [
          newTimer(record.caseId, `${key}-warning`, {
            type: 'warning',
            clock: clockName,
            clockStartedAt: clock.startedAt,
            threshold: WARN_AT,
            dueAt: whenShareUsed(clock, WARN_AT, at),
          }),
        ]
      : []),
    ...(clock.stoppedAt
      ? []
      : plan.levels.map((level) =>
          newTimer(record.caseId, `${key}-breach-${level}`, {
            type: 'breach',
            clock: clockName,
            clockStartedAt: clock.startedAt,
            level,
            threshold: ESCALATE_AT[level - 1] ?? 1,
            dueAt: whenShareUsed(clock, ESCALATE_AT[level - 1] ?? 1, at),
          }),
        )),
  ];
  return armed(timers);
};

/** The resolution clock's timers (warning, both escalation levels) and the next-update watchdog. */
export const armResolutionTimers = (record: CaseRecord, round: number, at: number): ArmedTimers =>
  bothTimers(
    armClockTimers(record, 'resolution', `r${round}`, at, { warn: true, levels: [1, 2] }),
    round === 0
      ? armClockTimers(record, 'nextUpdate', 'u', at, { warn: false, levels: [], watchdog: true })
      : NONE,
  );

/** A reminder to the party that owes evidence, part-way through its wait. */
export const armReminder = (
  caseId: string,
  party: 'seller' | 'buyer',
  tokenId: string,
  since: number,
  waitMs: number,
): ArmedTimers => {
  const timer = newTimer(caseId, `remind-${tokenId}`, {
    type: 'reminder',
    party,
    tokenId,
    dueAt: new Date(since + REMIND_AT * waitMs).toISOString(),
  });
  return armed([timer]);
};

/** The follow-up a resolution arms: one timer, named after the resolution it follows (follow-up.ts). */
export const armFollowUpTimer = (caseId: string, timerId: string, dueAt: string): ArmedTimers =>
  armed([newTimer(caseId, timerId, { type: 'follow-up', dueAt })]);

/** Moves a timer to a later time (its clock paused meanwhile), under a fresh arm: the timer's new fields. */
export const rearm = (timer: TimerRecord, dueAt: string, arm: number): Partial<TimerRecord> => ({
  dueAt,
  scheduleName: armTokenOf(`${timer.caseId}#${timer.timerId}`, arm),
});

/** The earliest due time among a case's timers still scheduled. */
export const earliestScheduled = (timers: readonly TimerRecord[]): string | undefined =>
  earliestOf(timers.filter((t) => t.status === 'scheduled').map((t) => t.dueAt));
