import { randomUUID } from 'node:crypto';
import type {
  DescribeExecutionOutput,
  DescribeStateMachineForExecutionOutput,
  DescribeStateMachineOutput,
  GetExecutionHistoryOutput,
  HistoryEvent,
  ListExecutionsOutput,
  ListStateMachinesOutput,
  StartExecutionOutput,
  StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import { assertExecutionArn, executionArnOf, parseStateMachineArn } from './arns.ts';
import type { JsonValue } from './asl-types.ts';
import { checkDefinition } from './check-definition.ts';
import { isValidExecutionName } from './execution-name.ts';
import type { ExecutionRecord } from './execution-record.ts';
import { ExecutionRunner, type InvokeFunction, type RunnerContext } from './execution-runner.ts';
import type { ExecutionEventListener, ExecutionStore, ListAfter } from './execution-store.ts';
import type { OperationInput } from './operation-inputs.ts';
import { decodePageToken, encodePageToken, pageSize } from './page-tokens.ts';
import type { RegisteredMachine } from './registered-machine.ts';
import { sfnErrors } from './sfn-errors.ts';
import {
  executionAborted,
  MAX_PAYLOAD_BYTES,
  type StateScope,
  type Step,
  startExecution,
  taskFailed,
  taskSucceeded,
} from './state-logic.ts';
import { StatesError } from './states-error.ts';
import { TaskSlots } from './task-slots.ts';
import { executionOfToken, newTaskToken } from './task-tokens.ts';

/** Tasks invoking at once by default: enough to keep DynamoDB Local busy, few enough that API calls get through. */
const DEFAULT_CONCURRENT_TASKS = 8;

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
  /** Where executions are kept; the same store after a restart continues every running execution. */
  readonly store: ExecutionStore;
  /** Reported as the executions' role, as AWS reports the state machine's role. */
  readonly roleArn?: string;
  /** How many tasks invoke their function at once, across executions (default 8; see task-slots.ts). */
  readonly maxConcurrentTasks?: number;
  /**
   * Retry delays pass this many times faster (the runtime's TIME_SCALE, default 1), so a retry budget of
   * half an hour runs out in seconds in a test, as evidence caps do.
   */
  readonly timeScale?: number;
}

/**
 * A Step Functions service for local runs, durable as the real one: the product's state machines run on an
 * interpreter of the JSONPath ASL they use (Task on Lambda, Pass, Choice, Wait, Succeed, Fail; Retry and
 * Catch with backoff, jitter and MaxDelaySeconds; callbacks; execution and task timeouts; the 256 KiB
 * payload quota) whose every step is committed to the {@link ExecutionStore} before its side effect. After
 * any stop, Ctrl-C or SIGKILL, {@link start} continues each RUNNING execution from the state it was in,
 * under the same ARN, with its history going on: a callback keeps waiting on its token, a timer keeps its
 * due time, a retry its delay.
 *
 * The local AWS endpoint maps the Step Functions JSON protocol onto these methods, so real `SFNClient`s and
 * the AWS CLI work against it.
 *
 * Refused at registration (naming the feature): JSONata, `Assign`, Parallel and Map (Distributed Map
 * included), heartbeats, intrinsic functions, Task resources other than Lambda. Standard workflows only;
 * no redrive, versions, aliases or activities.
 */
export class LocalStepFunctions {
  private readonly machines = new Map<string, RegisteredMachine>();
  private readonly runners = new Map<string, ExecutionRunner>();
  private readonly store: ExecutionStore;
  private readonly context: RunnerContext;
  private readonly roleArn: string;
  private started = false;

  /**
   * Registers the state machines, checking each definition.
   * @throws StateMachineDefinitionError for a definition the local engine cannot run faithfully, or Error
   * for an ARN that is malformed, repeated or does not end in the machine's name.
   */
  constructor(options: LocalStepFunctionsOptions) {
    this.store = options.store;
    this.roleArn = options.roleArn ?? 'arn:aws:iam::000000000000:role/local-step-functions';
    for (const spec of options.stateMachines) this.register(spec);
    this.context = {
      store: this.store,
      machineOf: (arn) => this.machine(arn),
      invokeFunction: options.invokeFunction,
      roleArn: this.roleArn,
      newToken: newTaskToken,
      slots: new TaskSlots(options.maxConcurrentTasks ?? DEFAULT_CONCURRENT_TASKS),
      timeScale: Math.max(1, options.timeScale ?? 1),
    };
  }

