import type { JsonValue } from './asl-types.ts';
import type { ExecutionCursor, ExecutionStore } from './execution-store.ts';
import type { RegisteredMachine } from './registered-machine.ts';
import {
  advance,
  callbackSubmitted,
  executionTimedOut,
  retryAttempt,
  type StateScope,
  type Step,
  taskFailed,
  taskSucceeded,
  wakeFromTimer,
} from './state-logic.ts';
import { StatesError } from './states-error.ts';
import type { TaskBinding } from './task-binding.ts';
import type { TaskSlots } from './task-slots.ts';

/**
 * Runs a Lambda function of the product in-process: the local runtime resolves `functionName` (an ARN or a
 * name, as `lambda:invoke` allows both) to a handler and calls it with `payload`. Errors it throws reach
 * Retry/Catch by their `name`.
 */
export type InvokeFunction = (functionName: string, payload: unknown) => Promise<unknown>;

/** What every runner shares. */
export interface RunnerContext {
  readonly store: ExecutionStore;
  readonly machineOf: (stateMachineArn: string) => RegisteredMachine;
  readonly invokeFunction: InvokeFunction;
  readonly roleArn: string;
  readonly newToken: (executionArn: string) => string;
  /** Bounds how many tasks invoke their function at once (see task-slots.ts). */
  readonly slots: TaskSlots;
  /** Retry delays pass this many times faster (1: as written). */
  readonly timeScale: number;
}

/** setTimeout holds at most 2^31-1 ms; longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

type Outcome =
  | { kind: 'woken' }
  | { kind: 'time' }
  | { kind: 'returned'; value: JsonValue }
  | { kind: 'threw'; error: StatesError };

/**
 * Drives one execution from its stored position: each turn reads where it is, commits what the state does
 * next (one transaction), then performs the side effect the new position asks for — invoking a function,
 * waiting for a token, a timer or a retry delay. A stop at any instant loses nothing: the next runner reads
 * the same position and carries on; only an invocation whose answer was not yet committed runs again (with
 * the same task token), which the product's steps treat as a no-op.
 *
 * Outside events (SendTaskSuccess/Failure, StopExecution) commit their own change and `wake()` the runner,
 * which then reads the new position; every commit is guarded by the position's version, so an answer that
 * arrives after the execution moved on changes nothing.
 */
export class ExecutionRunner {
  readonly finished: Promise<void>;
  private closed = false;
  private wakeUp: () => void = () => undefined;
  private inflight: { seq: number; result: Promise<Outcome> } | undefined;
  /** The task slot this execution holds, from just before a task is scheduled until its invocation settles. */
  private slot: (() => void) | undefined;

  constructor(
    private readonly executionArn: string,
    private readonly context: RunnerContext,
  ) {
    this.finished = this.loop().catch((error: unknown) => {
      // Only a failing store gets here; the execution stays where it was stored, as after a crash.
      console.error(`Execution ${executionArn} stopped running`, error);
    });
  }

  /** Something outside changed the execution: read it again. */
  wake(): void {
    this.wakeUp();
  }

  /** Stops driving the execution without recording anything (the runtime is shutting down). */
  close(): void {
    this.closed = true;
    this.wakeUp();
  }

  private async loop(): Promise<void> {
    try {
      while (!this.closed) {
        const cursor = this.context.store.cursor(this.executionArn);
        if (cursor?.record.status !== 'RUNNING' || !cursor.position) return;
        const woken = new Promise<Outcome>((resolve) => {
          this.wakeUp = () => resolve({ kind: 'woken' });
        });
        await this.turn(cursor, woken);
      }
    } finally {
      this.releaseSlot();
    }
  }

  /**
   * Waits for a task slot before a task is scheduled (so its timeout runs from when it may start). `false`
   * when the runner was closed or the execution moved on meanwhile: the turn is read again.
   */
  private async holdSlot(seq: number): Promise<boolean> {
    if (!this.slot) this.slot = await this.context.slots.acquire();
    return !this.closed && this.context.store.cursor(this.executionArn)?.seq === seq;
  }

  private releaseSlot(): void {
    const release = this.slot;
    this.slot = undefined;
    release?.();
  }

