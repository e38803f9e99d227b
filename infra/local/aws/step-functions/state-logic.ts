import type { JsonObject, JsonValue, MachineDefinition, StateDefinition } from './asl-types.ts';
import { ruleHolds, timestampOf } from './choice-rules.ts';
import { onError } from './error-handling.ts';
import type { ExecutionChange, ExecutionRecord, NewHistoryEvent, Position } from './execution-record.ts';
import { applyTemplate, readPath, writePath } from './json-paths.ts';
import { StatesError } from './states-error.ts';
import type { TaskBinding } from './task-binding.ts';

/**
 * The pure half of the engine: given where an execution is, what it does next — as the history events to
 * append and the change to its position — without doing any of it. The runner commits each result in one
 * transaction, then performs the side effect (an invocation, a timer) the new position asks for.
 */

/** Step Functions' payload quota: 256 KiB, counted in UTF-8 bytes. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** A step's outcome: events to append and the change they bring. */
export interface Step {
  readonly events: NewHistoryEvent[];
  readonly change: ExecutionChange;
}

/** What a state of one execution sees (the machine, the execution, the time). */
export interface StateScope {
  readonly machine: MachineDefinition;
  readonly machineName: string;
  readonly record: ExecutionRecord;
  readonly roleArn: string;
  readonly region: string;
  readonly now: number;
  /** Retry delays pass this many times faster (the local runtime's TIME_SCALE); 1 when absent. */
  readonly timeScale?: number;
}

export const jsonText = (value: unknown): string => JSON.stringify(value ?? null);

/**
 * @throws StatesError `States.DataLimitExceeded` when `value` is over the payload quota.
 */
export function checkSize(value: JsonValue, what: string): void {
  const bytes = Buffer.byteLength(jsonText(value), 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new StatesError(
      'States.DataLimitExceeded',
      `The ${what} of ${bytes} bytes exceeds the maximum number of bytes service limit (${MAX_PAYLOAD_BYTES}).`,
    );
  }
}

/** The context object (`$$`) of a state. */
export function contextObject(scope: StateScope, position: Position, token?: string): JsonObject {
  const { record } = scope;
  return {
    Execution: {
      Id: record.executionArn,
      Input: JSON.parse(record.input) as JsonValue,
      Name: record.name,
      RoleArn: scope.roleArn,
      StartTime: record.startDate.toISOString(),
      RedriveCount: 0,
    },
    State: {
      EnteredTime: new Date(position.enteredAt).toISOString(),
      Name: position.state,
      RetryCount: position.retryCounts.reduce((sum, count) => sum + count, 0),
    },
    StateMachine: { Id: record.stateMachineArn, Name: scope.machineName },
    ...(token ? { Task: { Token: token } } : {}),
  };
}

/** The first state's position and events for a new execution. */
export function startExecution(scope: StateScope, input: JsonValue): Step {
  const position = entered(scope.machine.StartAt, input, scope.now);
  return {
    events: [
      {
        type: 'ExecutionStarted',
        executionStartedEventDetails: {
          input: jsonText(input),
          inputDetails: { truncated: false },
          roleArn: scope.roleArn,
        },
      },
      enteredEvent(scope.machine, scope.machine.StartAt, input),
    ],
    change: { position },
  };
}

/**
 * Runs a state that needs no outside work (Pass, Choice, Succeed, Fail), arms a Wait, or prepares a Task's
 * attempt (its effective input, and the token for a callback).
 */
