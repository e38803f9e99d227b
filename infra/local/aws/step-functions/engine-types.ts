import type { RunOptions, StateMachine } from 'aws-local-stepfunctions';

/**
 * Types of aws-local-stepfunctions 3.0.0 that its entry point uses but does not export; derived from the
 * exported `StateMachine` so they follow the package if it changes.
 */

/** A JSON value as the engine passes it between states. */
export type JsonValue = Parameters<StateMachine['run']>[0];

/** One entry of a run's `eventLogs` stream. */
export type EngineEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** The `taskResourceLocalHandlers` override: Task state name → local implementation. */
export type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
