import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ExecutionStore,
  type LocalAwsServer,
  LocalScheduler,
  type LocalSchedulerSettings,
  LocalSecrets,
  LocalStepFunctions,
  Outbox,
  startLocalAwsServer,
} from '#local/aws/index.ts';
import { TestClock } from '../support/test-clock.ts';

const REGION = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const REMINDER_FUNCTION = `arn:aws:lambda:${REGION}:000000000000:function:SlaReminder`;
const ROLE = 'arn:aws:iam::000000000000:role/scheduler-invoke';
const HOUR_MS = 60 * 60 * 1000;

/** `at(yyyy-mm-ddThh:mm:ss)` for a moment (UTC, whole seconds). */
const at = (epochMs: number): string => `at(${new Date(epochMs).toISOString().slice(0, 19)})`;

interface Invocation {
  functionArn: string;
  payload: unknown;
  /** Case time of the call. */
  caseTime: number;
  /** Real time of the call. */
  realTime: number;
}

/** A scheduler with its endpoint, recording (or failing) every invocation. */
class Harness {
  readonly invocations: Invocation[] = [];
  /** Decides an invocation's outcome; succeeds by default. */
  behaviour: (payload: unknown) => Promise<unknown> = async () => ({ ok: true });
  scheduler!: LocalScheduler;
  server!: LocalAwsServer;
  client!: SchedulerClient;

  constructor(
    readonly dir: string,
    readonly clock: TestClock,
  ) {}

  /** Opens the scheduler and its endpoint, then starts the scheduler, as the runtime does. */
  async start(options: Partial<LocalSchedulerSettings> = {}): Promise<void> {
    this.scheduler = new LocalScheduler({
      dbPath: join(this.dir, 'scheduler.sqlite'),
      invokeFunction: async (functionArn, payload) => {
        this.invocations.push({ functionArn, payload, caseTime: this.clock.now(), realTime: Date.now() });
        return this.behaviour(payload);
      },
      clock: this.clock,
      ...options,
    });
    this.server = await startLocalAwsServer({
      port: 0,
      stepFunctions: new LocalStepFunctions({
        stateMachines: [],
        invokeFunction: async () => ({}),
        store: new ExecutionStore(join(this.dir, 'executions')),
      }),
      outbox: new Outbox(join(this.dir, 'outbox.jsonl')),
      s3Root: join(this.dir, 's3'),
      secrets: new LocalSecrets(join(this.dir, 'secrets.json')),
      scheduler: this.scheduler,
    });
    this.client = new SchedulerClient({ endpoint: this.server.url, region: REGION, credentials });
    this.scheduler.start();
  }

  private stopped = false;

  async stop(): Promise<void> {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    this.client.destroy();
    this.scheduler.close();
    await this.server.close();
  }
}

/** A one-time schedule of the reminder function; `overrides` change or add members. */
function reminder(
  name: string,
  expression: string,
  overrides: Partial<CreateScheduleCommandInput> = {},
): CreateScheduleCommandInput {
  return {
    Name: name,
    ScheduleExpression: expression,
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: REMINDER_FUNCTION,
      RoleArn: ROLE,
      Input: JSON.stringify({ caseId: name, kind: 'reminder' }),
    },
    ActionAfterCompletion: 'DELETE',
    ...overrides,
  };
}

/** The error a call failed with; fails the test if the call succeeded. */
async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to fail, but it succeeded');
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

