import { createHash } from 'node:crypto';
import { nowIso } from '#commons/clock.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import type { CaseRecord } from './case.ts';
import { type TransactItem, timerItem } from './case-store.ts';
import { mergeSchedules, type OutboundSchedule, type OutboxMessage, scheduleRecord } from './outbox.ts';
import { ESCALATE_AT, type SlaClockName, WARN_AT, whenShareUsed } from './sla.ts';

/**
 * SLA timers: a reminder to whoever owes evidence, a pre-breach warning to the owning team, and one timer per
 * escalation level. Each is an item in the case's partition (its state, for exactly-once firing) and an
 * EventBridge Scheduler one-time schedule that invokes the fire-timer function when it is due. Commit first,
 * then act: the timer item and the outbox record of its schedule go in the caller's transaction, and the
 * outbox dispatcher creates the schedule after it (gateways/scheduler.ts). Locally the runtime answers the
 * same Scheduler API with a durable timer.
 */
export type TimerKind = 'reminder' | 'warning' | 'breach' | 'update';

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

/** Schedule names: ≤ 64 characters of [0-9a-zA-Z-_.], unique per timer and re-arm. */
const scheduleNameOf = (timerId: string, arm: number) =>
  `sw-${createHash('sha256').update(`${timerId}#${arm}`).digest('hex').slice(0, 40)}`;

/** Timer items to commit with a change, and the schedules to create once it has committed. */
export interface ArmedTimers {
  readonly items: TransactItem[];
  readonly outbox: OutboxMessage[];
}

export const NO_TIMERS: ArmedTimers = { items: [], outbox: [] };
const NONE = NO_TIMERS;

/**
 * A timer's one-time schedule. Creating it twice is harmless: the name is the timer's. The target is the
 * fire-timer function (TIMER_FUNCTION_ARN; the fire-timer function itself passes its own ARN, which its
 * configuration cannot name without a cycle).
 */
const scheduleFor = (
  timer: Pick<TimerRecord, 'caseId' | 'timerId' | 'dueAt' | 'scheduleName'>,
  target: string = requireEnv(ENV.timerFunctionArn),
): OutboundSchedule => ({
  name: timer.scheduleName,
  at: timer.dueAt,
  target,
  input: { caseId: timer.caseId, timerId: timer.timerId },
});

/** The outbox record of a timer's schedule. */
export const scheduleOf = (
  timer: Pick<TimerRecord, 'caseId' | 'timerId' | 'dueAt' | 'scheduleName'>,
  target?: string,
): OutboxMessage => scheduleRecord(timer.caseId, [scheduleFor(timer, target)]);

const armed = (timers: readonly TimerRecord[]): ArmedTimers => {
  const [first] = timers;
  return {
    items: timers.map(timerItem),
    // One outbox record for all of them: one claim and one mark, however many timers a commit arms.
    outbox: first
      ? [
          scheduleRecord(
            first.caseId,
            timers.map((timer) => scheduleFor(timer)),
          ),
        ]
      : [],
  };
};

/** Both sets of timers, committed together (their schedules in one outbox record). */
export const bothTimers = (a: ArmedTimers, b: ArmedTimers): ArmedTimers => ({
  items: [...a.items, ...b.items],
  outbox: mergeSchedules([...a.outbox, ...b.outbox]),
});

const newTimer = (
  caseId: string,
  timerId: string,
  fields: Omit<TimerRecord, 'timerId' | 'caseId' | 'status' | 'scheduleName' | 'createdAt'>,
) => ({
  timerId,
  caseId,
  status: 'scheduled' as const,
  scheduleName: scheduleNameOf(`${caseId}#${timerId}`, 0),
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

/**
 * Moves a timer to a later time (its clock paused meanwhile), under a fresh schedule name: the timer's new
 * fields, and the outbox record of the new schedule to commit with them.
 */
export const rearm = (timer: TimerRecord, dueAt: string, arm: number, target: string) => {
  const scheduleName = scheduleNameOf(`${timer.caseId}#${timer.timerId}`, arm);
  return { fields: { dueAt, scheduleName }, schedule: scheduleOf({ ...timer, dueAt, scheduleName }, target) };
};
