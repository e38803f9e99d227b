import { readFileSync } from 'node:fs';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import {
  aslGraph,
  END_NODE,
  type ExecutionHistoryEvent,
  type ExecutionPath,
  executionPath,
  layoutGraph,
  renderExecutionGraph,
  START_NODE,
} from '../../../console/src/graph/index.ts';

interface AslState {
  Type: string;
  Next?: string;
  Default?: string;
  End?: boolean;
  Choices?: Array<{ Next: string }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
}

interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

const loadAsl = (family: string): AslDefinition =>
  JSON.parse(
    readFileSync(new URL(`../../../state-machines/asl/${family}.asl.json`, import.meta.url), 'utf8'),
  );

const FAMILIES = ['buyer-dispute', 'payout-hold'] as const;

/** Every transition the definition declares, read straight from the JSON rather than through aslGraph. */
function declaredTargets(definition: AslDefinition): Array<[from: string, to: string]> {
  return Object.entries(definition.States).flatMap(([name, state]) =>
    [
      ...(state.Next === undefined ? [] : [state.Next]),
      ...(state.Default === undefined ? [] : [state.Default]),
      ...(state.Choices ?? []).map((rule) => rule.Next),
      ...(state.Catch ?? []).map((catcher) => catcher.Next),
    ].map((to): [string, string] => [name, to]),
  );
}

/**
 * A GetExecutionHistory-shaped history through the given states, each entered then exited, with the event
 * types Step Functions uses for each state type. Names must be real states of the definition.
 */
function history(
  definition: AslDefinition,
  names: readonly string[],
  ending: 'running' | 'succeeded' | 'failed-in-last',
): ExecutionHistoryEvent[] {
  let id = 0;
  const at = (n: number) => new Date(Date.UTC(2025, 0, 1, 9, 0, n)).toISOString();
  const event = (type: string, extra: Partial<ExecutionHistoryEvent> = {}): ExecutionHistoryEvent => {
    id += 1;
    return { id, previousEventId: id - 1, timestamp: at(id), type, ...extra };
  };
  const events = [event('ExecutionStarted')];
  names.forEach((name, i) => {
    const type = definition.States[name]?.Type;
    if (type === undefined) throw new Error(`test history names ${name}, which the definition does not have`);
    events.push(event(`${type}StateEntered`, { stateEnteredEventDetails: { name } }));
    const isLast = i === names.length - 1;
    if (isLast && ending === 'running') return;
    if (isLast && ending === 'failed-in-last') {
      if (type === 'Task') events.push(event('TaskFailed'));
      events.push(event('ExecutionFailed'));
      return;
    }
    if (type !== 'Fail') events.push(event(`${type}StateExited`, { stateExitedEventDetails: { name } }));
  });
  if (ending === 'succeeded') events.push(event('ExecutionSucceeded'));
  return events;
}

/** data-state → class list of each node in the SVG. */
function nodeClasses(svg: string): Map<string, string> {
  return new Map(
    [...svg.matchAll(/<g class="(state[^"]*)" data-state="([^"]*)"/g)].map((m) => [m[2]!, m[1]!] as const),
  );
}

/** "from→to" of every edge drawn with the `taken` class. */
function takenEdges(svg: string): string[] {
  return [...svg.matchAll(/<g class="edge taken" data-from="([^"]*)" data-to="([^"]*)"/g)]
    .map((m) => `${m[1]}→${m[2]}`)
    .sort();
}

const BUYER_RUNNING = [
  'Entry',
  'Triage',
  'EvidenceNeeded',
  'RequestEvidence',
  'BuyerEvidenceNeeded',
  'OfferMediation',
];
const PAYOUT_RESOLVED = [
  'Entry',
  'Triage',
  'EvidenceNeeded',
  'SendFirstResponse',
  'HandOff',
  'DecidedOrAsked',
  'Resolve',
  'Resolved',
];

