import { randomBytes } from 'node:crypto';
import type {
  CreateScheduleOutput,
  DeleteScheduleOutput,
  GetScheduleOutput,
  ListSchedulesOutput,
  ScheduleSummary,
} from '@aws-sdk/client-scheduler';
import { LOCAL_ACCOUNT_ID } from '../secrets.ts';
import type { SchedulerInput } from './operation-inputs.ts';
import { dueTimeOf } from './schedule-expression.ts';
import { readSchedules, writeSchedules } from './schedule-file.ts';
import type { InvocationState, ScheduleRecord } from './schedule-record.ts';
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

export interface LocalSchedulerOptions {
  /** JSON file holding the schedules; the same file after a restart arms the same schedules. */
  readonly filePath: string;
  /** Runs the product's Lambda handler named by a function ARN, in-process. */
  readonly invokeFunction: (functionArn: string, payload: unknown) => Promise<unknown>;
  /** Defaults to {@link REAL_TIME_CLOCK}. */
  readonly clock?: SchedulerClock;
  /** Region in the schedule ARNs; `us-east-1` by default. */
  readonly region?: string;
  /**
   * Retries of a failing target. AWS retries up to 185 times over 24 hours; locally a few quick attempts
   * show the failure without flooding the log. A schedule's `RetryPolicy.MaximumRetryAttempts` can only
   * lower the attempts.
   */
  readonly retry?: {
    /** Attempts in all, the first included; 3 by default. */
    readonly maxAttempts?: number;
    /** Case-time wait before the first retry, doubling after each further failure; 1,000 ms by default. */
    readonly firstRetryDelayMs?: number;
  };
}

const DEFAULT_GROUP = 'default';
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_FIRST_RETRY_DELAY_MS = 1000;
/** The longest delay `setTimeout` honours (larger ones fire at once); far-away times are reached in steps. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;
const DEFAULT_PAGE_SIZE = 100;
/** Client tokens of recent deletions, so a retried DeleteSchedule succeeds again instead of answering 404. */
const REMEMBERED_DELETIONS = 1000;

const LAMBDA_FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;

/** The keywords EventBridge Scheduler replaces in a target's Input when it invokes the target. */
const CONTEXT_ATTRIBUTES = {
  scheduleArn: '<aws.scheduler.schedule-arn>',
  scheduledTime: '<aws.scheduler.scheduled-time>',
  executionId: '<aws.scheduler.execution-id>',
  attemptNumber: '<aws.scheduler.attempt-number>',
} as const;

/** The error recorded on a schedule found INVOKING when the scheduler opens. */
export const SCHEDULER_RESTARTED = {
  error: 'Local.RuntimeRestarted',
  message:
    'The local runtime stopped while this schedule was invoking its target. Whether the invocation ran is ' +
    'unknown, so it is not repeated.',
} as const;

/**
 * Amazon EventBridge Scheduler for local runs: one-time (`at()`) schedules whose target is one of the
 * product's Lambda functions, invoked in-process. The local AWS endpoint maps the Scheduler REST-JSON API
 * onto these methods, so real `SchedulerClient`s work against it.
 *
 * Schedules are kept in one JSON file (written atomically on every change) and armed again when a scheduler
 * opens the file: one whose time passed while nothing ran fires at once. A schedule fires at most once: it
 * is marked INVOKING on disk before its target runs. A failing target is retried a few times with backoff,
 * then the schedule is kept as FAILED with the last error (see {@link inspect}).
 *
 * Limitations: no rate()/cron() schedules, no time zone but UTC, no UpdateSchedule, schedule groups or tags
 * (any group name is accepted as if it existed); targets are Lambda functions only; FLEXIBLE windows fire at
 * their start; DeadLetterConfig and MaximumEventAgeInSeconds are stored but not acted on; one scheduler per
 * file at a time.
 */
export class LocalScheduler {
  private schedules: Map<string, ScheduleRecord>;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly deletions = new Map<string, string>();
  private readonly filePath: string;
  private readonly invokeFunction: LocalSchedulerOptions['invokeFunction'];
  private readonly clock: SchedulerClock;
  private readonly region: string;
  private readonly maxAttempts: number;
  private readonly firstRetryDelayMs: number;
  private closed = false;

