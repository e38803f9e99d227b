/**
 * Turns an Amazon States Language definition into a plain graph model the console can lay out and draw.
 * Only the top level is modelled: a Parallel or Map state is one node, because its branches run in their
 * own scope and the execution history reports them as part of that state.
 */

export const STATE_TYPES = ['Task', 'Choice', 'Pass', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
export type StateType = (typeof STATE_TYPES)[number];

/** Ids of the synthetic nodes; the execution path uses the same ids for its first and last transitions. */
export const START_NODE = 'Start';
export const END_NODE = 'End';

export type NodeType = StateType | 'Start' | 'End';

export interface GraphNode {
  /** The state name, or START_NODE / END_NODE for the synthetic nodes. */
  id: string;
  type: NodeType;
  comment?: string;
}

/**
 * `timeout` is a Catch whose first ErrorEquals is `States.Timeout`: in these workflows that is an expected
 * business path (escalate a silent party), so the console draws it apart from a step failure.
 */
export type EdgeKind = 'start' | 'next' | 'choice' | 'default' | 'catch' | 'timeout' | 'end';

export interface GraphEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** Short text to draw on the edge: the choice condition, `default`, or the first caught error. */
  label?: string;
  /** The untruncated choice condition, when the label had to be shortened. */
  detail?: string;
}