  /**
   * Starts running: continues every execution the store holds as RUNNING, and runs new ones from now on.
   * Call it once the functions that tasks invoke can run.
   * @returns The ARNs of the executions continued.
   */
  start(): string[] {
    if (this.started) return [];
    this.started = true;
    const running = this.store.running().filter((arn) => this.isServed(arn));
    for (const arn of running) this.run(arn);
    return running;
  }

  /**
   * StartExecution. Like AWS, a name still RUNNING with the same input answers the existing execution;
   * any other reuse of a name is `ExecutionAlreadyExists`.
   */
  startExecution(request: OperationInput<'StartExecution'>): StartExecutionOutput {
    const machine = this.machine(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    if (!isValidExecutionName(name)) throw sfnErrors.invalidName(name);
    const inputText = request.input ?? '{}';
    if (Buffer.byteLength(inputText, 'utf8') > MAX_PAYLOAD_BYTES) {
      throw sfnErrors.invalidExecutionInput(
        `the input exceeds the maximum size of ${MAX_PAYLOAD_BYTES} bytes`,
      );
    }
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
    const record = { executionArn, stateMachineArn: machine.arn, name, input: inputText, startDate };
    const step = startExecution(this.scope(machine, { ...record, ...NOT_ENDED }), input);
    this.store.create(record, step.change.position as NonNullable<Step['change']['position']>, step.events);
    if (this.started) this.run(executionArn);
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

  /** DescribeStateMachineForExecution: the definition the execution runs. */
  describeStateMachineForExecution(
    request: OperationInput<'DescribeStateMachineForExecution'>,
  ): DescribeStateMachineForExecutionOutput {
    const record = this.execution(request.executionArn);
    const machine = this.machine(record.stateMachineArn);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      definition: JSON.stringify(machine.definition),
      roleArn: this.roleArn,
      updateDate: machine.creationDate,
    };
  }

  /**
   * ListExecutions of one state machine, newest first, optionally of one status. The page token names the
   * last execution returned, so it stays valid when executions start or change status meanwhile.
   */
  listExecutions(request: OperationInput<'ListExecutions'>): ListExecutionsOutput {
    const machine = this.machine(request.stateMachineArn);
    const after =
      request.nextToken === undefined ? undefined : decodePageToken(request.nextToken, isListAfter);
    const size = pageSize(request.maxResults);
    const page = this.store.list(machine.arn, request.statusFilter, after, size + 1);
    const items = page.slice(0, size);
    const last = items.at(-1);
    return {
      executions: items.map((record) => ({
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: record.startDate,
        stopDate: record.stopDate ?? undefined,
      })),
      nextToken:
        page.length > size && last
          ? encodePageToken({ startDate: last.startDate.getTime(), name: last.name })
          : undefined,
    };
  }

  /** GetExecutionHistory, oldest first unless `reverseOrder`. */
  getExecutionHistory(request: OperationInput<'GetExecutionHistory'>): GetExecutionHistoryOutput {
    const record = this.execution(request.executionArn);
    const from =
      request.nextToken === undefined
        ? undefined
        : decodePageToken(request.nextToken, (key): key is number => Number.isInteger(key));
    const size = pageSize(request.maxResults);
    const events = this.store.history(record.executionArn, {
      limit: size + 1,
      ...(from === undefined ? {} : { from }),
      ...(request.reverseOrder ? { reverse: true } : {}),
    });
    const page = events.slice(0, size);
    return {
      events: request.includeExecutionData === false ? page.map(withoutData) : page,
      nextToken: events.length > size ? encodePageToken(page.at(-1)?.id) : undefined,
    };
  }

  /**
   * SendTaskSuccess: completes the task holding `taskToken` with `output`. The task's result, the state's
   * exit and the next state's entry are committed before this returns, so an answer accepted is never lost.
   */
  sendTaskSuccess(request: OperationInput<'SendTaskSuccess'>): Record<string, never> {
    const output = parseOutput(request.output);
    this.answerTask(request.taskToken, (scope, position, binding) =>
      taskSucceeded(scope, position, binding, output),
    );
    return {};
  }

  /** SendTaskFailure: fails the task holding `taskToken`; its Retry/Catch see `error`. */
  sendTaskFailure(request: OperationInput<'SendTaskFailure'>): Record<string, never> {
    const failure = new StatesError(request.error ?? '', request.cause ?? '');
    this.answerTask(request.taskToken, (scope, position, binding) =>
      taskFailed(scope, position, binding, failure),
    );
    return {};
  }

  /** SendTaskHeartbeat: accepted for a live token (the local engine refuses heartbeat timeouts). */
  sendTaskHeartbeat(request: OperationInput<'SendTaskHeartbeat'>): Record<string, never> {
    this.liveTask(request.taskToken);
    return {};
  }

  /** StopExecution: a running execution becomes ABORTED; a finished one is left as it is. */
  stopExecution(request: OperationInput<'StopExecution'>): StopExecutionOutput {
    const record = this.execution(request.executionArn);
    const cursor = this.store.cursor(record.executionArn);
    if (cursor && cursor.record.status === 'RUNNING') {
      const step = executionAborted(request.error, request.cause);
      this.store.commit(record.executionArn, cursor.seq, step.events, step.change);
      this.runners.get(record.executionArn)?.wake();
    }
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
      creationDate: machine.creationDate,
    };
  }

