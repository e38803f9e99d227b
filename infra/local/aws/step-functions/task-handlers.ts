import { jsonText } from './engine-event-translation.ts';
import type { JsonValue, TaskHandlers } from './engine-types.ts';
import type { NewHistoryEvent } from './execution-record.ts';
import type { TaskBinding } from './task-binding.ts';
import { TaskDeadline } from './task-deadline.ts';
import { TaskFailure } from './task-failure.ts';
import type { TaskTokenRegistry } from './task-token-registry.ts';

/**
 * Runs a Lambda function of the product in-process: the local runtime resolves `functionName` (an ARN or a
 * name, as `lambda:invoke` allows both) to a handler and calls it with `payload`. Errors it throws reach
 * Retry/Catch by their `name`.
 */
export type InvokeFunction = (functionName: string, payload: unknown) => Promise<unknown>;

/** What the task handlers of one execution share. */
export interface TaskRunContext {
  readonly executionArn: string;
  readonly region: string;
  /**
   * The value the run's Context object gives `$$.Task.Token`. The engine builds `$$` once per run, so every
   * task would see the same token; each callback task replaces this sentinel with a fresh token.
   */
  readonly tokenSentinel: string;
  readonly tokens: TaskTokenRegistry;
  readonly invokeFunction: InvokeFunction;
  /** Appends a history event to the execution (ignored once the execution has ended). */
  readonly record: (event: NewHistoryEvent) => void;
}

const TIMED_OUT = { error: 'States.Timeout', cause: 'The task exceeded its TimeoutSeconds.' };

/**
 * Builds the engine's `taskResourceLocalHandlers` for one execution: every Task state runs through the
 * product's functions in-process, never through a real AWS call.
 */
export function buildTaskHandlers(
  tasks: ReadonlyMap<string, TaskBinding>,
  run: TaskRunContext,
): TaskHandlers {
  const handlers: TaskHandlers = {};
  for (const [stateName, binding] of tasks) {
    const handle = {
      'lambda-function': runLambdaFunction,
      'lambda-invoke': runLambdaInvoke,
      'lambda-invoke-callback': runLambdaInvokeCallback,
    }[binding.integration];
    handlers[stateName] = (input) => handle(binding, input, run);
  }
  return handlers;
}

/** A Task whose Resource is a Lambda ARN: the effective input is the event, the result is the output. */
async function runLambdaFunction(
  binding: TaskBinding,
  input: JsonValue,
  run: TaskRunContext,
): Promise<JsonValue> {
  const deadline = new TaskDeadline(binding.timeoutSeconds, () =>
    run.record({ type: 'LambdaFunctionTimedOut', lambdaFunctionTimedOutEventDetails: TIMED_OUT }),
  );
  try {
    await afterQueuedEngineEvents();
    run.record({
      type: 'LambdaFunctionScheduled',
      lambdaFunctionScheduledEventDetails: {
        resource: binding.resource,
        input: jsonText(input),
        inputDetails: { truncated: false },
        timeoutInSeconds: binding.timeoutSeconds,
      },
    });
    run.record({ type: 'LambdaFunctionStarted' });
    const output = await invoke(run, binding.resource, input).catch((error: unknown) => {
      const failure = TaskFailure.fromFunctionError(error);
      if (!deadline.passed) {
        run.record({
          type: 'LambdaFunctionFailed',
          lambdaFunctionFailedEventDetails: { error: failure.name, cause: failure.message },
        });
      }
      throw failure;
    });
    if (!deadline.passed) {
      run.record({
        type: 'LambdaFunctionSucceeded',
        lambdaFunctionSucceededEventDetails: {
          output: jsonText(output),
          outputDetails: { truncated: false },
        },
      });
    }
    return output;
  } finally {
    deadline.disarm();
  }
}

/** `arn:aws:states:::lambda:invoke`: answers like the optimised integration, `{ Payload, StatusCode }`. */
async function runLambdaInvoke(
  binding: TaskBinding,
  input: JsonValue,
  run: TaskRunContext,
): Promise<JsonValue> {
  const integration = { resourceType: 'lambda', resource: 'invoke' };
  const deadline = new TaskDeadline(binding.timeoutSeconds, () =>
    run.record({ type: 'TaskTimedOut', taskTimedOutEventDetails: { ...integration, ...TIMED_OUT } }),
  );
  try {
    await afterQueuedEngineEvents();
    recordScheduled(run, binding, integration, input);
    const output = await invokeIntegration(run, input).catch((error: unknown) => {
      throw recordFailure(run, deadline, integration, TaskFailure.fromFunctionError(error));
    });
    if (!deadline.passed) {
      run.record({
        type: 'TaskSucceeded',
        taskSucceededEventDetails: {
          ...integration,
          output: jsonText(output),
          outputDetails: { truncated: false },
        },
      });
    }
    return output;
  } finally {
    deadline.disarm();
  }
}

