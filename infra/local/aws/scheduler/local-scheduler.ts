import { randomBytes } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type {
  CreateScheduleOutput,
  DeleteScheduleOutput,
  GetScheduleOutput,
  ListSchedulesOutput,
  ScheduleSummary,
} from '@aws-sdk/client-scheduler';
import { LOCAL_ACCOUNT_ID } from '../secrets.ts';
import { readLegacySchedules } from './legacy-schedules-file.ts';
import type { SchedulerInput } from './operation-inputs.ts';
import { type RetryBackoff, retryDelayMs } from './retry-backoff.ts';
import { dueTimeOf } from './schedule-expression.ts';
import type { InvocationState, ScheduleRecord } from './schedule-record.ts';
import { keyOf, ScheduleStore } from './schedule-store.ts';
import { schedulerErrors } from './scheduler-errors.ts';

/**
 * Case time. `now()` is the current case time in epoch milliseconds; `toRealDelayMs` turns a case-time delay
 * into the real delay to wait (the local runtime's TIME_SCALE makes case time run faster).
 */
export interface SchedulerClock {
  now(): number;
  toRealDelayMs(caseTimeMs: number): number;
}

/** Real time: case time is the wall clock. */
export const REAL_TIME_CLOCK: SchedulerClock = { now: () => Date.now(), toRealDelayMs: (ms) => ms };

/** What every {@link LocalScheduler} is configured with, besides where it keeps its schedules. */
export interface LocalSchedulerSettings {
  /** Runs the product's Lambda handler named by a function ARN, in-process. */
  readonly invokeFunction: (functionArn: string, payload: unknown) => Promise<unknown>;
  /** Defaults to {@link REAL_TIME_CLOCK}. */
  readonly clock?: SchedulerClock;
  /** Region in the schedule ARNs; `us-east-1` by default. */
  readonly region?: string;
  /**
   * Retries of a failing target, in real time whatever the clock's speed: a target that fails because
   * something it needs is restarting must get seconds to recover, not the microseconds a fast case clock
   * would leave it. AWS retries up to 185 times over 24 hours; locally ten attempts over a few minutes
   * ride out a restart without flooding the log. A schedule's `RetryPolicy.MaximumRetryAttempts` can only
   * lower the attempts, as on AWS.
   */
  readonly retry?: {
    /** Attempts in all, the first included; 10 by default. */
    readonly maxAttempts?: number;
    /** Real milliseconds: the bound of the (jittered) wait before the first retry; 1,000 by default. */
    readonly firstRetryDelayMs?: number;
    /** Real milliseconds: the bound stops doubling here; 60,000 by default. */
    readonly maxRetryDelayMs?: number;
    /** A number in [0, 1) that jitters each wait; `Math.random` by default (tests pin it). */
    readonly random?: () => number;
  };
  /**
   * Targets invoked at the same time, at most; 16 by default. A backlog (thousands of schedules that came
   * due while the runtime was stopped) is worked off this many at a time instead of all at once.
   */
  readonly maxConcurrentInvocations?: number;
}

/**
 * Where the schedules are kept: `dbPath`, the SQLite database (the runtime passes
 * `<dataDir>/scheduler.sqlite`). A `schedules.json` of earlier versions beside it is imported at open.
 */
export type LocalSchedulerOptions = LocalSchedulerSettings & { readonly dbPath: string };

const DEFAULT_GROUP = 'default';
const DEFAULT_MAX_ATTEMPTS = 10;
const DEFAULT_FIRST_RETRY_DELAY_MS = 1000;
const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;
const DEFAULT_MAX_CONCURRENT_INVOCATIONS = 16;
/** The longest delay `setTimeout` honours (larger ones fire at once); far-away times are reached in steps. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_FAILED_LIMIT = 100;
/** Client tokens of recent deletions, so a retried DeleteSchedule succeeds again instead of answering 404. */
const REMEMBERED_DELETIONS = 1000;
/** The schedules file of earlier versions, imported once from beside the database. */
const LEGACY_FILE_NAME = 'schedules.json';
const IMPORTED_SUFFIX = '.imported';

