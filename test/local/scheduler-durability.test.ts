import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  LocalScheduler,
  type LocalSchedulerSettings,
  SCHEDULER_RESTARTED,
  type ScheduleRecord,
} from '#local/aws/index.ts';
import { ScheduleStore } from '#local/aws/scheduler/schedule-store.ts';
import { TestClock } from '../support/test-clock.ts';

const REGION = 'us-east-1';
const FIRE_TIMER = `arn:aws:lambda:${REGION}:000000000000:function:FireTimer`;
const ROLE = 'arn:aws:iam::000000000000:role/scheduler-invoke';
const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;

type CreateRequest = Parameters<LocalScheduler['createSchedule']>[0];

/** `at(yyyy-mm-ddThh:mm:ss)` for a moment (UTC, whole seconds). */
const at = (epochMs: number): string => `at(${new Date(epochMs).toISOString().slice(0, 19)})`;

/** A one-time schedule of the fire-timer function whose event names the schedule. */
function timer(name: string, dueAt: number, overrides: Partial<CreateRequest> = {}): CreateRequest {
  return {
    Name: name,
    ScheduleExpression: at(dueAt),
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: FIRE_TIMER,
      RoleArn: ROLE,
      Input: `{"timer":"${name}","attempt":<aws.scheduler.attempt-number>}`,
    },
    ActionAfterCompletion: 'NONE',
    ...overrides,
  };
}

interface Invocation {
  timer: string;
  attempt: number;
  /** Real time of the call. */
  realTime: number;
}

/** Records every invocation of the target, whose outcome `behaviour` decides (success by default). */
class Target {
  readonly invocations: Invocation[] = [];
  behaviour: (invocation: Invocation) => Promise<unknown> = async () => ({ ok: true });

  readonly invoke = async (_arn: string, payload: unknown): Promise<unknown> => {
    const { timer, attempt } = payload as { timer: string; attempt: number };
    const invocation = { timer, attempt, realTime: Date.now() };
    this.invocations.push(invocation);
    return this.behaviour(invocation);
  };

  /** How many times each timer was invoked. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { timer } of this.invocations) {
      counts[timer] = (counts[timer] ?? 0) + 1;
    }
    return counts;
  }
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting until ${what}`);
    }
    await sleep(5);
  }
}

/** The JSON lines a spy on `console.error` received, parsed. */
const loggedLines = (spy: { mock: { calls: unknown[][] } }): Record<string, unknown>[] =>
  spy.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);