  private async turn(cursor: ExecutionCursor, woken: Promise<Outcome>): Promise<void> {
    const { record, seq } = cursor;
    const position = cursor.position as NonNullable<ExecutionCursor['position']>;
    const machine = this.context.machineOf(record.stateMachineArn);
    const scope: StateScope = {
      machine: machine.definition,
      machineName: machine.name,
      record,
      roleArn: this.context.roleArn,
      region: machine.region,
      now: Date.now(),
      timeScale: this.context.timeScale,
    };
    const timeoutAt =
      machine.definition.TimeoutSeconds === undefined
        ? undefined
        : record.startDate.getTime() + machine.definition.TimeoutSeconds * 1000;
    if (timeoutAt !== undefined && scope.now >= timeoutAt) {
      this.commit(seq, executionTimedOut());
      return;
    }
    const binding = machine.tasks.get(position.state);
    const newToken = () => this.context.newToken(this.executionArn);
    const until = (at: number | undefined) => sleepUntil(earliest(at, timeoutAt));

    switch (position.phase) {
      case 'entered':
        if (binding && !(await this.holdSlot(seq))) return;
        this.commit(seq, advance({ ...scope, now: Date.now() }, position, binding, newToken));
        return;
      case 'timer':
      case 'retry': {
        const wakeAt = position.wakeAt ?? scope.now;
        if (scope.now < wakeAt) {
          await race([woken, until(wakeAt)]);
          return;
        }
        if (position.phase === 'timer') {
          this.commit(seq, wakeFromTimer(scope, position));
          return;
        }
        if (!(await this.holdSlot(seq))) return;
        this.commit(
          seq,
          retryAttempt({ ...scope, now: Date.now() }, position, binding as TaskBinding, newToken),
        );
        return;
      }
      case 'scheduled': {
        const task = binding as TaskBinding;
        if (this.inflight?.seq !== seq) {
          // After a restart the task is scheduled already: it still waits for a slot to invoke.
          if (!(await this.holdSlot(seq))) return;
          this.inflight = {
            seq,
            result: this.invoke(task, position.taskInput ?? null).finally(() => this.releaseSlot()),
          };
        }
        const outcome = await race([woken, this.inflight.result, until(position.deadline)]);
        if (outcome.kind === 'woken') return;
        const now = { ...scope, now: Date.now() };
        if (outcome.kind === 'time') {
          this.commit(seq, this.timedOutOrExecutionTimeout(now, position, task, timeoutAt));
        } else if (outcome.kind === 'threw') {
          this.commit(seq, taskFailed(now, position, task, outcome.error));
        } else if (task.integration === 'lambda-invoke-callback') {
          this.commit(seq, callbackSubmitted(position, outcome.value));
        } else {
          this.commit(seq, taskSucceeded(now, position, task, outcome.value));
        }
        return;
      }
      case 'waiting': {
        const outcome = await race([woken, until(position.deadline)]);
        if (outcome.kind === 'time') {
          const now = { ...scope, now: Date.now() };
          this.commit(seq, this.timedOutOrExecutionTimeout(now, position, binding as TaskBinding, timeoutAt));
        }
        return;
      }
    }
  }

  private timedOutOrExecutionTimeout(
    scope: StateScope,
    position: NonNullable<ExecutionCursor['position']>,
    task: TaskBinding,
    timeoutAt: number | undefined,
  ): Step {
    if (timeoutAt !== undefined && scope.now >= timeoutAt) return executionTimedOut();
    return taskFailed(
      scope,
      position,
      task,
      new StatesError('States.Timeout', 'The task exceeded its TimeoutSeconds.'),
    );
  }

  private commit(seq: number, step: Step): void {
    this.context.store.commit(this.executionArn, seq, step.events, step.change);
  }

  /** Invokes the task's function the way Lambda would: the payload and result cross a JSON boundary. */
  private async invoke(task: TaskBinding, taskInput: JsonValue): Promise<Outcome> {
    try {
      if (task.integration === 'lambda-function') {
        return { kind: 'returned', value: await this.call(task.resource, taskInput) };
      }
      const parameters = (
        typeof taskInput === 'object' && taskInput !== null && !Array.isArray(taskInput) ? taskInput : {}
      ) as { FunctionName?: JsonValue; Payload?: JsonValue };
      if (typeof parameters.FunctionName !== 'string') {
        throw new StatesError(
          'States.Runtime',
          'The lambda:invoke Parameters did not resolve FunctionName to a string.',
        );
      }
      const payload = await this.call(parameters.FunctionName, parameters.Payload ?? {});
      return { kind: 'returned', value: { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 } };
    } catch (error) {
      return { kind: 'threw', error: StatesError.fromFunctionError(error) };
    }
  }

  private async call(functionName: string, payload: JsonValue): Promise<JsonValue> {
    const result = await this.context.invokeFunction(functionName, structuredClone(payload));
    return JSON.parse(JSON.stringify(result ?? null)) as JsonValue;
  }
}

const earliest = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/** A promise of `time` at `at` (never, when undefined), with its timer released once the race is decided. */
interface Sleep extends Promise<Outcome> {
  cancel(): void;
}

function sleepUntil(at: number | undefined): Sleep {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<Outcome>((resolve) => {
    if (at === undefined) return;
    const arm = () => {
      const left = at - Date.now();
      if (left <= 0) resolve({ kind: 'time' });
      else timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    arm();
  }) as Sleep;
  promise.cancel = () => clearTimeout(timer);
  return promise;
}

async function race(contenders: Promise<Outcome>[]): Promise<Outcome> {
  try {
    return await Promise.race(contenders);
  } finally {
    for (const contender of contenders) (contender as Partial<Sleep>).cancel?.();
  }
}
