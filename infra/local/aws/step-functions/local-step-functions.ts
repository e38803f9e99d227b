import { randomUUID } from 'node:crypto';
import type {
  DescribeExecutionOutput,
  DescribeStateMachineOutput,
  GetExecutionHistoryOutput,
  HistoryEvent,
  ListExecutionsOutput,
  ListStateMachinesOutput,
  StartExecutionOutput,
  StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import { assertExecutionArn, executionArnOf, parseStateMachineArn } from './arns.ts';
import { type CompiledStateMachine, compileStateMachine } from './compile-state-machine.ts';
import type { JsonValue } from './engine-types.ts';
import { isValidExecutionName } from './execution-name.ts';
import type { ExecutionRecord } from './execution-record.ts';
import { ExecutionRun } from './execution-run.ts';
import type { ExecutionEventListener, ExecutionStore } from './execution-store.ts';
import type { OperationInput } from './operation-inputs.ts';
import { paginate } from './pagination.ts';
import { sfnErrors } from './sfn-errors.ts';
import type { InvokeFunction } from './task-handlers.ts';
import { TaskTokenRegistry } from './task-token-registry.ts';

/** A state machine to serve: its ARN and its ASL (JSONPath), `${placeholders}` already substituted. */
export interface StateMachineSpec {
  readonly name: string;
  readonly arn: string;
  readonly definition: object;
}

export interface LocalStepFunctionsOptions {
  readonly stateMachines: readonly StateMachineSpec[];
  /** Runs the product's Lambda handlers in-process for Task states. */
  readonly invokeFunction: InvokeFunction;
  /** Where executions are kept; the same folder after a restart gives the same answers. */
  readonly store: ExecutionStore;
  /** Reported as the executions' role, as AWS reports the state machine's role. */
  readonly roleArn?: string;
}

interface RegisteredStateMachine extends StateMachineSpec, CompiledStateMachine {
  readonly region: string;
}

/**
 * A Step Functions service for local runs: the product's state machines on the in-process
 * aws-local-stepfunctions engine, with the API the product and the ops console use (start, describe, list,
 * history, task callbacks, stop). The local AWS endpoint maps the Step Functions JSON protocol onto these
 * methods, so real `SFNClient`s work against it; in-process callers may use them directly.
 *
 * Every Task state runs through `invokeFunction`; `.waitForTaskToken` tasks get a fresh token per entry and
 * wait for SendTaskSuccess/SendTaskFailure or their TimeoutSeconds. Errors match Retry/Catch by name.
 *
 * Limitations: Standard workflows only; no redrive, versions, aliases, activities, or heartbeat timeouts
 * (SendTaskHeartbeat only checks the token); `$$.State.*` and `$$.Task.Token` outside callback tasks are
 * not supplied; executions running when the process stops are aborted on the next start (see
 * {@link ExecutionStore}).
 */
export class LocalStepFunctions {
  private readonly machines = new Map<string, RegisteredStateMachine>();
  private readonly runs = new Map<string, ExecutionRun>();
  private readonly tokens: TaskTokenRegistry;
  private readonly store: ExecutionStore;
  private readonly invokeFunction: InvokeFunction;
  private readonly roleArn: string;
  private readonly creationDate = new Date();

  /**
   * Registers the state machines, checking each definition.
   * @throws StateMachineDefinitionError for a definition the local engine cannot run faithfully (a non-Lambda
   * Task, a callback without explicit TimeoutSeconds, a timer over 24 days, …), or Error for an ARN that
   * is malformed, repeated or does not end in the machine's name.
   */
  constructor(options: LocalStepFunctionsOptions) {
    this.store = options.store;
    this.invokeFunction = options.invokeFunction;
    this.roleArn = options.roleArn ?? 'arn:aws:iam::000000000000:role/local-step-functions';
    this.tokens = new TaskTokenRegistry((executionArn) => this.store.has(executionArn));
    for (const spec of options.stateMachines) {
      this.register(spec);
    }
  }

  /**
   * StartExecution. Like AWS, a name still RUNNING with the same input answers the existing execution;
   * any other reuse of a name is `ExecutionAlreadyExists`.
   */
  startExecution(request: OperationInput<'StartExecution'>): StartExecutionOutput {
    const machine = this.machine(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    if (!isValidExecutionName(name)) {
      throw sfnErrors.invalidName(name);
    }
    const inputText = request.input ?? '{}';
    const input = parseInput(inputText);
    const executionArn = executionArnOf(machine.arn, name);
    const existing = this.store.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === inputText) {
        return { executionArn, startDate: existing.startDate };
      }
      throw sfnErrors.executionAlreadyExists(executionArn);
    }
    const startDate = new Date();
    this.store.create({
      executionArn,
      stateMachineArn: machine.arn,
      name,
      status: 'RUNNING',
      input: inputText,
      output: null,
      error: null,
      cause: null,
      startDate,
      stopDate: null,
    });
    const run = ExecutionRun.start({
      execution: { executionArn, name, stateMachineArn: machine.arn },
      stateMachineName: machine.name,
      machine,
      input,
      region: machine.region,
      roleArn: this.roleArn,
      store: this.store,
      tokens: this.tokens,
      invokeFunction: this.invokeFunction,
    });
    this.runs.set(executionArn, run);
    void run.finished.finally(() => this.runs.delete(executionArn));
    return { executionArn, startDate };
  }

  /** DescribeExecution. */
  describeExecution(request: OperationInput<'DescribeExecution'>): DescribeExecutionOutput {
    const record = this.execution(request.executionArn);
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: record.startDate,
      stopDate: record.stopDate ?? undefined,
      input: record.input,
      inputDetails: { included: true },
      output: record.output ?? undefined,
      outputDetails: record.output === null ? undefined : { included: true },
      error: record.error ?? undefined,
      cause: record.cause ?? undefined,
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
  }

  /** ListExecutions of one state machine, newest first, optionally only those with one status. */
  listExecutions(request: OperationInput<'ListExecutions'>): ListExecutionsOutput {
    const machine = this.machine(request.stateMachineArn);
    const matching = this.store
      .list(machine.arn)
      .filter((record) => request.statusFilter === undefined || record.status === request.statusFilter)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime() || b.name.localeCompare(a.name));
    const page = paginate(matching, (record) => record.executionArn, request.maxResults, request.nextToken);
    return {
      executions: page.items.map((record) => ({
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: record.startDate,
        stopDate: record.stopDate ?? undefined,
      })),
      nextToken: page.nextToken,
    };
  }

  /** GetExecutionHistory, oldest first unless `reverseOrder`. */
  getExecutionHistory(request: OperationInput<'GetExecutionHistory'>): GetExecutionHistoryOutput {
    const record = this.execution(request.executionArn);
    const ordered = request.reverseOrder ? [...record.history].reverse() : record.history;
    const page = paginate(ordered, (event) => String(event.id), request.maxResults, request.nextToken);
    const events = request.includeExecutionData === false ? page.items.map(withoutData) : page.items;
    return { events, nextToken: page.nextToken };
  }

  /** SendTaskSuccess: resumes the `.waitForTaskToken` task holding `taskToken` with `output` (JSON text). */
  sendTaskSuccess(request: OperationInput<'SendTaskSuccess'>): Record<string, never> {
    this.tokens.succeed(request.taskToken, request.output);
    return {};
  }

  /** SendTaskFailure: fails the task holding `taskToken`; its Retry/Catch see `error`. */
  sendTaskFailure(request: OperationInput<'SendTaskFailure'>): Record<string, never> {
    this.tokens.fail(request.taskToken, request.error, request.cause);
    return {};
  }

  /** SendTaskHeartbeat: accepted for a live token (the local engine has no heartbeat timeout). */
  sendTaskHeartbeat(request: OperationInput<'SendTaskHeartbeat'>): Record<string, never> {
    this.tokens.heartbeat(request.taskToken);
    return {};
  }

  /** StopExecution: a running execution becomes ABORTED; a finished one is left as it is. */
  stopExecution(request: OperationInput<'StopExecution'>): StopExecutionOutput {
    const record = this.execution(request.executionArn);
    this.runs.get(record.executionArn)?.stop(request.error, request.cause);
    return { stopDate: this.store.get(record.executionArn)?.stopDate ?? new Date() };
  }

  /** DescribeStateMachine: the definition as registered (placeholders substituted). */
  describeStateMachine(request: OperationInput<'DescribeStateMachine'>): DescribeStateMachineOutput {
    const machine = this.machine(request.stateMachineArn);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: JSON.stringify(machine.definition),
      roleArn: this.roleArn,
      type: 'STANDARD',
      creationDate: this.creationDate,
    };
  }

  /** ListStateMachines, in registration order. */
  listStateMachines(request: OperationInput<'ListStateMachines'> = {}): ListStateMachinesOutput {
    const page = paginate(
      [...this.machines.values()],
      (machine) => machine.arn,
      request.maxResults,
      request.nextToken,
    );
    return {
      stateMachines: page.items.map((machine) => ({
        stateMachineArn: machine.arn,
        name: machine.name,
        type: 'STANDARD',
        creationDate: this.creationDate,
      })),
      nextToken: page.nextToken,
    };
  }

  /**
   * Registers a listener for every history event recorded from now on (for the ops console, or a test
   * waiting for a state).
   * @returns A function that removes the listener.
   */
  onExecutionEvent(listener: ExecutionEventListener): () => void {
    return this.store.onExecutionEvent(listener);
  }

  /**
   * Halts every running execution without recording an outcome, releasing timers so the process can exit.
   * They stay RUNNING on disk and are marked aborted when a store next opens the folder.
   */
  close(): void {
    for (const run of this.runs.values()) {
      run.detach();
    }
    this.runs.clear();
  }

  private register(spec: StateMachineSpec): void {
    const { name: arnName, region } = parseStateMachineArnOrThrow(spec.arn);
    if (arnName !== spec.name) {
      throw new Error(`State machine ARN ${spec.arn} does not end in its name ${spec.name}`);
    }
    if (this.machines.has(spec.arn)) {
      throw new Error(`State machine ${spec.arn} is registered twice`);
    }
    // A private copy: DescribeStateMachine answers what was registered, whatever the caller does later.
    const definition = structuredClone(spec.definition);
    this.machines.set(spec.arn, {
      ...spec,
      definition,
      ...compileStateMachine(spec.name, definition),
      region,
    });
  }

  private machine(stateMachineArn: string): RegisteredStateMachine {
    parseStateMachineArn(stateMachineArn);
    const machine = this.machines.get(stateMachineArn);
    if (!machine) {
      throw sfnErrors.stateMachineDoesNotExist(stateMachineArn);
    }
    return machine;
  }

  private execution(executionArn: string): ExecutionRecord {
    assertExecutionArn(executionArn);
    const record = this.store.get(executionArn);
    if (!record) {
      throw sfnErrors.executionDoesNotExist(executionArn);
    }
    return record;
  }
}

function parseStateMachineArnOrThrow(arn: string): ReturnType<typeof parseStateMachineArn> {
  try {
    return parseStateMachineArn(arn);
  } catch {
    throw new Error(`"${arn}" is not a state machine ARN`);
  }
}

function parseInput(input: string): JsonValue {
  try {
    return JSON.parse(input) as JsonValue;
  } catch {
    throw sfnErrors.invalidExecutionInput('the input is not valid JSON');
  }
}

/** A history event without the `input`/`output` members of its details, for `includeExecutionData: false`. */
function withoutData(event: HistoryEvent): HistoryEvent {
  const entries = Object.entries(event).map(([key, value]: [string, unknown]) => {
    if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) {
      return [key, value];
    }
    const { input: _input, output: _output, ...rest } = value as Record<string, unknown>;
    return [key, rest];
  });
  return Object.fromEntries(entries) as HistoryEvent;
}
