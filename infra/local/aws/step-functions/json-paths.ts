import { JSONPath } from 'jsonpath-plus';
import type { JsonObject, JsonValue } from './asl-types.ts';
import { StatesError } from './states-error.ts';

/**
 * Paths of the Amazon States Language (JSONPath query language): reference paths for InputPath, OutputPath,
 * ResultPath and Choice variables, and the `"key.$"` members of Parameters / ResultSelector, which may be
 * any JSONPath (evaluated by jsonpath-plus) or a `$$.` path into the context object.
 */

type Segment = string | number;

/** `$`, `$.a.b`, `$['a b']`, `$.a[0]`: the only shape a reference path may take. */
const SEGMENT = /^(?:\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\])/;

/**
 * Splits a reference path into its segments.
 * @throws StatesError `States.Runtime` when the text is not a reference path.
 */
export function referencePathSegments(path: string): Segment[] {
  if (!path.startsWith('$')) {
    throw new StatesError('States.Runtime', `"${path}" is not a reference path`);
  }
  const segments: Segment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) {
      throw new StatesError('States.Runtime', `"${path}" is not a reference path`);
    }
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(match[2].replace(/\\(.)/g, '$1'));
    else segments.push(Number(match[3]));
    rest = rest.slice(match[0].length);
  }
  return segments;
}

/** Whether a text is a valid reference path (for definition checks). */
export function isReferencePath(path: string): boolean {
  try {
    referencePathSegments(path.startsWith('$$') ? path.slice(1) : path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a reference path (or a `$$.` context path) and reports whether anything is there; Choice's
 * `IsPresent` needs "absent" apart from `null`.
 */
export function lookUp(
  path: string,
  input: JsonValue,
  context: JsonValue,
): { found: boolean; value?: JsonValue } {
  const [root, relative] = path.startsWith('$$') ? [context, path.slice(1)] : [input, path];
  let current: JsonValue | undefined = root;
  for (const segment of referencePathSegments(relative)) {
    if (typeof segment === 'number') {
      current = Array.isArray(current) ? current[segment] : undefined;
    } else if (isObject(current) && Object.hasOwn(current, segment)) {
      current = current[segment];
    } else {
      current = undefined;
    }
    if (current === undefined) return { found: false };
  }
  return { found: true, value: current as JsonValue };
}

/**
 * Reads a reference path that must resolve (InputPath, OutputPath, a Choice variable being compared).
 * @throws StatesError `States.Runtime` when nothing is at the path, as Step Functions fails the execution.
 */
export function readPath(path: string, input: JsonValue, context: JsonValue): JsonValue {
  const { found, value } = lookUp(path, input, context);
  if (!found) {
    throw new StatesError('States.Runtime', `The JSONPath ${path} could not be found in the input`);
  }
  return value as JsonValue;
}

/**
 * ResultPath: places `result` into a copy of `input` at `path` (`$` replaces the input; `null` discards the
 * result and keeps the input).
 * @throws StatesError `States.Runtime` when the path crosses a value that is not an object.
 */
export function writePath(input: JsonValue, path: string | null, result: JsonValue): JsonValue {
  if (path === null) return input;
  const segments = referencePathSegments(path);
  if (segments.length === 0) return result;
  const copy: JsonValue = structuredClone(input);
  let holder: JsonValue = copy;
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (typeof segment === 'number' || !isObject(holder)) {
      throw new StatesError(
        'States.Runtime',
        `Unable to apply ResultPath ${path}: it must lead through objects only`,
      );
    }
    if (last) {
      holder[segment] = result;
    } else {
      if (!isObject(holder[segment] ?? null)) holder[segment] = {};
      holder = holder[segment] as JsonValue;
    }
  }
  return copy;
}

/**
 * Builds a payload template (Parameters, ResultSelector): `"key.$"` members take the value at their path,
 * everything else is copied; nested objects and arrays are processed the same way.
 */
export function applyTemplate(template: JsonValue, input: JsonValue, context: JsonValue): JsonValue {
  if (Array.isArray(template)) return template.map((item) => applyTemplate(item, input, context));
  if (!isObject(template)) return template;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      result[key.slice(0, -2)] = queryPath(value, input, context);
    } else {
      result[key] = applyTemplate(value, input, context);
    }
  }
  return result;
}

/** A `"key.$"` value: a JSONPath into the input, or a `$$.` path into the context object. */
function queryPath(path: string, input: JsonValue, context: JsonValue): JsonValue {
  const [json, query] = path.startsWith('$$') ? [context, path.slice(1)] : [input, path];
  if (query === '$') return json;
  const result = JSONPath({ path: query, json: json as object, wrap: false, eval: false }) as
    | JsonValue
    | undefined;
  if (result === undefined) {
    throw new StatesError('States.Runtime', `The JSONPath ${path} could not be found in the input`);
  }
  return result;
}

export const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