export interface AslGraph {
  startAt: string;
  comment?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const LABEL_MAX = 40;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isStateType = (value: unknown): value is StateType =>
  typeof value === 'string' && (STATE_TYPES as readonly string[]).includes(value);

function fail(problem: string): never {
  throw new Error(`Invalid state machine definition: ${problem}`);
}

const quote = (value: unknown): string => JSON.stringify(value) ?? String(value);

/**
 * Builds the graph model of a state machine definition (the parsed `*.asl.json`).
 *
 * Validation is deliberately minimal — enough that every edge joins two nodes — and throws an Error naming
 * the problem, so the console can show why a definition cannot be drawn instead of drawing a broken graph.
 * State names `Start` and `End` are refused because they are the ids of the synthetic nodes.
 */
export function aslGraph(definition: unknown): AslGraph {
  if (!isObject(definition)) fail('expected a JSON object');
  const start = definition.StartAt;
  const stateMap = definition.States;
  if (typeof start !== 'string' || start === '') fail('StartAt is missing or not a string');
  if (!isObject(stateMap) || Object.keys(stateMap).length === 0) fail('States is missing or empty');

  const nodes: GraphNode[] = [{ id: START_NODE, type: 'Start' }];
  const edges: GraphEdge[] = [];
  let needsEnd = false;

  const target = (from: string, field: string, to: unknown): string => {
    if (typeof to !== 'string' || to === '')
      fail(`state ${quote(from)} has a ${field} that is not a state name`);
    if (!Object.hasOwn(stateMap, to)) {
      fail(`state ${quote(from)} has ${field} ${quote(to)}, which is not a state of this definition`);
    }
    return to;
  };

  if (!Object.hasOwn(stateMap, start)) fail(`StartAt ${quote(start)} is not a state of this definition`);
  edges.push({ from: START_NODE, to: start, kind: 'start' });

  for (const [name, state] of Object.entries(stateMap)) {
    if (name === START_NODE || name === END_NODE) {
      fail(`state name ${quote(name)} is reserved for the graph's synthetic ${name} node`);
    }
    if (!isObject(state)) fail(`state ${quote(name)} is not an object`);
    const s = state;
    const type = s.Type;
    if (!isStateType(type)) fail(`state ${quote(name)} has unknown Type ${quote(type)}`);
    nodes.push(typeof s.Comment === 'string' ? { id: name, type, comment: s.Comment } : { id: name, type });

    if (type === 'Choice') {
      const choices = s.Choices ?? [];
      if (!Array.isArray(choices)) fail(`state ${quote(name)} has Choices that is not an array`);
      choices.forEach((rule: unknown, i) => {
        if (!isObject(rule)) fail(`state ${quote(name)} has Choices[${i}] that is not an object`);
        const to = target(name, `Choices[${i}].Next`, rule.Next);
        edges.push(withLabel({ from: name, to, kind: 'choice' }, describeRule(rule)));
      });
      if (s.Default !== undefined) {
        edges.push({ from: name, to: target(name, 'Default', s.Default), kind: 'default', label: 'default' });
      }
    } else if (s.Next !== undefined) {
      edges.push({ from: name, to: target(name, 'Next', s.Next), kind: 'next' });
    }

    if (s.Catch !== undefined) {
      if (!Array.isArray(s.Catch)) fail(`state ${quote(name)} has Catch that is not an array`);
      s.Catch.forEach((c: unknown, i) => {
        if (!isObject(c)) fail(`state ${quote(name)} has Catch[${i}] that is not an object`);
        const to = target(name, `Catch[${i}].Next`, c.Next);
        const first = Array.isArray(c.ErrorEquals) ? c.ErrorEquals[0] : undefined;
        const error = typeof first === 'string' ? first : 'error';
        edges.push({ from: name, to, kind: error === 'States.Timeout' ? 'timeout' : 'catch', label: error });
      });
    }

    if (s.End === true || type === 'Succeed' || type === 'Fail') {
      edges.push({ from: name, to: END_NODE, kind: 'end' });
      needsEnd = true;
    }
  }

  if (needsEnd) nodes.push({ id: END_NODE, type: 'End' });
  const graph: AslGraph = { startAt: start, nodes, edges };
  if (typeof definition.Comment === 'string') graph.comment = definition.Comment;
  return graph;
}

const withLabel = (edge: GraphEdge, text: string): GraphEdge => {
  if (text === '') return edge;
  if (text.length <= LABEL_MAX) return { ...edge, label: text };
  return { ...edge, label: `${text.slice(0, LABEL_MAX - 1)}…`, detail: text };
};

const OPERATORS: ReadonlyArray<[suffix: string, symbol: string]> = [
  ['GreaterThanEquals', '>='],
  ['LessThanEquals', '<='],
  ['GreaterThan', '>'],
  ['LessThan', '<'],
  ['Equals', '=='],
  ['Matches', 'matches'],
];

const TYPE_TESTS: Record<string, string> = {
  IsPresent: 'present',
  IsNull: 'null',
  IsString: 'a string',
  IsNumeric: 'numeric',
  IsBoolean: 'a boolean',
  IsTimestamp: 'a timestamp',
};

/**
 * A one-line reading of a Choice rule, so an operator sees why a branch was taken without opening the JSON.
 * A rule's own Comment wins because whoever wrote it already said it best.
 */
export function describeRule(rule: Json): string {
  if (typeof rule.Comment === 'string' && rule.Comment !== '') return rule.Comment;
  return describeCondition(rule);
}

function describeCondition(rule: Json): string {
  if (typeof rule.Condition === 'string') return rule.Condition;
  if (Array.isArray(rule.And)) return joinRules(withoutPresenceGuards(rule.And), ' and ');
  if (Array.isArray(rule.Or)) return joinRules(rule.Or, ' or ');
  if (isObject(rule.Not)) return `not (${describeCondition(rule.Not)})`;
  const variable = typeof rule.Variable === 'string' ? rule.Variable : '?';
  for (const [key, value] of Object.entries(rule)) {
    const test = TYPE_TESTS[key];
    if (test !== undefined) return `${variable} is ${value === false ? 'not ' : ''}${test}`;
    const isPath = key.endsWith('Path');
    const operator = isPath ? key.slice(0, -'Path'.length) : key;
    const symbol = OPERATORS.find(([suffix]) => operator.endsWith(suffix))?.[1];
    if (symbol !== undefined) return `${variable} ${symbol} ${isPath ? String(value) : quote(value)}`;
  }
  return '';
}

/**
 * The emitted definitions guard each comparison with `IsPresent: true` on the same variable so a missing
 * field takes the Default instead of failing; the guard is noise on a label, the comparison is the meaning.
 */
function withoutPresenceGuards(rules: unknown[]): unknown[] {
  const compared = new Set(
    rules
      .filter(isObject)
      .flatMap((r) => (r.IsPresent === undefined && typeof r.Variable === 'string' ? [r.Variable] : [])),
  );
  return rules.filter((r) => !(isObject(r) && r.IsPresent === true && compared.has(r.Variable as string)));
}

const joinRules = (rules: unknown[], separator: string): string =>
  rules
    .filter(isObject)
    .map((r) => describeCondition(r))
    .filter((text) => text !== '')
    .join(separator);