const LAMBDA_FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

/** The keywords EventBridge Scheduler replaces in a target's Input when it invokes the target. */
const CONTEXT_ATTRIBUTES = {
  scheduleArn: '<aws.scheduler.schedule-arn>',
  scheduledTime: '<aws.scheduler.scheduled-time>',
  executionId: '<aws.scheduler.execution-id>',
  attemptNumber: '<aws.scheduler.attempt-number>',
} as const;

/**
 * The error recorded on a schedule found INVOKING when the scheduler opens: it is invoked again (or, when
 * that attempt was its last one, kept as FAILED with this error).
 */
export const SCHEDULER_RESTARTED = {
  error: 'Local.RuntimeRestarted',
  message:
    'The local runtime stopped while this schedule was invoking its target, so whether that attempt ran ' +
    'is unknown; the target is invoked again (delivery is at least once, the target is idempotent).',
} as const;

/**
 * Amazon EventBridge Scheduler for local runs: one-time (`at()`) schedules whose target is one of the
 * product's Lambda functions, invoked in-process. The local AWS endpoint maps the Scheduler REST-JSON API
 * onto these methods, so real `SchedulerClient`s work against it.
 *
 * Schedules live in a SQLite database ({@link ScheduleStore}): each change is one small transaction,
 * durable against the process being killed at any instant. Opening the scheduler fires nothing; after
 * {@link start} one timer waits for the earliest due schedule (whatever the number of schedules), and due
 * schedules are read from the due-time index as their time comes, at most `maxConcurrentInvocations` at a
 * time. A schedule whose time passed while nothing ran fires once after `start()`.
 *
 * Delivery is at least once, as on AWS: an attempt is marked INVOKING in the database before its target
 * runs, and a schedule found INVOKING when the scheduler opens (the process stopped mid-invocation, so
 * whether the target ran is unknown) is invoked again with the next attempt number. Skipping it instead
 * would silently lose a reminder or escalation; repeating it is harmless because the product's target (the
 * fire-timer function) is idempotent: its timer item leaves `scheduled` in a DynamoDB transaction, so a
 * second delivery finds it gone and does nothing. Within one scheduler an attempt runs once, never two at a
 * time. A failing target is retried with exponential backoff and full jitter in real time; a schedule out
 * of attempts is kept as FAILED, logged with `console.error` (one JSON line) and listed by
 * {@link failedSchedules}.
 *
 * Limitations: no rate()/cron() schedules, no time zone but UTC, no UpdateSchedule, schedule groups or tags
 * (any group name is accepted as if it existed); targets are Lambda functions only; FLEXIBLE windows fire at
 * their start; DeadLetterConfig and MaximumEventAgeInSeconds are stored but not acted on (a schedule due
 * during a long stop still fires, however old); one scheduler per database at a time (a second one is
 * refused at open).
 */
export class LocalScheduler {
  private readonly store: ScheduleStore;
  private readonly deletions = new Map<string, string>();
  /** Execution ids of the attempts whose target is running. */
  private readonly inFlight = new Set<string>();
  private readonly invokeFunction: LocalSchedulerSettings['invokeFunction'];
  private readonly clock: SchedulerClock;
  private readonly region: string;
  private readonly maxAttempts: number;
  private readonly backoff: RetryBackoff;
  private readonly maxConcurrent: number;
  /** The one timer: for the earliest schedule or retry to come, when `start()`ed and anything is pending. */
  private timer: NodeJS.Timeout | undefined;
  /** Real time the timer goes off. */
  private timerAt = Number.POSITIVE_INFINITY;
  private started = false;
  private closed = false;