  /**
   * Opens the schedules file and arms every pending schedule. Schedules found INVOKING (the process stopped
   * during an invocation) become FAILED with {@link SCHEDULER_RESTARTED}.
   * @throws Error naming the file when it exists but is not a schedules file.
   */
  constructor(options: LocalSchedulerOptions) {
    this.filePath = options.filePath;
    this.invokeFunction = options.invokeFunction;
    this.clock = options.clock ?? REAL_TIME_CLOCK;
    this.region = options.region ?? 'us-east-1';
    this.maxAttempts = Math.max(1, options.retry?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
    this.firstRetryDelayMs = Math.max(0, options.retry?.firstRetryDelayMs ?? DEFAULT_FIRST_RETRY_DELAY_MS);
    this.schedules = new Map(readSchedules(this.filePath).map((record) => [keyOf(record), record]));
    const interrupted = [...this.schedules.values()].filter(
      (record) => record.invocation.status === 'INVOKING',
    );
    for (const record of interrupted) {
      this.put(this.finished(record, 'FAILED', { ...SCHEDULER_RESTARTED }));
    }
    for (const key of this.schedules.keys()) {
      this.arm(key);
    }
  }

  /**
   * CreateSchedule. Repeating a request with the same ClientToken answers the schedule it created.
   * @throws AwsServiceError `ValidationException` for a recurring or malformed expression, a time zone other
   * than UTC, a target that is not a Lambda function or an Input that is not JSON; `ConflictException` when
   * the group already holds a schedule with that name.
   */
  createSchedule(request: SchedulerInput<'CreateSchedule'>): CreateScheduleOutput {
    const groupName = request.GroupName ?? DEFAULT_GROUP;
    const key = keyOf({ groupName, name: request.Name });
    const existing = this.schedules.get(key);
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
    this.put({
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
    });
    this.arm(key);
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
      Target: structuredClone(record.target),
      FlexibleTimeWindow: structuredClone(record.flexibleTimeWindow),
      ActionAfterCompletion: record.actionAfterCompletion,
    };
  }

  /**
   * DeleteSchedule: the schedule will not fire (an invocation already running finishes unrecorded).
   * @throws AwsServiceError `ResourceNotFoundException` for an unknown schedule.
   */
  deleteSchedule(request: SchedulerInput<'DeleteSchedule'>): DeleteScheduleOutput {
    const groupName = request.GroupName ?? DEFAULT_GROUP;
    const key = keyOf({ groupName, name: request.Name });
    if (!this.schedules.has(key)) {
      if (request.ClientToken !== undefined && this.deletions.get(request.ClientToken) === key) {
        return {};
      }
      throw notFound(request.Name);
    }
    this.remove(key);
    if (request.ClientToken !== undefined) {
      this.rememberDeletion(request.ClientToken, key);
    }
    return {};
  }

  /** ListSchedules of one group or all, optionally by name prefix and state, ordered by group and name. */
  listSchedules(request: SchedulerInput<'ListSchedules'> = {}): ListSchedulesOutput {
    const matching = [...this.schedules.entries()]
      .filter(
        ([, record]) =>
          (request.GroupName === undefined || record.groupName === request.GroupName) &&
          (request.NamePrefix === undefined || record.name.startsWith(request.NamePrefix)) &&
          (request.State === undefined || record.state === request.State),
      )
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // The token names the last schedule returned, so deletions between pages shift nothing.
    const afterKey = request.NextToken === undefined ? undefined : keyOfToken(request.NextToken);
    const remaining = afterKey === undefined ? matching : matching.filter(([key]) => key > afterKey);
    const page = remaining.slice(0, request.MaxResults ?? DEFAULT_PAGE_SIZE);
    const lastKey = page.at(-1)?.[0];
    return {
      Schedules: page.map(([, record]) => summaryOf(record)),
      NextToken:
        remaining.length > page.length && lastKey !== undefined
          ? Buffer.from(lastKey).toString('base64url')
          : undefined,
    };
  }

  /**
   * The schedule with its local invocation state (attempts, last error, …), which the AWS API does not
   * show: for the ops console, and for tests.
   * @returns A copy, or `undefined` when there is no such schedule (never created, deleted, or deleted
   * after completion).
   */
  inspect(name: string, groupName = DEFAULT_GROUP): ScheduleRecord | undefined {
    const record = this.schedules.get(keyOf({ groupName, name }));
    return record && structuredClone(record);
  }