export function advance(
  scope: StateScope,
  position: Position,
  binding: TaskBinding | undefined,
  newToken: () => string,
): Step {
  const state = stateOf(scope.machine, position.state);
  try {
    const context = contextObject(scope, position);
    const input = position.input;
    switch (state.Type) {
      case 'Pass': {
        const effective = effectiveInput(state, input, context);
        const result = state.Result !== undefined ? state.Result : effective;
        return leave(scope, position, output(state, input, result, context));
      }
      case 'Choice': {
        const effective =
          state.InputPath === undefined
            ? input
            : state.InputPath === null
              ? {}
              : readPath(state.InputPath, input, context);
        const choice = (state.Choices ?? []).find((rule) => ruleHolds(rule, effective, context));
        const next = typeof choice?.Next === 'string' ? choice.Next : state.Default;
        if (next === undefined) {
          throw new StatesError(
            'States.NoChoiceMatched',
            `No Choice rule matched and there is no Default in ${position.state}`,
          );
        }
        const out =
          state.OutputPath === undefined
            ? input
            : state.OutputPath === null
              ? {}
              : readPath(state.OutputPath, input, context);
        return leave(scope, position, out, next);
      }
      case 'Succeed': {
        const effective = effectiveInput(state, input, context);
        return leave(
          scope,
          position,
          state.OutputPath ? readPath(state.OutputPath, effective, context) : effective,
        );
      }
      case 'Fail': {
        const error = state.ErrorPath
          ? String(readPath(state.ErrorPath, input, context))
          : (state.Error ?? 'States.Fail');
        const cause = state.CausePath
          ? String(readPath(state.CausePath, input, context))
          : (state.Cause ?? '');
        return failExecution(error, cause);
      }
      case 'Wait':
        return {
          events: [],
          change: {
            position: { ...position, phase: 'timer', wakeAt: waitUntil(state, input, context, scope.now) },
          },
        };
      case 'Task':
        return scheduleAttempt(scope, position, state, binding as TaskBinding, newToken);
    }
  } catch (error) {
    if (error instanceof StatesError) return stateFailed(scope, position, error, []);
    throw error;
  }
}

/** A Wait state's time is up: it passes its (filtered) input on. */
export function wakeFromTimer(scope: StateScope, position: Position): Step {
  const state = stateOf(scope.machine, position.state);
  try {
    const context = contextObject(scope, position);
    const effective = effectiveInput(state, position.input, context);
    return leave(
      scope,
      position,
      state.OutputPath ? readPath(state.OutputPath, effective, context) : effective,
    );
  } catch (error) {
    if (error instanceof StatesError) return failExecution(error.error, error.cause);
    throw error;
  }
}

/** A retry's delay has passed: the task's next attempt. */
export function retryAttempt(
  scope: StateScope,
  position: Position,
  binding: TaskBinding,
  newToken: () => string,
): Step {
  const state = stateOf(scope.machine, position.state);
  try {
    return scheduleAttempt(scope, position, state, binding, newToken);
  } catch (error) {
    if (error instanceof StatesError) return stateFailed(scope, position, error, []);
    throw error;
  }
}

/** A callback task's function returned: the task now waits for its token. */
export function callbackSubmitted(position: Position, submitted: JsonValue): Step {
  return {
    events: [
      {
        type: 'TaskSubmitted',
        taskSubmittedEventDetails: {
          ...CALLBACK,
          output: jsonText(submitted),
          outputDetails: { truncated: false },
        },
      },
    ],
    change: { position: { ...position, phase: 'waiting' } },
  };
}

/** A task's result arrived (the function's answer, or SendTaskSuccess's output): the state completes. */
export function taskSucceeded(
  scope: StateScope,
  position: Position,
  binding: TaskBinding,
  result: JsonValue,
): Step {
  const state = stateOf(scope.machine, position.state);
  const succeeded: NewHistoryEvent =
    binding.integration === 'lambda-function'
      ? {
          type: 'LambdaFunctionSucceeded',
          lambdaFunctionSucceededEventDetails: {
            output: jsonText(result),
            outputDetails: { truncated: false },
          },
        }
      : {
          type: 'TaskSucceeded',
          taskSucceededEventDetails: {
            ...integrationOf(binding),
            output: jsonText(result),
            outputDetails: { truncated: false },
          },
        };
  try {
    checkSize(result, 'task result');
    const context = contextObject(scope, position);
    const selected =
      state.ResultSelector === undefined ? result : applyTemplate(state.ResultSelector, result, context);
    const step = leave(scope, position, output(state, position.input, selected, context));
    return { events: [succeeded, ...step.events], change: step.change };
  } catch (error) {
    if (error instanceof StatesError) return stateFailed(scope, position, error, [succeeded]);
    throw error;
  }
}