  /** ListStateMachines, in registration order. */
  listStateMachines(request: OperationInput<'ListStateMachines'> = {}): ListStateMachinesOutput {
    const all = [...this.machines.values()];
    const start =
      request.nextToken === undefined
        ? 0
        : decodePageToken(
            request.nextToken,
            (key): key is number => Number.isInteger(key) && (key as number) >= 0,
          );
    const size = pageSize(request.maxResults);
    return {
      stateMachines: all.slice(start, start + size).map((machine) => ({
        stateMachineArn: machine.arn,
        name: machine.name,
        type: 'STANDARD',
        creationDate: machine.creationDate,
      })),
      nextToken: start + size < all.length ? encodePageToken(start + size) : undefined,
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
   * Tells the engine how many foreground requests (the API's) are in flight: while there is any, it starts
   * one task at a time; once there is none, as many as it has slots. On AWS the engine runs on capacity of
   * its own; here it shares two cores with the API, and the tasks it runs cost the runtime's one thread as
   * much as the requests do: taking one slot away per request in flight (the rule before) still left two
   * or three tasks beside the requests at 100 intakes a second, and their tail waited on them (issue 11's
   * note has the runs). A task that has started runs to its end; the backlog moves in
   * every gap between requests and drains at full speed once they stop.
   */
  setForegroundLoad(inFlight: number): void {
    this.context.slots.setLimit(inFlight > 0 ? 1 : this.context.slots.size);
  }

  /**
   * Stops running executions without recording anything, releasing timers so the process can exit; they
   * stay RUNNING in the store, and {@link start} continues them from where they were.
   */
  async close(): Promise<void> {
    this.started = false;
    const runners = [...this.runners.values()];
    for (const runner of runners) runner.close();
    this.context.slots.close();
    this.runners.clear();
    await Promise.all(runners.map((runner) => runner.finished));
    this.context.slots.reopen();
  }

  private run(executionArn: string): void {
    if (this.runners.has(executionArn)) return;
    const runner = new ExecutionRunner(executionArn, this.context);
    this.runners.set(executionArn, runner);
    void runner.finished.finally(() => {
      if (this.runners.get(executionArn) === runner) this.runners.delete(executionArn);
    });
  }

  /** Commits an outside answer to the task holding `token`, then lets its runner carry on. */
  private answerTask(token: string, answer: (scope: StateScope, ...task: TaskOf) => Step): void {
    const { cursor, machine } = this.liveTask(token);
    const position = cursor.position as NonNullable<typeof cursor.position>;
    const binding = machine.tasks.get(position.state);
    if (!binding) throw sfnErrors.taskTimedOut();
    const step = answer(this.scope(machine, cursor.record), position, binding);
    if (!this.store.commit(cursor.record.executionArn, cursor.seq, step.events, step.change)) {
      throw sfnErrors.taskTimedOut();
    }
    this.runners.get(cursor.record.executionArn)?.wake();
  }

  /** The execution whose current task attempt holds `token`. */
  private liveTask(token: string) {
    const cursor = this.store.byToken(token);
    const phase = cursor?.position?.phase;
    if (cursor && cursor.record.status === 'RUNNING' && (phase === 'scheduled' || phase === 'waiting')) {
      return { cursor, machine: this.machine(cursor.record.stateMachineArn) };
    }
    const executionArn = executionOfToken(token);
    if (executionArn !== undefined && this.store.has(executionArn)) throw sfnErrors.taskTimedOut();
    throw sfnErrors.invalidToken('the task token was not issued by this service');
  }

  private scope(machine: RegisteredMachine, record: ExecutionRecord): StateScope {
    return {
      machine: machine.definition,
      machineName: machine.name,
      record,
      roleArn: this.roleArn,
      region: machine.region,
      now: Date.now(),
      timeScale: this.context.timeScale,
    };
  }

  private register(spec: StateMachineSpec): void {
    const { name: arnName, region } = parseStateMachineArnOrThrow(spec.arn);
    if (arnName !== spec.name)
      throw new Error(`State machine ARN ${spec.arn} does not end in its name ${spec.name}`);
    if (this.machines.has(spec.arn)) throw new Error(`State machine ${spec.arn} is registered twice`);
    // A private copy: DescribeStateMachine answers what was registered, whatever the caller does later.
    const checked = checkDefinition(spec.name, structuredClone(spec.definition));
    this.machines.set(spec.arn, {
      name: spec.name,
      arn: spec.arn,
      region,
      definition: checked.definition,
      tasks: checked.tasks,
      creationDate: new Date(),
    });
  }

  private isServed(executionArn: string): boolean {
    const record = this.store.get(executionArn);
    return record !== undefined && this.machines.has(record.stateMachineArn);
  }

  private machine(stateMachineArn: string): RegisteredMachine {
    parseStateMachineArn(stateMachineArn);
    const machine = this.machines.get(stateMachineArn);
    if (!machine) throw sfnErrors.stateMachineDoesNotExist(stateMachineArn);
    return machine;
  }

  private execution(executionArn: string): ExecutionRecord {
    assertExecutionArn(executionArn);
    const record = this.store.get(executionArn);
    if (!record) throw sfnErrors.executionDoesNotExist(executionArn);
    return record;
  }
}

type TaskOf =
  Parameters<typeof taskSucceeded> extends [StateScope, infer P, infer B, ...unknown[]] ? [P, B] : never;

const NOT_ENDED = { status: 'RUNNING', output: null, error: null, cause: null, stopDate: null } as const;

const isListAfter = (key: unknown): key is ListAfter =>
  typeof key === 'object' &&
  key !== null &&
  typeof (key as ListAfter).startDate === 'number' &&
  typeof (key as ListAfter).name === 'string';

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

function parseOutput(output: string): JsonValue {
  if (Buffer.byteLength(output, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw sfnErrors.invalidOutput(`output exceeds ${MAX_PAYLOAD_BYTES} bytes`);
  }
  try {
    return JSON.parse(output) as JsonValue;
  } catch {
    throw sfnErrors.invalidOutput('output is not valid JSON');
  }
}

/** A history event without the `input`/`output` members of its details, for `includeExecutionData: false`. */
function withoutData(event: HistoryEvent): HistoryEvent {
  const entries = Object.entries(event).map(([key, value]: [string, unknown]) => {
    if (!key.endsWith('EventDetails') || typeof value !== 'object' || value === null) return [key, value];
    const {
      input: _input,
      output: _output,
      parameters: _parameters,
      ...rest
    } = value as Record<string, unknown>;
    return [key, rest];
  });
  return Object.fromEntries(entries) as HistoryEvent;
}
