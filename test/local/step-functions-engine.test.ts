import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { ExecutionStore, type InvokeFunction, LocalStepFunctions } from '../../infra/local/aws/index.ts';

/**
 * The local Step Functions engine on its own, in-process: durability across a stop (the same store opened
 * by a new engine), and the fidelity points checked against the AWS CLI (context object, payload quota,
 * retry backoff, page tokens, DescribeStateMachineForExecution).
 */
const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:Flow';
const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One callback task, `Ask`, that hands its function `payload` (with the task token) and waits an hour. */
const askFlow = (payload: Record<string, string>) => ({
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: fn('Ask'), Payload: payload },
      TimeoutSeconds: 3600,
      End: true,
    },
  },
});

let dir: string;
const engines: LocalStepFunctions[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

function engine(definition: object, invokeFunction: InvokeFunction, start = true): LocalStepFunctions {
  dir ??= mkdtempSync(join(tmpdir(), 'sw-sfn-'));
  const sfn = new LocalStepFunctions({
    stateMachines: [{ name: 'Flow', arn: ARN, definition }],
    invokeFunction,
    store: new ExecutionStore(join(dir, 'executions.sqlite')),
  });
  engines.push(sfn);
  if (start) sfn.start();
  return sfn;
}

async function until<T>(read: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const historyOf = (sfn: LocalStepFunctions, executionArn: string): HistoryEvent[] =>
  sfn.getExecutionHistory({ executionArn, maxResults: 1000 }).events ?? [];

const finished = (sfn: LocalStepFunctions, executionArn: string) =>
  until(() => {
    const described = sfn.describeExecution({ executionArn });
    return described.status === 'RUNNING' ? undefined : described;
  }, `${executionArn} to finish`);

describe('local Step Functions engine', () => {
  dir = mkdtempSync(join(tmpdir(), 'sw-sfn-'));

  it('re-invokes a callback interrupted before it was submitted with the same token, once', async () => {
    // Prepare: the callback's function never answers before the stop.
    const definition = askFlow({ 'token.$': '$$.Task.Token' });
    const firstTokens: string[] = [];
    const first = engine(definition, async (_name, payload) => {
      firstTokens.push((payload as { token: string }).token);
      return new Promise(() => undefined);
    });
    const { executionArn = '' } = first.startExecution({ stateMachineArn: ARN, name: 'case-1' });
    await until(() => firstTokens[0], 'the first invocation');
    await first.close();

    // Act: a new engine on the same store.
    const secondTokens: string[] = [];
    const second = engine(definition, async (_name, payload) => {
      secondTokens.push((payload as { token: string }).token);
      return { asked: true };
    });
    await until(() => historyOf(second, executionArn).find((e) => e.type === 'TaskSubmitted'), 'submission');
    second.sendTaskSuccess({ taskToken: secondTokens[0] ?? '', output: '{"answer":42}' });

    // Assess
    expect(secondTokens).toEqual(firstTokens);
    const done = await finished(second, executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"answer":42}' });
    const types = historyOf(second, executionArn).map((e) => e.type);
    expect(types.filter((type) => type === 'TaskScheduled')).toHaveLength(1);
  });

  it('keeps a Wait state’s due time across a stop instead of starting it again', async () => {
    // Prepare
    const definition = {
      StartAt: 'Pause',
      States: { Pause: { Type: 'Wait', Seconds: 3, Next: 'Done' }, Done: { Type: 'Succeed' } },
    };
    const first = engine(definition, async () => null);
    const started = Date.now();
    const { executionArn = '' } = first.startExecution({ stateMachineArn: ARN, name: 'wait-1' });
    await sleep(1500);
    await first.close();

    // Act
    const second = engine(definition, async () => null);
    const done = await finished(second, executionArn);

    // Assess: 3 s in all from the start; a wait begun again would end 4.5 s or more after it.
    expect(done.status).toBe('SUCCEEDED');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(Date.now() - started).toBeLessThan(4400);
  });

  it('gives $$.State its name, entry time and retry count, and retries with capped, jittered backoff', async () => {
    // Prepare
    const seen: { name: string; entered: string; retries: number; at: number }[] = [];
    const definition = {
      StartAt: 'Flaky',
      States: {
        Flaky: {
          Type: 'Task',
          Resource: fn('Flaky'),
          Parameters: {
            'name.$': '$$.State.Name',
            'entered.$': '$$.State.EnteredTime',
            'retries.$': '$$.State.RetryCount',
          },
          Retry: [
            {
              ErrorEquals: ['Throttled'],
              IntervalSeconds: 1,
              BackoffRate: 10,
              MaxDelaySeconds: 1,
              MaxAttempts: 3,
              JitterStrategy: 'FULL',
            },
          ],
          End: true,
        },
      },
    };
    const sfn = engine(definition, async (_name, payload) => {
      seen.push({ ...(payload as { name: string; entered: string; retries: number }), at: Date.now() });
      if (seen.length < 3) throw Object.assign(new Error('slow down'), { name: 'Throttled' });
      return 'ok';
    });

    // Act
    const { executionArn = '' } = sfn.startExecution({ stateMachineArn: ARN, name: 'retry-1' });
    const done = await finished(sfn, executionArn);

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(seen.map((s) => s.name)).toEqual(['Flaky', 'Flaky', 'Flaky']);
    expect(seen.map((s) => s.retries)).toEqual([0, 1, 2]);
    expect(new Set(seen.map((s) => s.entered)).size).toBe(1);
    // BackoffRate 10 would wait 10 s before the third attempt; MaxDelaySeconds caps it at 1 s, jitter below.
    expect((seen[2]?.at ?? 0) - (seen[0]?.at ?? 0)).toBeLessThan(2100);
  });

  it('runs one task at a time while API requests are in flight, and all its slots once they are answered', async () => {
    // Prepare: a task that holds its slot until let go, counting how many run at once.
    let running = 0;
    let most = 0;
    const letGo: (() => void)[] = [];
    const definition = {
      StartAt: 'Work',
      States: { Work: { Type: 'Task', Resource: fn('Work'), End: true } },
    };
    const sfn = engine(definition, async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => letGo.push(resolve));
      running -= 1;
      return 'done';
    });
    sfn.setForegroundLoad(3);

    // Act: twelve executions while three requests are in flight, letting each task go after a moment.
    const arns = Array.from(
      { length: 12 },
      (_, i) => sfn.startExecution({ stateMachineArn: ARN, name: `load-${i}` }).executionArn ?? '',
    );
    for (let i = 0; i < 3; i += 1) {
      await until(() => (letGo.length > 0 ? true : undefined), 'a task to start');
      await sleep(20);
      letGo.shift()?.();
    }
    const duringLoad = most;
    sfn.setForegroundLoad(0);
    await until(() => (letGo.length >= 8 ? true : undefined), 'eight tasks at once');
    const afterLoad = running;
    // The last one starts as a slot frees: let every task go as it comes.
    const release = setInterval(() => {
      while (letGo.length > 0) letGo.shift()?.();
    }, 5);
    const statuses = [];
    for (const arn of arns) statuses.push((await finished(sfn, arn)).status);
    clearInterval(release);

    // Assess
    expect(duringLoad).toBe(1);
    expect(afterLoad).toBe(8);
    expect(statuses).toEqual(arns.map(() => 'SUCCEEDED'));
  });

  it('fails with States.DataLimitExceeded for a result over 256 KiB of UTF-8, which States.ALL does not catch', async () => {
    // Prepare: 100,000 three-byte characters are 300,000 bytes but only 100,000 UTF-16 units.
    const definition = {
      StartAt: 'Big',
      States: {
        Big: {
          Type: 'Task',
          Resource: fn('Big'),
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Succeed' },
      },
    };
    const sfn = engine(definition, async () => '€'.repeat(100_000));

    // Act
    const { executionArn = '' } = sfn.startExecution({ stateMachineArn: ARN, name: 'big-1' });
    const done = await finished(sfn, executionArn);

    // Assess
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(() =>
      sfn.startExecution({ stateMachineArn: ARN, name: 'big-2', input: JSON.stringify('€'.repeat(90_000)) }),
    ).toThrow(/InvalidExecutionInput|maximum size/);
  });

  it('sets no timeout on a task that names none, and accepts a year-long callback cap', () => {
    // Prepare
    const definition = {
      StartAt: 'Work',
      States: {
        Work: { Type: 'Task', Resource: fn('Work'), Next: 'Wait' },
        Wait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: fn('Ask'), Payload: { 't.$': '$$.Task.Token' } },
          TimeoutSeconds: 365 * 86_400,
          End: true,
        },
      },
    };
    const sfn = engine(definition, async () => ({}));

    // Act
    const { executionArn = '' } = sfn.startExecution({ stateMachineArn: ARN, name: 'long-1' });

    // Assess
    return until(() => historyOf(sfn, executionArn).find((e) => e.type === 'TaskSubmitted'), 'the wait').then(
      () => {
        const history = historyOf(sfn, executionArn);
        const lambda = history.find((e) => e.type === 'LambdaFunctionScheduled');
        expect(lambda?.lambdaFunctionScheduledEventDetails?.timeoutInSeconds).toBeUndefined();
        const task = history.find((e) => e.type === 'TaskScheduled');
        expect(task?.taskScheduledEventDetails?.timeoutInSeconds).toBe(365 * 86_400);
        const forExecution = sfn.describeStateMachineForExecution({ executionArn });
        expect(forExecution.stateMachineArn).toBe(ARN);
        expect(JSON.parse(forExecution.definition ?? '{}').StartAt).toBe('Work');
      },
    );
  });

  it('keeps a ListExecutions page token valid when listed executions change status', async () => {
    // Prepare: three waiting executions.
    const tokens = new Map<string, string>();
    const definition = askFlow({ 't.$': '$$.Task.Token', 'n.$': '$$.Execution.Name' });
    const sfn = engine(definition, async (_name, payload) => {
      const { t, n } = payload as { t: string; n: string };
      tokens.set(n, t);
      return {};
    });
    for (const name of ['a', 'b', 'c']) {
      sfn.startExecution({ stateMachineArn: ARN, name });
      await sleep(5);
    }
    await until(() => (tokens.size === 3 ? true : undefined), 'three waits');
    const first = sfn.listExecutions({ stateMachineArn: ARN, statusFilter: 'RUNNING', maxResults: 1 });

    // Act: the listed execution finishes before the next page is asked for.
    sfn.sendTaskSuccess({ taskToken: tokens.get('c') ?? '', output: '{}' });
    const second = sfn.listExecutions({
      stateMachineArn: ARN,
      statusFilter: 'RUNNING',
      maxResults: 5,
      ...(first.nextToken ? { nextToken: first.nextToken } : {}),
    });

    // Assess
    expect(first.executions?.map((e) => e.name)).toEqual(['c']);
    expect(second.executions?.map((e) => e.name)).toEqual(['b', 'a']);
    expect(second.nextToken).toBeUndefined();
  });
});