/** A task failed (the function threw, SendTaskFailure, or its timeout passed): Retry, Catch or fail. */
export function taskFailed(
  scope: StateScope,
  position: Position,
  binding: TaskBinding,
  failure: StatesError,
): Step {
  const details = { error: failure.error, cause: failure.cause };
  const timedOut = failure.error === 'States.Timeout';
  const event: NewHistoryEvent =
    binding.integration === 'lambda-function'
      ? timedOut
        ? { type: 'LambdaFunctionTimedOut', lambdaFunctionTimedOutEventDetails: details }
        : { type: 'LambdaFunctionFailed', lambdaFunctionFailedEventDetails: details }
      : timedOut
        ? { type: 'TaskTimedOut', taskTimedOutEventDetails: { ...integrationOf(binding), ...details } }
        : { type: 'TaskFailed', taskFailedEventDetails: { ...integrationOf(binding), ...details } };
  return stateFailed(scope, position, failure, [event]);
}

/** The execution outlived its top-level TimeoutSeconds. */
export function executionTimedOut(): Step {
  const details = { error: 'States.Timeout', cause: 'The execution exceeded its TimeoutSeconds.' };
  return {
    events: [{ type: 'ExecutionTimedOut', executionTimedOutEventDetails: details }],
    change: { status: 'TIMED_OUT', ...details },
  };
}

/** StopExecution. */
export function executionAborted(error: string | undefined, cause: string | undefined): Step {
  return {
    events: [{ type: 'ExecutionAborted', executionAbortedEventDetails: { error, cause } }],
    change: { status: 'ABORTED', error: error ?? null, cause: cause ?? null },
  };
}

const CALLBACK = { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };

const integrationOf = (binding: TaskBinding) =>
  binding.integration === 'lambda-invoke-callback'
    ? CALLBACK
    : { resourceType: 'lambda', resource: 'invoke' };

function scheduleAttempt(
  scope: StateScope,
  position: Position,
  state: StateDefinition,
  binding: TaskBinding,
  newToken: () => string,
): Step {
  const token = binding.integration === 'lambda-invoke-callback' ? newToken() : undefined;
  const context = contextObject(scope, position, token);
  const taskInput = effectiveInput(state, position.input, context);
  checkSize(taskInput, 'task input');
  const timeoutSeconds =
    state.TimeoutSecondsPath !== undefined
      ? Number(readPath(state.TimeoutSecondsPath, position.input, context))
      : state.TimeoutSeconds;
  if (timeoutSeconds !== undefined && !(Number.isInteger(timeoutSeconds) && timeoutSeconds > 0)) {
    throw new StatesError(
      'States.Runtime',
      `TimeoutSecondsPath of ${position.state} is not a positive whole number`,
    );
  }
  const events: NewHistoryEvent[] =
    binding.integration === 'lambda-function'
      ? [
          {
            type: 'LambdaFunctionScheduled',
            lambdaFunctionScheduledEventDetails: {
              resource: binding.resource,
              input: jsonText(taskInput),
              inputDetails: { truncated: false },
              ...(timeoutSeconds ? { timeoutInSeconds: timeoutSeconds } : {}),
            },
          },
          { type: 'LambdaFunctionStarted' },
        ]
      : [
          {
            type: 'TaskScheduled',
            taskScheduledEventDetails: {
              ...integrationOf(binding),
              region: scope.region,
              parameters: jsonText(taskInput),
              ...(timeoutSeconds ? { timeoutInSeconds: timeoutSeconds } : {}),
            },
          },
          { type: 'TaskStarted', taskStartedEventDetails: integrationOf(binding) },
        ];
  const next: Position = { ...position, phase: 'scheduled', taskInput };
  delete next.wakeAt;
  delete next.token;
  delete next.deadline;
  if (token) next.token = token;
  if (timeoutSeconds) next.deadline = scope.now + timeoutSeconds * 1000;
  return { events, change: { position: next } };
}

/** An error in a state: Retry (Task only), Catch (Task only), or the execution fails. */
function stateFailed(
  scope: StateScope,
  position: Position,
  failure: StatesError,
  before: NewHistoryEvent[],
): Step {
  const state = stateOf(scope.machine, position.state);
  const outcome =
    state.Type === 'Task'
      ? onError(failure, state.Retry, state.Catch, position.retryCounts)
      : { kind: 'fail' as const };
  if (outcome.kind === 'retry') {
    const next: Position = {
      ...position,
      phase: 'retry',
      retryCounts: outcome.retryCounts,
      wakeAt: scope.now + Math.round(outcome.delayMs / (scope.timeScale ?? 1)),
    };
    delete next.token;
    delete next.taskInput;
    delete next.deadline;
    return { events: before, change: { position: next } };
  }
  if (outcome.kind === 'catch') {
    const errorOutput = { Error: failure.error, Cause: failure.cause };
    try {
      const out = writePath(
        position.input,
        outcome.catcher.ResultPath === undefined ? '$' : outcome.catcher.ResultPath,
        errorOutput,
      );
      const step = leave(scope, position, out, outcome.catcher.Next);
      return { events: [...before, ...step.events], change: step.change };
    } catch (error) {
      if (!(error instanceof StatesError)) throw error;
      const failed = failExecution(error.error, error.cause);
      return { events: [...before, ...failed.events], change: failed.change };
    }
  }
  const failed = failExecution(failure.error, failure.cause);
  return { events: [...before, ...failed.events], change: failed.change };
}