/**
 * `arn:aws:states:::lambda:invoke.waitForTaskToken`: invokes the function with a fresh task token in its
 * payload, then waits for SendTaskSuccess / SendTaskFailure on that token, or the state's TimeoutSeconds.
 */
async function runLambdaInvokeCallback(
  binding: TaskBinding,
  input: JsonValue,
  run: TaskRunContext,
): Promise<JsonValue> {
  const integration = { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' };
  const { token, outcome } = run.tokens.issue(run.executionArn);
  const deadline = new TaskDeadline(binding.timeoutSeconds, () => {
    run.tokens.expire(token);
    run.record({ type: 'TaskTimedOut', taskTimedOutEventDetails: { ...integration, ...TIMED_OUT } });
  });
  try {
    await afterQueuedEngineEvents();
    const parameters = replaceText(input, run.tokenSentinel, token);
    recordScheduled(run, binding, integration, parameters);
    const submitted = await invokeIntegration(run, parameters).catch((error: unknown) => {
      run.tokens.expire(token);
      throw recordFailure(run, deadline, integration, TaskFailure.fromFunctionError(error));
    });
    if (!deadline.passed) {
      run.record({
        type: 'TaskSubmitted',
        taskSubmittedEventDetails: {
          ...integration,
          output: jsonText(submitted),
          outputDetails: { truncated: false },
        },
      });
    }
    const output = await outcome.catch((error: unknown) => {
      throw error instanceof TaskFailure ? recordFailure(run, deadline, integration, error) : error;
    });
    run.record({
      type: 'TaskSucceeded',
      taskSucceededEventDetails: {
        ...integration,
        output: jsonText(output),
        outputDetails: { truncated: false },
      },
    });
    return output;
  } finally {
    deadline.disarm();
  }
}

function recordScheduled(
  run: TaskRunContext,
  binding: TaskBinding,
  integration: { resourceType: string; resource: string },
  parameters: JsonValue,
): void {
  run.record({
    type: 'TaskScheduled',
    taskScheduledEventDetails: {
      ...integration,
      region: run.region,
      parameters: jsonText(parameters),
      timeoutInSeconds: binding.timeoutSeconds,
    },
  });
  run.record({ type: 'TaskStarted', taskStartedEventDetails: integration });
}

function recordFailure(
  run: TaskRunContext,
  deadline: TaskDeadline,
  integration: { resourceType: string; resource: string },
  failure: TaskFailure,
): TaskFailure {
  if (!deadline.passed) {
    run.record({
      type: 'TaskFailed',
      taskFailedEventDetails: { ...integration, error: failure.name, cause: failure.message },
    });
  }
  return failure;
}

/** Calls `FunctionName` with `Payload` from a lambda:invoke task's effective input (Parameters applied). */
async function invokeIntegration(run: TaskRunContext, parameters: JsonValue): Promise<JsonValue> {
  const { FunctionName: functionName, Payload: payload = {} } = asParameters(parameters);
  if (typeof functionName !== 'string') {
    throw new TaskFailure(
      'States.Runtime',
      'The lambda:invoke Parameters did not resolve FunctionName to a string.',
    );
  }
  const result = await invoke(run, functionName, payload);
  return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
}

/** Invokes a function the way Lambda would: the payload and result cross a JSON boundary. */
async function invoke(run: TaskRunContext, functionName: string, payload: unknown): Promise<JsonValue> {
  const result = await run.invokeFunction(functionName, structuredClone(payload));
  return JSON.parse(JSON.stringify(result ?? null)) as JsonValue;
}

/**
 * Lets the engine's queued events (the StateEntered of this very task) reach the history first. The
 * engine queues events synchronously and hands them out through an async generator, i.e. on microtasks;
 * a macrotask runs only after all of them.
 */
const afterQueuedEngineEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const asParameters = (value: JsonValue): { FunctionName?: JsonValue; Payload?: JsonValue } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};

/** Replaces every occurrence of `search` inside the strings of a JSON value. */
function replaceText(value: JsonValue, search: string, replacement: string): JsonValue {
  if (typeof value === 'string') {
    return value.replaceAll(search, replacement);
  }
  if (Array.isArray(value)) {
    return value.map((item) => replaceText(item, search, replacement));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, replaceText(item, search, replacement)]),
    );
  }
  return value;
}