  /**
   * Opens the schedules database, imports a `schedules.json` of earlier versions found beside it (renamed
   * `schedules.json.imported` afterwards), and prepares schedules found INVOKING to be invoked again. Fires
   * nothing and arms no timer until {@link start}.
   * @throws Error naming the file when the database is not a scheduler database, is in use by another
   * scheduler, or the schedules file to import does not hold schedules.
   */
  constructor(options: LocalSchedulerOptions) {
    this.invokeFunction = options.invokeFunction;
    this.clock = options.clock ?? REAL_TIME_CLOCK;
    this.region = options.region ?? 'us-east-1';
    this.maxAttempts = Math.max(1, options.retry?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.backoff = {
      firstRetryDelayMs: Math.max(0, options.retry?.firstRetryDelayMs ?? DEFAULT_FIRST_RETRY_DELAY_MS),
      maxRetryDelayMs: Math.max(0, options.retry?.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS),
      random: options.retry?.random ?? Math.random,
    };
    this.maxConcurrent = Math.max(1, options.maxConcurrentInvocations ?? DEFAULT_MAX_CONCURRENT_INVOCATIONS);
    const dbPath = options.dbPath;
    this.store = new ScheduleStore(dbPath);
    try {
      this.importLegacyFile(join(dirname(dbPath), LEGACY_FILE_NAME));
      this.recoverInterrupted();
    } catch (error) {
      this.store.close();
      throw error;
    }
  }

  /**
   * Starts firing: schedules already due (including those that came due while the runtime was stopped and
   * those interrupted by the stop) are invoked now, and one timer is armed for the next. Call it once the
   * targets can run (the runtime: after its Lambda handlers are loaded); until then schedules can be
   * created, read, listed and deleted, but none fires. Calling it again does nothing.
   * @throws Error after {@link close}.
   */
  start(): void {
    if (this.closed) {
      throw new Error(`The local scheduler over ${this.store.path} is closed; open a new one`);
    }
    if (this.started) {
      return;
    }
    this.started = true;
    this.pump();
  }

  /**
   * CreateSchedule. Repeating a request with the same ClientToken answers the schedule it created.
   * @throws AwsServiceError `ValidationException` for a recurring or malformed expression, a time zone other
   * than UTC, a target that is not a Lambda function or an Input that is not JSON; `ConflictException` when
   * the group already holds a schedule with that name.
   */
  createSchedule(request: SchedulerInput<'CreateSchedule'>): CreateScheduleOutput {
    const groupName = request.GroupName ?? DEFAULT_GROUP;
    const existing = this.store.get(keyOf({ groupName, name: request.Name }));
    if (existing) {
      if (request.ClientToken !== undefined && existing.clientToken === request.ClientToken) {
        return { ScheduleArn: existing.arn };
      }
      throw schedulerErrors.conflict(`Schedule ${request.Name} already exists.`);
    }
    const dueAt = dueTimeOf(request.ScheduleExpression, request.ScheduleExpressionTimezone);
    assertLambdaTarget(request.Target.Arn);
    const arn = this.arnOf(groupName, request.Name);
    if (request.Target.Input !== undefined) {
      assertJsonInput(request.Target.Input, arn);
    }
    const now = new Date(this.clock.now()).toISOString();
    const record: ScheduleRecord = {
      arn,
      name: request.Name,
      groupName,
      scheduleExpression: request.ScheduleExpression,
      scheduleExpressionTimezone: request.ScheduleExpressionTimezone ?? null,
      dueAt: new Date(dueAt).toISOString(),
      target: structuredClone(request.Target),
      flexibleTimeWindow: structuredClone(request.FlexibleTimeWindow),
      actionAfterCompletion: request.ActionAfterCompletion ?? 'NONE',
      state: request.State ?? 'ENABLED',
      description: request.Description ?? null,
      kmsKeyArn: request.KmsKeyArn ?? null,
      clientToken: request.ClientToken ?? null,
      creationDate: now,
      lastModificationDate: now,
      invocation: {
        status: 'SCHEDULED',
        attempts: 0,
        executionId: null,
        nextAttemptAt: null,
        lastError: null,
        finishedAt: null,
      },
    };
    this.store.insert(record);
    // Only a schedule due before the armed timer changes what the timer should wait for.
    if (record.state === 'ENABLED' && this.realTimeOfCaseTime(dueAt) < this.timerAt) {
      this.pump();
    }
    return { ScheduleArn: arn };
  }

  /**
   * GetSchedule.
   * @throws AwsServiceError `ResourceNotFoundException` for an unknown schedule.
   */
  getSchedule(request: SchedulerInput<'GetSchedule'>): GetScheduleOutput {
    const record = this.schedule(request.Name, request.GroupName);
    return {
      Arn: record.arn,
      GroupName: record.groupName,
      Name: record.name,
      ScheduleExpression: record.scheduleExpression,
      ScheduleExpressionTimezone: record.scheduleExpressionTimezone ?? undefined,
      Description: record.description ?? undefined,
      State: record.state,
      CreationDate: new Date(record.creationDate),
      LastModificationDate: new Date(record.lastModificationDate),
      KmsKeyArn: record.kmsKeyArn ?? undefined,
      Target: record.target,
      FlexibleTimeWindow: record.flexibleTimeWindow,
      ActionAfterCompletion: record.actionAfterCompletion,
    };
  }

  /**
   * DeleteSchedule: the schedule will not fire (an invocation already running finishes unrecorded).
   * @throws AwsServiceError `ResourceNotFoundException` for an unknown schedule.
   */
  deleteSchedule(request: SchedulerInput<'DeleteSchedule'>): DeleteScheduleOutput {
    const key = keyOf({ groupName: request.GroupName ?? DEFAULT_GROUP, name: request.Name });
    // The timer stays as it is: waking up for a deleted schedule finds nothing due and waits for the next.
    if (!this.store.delete(key)) {
      if (request.ClientToken !== undefined && this.deletions.get(request.ClientToken) === key) {
        return {};
      }
      throw notFound(request.Name);
    }
    if (request.ClientToken !== undefined) {
      this.rememberDeletion(request.ClientToken, key);
    }
    return {};
  }

  /** ListSchedules of one group or all, optionally by name prefix and state, ordered by group and name. */
  listSchedules(request: SchedulerInput<'ListSchedules'> = {}): ListSchedulesOutput {
    // The token names the last schedule returned, so deletions between pages shift nothing.
    const afterKey = request.NextToken === undefined ? undefined : keyOfToken(request.NextToken);
    const page = this.store.list({
      groupName: request.GroupName,
      namePrefix: request.NamePrefix,
      state: request.State,
      afterKey,
      limit: request.MaxResults ?? DEFAULT_PAGE_SIZE,
    });
    const last = page.records.at(-1);
    return {
      Schedules: page.records.map(summaryOf),
      NextToken: page.more && last !== undefined ? Buffer.from(keyOf(last)).toString('base64url') : undefined,
    };
  }

  /**
   * The schedule with its local invocation state (attempts, last error, …), which the AWS API does not
   * show: for the ops console, and for tests.
   * @returns A copy, or `undefined` when there is no such schedule (never created, deleted, or deleted
   * after completion).
   */
  inspect(name: string, groupName = DEFAULT_GROUP): ScheduleRecord | undefined {
    return this.store.get(keyOf({ groupName, name }));
  }

  /**
   * Schedules that ran out of attempts (or whose last attempt was cut short by a stop), kept as FAILED
   * with their last error: the reminders and escalations that did not happen, for the ops console.
   * @param limit At most this many, 100 by default.
   * @returns Copies, the most recently failed first.
   */
  failedSchedules(limit = DEFAULT_FAILED_LIMIT): ScheduleRecord[] {
    return this.store.withStatus('FAILED', limit);
  }

  /** Copies of every schedule kept, with their invocation state, ordered by group and name (a full read). */
  records(): ScheduleRecord[] {
    return this.store.all();
  }

  /** Timers armed: 1 while anything is pending after `start()`, otherwise 0, whatever the schedule count. */
  get armedTimers(): number {
    return this.timer === undefined ? 0 : 1;
  }

  /** Targets running now; never more than `maxConcurrentInvocations`. */
  get invocationsInFlight(): number {
    return this.inFlight.size;
  }

  /**
   * Stops the timer and closes the database so the process can exit; idempotent. Pending schedules stay
   * stored for the next scheduler over the same database. The outcome of an invocation still running is
   * not recorded: the next scheduler finds it INVOKING and invokes it again.
   */
  close(): void {
    this.closed = true;
    this.disarm();
    this.store.close();
  }

  /**
   * Invokes what is due now (up to the concurrency bound), then arms the one timer for whatever comes next.
   * Called on start, when the timer goes off, when an attempt settles and when a new schedule is due
   * before the timer.
   */
  private pump(): void {
    if (!this.started || this.closed) {
      return;
    }
    this.disarm();
    const free = this.maxConcurrent - this.inFlight.size;
    for (const record of this.store.due(this.clock.now(), Date.now(), free)) {
      this.launch(record);
    }
    if (this.inFlight.size >= this.maxConcurrent) {
      return; // the next attempt to settle pumps again
    }
    const { dueAt, retryAt } = this.store.nextWake();
    const wakeAt = Math.min(
      dueAt === undefined ? Number.POSITIVE_INFINITY : this.realTimeOfCaseTime(dueAt),
      retryAt ?? Number.POSITIVE_INFINITY,
    );
    if (wakeAt === Number.POSITIVE_INFINITY) {
      return;
    }
    const delay = Math.min(Math.max(0, wakeAt - Date.now()), MAX_TIMER_DELAY_MS);
    this.timerAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.pump();
    }, delay);
  }

  private disarm(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  /**
   * The real time (epoch ms) at which the case clock reaches `caseTime`: never early (rounded up, at least
   * 1 ms ahead unless already due), and infinite for a clock that cannot say.
   */
  private realTimeOfCaseTime(caseTime: number): number {
    const remaining = caseTime - this.clock.now();
    if (remaining <= 0) {
      return Date.now();
    }
    const realDelay = Math.max(1, Math.ceil(this.clock.toRealDelayMs(remaining)));
    return Number.isFinite(realDelay) ? Date.now() + realDelay : Number.POSITIVE_INFINITY;
  }

  /** Starts an attempt: recorded as INVOKING (committed) before the target is called. */
  private launch(record: ScheduleRecord): void {
    const executionId = randomBytes(8).toString('hex');
    const invoking = withInvocation(record, {
      status: 'INVOKING',
      attempts: record.invocation.attempts + 1,
      executionId,
      nextAttemptAt: null,
    });
    // The row leaves the due indexes in this commit, so no later pump (nor a restart) starts this attempt
    // a second time while it runs; a restart from here on invokes the target again, as a new attempt.
    this.store.put(invoking);
    this.inFlight.add(executionId);
    this.settle(invoking, executionId)
      .catch((error: unknown) => {
        // Only our own bookkeeping can get here (the target's failures are handled in settle).
        console.error(`Local scheduler could not record an attempt of ${invoking.arn}`, error);
      })
      .finally(() => {
        this.inFlight.delete(executionId);
        this.pump();
      });
  }

  /** Runs one attempt's target and records the outcome: done, a retry to come, or FAILED. */
  private async settle(record: ScheduleRecord, executionId: string): Promise<void> {
    const attemptNumber = record.invocation.attempts;
    let failure: { error: string; message: string } | undefined;
    try {
      // Called on a later microtask, never inside pump(): a target calling back into the scheduler
      // synchronously cannot re-enter the loop that is starting attempts.
      await Promise.resolve();
      await this.invokeFunction(record.target.Arn, payloadOf(record, executionId, attemptNumber));
    } catch (error) {
      failure = describeError(error);
    }
    if (this.closed) {
      return; // left INVOKING: the next scheduler over the database invokes it again
    }
    const current = this.store.get(keyOf(record));
    if (current?.invocation.executionId !== executionId) {
      return; // deleted (or deleted and created anew) while invoking
    }
    if (!failure) {
      if (current.actionAfterCompletion === 'DELETE') {
        this.store.delete(keyOf(current));
      } else {
        this.store.put(this.finished(current, 'COMPLETED', null));
      }
      return;
    }
    if (attemptNumber < this.attemptsAllowed(current)) {
      const retryAt = Date.now() + retryDelayMs(this.backoff, attemptNumber);
      this.store.put(
        withInvocation(current, {
          status: 'RETRYING',
          nextAttemptAt: new Date(retryAt).toISOString(),
          lastError: failure,
        }),
      );
      return;
    }
    this.fail(current, failure);
  }

  /**
   * Makes schedules found INVOKING (the process stopped mid-invocation) due again at once, for `start()`,
   * or FAILED when that was their last attempt. One transaction; reads the status index only.
   */
  private recoverInterrupted(): void {
    const interrupted = this.store.withStatus('INVOKING', -1);
    const failed: ScheduleRecord[] = [];
    this.store.transaction(() => {
      for (const record of interrupted) {
        if (record.invocation.attempts < this.attemptsAllowed(record)) {
          this.store.put(
            withInvocation(record, {
              status: 'RETRYING',
              nextAttemptAt: new Date(Date.now()).toISOString(),
              lastError: { ...SCHEDULER_RESTARTED },
            }),
          );
        } else {
          const exhausted = this.finished(record, 'FAILED', { ...SCHEDULER_RESTARTED });
          this.store.put(exhausted);
          failed.push(exhausted);
        }
      }
    });
    for (const record of failed) {
      logFailure(record);
    }
  }

  /** Imports the JSON schedules file of earlier versions once, then renames it out of the way. */
  private importLegacyFile(filePath: string): void {
    if (!existsSync(filePath)) {
      return;
    }
    // Schedules the database already holds win: an import that committed but was not renamed yet (a crash
    // in between) runs again without effect.
    const imported = this.store.importRecords(
      readLegacySchedules(filePath).map((record) =>
        // A retry time in the file was case time; the retry is simply made due now.
        record.invocation.status === 'RETRYING'
          ? withInvocation(record, { nextAttemptAt: new Date(Date.now()).toISOString() })
          : record,
      ),
    );
    renameSync(filePath, `${filePath}${IMPORTED_SUFFIX}`);
    console.log(`Local scheduler: imported ${imported} schedule(s) from ${filePath} into ${this.store.path}`);
  }

  /** Keeps a schedule out of attempts as FAILED, and says so where someone will see it. */
  private fail(record: ScheduleRecord, failure: { error: string; message: string }): void {
    const failed = this.finished(record, 'FAILED', failure);
    this.store.put(failed);
    logFailure(failed);
  }

  private attemptsAllowed(record: ScheduleRecord): number {
    const retries = record.target.RetryPolicy?.MaximumRetryAttempts;
    return retries === undefined ? this.maxAttempts : Math.min(this.maxAttempts, retries + 1);
  }

  private finished(
    record: ScheduleRecord,
    status: 'COMPLETED' | 'FAILED',
    lastError: InvocationState['lastError'],
  ): ScheduleRecord {
    return withInvocation(record, {
      status,
      nextAttemptAt: null,
      lastError: lastError ?? record.invocation.lastError,
      finishedAt: new Date(this.clock.now()).toISOString(),
    });
  }

  private schedule(name: string, groupName = DEFAULT_GROUP): ScheduleRecord {
    const record = this.store.get(keyOf({ groupName, name }));
    if (!record) {
      throw notFound(name);
    }
    return record;
  }

  private rememberDeletion(clientToken: string, key: string): void {
    this.deletions.set(clientToken, key);
    if (this.deletions.size > REMEMBERED_DELETIONS) {
      const oldest = this.deletions.keys().next().value;
      if (oldest !== undefined) {
        this.deletions.delete(oldest);
      }
    }
  }

  private arnOf(groupName: string, name: string): string {
    return `arn:aws:scheduler:${this.region}:${LOCAL_ACCOUNT_ID}:schedule/${groupName}/${name}`;
  }
}