function failExecution(error: string, cause: string): Step {
  return {
    events: [{ type: 'ExecutionFailed', executionFailedEventDetails: { error, cause } }],
    change: { status: 'FAILED', error, cause },
  };
}

/** Exits the current state with `out` and enters `next` (or its own Next), or ends the execution. */
function leave(scope: StateScope, position: Position, out: JsonValue, next?: string): Step {
  const state = stateOf(scope.machine, position.state);
  checkSize(out, 'state output');
  const exited: NewHistoryEvent[] =
    state.Type === 'Fail'
      ? []
      : [
          {
            type: `${state.Type}StateExited`,
            stateExitedEventDetails: {
              name: position.state,
              output: jsonText(out),
              outputDetails: { truncated: false },
            },
          },
        ];
  const target = next ?? (state.Type === 'Succeed' || state.End ? undefined : state.Next);
  if (target === undefined) {
    const text = jsonText(out);
    return {
      events: [
        ...exited,
        {
          type: 'ExecutionSucceeded',
          executionSucceededEventDetails: { output: text, outputDetails: { truncated: false } },
        },
      ],
      change: { status: 'SUCCEEDED', output: text },
    };
  }
  return {
    events: [...exited, enteredEvent(scope.machine, target, out)],
    change: { position: entered(target, out, scope.now) },
  };
}

const entered = (state: string, input: JsonValue, now: number): Position => ({
  state,
  input,
  enteredAt: now,
  phase: 'entered',
  retryCounts: [],
});

function enteredEvent(machine: MachineDefinition, name: string, input: JsonValue): NewHistoryEvent {
  return {
    type: `${stateOf(machine, name).Type}StateEntered`,
    stateEnteredEventDetails: { name, input: jsonText(input), inputDetails: { truncated: false } },
  };
}

/** InputPath, then Parameters. */
function effectiveInput(state: StateDefinition, input: JsonValue, context: JsonValue): JsonValue {
  const selected =
    state.InputPath === undefined
      ? input
      : state.InputPath === null
        ? {}
        : readPath(state.InputPath, input, context);
  return state.Parameters === undefined ? selected : applyTemplate(state.Parameters, selected, context);
}

/** ResultPath into the state's input, then OutputPath. */
function output(state: StateDefinition, input: JsonValue, result: JsonValue, context: JsonValue): JsonValue {
  const combined = writePath(input, state.ResultPath === undefined ? '$' : state.ResultPath, result);
  return state.OutputPath === undefined
    ? combined
    : state.OutputPath === null
      ? {}
      : readPath(state.OutputPath, combined, context);
}

function waitUntil(state: StateDefinition, input: JsonValue, context: JsonValue, now: number): number {
  if (state.Seconds !== undefined) return now + state.Seconds * 1000;
  if (state.SecondsPath !== undefined) {
    const seconds = readPath(state.SecondsPath, input, context);
    if (typeof seconds !== 'number' || seconds < 0) {
      throw new StatesError(
        'States.Runtime',
        `SecondsPath ${state.SecondsPath} is not a non-negative number`,
      );
    }
    return now + seconds * 1000;
  }
  const text =
    state.Timestamp ?? (state.TimestampPath ? readPath(state.TimestampPath, input, context) : null);
  const at = timestampOf(text);
  if (at === undefined) throw new StatesError('States.Runtime', 'The Wait state has no valid timestamp');
  return at;
}

export function stateOf(machine: MachineDefinition, name: string): StateDefinition {
  const state = machine.States[name];
  if (!state) throw new StatesError('States.Runtime', `State ${name} does not exist`);
  return state;
}