describe('aslGraph', () => {
  it.each(FAMILIES)('draws every state of the %s definition as a node, plus Start and End', (family) => {
    const definition = loadAsl(family);

    const graph = aslGraph(definition);

    const ids = graph.nodes.map((n) => n.id);
    expect(ids).toEqual([START_NODE, ...Object.keys(definition.States), END_NODE]);
    for (const [name, state] of Object.entries(definition.States)) {
      expect(graph.nodes.find((n) => n.id === name)?.type).toBe(state.Type);
    }
  });

  it.each(FAMILIES)('draws an edge for every Next, Choice, Default and Catch target of %s', (family) => {
    const definition = loadAsl(family);
    const declared = declaredTargets(definition);

    const graph = aslGraph(definition);

    expect(declared.length).toBeGreaterThan(20);
    for (const [from, to] of declared) {
      expect(graph.edges.some((e) => e.from === from && e.to === to)).toBe(true);
    }
    const endless = graph.edges.filter((e) => e.kind !== 'start' && e.kind !== 'end');
    expect(endless).toHaveLength(declared.length);
  });

  it('links Start to StartAt and every Succeed and Fail state to End', () => {
    const definition = loadAsl('buyer-dispute');

    const graph = aslGraph(definition);

    expect(graph.edges).toContainEqual({ from: START_NODE, to: 'Entry', kind: 'start' });
    expect(graph.edges.filter((e) => e.to === END_NODE).map((e) => e.from)).toEqual([
      'Resolved',
      'CaseFailed',
      'EscalationFailed',
    ]);
  });

  it('labels catch edges with the first error they catch, telling timeouts apart from failures', () => {
    const definition = loadAsl('buyer-dispute');

    const graph = aslGraph(definition);

    const fromRequest = graph.edges.filter((e) => e.from === 'RequestEvidence' && e.kind !== 'next');
    expect(fromRequest).toEqual([
      { from: 'RequestEvidence', to: 'EscalateEvidenceTimeout', kind: 'timeout', label: 'States.Timeout' },
      { from: 'RequestEvidence', to: 'EscalateStepFailure', kind: 'catch', label: 'States.ALL' },
    ]);
  });

  it('labels choice edges with the condition that selects them and the default branch as default', () => {
    const definition = loadAsl('buyer-dispute');

    const graph = aslGraph(definition);

    const fromEntry = graph.edges.filter((e) => e.from === 'Entry');
    expect(fromEntry).toEqual([
      { from: 'Entry', to: 'AcknowledgeAppeal', kind: 'choice', label: '$.entry == "appeal"' },
      { from: 'Entry', to: 'AcknowledgeReopen', kind: 'choice', label: '$.entry == "reopen"' },
      { from: 'Entry', to: 'Triage', kind: 'default', label: 'default' },
    ]);
  });

  it('refuses a definition whose Next points to a missing state, naming the state and the target', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } };

    const build = () => aslGraph(definition);

    expect(build).toThrow('Invalid state machine definition: state "A" has Next "Nowhere"');
  });

  it('refuses a catch or choice that leads to a missing state', () => {
    const catching = {
      StartAt: 'A',
      States: { A: { Type: 'Task', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Gone' }], End: true } },
    };
    const choosing = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [], Default: 'Gone' } } };

    expect(() => aslGraph(catching)).toThrow('state "A" has Catch[0].Next "Gone"');
    expect(() => aslGraph(choosing)).toThrow('state "C" has Default "Gone"');
  });

  it('refuses a definition without StartAt or States', () => {
    expect(() => aslGraph({ States: { A: { Type: 'Succeed' } } })).toThrow('StartAt is missing');
    expect(() => aslGraph({ StartAt: 'A' })).toThrow('States is missing');
    expect(() => aslGraph({ StartAt: 'B', States: { A: { Type: 'Succeed' } } })).toThrow(
      'StartAt "B" is not a state of this definition',
    );
  });
});