/**
 * A schedule ended FAILED: one JSON line on stderr naming it, its target, the attempts and the last error
 * (not the target's Input, which may carry case data).
 */
function logFailure(record: ScheduleRecord): void {
  console.error(
    JSON.stringify({
      level: 'ERROR',
      source: 'local-scheduler',
      message: 'Schedule failed: its target was not invoked successfully; the schedule is kept as FAILED',
      schedule: record.arn,
      target: record.target.Arn,
      dueAt: record.dueAt,
      attempts: record.invocation.attempts,
      lastError: record.invocation.lastError,
    }),
  );
}

function keyOfToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString();
  if (!/^[0-9a-zA-Z\-_.]{1,64}\/[0-9a-zA-Z\-_.]{1,64}$/.test(key)) {
    throw schedulerErrors.validation(`Invalid NextToken ${token}: not a token this list handed out.`);
  }
  return key;
}

const notFound = (name: string) => schedulerErrors.notFound(`Schedule ${name} does not exist.`);

function withInvocation(record: ScheduleRecord, change: Partial<InvocationState>): ScheduleRecord {
  return { ...record, invocation: { ...record.invocation, ...change } };
}

function summaryOf(record: ScheduleRecord): ScheduleSummary {
  return {
    Arn: record.arn,
    Name: record.name,
    GroupName: record.groupName,
    State: record.state,
    CreationDate: new Date(record.creationDate),
    LastModificationDate: new Date(record.lastModificationDate),
    Target: { Arn: record.target.Arn },
  };
}