  /** Copies of every schedule kept, with their invocation state, ordered by group and name. */
  records(): ScheduleRecord[] {
    return [...this.schedules.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, record]) => structuredClone(record));
  }

  /**
   * Stops every timer so the process can exit; the file is left as it is, and a scheduler opening it later
   * picks the pending schedules up. The outcome of an invocation still running is not recorded (the next
   * scheduler finds it INVOKING and marks it FAILED).
   */
  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) {
      clearTimeout(timer);
    }
    this.timers.clear();
  }

  /** Sets the timer for the schedule's next step, if it has one. */
  private arm(key: string): void {
    this.disarm(key);
    const record = this.schedules.get(key);
    const wakeAt = record && wakeTimeOf(record);
    if (this.closed || wakeAt === undefined) {
      return;
    }
    const remaining = wakeAt - this.clock.now();
    const realDelay = remaining <= 0 ? 0 : Math.max(1, Math.ceil(this.clock.toRealDelayMs(remaining)));
    const timer = setTimeout(
      () => {
        this.timers.delete(key);
        this.wake(key);
      },
      Math.min(Number.isFinite(realDelay) ? realDelay : MAX_TIMER_DELAY_MS, MAX_TIMER_DELAY_MS),
    );
    this.timers.set(key, timer);
  }

  private disarm(key: string): void {
    const timer = this.timers.get(key);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.timers.delete(key);
    }
  }

  /** A timer went off: invoke if the schedule is due, otherwise (a step towards a far time) wait again. */
  private wake(key: string): void {
    const record = this.schedules.get(key);
    const wakeAt = record && wakeTimeOf(record);
    if (this.closed || wakeAt === undefined) {
      return;
    }
    if (this.clock.now() < wakeAt) {
      this.arm(key);
      return;
    }
    this.attempt(key).catch((error: unknown) => {
      // Only our own bookkeeping can get here (the target's failures are handled in attempt).
      console.error(`Local scheduler could not run schedule ${key}`, error);
    });
  }

  private async attempt(key: string): Promise<void> {
    const record = this.schedules.get(key);
    if (!record) {
      return;
    }
    const executionId = randomBytes(8).toString('hex');
    const attemptNumber = record.invocation.attempts + 1;
    // Disk first: a restart from here on never invokes this attempt again.
    this.put(
      withInvocation(record, {
        status: 'INVOKING',
        attempts: attemptNumber,
        executionId,
        nextAttemptAt: null,
      }),
    );
    let failure: { error: string; message: string } | undefined;
    try {
      await this.invokeFunction(record.target.Arn, payloadOf(record, executionId, attemptNumber));
    } catch (error) {
      failure = describeError(error);
    }
    const current = this.schedules.get(key);
    if (this.closed || current?.invocation.executionId !== executionId) {
      return; // deleted (or replaced) while invoking, or the scheduler was closed
    }
    if (!failure) {
      if (current.actionAfterCompletion === 'DELETE') {
        this.remove(key);
      } else {
        this.put(this.finished(current, 'COMPLETED', null));
      }
      return;
    }
    if (attemptNumber < this.attemptsAllowed(current)) {
      const retryAt = this.clock.now() + this.firstRetryDelayMs * 2 ** (attemptNumber - 1);
      this.put(
        withInvocation(current, {
          status: 'RETRYING',
          nextAttemptAt: new Date(retryAt).toISOString(),
          lastError: failure,
        }),
      );
      this.arm(key);
      return;
    }
    this.put(this.finished(current, 'FAILED', failure));
    console.warn(
      `Local scheduler: ${current.arn} failed after ${attemptNumber} attempt(s): ${failure.error}: ${failure.message}`,
    );
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
    const record = this.schedules.get(keyOf({ groupName, name }));
    if (!record) {
      throw notFound(name);
    }
    return record;
  }

  /** Stores a schedule (new or changed): the file first, so memory never claims what a restart would lose. */
  private put(record: ScheduleRecord): void {
    const next = new Map(this.schedules).set(keyOf(record), record);
    writeSchedules(this.filePath, next.values());
    this.schedules = next;
  }

  private remove(key: string): void {
    const next = new Map(this.schedules);
    next.delete(key);
    writeSchedules(this.filePath, next.values());
    this.schedules = next;
    this.disarm(key);
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

/** Group and name, unique per schedule; `/` cannot occur in either, and keys sort by group, then name. */
const keyOf = (record: Pick<ScheduleRecord, 'groupName' | 'name'>): string =>
  `${record.groupName}/${record.name}`;

function keyOfToken(token: string): string {
  const key = Buffer.from(token, 'base64url').toString();
  if (!/^[0-9a-zA-Z\-_.]{1,64}\/[0-9a-zA-Z\-_.]{1,64}$/.test(key)) {
    throw schedulerErrors.validation(`Invalid NextToken ${token}: not a token this list handed out.`);
  }
  return key;
}

const notFound = (name: string) => schedulerErrors.notFound(`Schedule ${name} does not exist.`);

/** When the schedule next needs attention (case time), or `undefined` when it has nothing left to do. */
function wakeTimeOf(record: ScheduleRecord): number | undefined {
  if (record.state === 'DISABLED') {
    return undefined;
  }
  switch (record.invocation.status) {
    case 'SCHEDULED':
      return Date.parse(record.dueAt);
    case 'RETRYING':
      return Date.parse(record.invocation.nextAttemptAt ?? record.dueAt);
    default:
      return undefined;
  }
}

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
