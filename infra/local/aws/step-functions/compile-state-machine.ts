import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { integrationOf, type TaskBinding } from './task-binding.ts';

/**
 * The longest timer the local engine may arm: Node's `setTimeout` holds at most 2^31-1 ms (~24.8 days) and
 * fires at once beyond that, so every statically known duration is capped at 24 days.
 */
export const MAX_LOCAL_TIMER_SECONDS = 24 * 24 * 60 * 60;

/**
 * The timeout given to Lambda Task states that name none. The engine's own default (60 s) is not what AWS
 * does; AWS waits for the function, which Lambda stops after at most 900 s, so that is the local bound.
 */
export const DEFAULT_LAMBDA_TIMEOUT_SECONDS = 900;

/** A state machine the local service can run. */
export interface CompiledStateMachine {
  /** The engine, built from a copy of the definition with every Task timeout made explicit. */
  readonly engine: StateMachine;
  /** Task state name → how to run it (the engine's overrides are keyed by state name). */
  readonly tasks: ReadonlyMap<string, TaskBinding>;
}

/** A definition the local service refuses, with the state at fault in the message. */
export class StateMachineDefinitionError extends Error {
  override readonly name = 'StateMachineDefinitionError';
}

type Json = Record<string, unknown>;

/**
 * Checks a definition for what the local engine can honour and prepares it to run.
 * @param name State machine name, for messages.
 * @param definition ASL object (JSONPath), placeholders already substituted.
 * @throws StateMachineDefinitionError for invalid ASL, a Task resource other than Lambda, a
 * `.waitForTaskToken` task without an explicit `TimeoutSeconds` (design decision 7) or without
 * `$$.Task.Token`, `TimeoutSecondsPath` (its value is unknown until run time, so it cannot be capped), two
 * Task states sharing a name, or a duration over {@link MAX_LOCAL_TIMER_SECONDS}.
 */
export function compileStateMachine(name: string, definition: object): CompiledStateMachine {
  const engineDefinition = structuredClone(definition) as StateMachineDefinition & Json;
  const fail = (where: string, why: string): never => {
    throw new StateMachineDefinitionError(`State machine ${name}, ${where}: ${why}`);
  };
  checkDuration(engineDefinition.TimeoutSeconds, 'TimeoutSeconds', (why) => fail('top level', why));
  const tasks = new Map<string, TaskBinding>();
  forEachState(engineDefinition, (stateName, state) => {
    const failHere = (why: string): never => fail(`state "${stateName}"`, why);
    checkDuration(state.Seconds, 'Seconds', failHere);
    for (const retrier of asArray(state.Retry)) {
      checkDuration(retrier.IntervalSeconds, 'Retry IntervalSeconds', failHere);
      checkDuration(retrier.MaxDelaySeconds, 'Retry MaxDelaySeconds', failHere);
    }
    if (state.Type === 'Task') {
      if (tasks.has(stateName)) {
        failHere('another Task state has the same name; the local engine binds tasks by name');
      }
      tasks.set(stateName, bindTask(stateName, state, failHere));
    }
  });
  return { engine: buildEngine(name, engineDefinition), tasks };
}

/** Classifies a Task state and writes its effective timeout into the engine's copy of the definition. */
function bindTask(stateName: string, state: Json, fail: (why: string) => never): TaskBinding {
  const resource = typeof state.Resource === 'string' ? state.Resource : '';
  const integration = integrationOf(resource);
  if (!integration) {
    return fail(
      `resource "${resource}" cannot run locally (supported: Lambda function ARNs, ` +
        'arn:aws:states:::lambda:invoke and arn:aws:states:::lambda:invoke.waitForTaskToken)',
    );
  }
  if (state.TimeoutSecondsPath !== undefined) {
    fail('TimeoutSecondsPath is not supported locally; use TimeoutSeconds');
  }
  if (integration !== 'lambda-function' && !hasFunctionName(state.Parameters)) {
    fail('Parameters must name FunctionName for a lambda:invoke task');
  }
  if (integration === 'lambda-invoke-callback') {
    if (state.TimeoutSeconds === undefined) {
      fail('a .waitForTaskToken task needs an explicit TimeoutSeconds (its hard cap)');
    }
    if (!JSON.stringify(state.Parameters).includes('$$.Task.Token')) {
      fail('a .waitForTaskToken task must pass $$.Task.Token in its Parameters');
    }
  }
  checkDuration(state.TimeoutSeconds, 'TimeoutSeconds', fail);
  // Never leave the engine its 60 s default: AWS has no such default.
  state.TimeoutSeconds ??= DEFAULT_LAMBDA_TIMEOUT_SECONDS;
  return { stateName, integration, resource, timeoutSeconds: state.TimeoutSeconds as number };
}

function checkDuration(value: unknown, field: string, fail: (why: string) => never): void {
  if (value === undefined) {
    return;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(`${field} must be a positive number`);
  }
  if ((value as number) > MAX_LOCAL_TIMER_SECONDS) {
    fail(
      `${field} ${value} exceeds the local engine's ${MAX_LOCAL_TIMER_SECONDS} s (24 days) timer limit; ` +
        'longer timers overflow in Node and would fire immediately',
    );
  }
}

/** Visits every state, including those inside Parallel branches and Map processors. */
function forEachState(machine: Json, visit: (stateName: string, state: Json) => void): void {
  for (const [stateName, state] of Object.entries(asObject(machine.States))) {
    const json = asObject(state);
    visit(stateName, json);
    for (const branch of asArray(json.Branches)) {
      forEachState(branch, visit);
    }
    const processor = json.ItemProcessor ?? json.Iterator;
    if (processor !== undefined) {
      forEachState(asObject(processor), visit);
    }
  }
}

function hasFunctionName(parameters: unknown): boolean {
  const json = asObject(parameters);
  return typeof json.FunctionName === 'string' || typeof json['FunctionName.$'] === 'string';
}

/**
 * Builds the engine, which validates the definition with asl-validator. That validation costs hundreds of
 * milliseconds and annotates the definition it checks, so it runs once, on the engine's own copy.
 */
function buildEngine(name: string, definition: StateMachineDefinition): StateMachine {
  try {
    return new StateMachine(definition);
  } catch (error) {
    throw new StateMachineDefinitionError(`State machine ${name}: ${(error as Error).message}`);
  }
}

const asObject = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

const asArray = (value: unknown): Json[] => (Array.isArray(value) ? value.map(asObject) : []);
