import { createRequire } from 'node:module';
import type { JsonValue, MachineDefinition, StateDefinition } from './asl-types.ts';
import { CHOICE_OPERATORS } from './choice-rules.ts';
import { isObject, isReferencePath } from './json-paths.ts';
import { integrationOf, type TaskBinding } from './task-binding.ts';

/** A definition the local service refuses, naming the state and the feature at fault. */
export class StateMachineDefinitionError extends Error {
  override readonly name = 'StateMachineDefinitionError';
}

/** The longest TimeoutSeconds Step Functions accepts on a state (99999999 s, about three years). */
export const MAX_TIMEOUT_SECONDS = 99_999_999;

// asl-validator is CommonJS without type declarations.
const validateAsl = createRequire(import.meta.url)('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

/** A definition the engine can run, with its Task states bound. */
export interface CheckedDefinition {
  readonly definition: MachineDefinition;
  readonly tasks: ReadonlyMap<string, TaskBinding>;
}

const RUNNABLE = new Set(['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail']);

/**
 * Checks a definition for what the local engine runs faithfully, refusing the rest at registration rather
 * than running it wrongly: the JSONPath query language with Task (Lambda), Pass, Choice, Wait, Succeed and
 * Fail states. Refused, by name: JSONata, `Assign` variables, Parallel and Map states (Distributed Map
 * included), heartbeats, intrinsic functions, and any Task resource but Lambda.
 * @throws StateMachineDefinitionError naming the state and the feature.
 */
export function checkDefinition(name: string, definition: object): CheckedDefinition {
  const fail = (where: string, why: string): never => {
    throw new StateMachineDefinitionError(`State machine ${name}, ${where}: ${why}`);
  };
  const json = definition as Record<string, unknown>;
  if (json.QueryLanguage === 'JSONata') {
    fail('top level', 'QueryLanguage JSONata is not supported by the local engine (JSONPath only)');
  }
  const validation = validateAsl(definition);
  if (!validation.isValid) fail('definition', validation.errorsText('; '));
  checkTimeout(json.TimeoutSeconds, 'TimeoutSeconds', (why) => fail('top level', why));
  const machine = definition as MachineDefinition;
  const tasks = new Map<string, TaskBinding>();
  for (const [stateName, state] of Object.entries(machine.States)) {
    const failHere = (why: string): never => fail(`state "${stateName}"`, why);
    checkState(state as StateDefinition & Record<string, unknown>, failHere);
    if (state.Type === 'Task') tasks.set(stateName, bindTask(stateName, state, failHere));
  }
  return { definition: machine, tasks };
}

function checkState(state: StateDefinition & Record<string, unknown>, fail: (why: string) => never): void {
  if (state.QueryLanguage === 'JSONata' || 'Arguments' in state || 'Output' in state) {
    fail('JSONata (QueryLanguage, Arguments, Output) is not supported by the local engine');
  }
  if ('Assign' in state) fail('Assign (workflow variables) is not supported by the local engine');
  const type: string = state.Type;
  if (type === 'Map') {
    const processor = state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined;
    fail(
      processor?.ProcessorConfig?.Mode === 'DISTRIBUTED'
        ? 'Distributed Map is not supported by the local engine'
        : 'Map states are not supported by the local engine',
    );
  }
  if (!RUNNABLE.has(type)) fail(`${type} states are not supported by the local engine`);
  if ('HeartbeatSeconds' in state || 'HeartbeatSecondsPath' in state) {
    fail('HeartbeatSeconds is not supported by the local engine (it has no heartbeat clock)');
  }
  for (const field of ['InputPath', 'OutputPath', 'ResultPath', 'SecondsPath', 'TimestampPath'] as const) {
    const path = state[field];
    if (typeof path === 'string' && !isReferencePath(path))
      fail(`${field} "${path}" is not a reference path`);
  }
  for (const field of ['Parameters', 'ResultSelector'] as const) {
    const intrinsic = intrinsicIn(state[field]);
    if (intrinsic) fail(`intrinsic function ${intrinsic} (in ${field}) is not supported by the local engine`);
  }
  checkTimeout(state.TimeoutSeconds, 'TimeoutSeconds', fail);
  for (const choice of state.Choices ?? []) checkChoice(choice, fail);
}

function checkChoice(rule: JsonValue, fail: (why: string) => never): void {
  if (!isObject(rule)) return;
  for (const nested of [rule.And, rule.Or, rule.Not].flat()) if (nested) checkChoice(nested, fail);
  if (rule.Variable === undefined) return;
  if (!Object.keys(rule).some((key) => CHOICE_OPERATORS.has(key))) {
    fail(`a choice rule on ${String(rule.Variable)} uses no operator the local engine knows`);
  }
}

/** The first `States.…(` intrinsic call in a payload template's `.$` values. */
function intrinsicIn(template: unknown): string | undefined {
  if (Array.isArray(template)) return template.map(intrinsicIn).find(Boolean);
  if (typeof template !== 'object' || template === null) return undefined;
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string' && /^States\.\w+\(/.test(value)) {
      return value.slice(0, value.indexOf('('));
    }
    const nested = intrinsicIn(value);
    if (nested) return nested;
  }
  return undefined;
}

function bindTask(stateName: string, state: StateDefinition, fail: (why: string) => never): TaskBinding {
  const resource = state.Resource ?? '';
  const integration = integrationOf(resource);
  if (!integration) {
    return fail(
      `resource "${resource}" cannot run locally (supported: Lambda function ARNs, ` +
        'arn:aws:states:::lambda:invoke and arn:aws:states:::lambda:invoke.waitForTaskToken)',
    );
  }
  if (integration !== 'lambda-function' && !hasFunctionName(state.Parameters)) {
    fail('Parameters must name FunctionName for a lambda:invoke task');
  }
  if (integration === 'lambda-invoke-callback') {
    if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
      fail('a .waitForTaskToken task needs an explicit TimeoutSeconds (its hard cap, design decision 7)');
    }
    if (!JSON.stringify(state.Parameters).includes('$$.Task.Token')) {
      fail('a .waitForTaskToken task must pass $$.Task.Token in its Parameters');
    }
  }
  return { stateName, integration, resource };
}

function checkTimeout(value: unknown, field: string, fail: (why: string) => never): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > MAX_TIMEOUT_SECONDS) {
    fail(`${field} must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}`);
  }
}

function hasFunctionName(parameters: unknown): boolean {
  const json = isObject((parameters ?? null) as JsonValue) ? (parameters as Record<string, unknown>) : {};
  return typeof json.FunctionName === 'string' || typeof json['FunctionName.$'] === 'string';
}