function assertLambdaTarget(arn: string): void {
  if (!LAMBDA_FUNCTION_ARN.test(arn)) {
    throw schedulerErrors.validation(
      `Invalid Target.Arn ${arn}: the local EventBridge Scheduler invokes Lambda functions only ` +
        '(arn:aws:lambda:<region>:<account>:function:<name>).',
    );
  }
}

/** Checks that the Input is JSON once the context attributes are replaced, as they are when it fires. */
function assertJsonInput(input: string, arn: string): void {
  try {
    JSON.parse(withContextAttributes(input, arn, new Date(0).toISOString(), 'x', 1));
  } catch {
    throw schedulerErrors.validation(
      'Invalid Target.Input: a Lambda function target needs a JSON payload, and this Input is not JSON.',
    );
  }
}

/** The event the target receives: its Input with the context attributes replaced, parsed. */
function payloadOf(record: ScheduleRecord, executionId: string, attemptNumber: number): unknown {
  if (record.target.Input === undefined) {
    return {};
  }
  const scheduledTime = `${record.dueAt.slice(0, 19)}Z`;
  return JSON.parse(
    withContextAttributes(record.target.Input, record.arn, scheduledTime, executionId, attemptNumber),
  );
}

function withContextAttributes(
  input: string,
  scheduleArn: string,
  scheduledTime: string,
  executionId: string,
  attemptNumber: number,
): string {
  return input
    .replaceAll(CONTEXT_ATTRIBUTES.scheduleArn, scheduleArn)
    .replaceAll(CONTEXT_ATTRIBUTES.scheduledTime, scheduledTime)
    .replaceAll(CONTEXT_ATTRIBUTES.executionId, executionId)
    .replaceAll(CONTEXT_ATTRIBUTES.attemptNumber, String(attemptNumber));
}

function describeError(error: unknown): { error: string; message: string } {
  if (error instanceof Error) {
    return { error: error.name, message: error.message };
  }
  return { error: 'Error', message: String(error) };
}
