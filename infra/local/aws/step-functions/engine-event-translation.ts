import type { HistoryEventType } from '@aws-sdk/client-sfn';
import type { EngineEvent } from './engine-types.ts';
import type { ExecutionChange, NewHistoryEvent } from './execution-record.ts';

/** A history event for the store, and the change it brings to its execution. */
export interface TranslatedEvent {
  event: NewHistoryEvent;
  change?: ExecutionChange;
}

type StateType = Extract<EngineEvent, { type: 'StateEntered' }>['state']['type'];

const ENTERED: Record<StateType, HistoryEventType> = {
  Task: 'TaskStateEntered',
  Parallel: 'ParallelStateEntered',
  Map: 'MapStateEntered',
  Pass: 'PassStateEntered',
  Wait: 'WaitStateEntered',
  Choice: 'ChoiceStateEntered',
  Succeed: 'SucceedStateEntered',
  Fail: 'FailStateEntered',
};

// A Fail state never exits: the execution fails instead.
const EXITED: Record<Exclude<StateType, 'Fail'>, HistoryEventType> = {
  Task: 'TaskStateExited',
  Parallel: 'ParallelStateExited',
  Map: 'MapStateExited',
  Pass: 'PassStateExited',
  Wait: 'WaitStateExited',
  Choice: 'ChoiceStateExited',
  Succeed: 'SucceedStateExited',
};

/** The error recorded when an execution outlives its top-level `TimeoutSeconds`. */
const EXECUTION_TIMED_OUT = { error: 'States.Timeout', cause: 'The execution exceeded its TimeoutSeconds.' };

/** JSON text of a value, as history events carry inputs and outputs. */
export const jsonText = (value: unknown): string => JSON.stringify(value ?? null);

const text = (value: unknown): string => (typeof value === 'string' ? value : jsonText(value));

/**
 * Turns one event of the engine's `eventLogs` into the history event Step Functions records for it.
 * Task-level events (scheduled, started, succeeded, …) are not in the engine's log; the task handlers
 * record those. Events with no Step Functions counterpart (retries, catches, parallel branches) give
 * `undefined`.
 */
export function translateEngineEvent(event: EngineEvent, roleArn: string): TranslatedEvent | undefined {
  switch (event.type) {
    case 'ExecutionStarted':
      return {
        event: {
          type: 'ExecutionStarted',
          executionStartedEventDetails: {
            input: jsonText(event.input),
            inputDetails: { truncated: false },
            roleArn,
          },
        },
      };
    case 'StateEntered':
      return {
        event: {
          type: ENTERED[event.state.type],
          stateEnteredEventDetails: {
            name: event.state.name,
            input: jsonText(event.state.input),
            inputDetails: { truncated: false },
          },
        },
      };
    case 'StateExited':
      return event.state.type === 'Fail'
        ? undefined
        : {
            event: {
              type: EXITED[event.state.type],
              stateExitedEventDetails: {
                name: event.state.name,
                output: jsonText(event.state.output),
                outputDetails: { truncated: false },
              },
            },
          };
    case 'MapIterationStarted':
      return { event: { type: event.type, mapIterationStartedEventDetails: mapIteration(event) } };
    case 'MapIterationSucceeded':
      return { event: { type: event.type, mapIterationSucceededEventDetails: mapIteration(event) } };
    case 'MapIterationFailed':
      return { event: { type: event.type, mapIterationFailedEventDetails: mapIteration(event) } };
    case 'ExecutionSucceeded': {
      const output = jsonText(event.output);
      return {
        event: {
          type: 'ExecutionSucceeded',
          executionSucceededEventDetails: { output, outputDetails: { truncated: false } },
        },
        change: { status: 'SUCCEEDED', output, stopDate: new Date() },
      };
    }
    case 'ExecutionFailed': {
      const failure = { error: event.Error, cause: text(event.Cause) };
      return {
        event: { type: 'ExecutionFailed', executionFailedEventDetails: failure },
        change: { status: 'FAILED', ...failure, stopDate: new Date() },
      };
    }
    case 'ExecutionTimeout':
      return {
        event: { type: 'ExecutionTimedOut', executionTimedOutEventDetails: EXECUTION_TIMED_OUT },
        change: { status: 'TIMED_OUT', ...EXECUTION_TIMED_OUT, stopDate: new Date() },
      };
    default:
      // ExecutionAborted is recorded by StopExecution itself, with the caller's error and cause.
      return undefined;
  }
}

const mapIteration = (event: { parentState: { name: string }; index: number }) => ({
  name: event.parentState.name,
  index: event.index,
});