describe('local EventBridge Scheduler endpoint', () => {
  let dir: string;
  let local: Harness;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sellerworks-scheduler-'));
    local = new Harness(dir, new TestClock());
    await local.start();
  });

  afterEach(async () => {
    await local.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('invokes the target once with the parsed Input when the at() time comes, then deletes the schedule', async () => {
    // Prepare
    const due = local.clock.wholeSecondIn(300);

    // Act
    const { ScheduleArn } = await local.client.send(new CreateScheduleCommand(reminder('case-1', at(due))));
    await waitUntil(() => local.invocations.length > 0, 'the target is invoked');
    await sleep(300);

    // Assess
    expect(ScheduleArn).toBe(`arn:aws:scheduler:${REGION}:000000000000:schedule/default/case-1`);
    expect(local.invocations).toHaveLength(1);
    expect(local.invocations[0]).toMatchObject({
      functionArn: REMINDER_FUNCTION,
      payload: { caseId: 'case-1', kind: 'reminder' },
    });
    expect(local.invocations[0]!.caseTime).toBeGreaterThanOrEqual(due);
    expect(local.invocations[0]!.caseTime).toBeLessThan(due + 250);
    const gone = await failureOf(local.client.send(new GetScheduleCommand({ Name: 'case-1' })));
    expect(gone).toBeInstanceOf(ResourceNotFoundException);
    expect(local.scheduler.inspect('case-1')).toBeUndefined();
  });

  it('shows a pending schedule to GetSchedule and ListSchedules, filtered and paged', async () => {
    // Prepare
    const due = local.clock.now() + HOUR_MS;
    await local.client.send(
      new CreateScheduleCommand(
        reminder('sla-case-2-warning', at(due), { GroupName: 'sla', Description: 'pre-breach warning' }),
      ),
    );
    await local.client.send(new CreateScheduleCommand(reminder('sla-case-2-breach', at(due + HOUR_MS))));
    await local.client.send(new CreateScheduleCommand(reminder('other', at(due))));

    // Act
    const schedule = await local.client.send(
      new GetScheduleCommand({ Name: 'sla-case-2-warning', GroupName: 'sla' }),
    );
    const inDefault = await failureOf(
      local.client.send(new GetScheduleCommand({ Name: 'sla-case-2-warning' })),
    );
    const all = await local.client.send(new ListSchedulesCommand({}));
    const slaGroup = await local.client.send(new ListSchedulesCommand({ GroupName: 'sla' }));
    const firstPage = await local.client.send(
      new ListSchedulesCommand({ NamePrefix: 'sla-', MaxResults: 1 }),
    );
    const secondPage = await local.client.send(
      new ListSchedulesCommand({ NamePrefix: 'sla-', MaxResults: 1, NextToken: firstPage.NextToken }),
    );

    // Assess
    expect(schedule).toMatchObject({
      Arn: `arn:aws:scheduler:${REGION}:000000000000:schedule/sla/sla-case-2-warning`,
      Name: 'sla-case-2-warning',
      GroupName: 'sla',
      ScheduleExpression: at(due),
      State: 'ENABLED',
      Description: 'pre-breach warning',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: REMINDER_FUNCTION,
        RoleArn: ROLE,
        Input: '{"caseId":"sla-case-2-warning","kind":"reminder"}',
      },
    });
    expect(schedule.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs(schedule.CreationDate!.getTime() - local.clock.now())).toBeLessThan(5000);
    expect(inDefault).toBeInstanceOf(ResourceNotFoundException);
    expect(all.Schedules?.map((summary) => `${summary.GroupName}/${summary.Name}`)).toEqual([
      'default/other',
      'default/sla-case-2-breach',
      'sla/sla-case-2-warning',
    ]);
    expect(slaGroup.Schedules).toEqual([
      expect.objectContaining({
        Name: 'sla-case-2-warning',
        State: 'ENABLED',
        Target: { Arn: REMINDER_FUNCTION },
      }),
    ]);
    expect(firstPage.Schedules?.map((summary) => summary.Name)).toEqual(['sla-case-2-breach']);
    expect(firstPage.NextToken).toBeDefined();
    expect(secondPage.Schedules?.map((summary) => summary.Name)).toEqual(['sla-case-2-warning']);
    expect(secondPage.NextToken).toBeUndefined();
    expect(local.invocations).toEqual([]);
  });

  it('never invokes a schedule deleted before its time, and answers ResourceNotFoundException afterwards', async () => {
    // Prepare
    const due = local.clock.wholeSecondIn(300);
    await local.client.send(new CreateScheduleCommand(reminder('case-3', at(due))));

    // Act
    await local.client.send(new DeleteScheduleCommand({ Name: 'case-3' }));
    await sleep(600);

    // Assess
    expect(local.invocations).toEqual([]);
    const get = await failureOf(local.client.send(new GetScheduleCommand({ Name: 'case-3' })));
    const deleteAgain = await failureOf(local.client.send(new DeleteScheduleCommand({ Name: 'case-3' })));
    expect(get).toBeInstanceOf(ResourceNotFoundException);
    expect(deleteAgain).toBeInstanceOf(ResourceNotFoundException);
    expect((deleteAgain as ResourceNotFoundException).message).toBe('Schedule case-3 does not exist.');
  });

  it('refuses a second schedule of the same name in a group, but answers a retried request by its ClientToken', async () => {
    // Prepare
    const expression = at(local.clock.now() + HOUR_MS);
    const first = await local.client.send(
      new CreateScheduleCommand(reminder('case-4', expression, { ClientToken: 'token-1' })),
    );

    // Act
    const retried = await local.client.send(
      new CreateScheduleCommand(reminder('case-4', expression, { ClientToken: 'token-1' })),
    );
    const again = await failureOf(
      local.client.send(new CreateScheduleCommand(reminder('case-4', expression))),
    );
    const otherGroup = await local.client.send(
      new CreateScheduleCommand(reminder('case-4', expression, { GroupName: 'sla' })),
    );

    // Assess
    expect(again).toBeInstanceOf(ConflictException);
    expect((again as ConflictException).message).toContain('case-4');
    expect(retried.ScheduleArn).toBe(first.ScheduleArn);
    expect(otherGroup.ScheduleArn).toContain(':schedule/sla/case-4');
    const { Schedules = [] } = await local.client.send(new ListSchedulesCommand({}));
    expect(Schedules).toHaveLength(2);
  });

  it('refuses recurring expressions, other time zones, non-Lambda targets and bad input, storing nothing', async () => {
    // Prepare
    const later = at(local.clock.now() + HOUR_MS);
    const send = (input: CreateScheduleCommandInput) =>
      failureOf(local.client.send(new CreateScheduleCommand(input)));

    // Act
    const rate = await send(reminder('recurring', 'rate(5 minutes)'));
    const cron = await send(reminder('cron', 'cron(0 9 * * ? *)'));
    const zoned = await send(reminder('zoned', later, { ScheduleExpressionTimezone: 'Europe/Berlin' }));
    const impossible = await send(reminder('impossible', 'at(2026-02-30T10:00:00)'));
    const queue = await send(
      reminder('queue', later, {
        Target: { Arn: 'arn:aws:sqs:us-east-1:000000000000:reminders', RoleArn: ROLE, Input: '{}' },
      }),
    );
    const notJson = await send(
      reminder('not-json', later, { Target: { Arn: REMINDER_FUNCTION, RoleArn: ROLE, Input: '{case' } }),
    );
    const noWindow = await send({ ...reminder('no-window', later), FlexibleTimeWindow: undefined as never });

    // Assess
    for (const error of [rate, cron, zoned, impossible, queue, notJson, noWindow]) {
      expect(error).toBeInstanceOf(ValidationException);
    }
    expect((rate as ValidationException).message).toContain('rate(5 minutes)');
    expect((rate as ValidationException).message).toContain('one-time');
    expect((zoned as ValidationException).message).toContain('Europe/Berlin');
    expect((noWindow as ValidationException).message).toContain('FlexibleTimeWindow');
    const { Schedules } = await local.client.send(new ListSchedulesCommand({}));
    expect(Schedules).toEqual([]);
  });

  it('fires a schedule whose time has already passed promptly', async () => {
    // Prepare
    const past = at(local.clock.now() - HOUR_MS);
    const started = Date.now();

    // Act
    await local.client.send(new CreateScheduleCommand(reminder('case-6', past)));
    await waitUntil(() => local.invocations.length > 0, 'the overdue schedule fires', 1000);

    // Assess
    expect(local.invocations[0]!.realTime - started).toBeLessThan(500);
    expect(local.invocations[0]!.payload).toEqual({ caseId: 'case-6', kind: 'reminder' });
  });

  it('keeps schedules across a restart: a new scheduler over the database fires pending ones exactly once', async () => {
    // Prepare: one schedule completes before the restart (kept, as ActionAfterCompletion is NONE), one is
    // still pending when the old scheduler closes.
    await local.client.send(
      new CreateScheduleCommand(
        reminder('done-before', at(local.clock.now() - 1000), { ActionAfterCompletion: 'NONE' }),
      ),
    );
    await waitUntil(
      () => local.scheduler.inspect('done-before')?.invocation.status === 'COMPLETED',
      'the first schedule completes',
    );
    const due = local.clock.wholeSecondIn(400);
    await local.client.send(new CreateScheduleCommand(reminder('pending', at(due))));
    await local.stop();
    const before = local.invocations.length;

    // Act
    const restarted = new Harness(dir, local.clock);
    await restarted.start();
    local = restarted;
    await waitUntil(() => restarted.invocations.length > 0, 'the pending schedule fires after the restart');
    await sleep(300);

    // Assess
    expect(before).toBe(1);
    expect(restarted.invocations.map((invocation) => invocation.payload)).toEqual([
      { caseId: 'pending', kind: 'reminder' },
    ]);
    expect(restarted.invocations[0]!.caseTime).toBeGreaterThanOrEqual(due);
    const kept = await restarted.client.send(new GetScheduleCommand({ Name: 'done-before' }));
    expect(kept.ActionAfterCompletion).toBe('NONE');
    expect(restarted.scheduler.inspect('done-before')?.invocation).toMatchObject({
      status: 'COMPLETED',
      attempts: 1,
    });
    expect(restarted.scheduler.inspect('pending')).toBeUndefined();
  });

  it('invokes a schedule again after a restart that interrupted its invocation, as the next attempt', async () => {
    // Prepare: the target never answers, and the scheduler closes while it runs.
    local.behaviour = () => new Promise(() => {});
    await local.client.send(
      new CreateScheduleCommand(
        reminder('case-9', at(local.clock.now() - 1000), {
          Target: {
            Arn: REMINDER_FUNCTION,
            RoleArn: ROLE,
            Input: '{"caseId":"case-9","attempt":<aws.scheduler.attempt-number>}',
          },
        }),
      ),
    );
    await waitUntil(() => local.invocations.length > 0, 'the target is invoked');
    await local.stop();

    // Act
    const restarted = new Harness(dir, local.clock);
    await restarted.start();
    local = restarted;
    await waitUntil(() => restarted.invocations.length > 0, 'the interrupted schedule is invoked again');
    await sleep(300);

    // Assess: once more (at least once, the target being idempotent), with the next attempt number.
    expect(restarted.invocations.map((invocation) => invocation.payload)).toEqual([
      { caseId: 'case-9', attempt: 2 },
    ]);
    expect(restarted.scheduler.inspect('case-9')).toBeUndefined();
  });

  it('follows a faster case clock: 60 s of case time pass in about 60 ms', async () => {
    // Prepare
    await local.stop();
    const fast = new Harness(dir, new TestClock(1000));
    await fast.start();
    local = fast;
    const due = fast.clock.wholeSecondIn(60_000);
    const started = Date.now();

    // Act
    await fast.client.send(new CreateScheduleCommand(reminder('case-10', at(due))));
    await waitUntil(() => fast.invocations.length > 0, 'the schedule fires', 2000);

    // Assess
    expect(fast.invocations[0]!.realTime - started).toBeLessThan(200);
    expect(fast.invocations[0]!.caseTime).toBeGreaterThanOrEqual(due);
  });

  it('retries a failing target with backoff, then keeps the schedule as FAILED with the last error', async () => {
    // Prepare
    await local.stop();
    const failing = new Harness(dir, local.clock);
    // The jitter pinned near its top, so each wait is close to its (doubling) bound.
    await failing.start({ retry: { maxAttempts: 3, firstRetryDelayMs: 50, random: () => 0.999 } });
    local = failing;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    failing.behaviour = async () => {
      throw Object.assign(new Error('The case store is unavailable'), { name: 'CaseStoreUnavailable' });
    };
    const input = '{"caseId":"case-11","attempt":<aws.scheduler.attempt-number>}';

    // Act
    await failing.client.send(
      new CreateScheduleCommand(
        reminder('case-11', at(failing.clock.now() - 1000), {
          Target: { Arn: REMINDER_FUNCTION, RoleArn: ROLE, Input: input },
        }),
      ),
    );
    await waitUntil(
      () => failing.scheduler.inspect('case-11')?.invocation.status === 'FAILED',
      'the schedule has failed',
    );
    await sleep(200);
    const errors = logged.mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);
    logged.mockRestore();

    // Assess
    expect(failing.invocations.map((invocation) => invocation.payload)).toEqual([
      { caseId: 'case-11', attempt: 1 },
      { caseId: 'case-11', attempt: 2 },
      { caseId: 'case-11', attempt: 3 },
    ]);
    const [first, second, third] = failing.invocations.map((invocation) => invocation.realTime);
    expect(second! - first!).toBeGreaterThanOrEqual(45);
    expect(third! - second!).toBeGreaterThanOrEqual(95);
    expect(failing.scheduler.inspect('case-11')?.invocation).toMatchObject({
      status: 'FAILED',
      attempts: 3,
      lastError: { error: 'CaseStoreUnavailable', message: 'The case store is unavailable' },
    });
    expect(errors).toEqual([
      expect.objectContaining({
        schedule: `arn:aws:scheduler:${REGION}:000000000000:schedule/default/case-11`,
        attempts: 3,
      }),
    ]);
    // Kept although ActionAfterCompletion is DELETE, so the failure stays visible.
    const kept = await failing.client.send(new GetScheduleCommand({ Name: 'case-11' }));
    expect(kept.Name).toBe('case-11');
  });

  it('lets RetryPolicy.MaximumRetryAttempts lower the attempts, and completes a schedule that succeeds on retry', async () => {
    // Prepare
    await local.stop();
    const flaky = new Harness(dir, local.clock);
    await flaky.start({ retry: { firstRetryDelayMs: 20 } });
    local = flaky;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failuresLeft = new Map([
      ['no-retry', 1],
      ['second-time-lucky', 1],
    ]);
    flaky.behaviour = async (payload) => {
      const { caseId } = payload as { caseId: string };
      const left = failuresLeft.get(caseId) ?? 0;
      if (left > 0) {
        failuresLeft.set(caseId, left - 1);
        throw new Error(`transient failure of ${caseId}`);
      }
      return { ok: true };
    };
    const past = at(flaky.clock.now() - 1000);

    // Act
    await flaky.client.send(
      new CreateScheduleCommand(
        reminder('no-retry', past, {
          Target: {
            Arn: REMINDER_FUNCTION,
            RoleArn: ROLE,
            Input: '{"caseId":"no-retry"}',
            RetryPolicy: { MaximumRetryAttempts: 0 },
          },
        }),
      ),
    );
    await flaky.client.send(new CreateScheduleCommand(reminder('second-time-lucky', past)));
    await waitUntil(
      () =>
        flaky.scheduler.inspect('no-retry')?.invocation.status === 'FAILED' &&
        flaky.scheduler.inspect('second-time-lucky') === undefined,
      'both schedules are settled',
    );
    await sleep(200);
    logged.mockRestore();

    // Assess
    const calls = (caseId: string) =>
      flaky.invocations.filter((invocation) => (invocation.payload as { caseId: string }).caseId === caseId);
    expect(calls('no-retry')).toHaveLength(1);
    expect(calls('second-time-lucky')).toHaveLength(2);
  });
});

describe('LocalScheduler timers', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sellerworks-scheduler-'));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });

  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reaches a time beyond the 2^31-1 ms setTimeout limit in steps, neither early nor never', async () => {
    // Prepare
    const invocations: unknown[] = [];
    const scheduler = new LocalScheduler({
      dbPath: join(dir, 'scheduler.sqlite'),
      invokeFunction: async (_arn, payload) => {
        invocations.push(payload);
      },
    });
    scheduler.start();
    const due = Math.ceil(Date.now() / 1000) * 1000 + 40 * 24 * HOUR_MS;
    scheduler.createSchedule({
      Name: 'breach',
      ScheduleExpression: at(due),
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: REMINDER_FUNCTION, RoleArn: ROLE, Input: '{"caseId":"case-7"}' },
    });

    // Act
    await vi.advanceTimersByTimeAsync(due - Date.now() - 1000);
    const beforeDue = [...invocations];
    await vi.advanceTimersByTimeAsync(1000);
    const status = scheduler.inspect('breach')?.invocation.status;
    scheduler.close();

    // Assess
    expect(beforeDue).toEqual([]);
    expect(invocations).toEqual([{ caseId: 'case-7' }]);
    expect(status).toBe('COMPLETED');
  });
});
