import { randomUUID } from 'node:crypto';
import type { CompiledStateMachine } from './compile-state-machine.ts';
import { translateEngineEvent } from './engine-event-translation.ts';
import type { EngineEvent, JsonValue } from './engine-types.ts';
import type { ExecutionChange, ExecutionRecord, NewHistoryEvent } from './execution-record.ts';
import type { ExecutionStore } from './execution-store.ts';
import { buildTaskHandlers, type InvokeFunction } from './task-handlers.ts';
import type { TaskTokenRegistry } from './task-token-registry.ts';

/** Everything one execution needs to run. */
export interface ExecutionRunOptions {
  readonly execution: Pick<ExecutionRecord, 'executionArn' | 'name' | 'stateMachineArn'>;
  readonly stateMachineName: string;
  readonly machine: CompiledStateMachine;
  readonly input: JsonValue;
  readonly region: string;
  readonly roleArn: string;
  readonly store: ExecutionStore;
  readonly tokens: TaskTokenRegistry;
  readonly invokeFunction: InvokeFunction;
}

/** Why tasks still waiting are released when their execution can no longer use them. */
const EXECUTION_CLOSED = new Error('The execution is no longer running');

/**
 * One execution on the in-process engine: starts the engine run, records its events into the store as
 * Step Functions history, and stops it. It is the only writer of its execution's record while it runs.
 */
export class ExecutionRun {
  /** Settles when the engine's event log has ended (the execution finished, was stopped or detached). */
  readonly finished: Promise<void>;
  private open = true;
  private readonly abortEngine: () => void;

  private constructor(private readonly options: ExecutionRunOptions) {
    const { execution, machine, input, tokens } = options;
    const tokenSentinel = `local-task-token-sentinel:${randomUUID()}`;
    const handlers = buildTaskHandlers(machine.tasks, {
      executionArn: execution.executionArn,
      region: options.region,
      tokenSentinel,
      tokens,
      invokeFunction: options.invokeFunction,
      record: (event) => this.record(event),
    });
    const run = machine.engine.run(input, {
      overrides: { taskResourceLocalHandlers: handlers },
      noThrowOnAbort: true,
      context: {
        Execution: {
          Id: execution.executionArn,
          Name: execution.name,
          RoleArn: options.roleArn,
          RedriveCount: 0,
        },
        StateMachine: { Id: execution.stateMachineArn, Name: options.stateMachineName },
        Task: { Token: tokenSentinel },
      },
    });
    this.abortEngine = run.abort;
    // The outcome is read from the event log, which carries the error and cause; the promise only must not
    // reject unhandled.
    run.result.catch(() => undefined);
    this.finished = this.recordEvents(run.eventLogs).catch((error: unknown) => {
      // Only a failing disk gets here; the execution can no longer be recorded, so it stops like a crash.
      console.error(`Execution ${execution.executionArn} could not be recorded; detaching it`, error);
      this.detach();
    });
  }

  /** Starts the execution; the store must already hold its record. */
  static start(options: ExecutionRunOptions): ExecutionRun {
    return new ExecutionRun(options);
  }

  /**
   * StopExecution: records `ExecutionAborted` with the caller's error and cause, then halts the engine and
   * releases waiting tasks (their tokens answer TaskTimedOut from now on).
   */
  stop(error: string | undefined, cause: string | undefined): void {
    this.record(
      { type: 'ExecutionAborted', executionAbortedEventDetails: { error, cause } },
      { status: 'ABORTED', error: error ?? null, cause: cause ?? null, stopDate: new Date() },
    );
    this.abortEngine();
  }

  /**
   * Halts the engine without recording anything, as if the process had died: the stored execution stays
   * RUNNING until the next store opens it and marks it aborted. For shutting the local runtime down.
   */
  detach(): void {
    this.close();
    this.abortEngine();
  }

  private async recordEvents(events: AsyncGenerator<EngineEvent>): Promise<void> {
    for await (const engineEvent of events) {
      const translated = translateEngineEvent(engineEvent, this.options.roleArn);
      if (translated) {
        this.record(translated.event, translated.change);
      }
    }
    this.close();
  }

  private record(event: NewHistoryEvent, change?: ExecutionChange): void {
    if (!this.open) {
      return;
    }
    this.options.store.append(this.options.execution.executionArn, event, change);
    if (change?.status !== undefined && change.status !== 'RUNNING') {
      this.close();
    }
  }

  private close(): void {
    this.open = false;
    this.options.tokens.releaseExecution(this.options.execution.executionArn, EXECUTION_CLOSED);
  }
}