describe('executionPath', () => {
  it('lists the states a running execution entered, in order, and the one it waits in as current', () => {
    const definition = loadAsl('buyer-dispute');
    const events = history(definition, BUYER_RUNNING, 'running');

    const path = executionPath(events, 'RUNNING');

    expect(path.visited).toEqual(BUYER_RUNNING);
    expect(path.current).toEqual(['OfferMediation']);
    expect(path.failed).toBeUndefined();
  });

  it('records each transition taken, starting from Start and reaching End when the execution succeeded', () => {
    const definition = loadAsl('payout-hold');
    const events = history(definition, PAYOUT_RESOLVED, 'succeeded');

    const path = executionPath(events, 'SUCCEEDED');

    expect(path.transitions).toEqual([
      [START_NODE, 'Entry'],
      ['Entry', 'Triage'],
      ['Triage', 'EvidenceNeeded'],
      ['EvidenceNeeded', 'SendFirstResponse'],
      ['SendFirstResponse', 'HandOff'],
      ['HandOff', 'DecidedOrAsked'],
      ['DecidedOrAsked', 'Resolve'],
      ['Resolve', 'Resolved'],
      ['Resolved', END_NODE],
    ]);
    expect(path.current).toEqual([]);
  });

  it('counts how often a state was entered when the execution looped through an escalation', () => {
    const definition = loadAsl('payout-hold');
    const names = [
      'Entry',
      'Triage',
      'EvidenceNeeded',
      'SendFirstResponse',
      'HandOff',
      'EscalateDecisionOverdue',
      'HandOff',
    ];
    const events = history(definition, names, 'running');

    const path = executionPath(events, 'RUNNING');

    expect(path.counts.HandOff).toBe(2);
    expect(path.counts.Triage).toBe(1);
    expect(path.visited).toEqual(names.slice(0, -1));
    expect(path.current).toEqual(['HandOff']);
  });

  it('reports the state that was active when the execution failed', () => {
    const definition = loadAsl('payout-hold');
    const events = history(definition, ['Entry', 'Triage'], 'failed-in-last');

    const path = executionPath(events, 'FAILED');

    expect(path.failed).toBe('Triage');
    expect(path.current).toEqual([]);
  });

  it('reads SDK events given newest first, with Date timestamps', () => {
    const definition = loadAsl('payout-hold');
    const sdkEvents: HistoryEvent[] = history(
      definition,
      ['Entry', 'Triage', 'EvidenceNeeded'],
      'running',
    ).map((e) => ({
      id: e.id!,
      previousEventId: e.previousEventId,
      timestamp: new Date(e.timestamp as string),
      type: e.type as HistoryEvent['type'],
      stateEnteredEventDetails: e.stateEnteredEventDetails?.name
        ? { name: e.stateEnteredEventDetails.name }
        : undefined,
      stateExitedEventDetails: e.stateExitedEventDetails?.name
        ? { name: e.stateExitedEventDetails.name }
        : undefined,
    }));

    const path = executionPath(sdkEvents.reverse(), 'RUNNING');

    expect(path.visited).toEqual(['Entry', 'Triage', 'EvidenceNeeded']);
    expect(path.current).toEqual(['EvidenceNeeded']);
  });

  it('orders events without ids by timestamp, whether epoch seconds or ISO strings', () => {
    const events: ExecutionHistoryEvent[] = [
      {
        timestamp: '2025-01-01T09:00:03Z',
        type: 'PassStateEntered',
        stateEnteredEventDetails: { name: 'B' },
      },
      {
        timestamp: Date.UTC(2025, 0, 1, 9, 0, 1) / 1000,
        type: 'PassStateEntered',
        stateEnteredEventDetails: { name: 'A' },
      },
      { timestamp: '2025-01-01T09:00:02Z', type: 'PassStateExited', stateExitedEventDetails: { name: 'A' } },
    ];

    const path = executionPath(events, 'RUNNING');

    expect(path.visited).toEqual(['A', 'B']);
  });

  it('keeps the states inside a Parallel out of the top-level path, which goes through the Parallel state', () => {
    const entered = (id: number, type: string, name: string): ExecutionHistoryEvent => ({
      id,
      type,
      stateEnteredEventDetails: { name },
    });
    const exited = (id: number, type: string, name: string): ExecutionHistoryEvent => ({
      id,
      type,
      stateExitedEventDetails: { name },
    });
    const events: ExecutionHistoryEvent[] = [
      entered(1, 'ParallelStateEntered', 'Fan'),
      { id: 2, type: 'ParallelStateStarted' },
      entered(3, 'TaskStateEntered', 'BranchA'),
      entered(4, 'TaskStateEntered', 'BranchB'),
      exited(5, 'TaskStateExited', 'BranchA'),
      exited(6, 'TaskStateExited', 'BranchB'),
      { id: 7, type: 'ParallelStateSucceeded' },
      exited(8, 'ParallelStateExited', 'Fan'),
      entered(9, 'SucceedStateEntered', 'Done'),
      exited(10, 'SucceedStateExited', 'Done'),
    ];

    const path = executionPath(events, 'SUCCEEDED');

    expect(path.visited).toEqual(['Fan', 'Done']);
    expect(path.transitions).toEqual([
      [START_NODE, 'Fan'],
      ['Fan', 'Done'],
      ['Done', END_NODE],
    ]);
  });
});

