import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalScheduler } from '#local/aws/index.ts';

const SCHEDULER_MODULE = fileURLToPath(
  new URL('../../infra/local/aws/scheduler/local-scheduler.ts', import.meta.url),
);
/** tsx's loader, so the child is one Node process running TypeScript (a `tsx` CLI would be two). */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * The child: a scheduler over the given database whose one due schedule's target never finishes (so it is
 * INVOKING when the kill comes), creating schedules as fast as it can and printing `created <n>` once each
 * CreateSchedule has returned. It never exits by itself.
 */
const CHILD_SOURCE = `
import { LocalScheduler } from ${JSON.stringify(pathToFileURL(SCHEDULER_MODULE).href)};

const dbPath = process.argv[2];
const at = (ms) => 'at(' + new Date(ms).toISOString().slice(0, 19) + ')';
const target = (name) => ({
  Arn: 'arn:aws:lambda:us-east-1:000000000000:function:FireTimer',
  RoleArn: 'arn:aws:iam::000000000000:role/scheduler-invoke',
  Input: '{"timer":"' + name + '","attempt":<aws.scheduler.attempt-number>}',
});
const scheduler = new LocalScheduler({
  dbPath,
  invokeFunction: async (_arn, payload) => {
    process.stdout.write('invoking ' + payload.timer + '\\n');
    await new Promise(() => {});
  },
});
scheduler.start();
scheduler.createSchedule({
  Name: 'in-flight',
  ScheduleExpression: at(Date.now() - 60_000),
  FlexibleTimeWindow: { Mode: 'OFF' },
  Target: target('in-flight'),
  ActionAfterCompletion: 'NONE',
});
let index = 0;
const createSome = () => {
  for (let n = 0; n < 50; n++, index++) {
    scheduler.createSchedule({
      Name: 'created-' + index,
      ScheduleExpression: at(Date.now() + 24 * 60 * 60 * 1000),
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: target('created-' + index),
    });
    process.stdout.write('created ' + index + '\\n');
  }
  setImmediate(createSome);
};
createSome();
`;

/** Starts the child over `dbPath`, collecting the lines it prints. */
function startChild(
  scriptPath: string,
  dbPath: string,
): { child: ChildProcess; lines: string[]; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, scriptPath, dbPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return { child, lines, stderr: () => stderr };
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting until ${what}`);
    }
    await sleep(10);
  }
}

describe('LocalScheduler killed with SIGKILL', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let scheduler: LocalScheduler | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sellerworks-scheduler-sigkill-'));
  });

  afterEach(() => {
    child?.kill('SIGKILL');
    scheduler?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no schedule whose creation returned, and invokes the interrupted one again after reopen', async () => {
    // Prepare: a child process creating schedules while one invocation runs.
    const scriptPath = join(dir, 'scheduler-child.mjs');
    writeFileSync(scriptPath, CHILD_SOURCE);
    const dbPath = join(dir, 'scheduler.sqlite');
    const started = startChild(scriptPath, dbPath);
    child = started.child;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => {
      started.child.on('exit', (_code, signal) => resolve(signal));
    });
    const createdCount = () => started.lines.filter((line) => line.startsWith('created ')).length;
    await waitUntil(
      () => started.lines.includes('invoking in-flight') && createdCount() >= 2000,
      `the child is invoking and has created 2,000 schedules (stderr: ${started.stderr()})`,
      20_000,
    );

    // Act: kill it in the middle of creating, then reopen the database here.
    started.child.kill('SIGKILL');
    const signal = await exited;
    const acknowledged = started.lines
      .filter((line) => line.startsWith('created '))
      .map((line) => `created-${line.slice('created '.length)}`);
    const invocations: unknown[] = [];
    scheduler = new LocalScheduler({
      dbPath,
      invokeFunction: async (_arn, payload) => {
        invocations.push(payload);
      },
    });
    const lost = acknowledged.filter((name) => scheduler?.inspect(name) === undefined);
    scheduler.start();
    await waitUntil(() => invocations.length > 0, 'the interrupted schedule is invoked again', 5000);
    await sleep(200);

    // Assess
    expect(signal).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(2000);
    expect(lost).toEqual([]);
    expect(invocations).toEqual([{ timer: 'in-flight', attempt: 2 }]);
    expect(scheduler.inspect('in-flight')?.invocation).toMatchObject({ status: 'COMPLETED', attempts: 2 });
    expect(scheduler.inspect(acknowledged.at(-1) ?? '')?.invocation.status).toBe('SCHEDULED');
  });
});