describe('LocalScheduler across restarts', () => {
  let dir: string;
  let dbPath: string;
  let clock: TestClock;
  let target: Target;
  const opened: LocalScheduler[] = [];

  /** A scheduler over the test's database, not started, closed after the test. */
  const open = (settings: Partial<LocalSchedulerSettings> = {}): LocalScheduler => {
    const scheduler = new LocalScheduler({ dbPath, invokeFunction: target.invoke, clock, ...settings });
    opened.push(scheduler);
    return scheduler;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sellerworks-scheduler-durability-'));
    dbPath = join(dir, 'scheduler.sqlite');
    clock = new TestClock();
    target = new Target();
  });

  afterEach(() => {
    for (const scheduler of opened.splice(0)) {
      scheduler.close();
    }
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fires each schedule that came due while the runtime was stopped exactly once, and only after start()', async () => {
    // Prepare: three timers due within hours and one due much later; then the runtime stops for 5 hours.
    const before = open();
    const now = clock.now();
    before.createSchedule(timer('reminder', now + HOUR_MS));
    before.createSchedule(timer('warning', now + 2 * HOUR_MS));
    before.createSchedule(timer('escalation', now + 3 * HOUR_MS));
    before.createSchedule(timer('next-week', now + 7 * 24 * HOUR_MS));
    before.close();
    clock.advance(5 * HOUR_MS);

    // Act: reopen; the API works before start(), but nothing fires until it is called.
    const after = open();
    after.createSchedule(timer('created-before-start', clock.now() - MINUTE_MS));
    const readable = after.getSchedule({ Name: 'reminder' });
    const listed = after.listSchedules({}).Schedules?.map((summary) => summary.Name);
    await sleep(300);
    const firedBeforeStart = target.invocations.length;
    const timersBeforeStart = after.armedTimers;
    after.start();
    await waitUntil(() => target.invocations.length >= 4, 'the overdue timers fire');
    await sleep(300);

    // Assess
    expect(readable.Name).toBe('reminder');
    expect(listed).toEqual(['created-before-start', 'escalation', 'next-week', 'reminder', 'warning']);
    expect(firedBeforeStart).toBe(0);
    expect(timersBeforeStart).toBe(0);
    expect(target.counts()).toEqual({
      reminder: 1,
      warning: 1,
      escalation: 1,
      'created-before-start': 1,
    });
    expect(after.inspect('reminder')?.invocation).toMatchObject({ status: 'COMPLETED', attempts: 1 });
    expect(after.inspect('next-week')?.invocation.status).toBe('SCHEDULED');
    expect(after.armedTimers).toBe(1);
  });

  it('invokes a schedule left INVOKING in the database again after reopen and start(), as the next attempt', async () => {
    // Prepare: the rows as a process killed mid-invocation leaves them (attempt 1 of each running); the
    // second schedule allows no retry, so that interrupted attempt was its last.
    const before = open();
    before.createSchedule(timer('interrupted', clock.now() - MINUTE_MS));
    before.createSchedule(
      timer('interrupted-last-attempt', clock.now() - MINUTE_MS, {
        Target: {
          Arn: FIRE_TIMER,
          RoleArn: ROLE,
          Input: '{"timer":"interrupted-last-attempt","attempt":<aws.scheduler.attempt-number>}',
          RetryPolicy: { MaximumRetryAttempts: 0 },
        },
      }),
    );
    before.close();
    const store = new ScheduleStore(dbPath);
    for (const name of ['interrupted', 'interrupted-last-attempt']) {
      const record = store.get(`default/${name}`) as ScheduleRecord;
      store.put({
        ...record,
        invocation: { ...record.invocation, status: 'INVOKING', attempts: 1, executionId: 'killed' },
      });
    }
    store.close();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});

    // Act
    const after = open();
    const atOpen = after.inspect('interrupted')?.invocation;
    await sleep(100);
    const firedBeforeStart = target.invocations.length;
    after.start();
    await waitUntil(
      () => after.inspect('interrupted')?.invocation.status === 'COMPLETED',
      'the interrupted schedule completes',
    );
    await sleep(200);

    // Assess
    expect(atOpen).toMatchObject({ status: 'RETRYING', attempts: 1, lastError: SCHEDULER_RESTARTED });
    expect(firedBeforeStart).toBe(0);
    expect(target.invocations.map(({ timer, attempt }) => ({ timer, attempt }))).toEqual([
      { timer: 'interrupted', attempt: 2 },
    ]);
    expect(after.inspect('interrupted')?.invocation).toMatchObject({ status: 'COMPLETED', attempts: 2 });
    expect(after.inspect('interrupted-last-attempt')?.invocation).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastError: SCHEDULER_RESTARTED,
    });
    expect(after.failedSchedules().map((record) => record.name)).toEqual(['interrupted-last-attempt']);
    expect(loggedLines(logged)).toEqual([
      expect.objectContaining({
        schedule: `arn:aws:scheduler:${REGION}:000000000000:schedule/default/interrupted-last-attempt`,
        lastError: SCHEDULER_RESTARTED,
      }),
    ]);
  });

  it('retries a target failing twice with growing real waits even at TIME_SCALE 200,000, then completes', async () => {
    // Prepare: a case clock 200,000 times faster than real time; the jitter pinned near its top, so each
    // wait is close to its bound (200 ms, then 400 ms).
    clock = new TestClock(200_000);
    const scheduler = open({ retry: { firstRetryDelayMs: 200, random: () => 0.999 } });
    let failuresLeft = 2;
    target.behaviour = async () => {
      if (failuresLeft-- > 0) {
        throw Object.assign(new Error('DynamoDB Local is restarting'), { name: 'ServiceUnavailable' });
      }
      return { ok: true };
    };

    // Act
    scheduler.start();
    scheduler.createSchedule(timer('flaky', clock.now() - MINUTE_MS));
    await waitUntil(
      () => scheduler.inspect('flaky')?.invocation.status === 'COMPLETED',
      'the schedule completes',
    );

    // Assess
    expect(target.invocations.map(({ attempt }) => attempt)).toEqual([1, 2, 3]);
    const [first, second, third] = target.invocations.map(({ realTime }) => realTime) as [
      number,
      number,
      number,
    ];
    expect(second - first).toBeGreaterThanOrEqual(195);
    expect(third - second).toBeGreaterThanOrEqual(395);
    expect(third - second).toBeGreaterThan(second - first);
    expect(scheduler.inspect('flaky')?.invocation).toMatchObject({
      status: 'COMPLETED',
      attempts: 3,
      lastError: { error: 'ServiceUnavailable' },
    });
    expect(scheduler.failedSchedules()).toEqual([]);
  });

  it('keeps a schedule whose target always fails as FAILED, logs one JSON line and lists it as failed', async () => {
    // Prepare
    const scheduler = open({ retry: { maxAttempts: 4, firstRetryDelayMs: 10 } });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    target.behaviour = async ({ timer }) => {
      if (timer === 'escalation') {
        throw Object.assign(new Error('The case store is unavailable'), { name: 'CaseStoreUnavailable' });
      }
      return { ok: true };
    };

    // Act
    scheduler.start();
    scheduler.createSchedule(
      timer('escalation', clock.now() - MINUTE_MS, { ActionAfterCompletion: 'DELETE' }),
    );
    scheduler.createSchedule(timer('reminder', clock.now() - MINUTE_MS));
    await waitUntil(
      () => scheduler.inspect('escalation')?.invocation.status === 'FAILED',
      'the escalation has failed',
    );
    await sleep(100);

    // Assess
    expect(target.counts()).toEqual({ escalation: 4, reminder: 1 });
    const failure = { error: 'CaseStoreUnavailable', message: 'The case store is unavailable' };
    expect(loggedLines(logged)).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        schedule: `arn:aws:scheduler:${REGION}:000000000000:schedule/default/escalation`,
        target: FIRE_TIMER,
        attempts: 4,
        lastError: failure,
      }),
    ]);
    // The target's Input may carry case data: the log line names the schedule, never the payload.
    expect(String(logged.mock.calls[0]?.[0])).not.toContain('"timer"');
    expect(scheduler.failedSchedules()).toEqual([
      expect.objectContaining({
        name: 'escalation',
        invocation: expect.objectContaining({ status: 'FAILED', attempts: 4, lastError: failure }),
      }),
    ]);
  });

  it('keeps 10,000 schedules across a reopen with one timer, and works off a backlog a bounded number at a time', async () => {
    // Prepare: 10,000 pending timers spread over the coming week, and 200 that came due during the stop.
    const before = open();
    const now = clock.now();
    for (let index = 0; index < 10_000; index++) {
      before.createSchedule(timer(`pending-${index}`, now + HOUR_MS + index * MINUTE_MS));
    }
    for (let index = 0; index < 200; index++) {
      before.createSchedule(timer(`overdue-${index}`, now - MINUTE_MS));
    }
    before.close();
    let running = 0;
    let mostRunning = 0;
    target.behaviour = async () => {
      running++;
      mostRunning = Math.max(mostRunning, running);
      await sleep(2);
      running--;
    };
    const after = open({ maxConcurrentInvocations: 8 });
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');

    // Act
    after.start();
    const timersSetByStart = setTimeoutSpy.mock.calls.length;
    let mostArmed = after.armedTimers;
    await waitUntil(
      () => {
        mostArmed = Math.max(mostArmed, after.armedTimers);
        return target.invocations.length >= 200 && after.invocationsInFlight === 0;
      },
      'the backlog is worked off',
      20_000,
    );
    await sleep(100);

    // Assess
    expect(timersSetByStart).toBeLessThanOrEqual(1);
    expect(mostArmed).toBe(1);
    expect(after.armedTimers).toBe(1);
    expect(mostRunning).toBeGreaterThan(1);
    expect(mostRunning).toBeLessThanOrEqual(8);
    const counts = target.counts();
    expect(Object.keys(counts)).toHaveLength(200);
    expect(Object.values(counts).every((count) => count === 1)).toBe(true);
    expect(Object.keys(counts).every((name) => name.startsWith('overdue-'))).toBe(true);
    const firstPage = after.listSchedules({ NamePrefix: 'pending-' });
    expect(firstPage.Schedules).toHaveLength(100);
    expect(firstPage.NextToken).toBeDefined();
    expect(after.inspect('pending-9999')?.invocation.status).toBe('SCHEDULED');
  });

  it('never starts an attempt twice while it runs, however often other schedules wake the scheduler', async () => {
    // Prepare: the first target call hangs until released.
    let release = (): void => {};
    target.behaviour = async ({ timer }) => {
      if (timer === 'slow') {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
      }
    };
    const scheduler = open();
    scheduler.start();
    scheduler.createSchedule(timer('slow', clock.now() - MINUTE_MS));
    await waitUntil(() => target.invocations.length === 1, 'the slow target runs');

    // Act: twenty more due schedules, each waking the scheduler while the slow attempt runs.
    for (let index = 0; index < 20; index++) {
      scheduler.createSchedule(timer(`quick-${index}`, clock.now() - MINUTE_MS));
      await sleep(1);
    }
    await waitUntil(() => target.invocations.length >= 21, 'the quick schedules fire');
    release();
    await waitUntil(
      () => scheduler.inspect('slow')?.invocation.status === 'COMPLETED',
      'the slow schedule completes',
    );

    // Assess
    expect(target.counts().slow).toBe(1);
    expect(scheduler.inspect('slow')?.invocation.attempts).toBe(1);
  });

  it('imports the schedules.json of an earlier version once, then renames it', async () => {
    // Prepare: the JSON file an earlier runtime left in the data directory.
    const created = new Date(clock.now() - HOUR_MS).toISOString();
    const legacy = (name: string, status: 'SCHEDULED' | 'COMPLETED'): ScheduleRecord => ({
      arn: `arn:aws:scheduler:${REGION}:000000000000:schedule/default/${name}`,
      name,
      groupName: 'default',
      scheduleExpression: at(clock.now() - MINUTE_MS),
      scheduleExpressionTimezone: null,
      dueAt: new Date(Math.floor((clock.now() - MINUTE_MS) / 1000) * 1000).toISOString(),
      target: { Arn: FIRE_TIMER, RoleArn: ROLE, Input: `{"timer":"${name}","attempt":1}` },
      flexibleTimeWindow: { Mode: 'OFF' },
      actionAfterCompletion: 'NONE',
      state: 'ENABLED',
      description: null,
      kmsKeyArn: null,
      clientToken: null,
      creationDate: created,
      lastModificationDate: created,
      invocation: {
        status,
        attempts: status === 'COMPLETED' ? 1 : 0,
        executionId: null,
        nextAttemptAt: null,
        lastError: null,
        finishedAt: status === 'COMPLETED' ? created : null,
      },
    });
    const jsonPath = join(dir, 'schedules.json');
    writeFileSync(
      jsonPath,
      JSON.stringify({ schedules: [legacy('kept-pending', 'SCHEDULED'), legacy('kept-done', 'COMPLETED')] }),
    );
    vi.spyOn(console, 'log').mockImplementation(() => {});

    // Act
    const first = open();
    first.start();
    await waitUntil(() => target.invocations.length > 0, 'the imported pending schedule fires');
    first.close();
    const second = open();
    second.start();
    await sleep(200);

    // Assess
    expect(existsSync(jsonPath)).toBe(false);
    expect(existsSync(`${jsonPath}.imported`)).toBe(true);
    expect(target.counts()).toEqual({ 'kept-pending': 1 });
    expect(second.records().map((record) => [record.name, record.invocation.status])).toEqual([
      ['kept-done', 'COMPLETED'],
      ['kept-pending', 'COMPLETED'],
    ]);
  });

  it('refuses a second scheduler over a database another one has open', () => {
    // Prepare
    open();

    // Act
    const refusal = (() => {
      try {
        open();
      } catch (error) {
        return error;
      }
      return undefined;
    })();

    // Assess
    expect(refusal).toBeInstanceOf(Error);
    expect((refusal as Error).message).toContain(dbPath);
    expect((refusal as Error).message).toContain('another scheduler has it open');
  });
});
