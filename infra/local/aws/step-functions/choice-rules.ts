import type { JsonObject, JsonValue } from './asl-types.ts';
import { isObject, lookUp, readPath } from './json-paths.ts';
import { StatesError } from './states-error.ts';

/**
 * Choice rules of the Amazon States Language (JSONPath): And / Or / Not, the type tests (`IsPresent`,
 * `IsNull`, `IsString`, …), `StringMatches`, and every comparison on strings, numbers, booleans and
 * timestamps, each with its `…Path` form that compares with another value of the input.
 */

type Compare = (a: JsonValue, b: JsonValue) => boolean;

const num =
  (f: (a: number, b: number) => boolean): Compare =>
  (a, b) =>
    typeof a === 'number' && typeof b === 'number' && f(a, b);
const str =
  (f: (a: string, b: string) => boolean): Compare =>
  (a, b) =>
    typeof a === 'string' && typeof b === 'string' && f(a, b);
const time =
  (f: (a: number, b: number) => boolean): Compare =>
  (a, b) => {
    const x = timestampOf(a);
    const y = timestampOf(b);
    return x !== undefined && y !== undefined && f(x, y);
  };

const COMPARISONS: Record<string, Compare> = {
  StringEquals: str((a, b) => a === b),
  StringLessThan: str((a, b) => a < b),
  StringGreaterThan: str((a, b) => a > b),
  StringLessThanEquals: str((a, b) => a <= b),
  StringGreaterThanEquals: str((a, b) => a >= b),
  NumericEquals: num((a, b) => a === b),
  NumericLessThan: num((a, b) => a < b),
  NumericGreaterThan: num((a, b) => a > b),
  NumericLessThanEquals: num((a, b) => a <= b),
  NumericGreaterThanEquals: num((a, b) => a >= b),
  BooleanEquals: (a, b) => typeof a === 'boolean' && a === b,
  TimestampEquals: time((a, b) => a === b),
  TimestampLessThan: time((a, b) => a < b),
  TimestampGreaterThan: time((a, b) => a > b),
  TimestampLessThanEquals: time((a, b) => a <= b),
  TimestampGreaterThanEquals: time((a, b) => a >= b),
};

const TYPE_TESTS: Record<string, (found: boolean, value: JsonValue | undefined) => boolean> = {
  IsPresent: (found) => found,
  IsNull: (found, value) => found && value === null,
  IsString: (found, value) => found && typeof value === 'string',
  IsNumeric: (found, value) => found && typeof value === 'number',
  IsBoolean: (found, value) => found && typeof value === 'boolean',
  IsTimestamp: (found, value) => found && timestampOf(value ?? null) !== undefined,
};

/** The operators a rule may use (definition checks read this). */
export const CHOICE_OPERATORS = new Set([
  ...Object.keys(COMPARISONS),
  ...Object.keys(COMPARISONS).map((name) => `${name}Path`),
  ...Object.keys(TYPE_TESTS),
  'StringMatches',
]);

/** Whether one rule (a top-level choice without its `Next`, or a nested one) holds for `input`. */
export function ruleHolds(rule: JsonObject, input: JsonValue, context: JsonValue): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r) => ruleHolds(asRule(r), input, context));
  if (Array.isArray(rule.Or)) return rule.Or.some((r) => ruleHolds(asRule(r), input, context));
  if (rule.Not !== undefined) return !ruleHolds(asRule(rule.Not), input, context);
  const variable = rule.Variable;
  if (typeof variable !== 'string') {
    throw new StatesError('States.Runtime', 'A choice rule has no Variable');
  }
  const operator = Object.keys(rule).find((key) => CHOICE_OPERATORS.has(key));
  if (operator === undefined) {
    throw new StatesError('States.Runtime', `A choice rule on ${variable} has no comparison operator`);
  }
  const expected = rule[operator] as JsonValue;
  const test = TYPE_TESTS[operator];
  if (test) {
    const { found, value } = lookUp(variable, input, context);
    return test(found, value) === expected;
  }
  const actual = readPath(variable, input, context);
  if (operator === 'StringMatches') {
    return typeof actual === 'string' && typeof expected === 'string' && wildcard(expected).test(actual);
  }
  if (operator.endsWith('Path')) {
    const compare = COMPARISONS[operator.slice(0, -4)] as Compare;
    return compare(actual, readPath(String(expected), input, context));
  }
  return (COMPARISONS[operator] as Compare)(actual, expected);
}

const asRule = (value: JsonValue): JsonObject => (isObject(value) ? value : {});

/** `*` matches any run of characters; `\*` and `\\` are literal. */
function wildcard(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[++i] as string);
    } else {
      source += char === '*' ? '.*' : escapeRegExp(char);
    }
  }
  return new RegExp(`^${source}$`, 's');
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** RFC 3339 timestamps only, as the ASL asks (a date alone or a time without zone is not one). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function timestampOf(value: JsonValue): number | undefined {
  if (typeof value !== 'string' || !RFC3339.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