describe('renderExecutionGraph', () => {
  it('draws a node for every state, each naming its state and titled with name, type and entry count', () => {
    const definition = loadAsl('buyer-dispute');
    const path = executionPath(history(definition, BUYER_RUNNING, 'running'), 'RUNNING');

    const svg = renderExecutionGraph(definition, path);

    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toMatch(/viewBox="0 0 [\d.]+ [\d.]+"/);
    expect([...nodeClasses(svg).keys()].sort()).toEqual(
      [START_NODE, END_NODE, ...Object.keys(definition.States)].sort(),
    );
    expect(svg).toContain('<title>Triage\nTask\nentered once\nFacts, risk, urgency; route by rule</title>');
    expect(svg).toContain('<title>Resolved\nSucceed\nentered 0 times</title>');
  });

  it('marks exactly the entered states visited, the one a running execution waits in current, the rest not visited', () => {
    const definition = loadAsl('buyer-dispute');
    const path = executionPath(history(definition, BUYER_RUNNING, 'running'), 'RUNNING');

    const classes = nodeClasses(renderExecutionGraph(definition, path));

    const visited = [...classes].filter(([, c]) => c === 'state visited').map(([name]) => name);
    expect(visited.sort()).toEqual([START_NODE, ...BUYER_RUNNING.slice(0, -1)].sort());
    expect(classes.get('OfferMediation')).toBe('state current');
    const notVisited = Object.keys(definition.States).filter((name) => !BUYER_RUNNING.includes(name));
    for (const name of [...notVisited, END_NODE]) expect(classes.get(name)).toBe('state not-visited');
  });

  it('marks the transitions the execution took as taken, and no others', () => {
    const definition = loadAsl('payout-hold');
    const path = executionPath(history(definition, PAYOUT_RESOLVED, 'succeeded'), 'SUCCEEDED');

    const svg = renderExecutionGraph(definition, path);

    expect(takenEdges(svg)).toEqual(path.transitions.map(([from, to]) => `${from}→${to}`).sort());
    expect(svg).toContain(
      '<g class="edge" data-from="Triage" data-to="EscalateStepFailure" data-kind="catch">',
    );
  });

  it('marks the state a failed execution stopped in as failed', () => {
    const definition = loadAsl('buyer-dispute');
    const names = [
      'Entry',
      'Triage',
      'EvidenceNeeded',
      'RequestEvidence',
      'EscalateStepFailure',
      'CaseFailed',
    ];
    const path = executionPath(history(definition, names, 'failed-in-last'), 'FAILED');

    const classes = nodeClasses(renderExecutionGraph(definition, path));

    expect(classes.get('CaseFailed')).toBe('state failed');
    expect(classes.get('EscalateStepFailure')).toBe('state visited');
    expect([...classes.values()].filter((c) => c === 'state failed' || c === 'state current')).toHaveLength(
      1,
    );
  });

  it('draws the bare definition without status classes when no execution is given', () => {
    const definition = loadAsl('payout-hold');

    const svg = renderExecutionGraph(definition);

    expect([...new Set(nodeClasses(svg).values())]).toEqual(['state']);
    expect(takenEdges(svg)).toEqual([]);
  });

  it('escapes state names and comments, so a hostile name cannot inject markup', () => {
    const evil = '<script>alert("x")</script>';
    const definition = {
      Comment: 'a & b',
      StartAt: evil,
      States: { [evil]: { Type: 'Pass', Comment: "</title><img src=x onerror='y'>", End: true } },
    };
    const path: ExecutionPath = {
      visited: [evil],
      transitions: [[START_NODE, evil]],
      current: [evil],
      counts: { [evil]: 1 },
    };

    const svg = renderExecutionGraph(definition, path, { idPrefix: 'g"1' });

    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('data-state="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"');
    expect(svg).toContain('&lt;/title&gt;&lt;img src=x onerror=&apos;y&apos;&gt;');
    expect(svg).toContain('<title>a &amp; b</title>');
    expect(svg).toContain('id="g_1-taken"');
  });

  it('renders the same definition and path to the same string every time', () => {
    const definition = loadAsl('buyer-dispute');
    const path = executionPath(history(definition, BUYER_RUNNING, 'running'), 'RUNNING');

    const first = renderExecutionGraph(definition, path);
    const second = renderExecutionGraph(structuredClone(definition), structuredClone(path));

    expect(second).toBe(first);
  });

  it('throws the definition error instead of drawing a broken graph', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Task', Next: 'B' } } };

    expect(() => renderExecutionGraph(definition)).toThrow('state "A" has Next "B", which is not a state');
  });
});

describe('layoutGraph', () => {
  it('places every node inside the drawing and sizes nodes to fit their names', () => {
    const graph = aslGraph(loadAsl('buyer-dispute'));

    const layout = layoutGraph(graph);

    for (const node of layout.nodes) {
      expect(node.x - node.width / 2).toBeGreaterThanOrEqual(0);
      expect(node.y + node.height / 2).toBeLessThanOrEqual(layout.height);
    }
    const width = (id: string) => layout.nodes.find((n) => n.id === id)!.width;
    expect(width('EscalateBuyerEvidenceTimeout')).toBeGreaterThan(width('Resolve'));
    expect(layout.edges.every((e) => e.points.length >= 2)).toBe(true);
  });
});
