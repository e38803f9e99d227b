import { ApiError, get } from '../api.ts';
import { type Child, h, mount, panel, svg } from '../dom.ts';
import { dateTime, elapsed, words } from '../format.ts';
import { type ExecutionStatus, executionPath, renderExecutionGraph } from '../graph/index.ts';
import type { CaseExecution } from '../types.ts';

type HistoryEvent = CaseExecution['events'][number];

/** The state an event belongs to, as the Step Functions console's "Step" column shows it. */
const stepOf = (event: HistoryEvent, byId: ReadonlyMap<number, HistoryEvent>): string => {
  const own = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name;
  if (own) return own;
  // Task events (scheduled, started, succeeded, timed out) follow the state they belong to.
  let previous = event.previousEventId !== undefined ? byId.get(event.previousEventId) : undefined;
  for (let hops = 0; previous && hops < 10; hops++) {
    const name = previous.stateEnteredEventDetails?.name;
    if (name) return name;
    previous = previous.previousEventId !== undefined ? byId.get(previous.previousEventId) : undefined;
  }
  return '';
};

/** What went wrong, for the events that carry an error. */
const errorOf = (event: HistoryEvent): string => {
  for (const value of Object.values(event)) {
    if (value && typeof value === 'object' && 'error' in value) {
      const detail = value as { error?: string; cause?: string };
      if (detail.error) return `${detail.error}${detail.cause ? `: ${detail.cause}` : ''}`;
    }
  }
  return '';
};

const historyTable = (execution: CaseExecution) => {
  const byId = new Map(execution.events.map((e) => [e.id ?? 0, e]));
  const start = execution.events[0]?.timestamp ?? null;
  return h(
    'table',
    { class: 'history', 'aria-label': 'Event history' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['ID', 'Type', 'Step', 'Elapsed', 'Timestamp', 'Error'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      execution.events.map((e) =>
        h(
          'tr',
          { class: /Failed|TimedOut|Aborted/.test(e.type ?? '') ? 'failed' : undefined },
          h('td', {}, String(e.id ?? '')),
          h('td', {}, e.type ?? ''),
          h('td', {}, stepOf(e, byId)),
          h('td', {}, elapsed(start, e.timestamp)),
          h('td', { class: 'when' }, dateTime(e.timestamp)),
          h('td', { class: 'error' }, errorOf(e)),
        ),
      ),
    ),
  );
};

const graphOf = (execution: CaseExecution): Child => {
  const path = executionPath(execution.events, execution.execution.status as ExecutionStatus);
  try {
    return h(
      'div',
      { class: 'graph', 'data-current': path.current.join(','), 'data-failed': path.failed ?? '' },
      svg(renderExecutionGraph(execution.definition, path, { title: execution.stateMachine.name })),
    );
  } catch (error) {
    return h('p', { class: 'error' }, `The state machine cannot be drawn: ${(error as Error).message}`);
  }
};

/**
 * One run of the case's workflow as the Step Functions console shows it: the state machine as a graph
 * with the path taken and the current state highlighted, and the event history. A case re-entered by an
 * appeal or a reopen has several runs; the latest is shown unless another is picked.
 */
export const executionPanel = (caseId: string) => {
  const body = h('div', {}, h('p', { class: 'muted' }, 'Loading the execution…'));
  let selected: string | undefined;
  let status = '';

  const load = async () => {
    try {
      const execution = await get<CaseExecution>(
        `/ops/cases/${encodeURIComponent(caseId)}/execution${selected ? `?name=${encodeURIComponent(selected)}` : ''}`,
      );
      const run = execution.execution;
      status = run.status;
      mount(
        body,
        h(
          'div',
          { class: 'run' },
          execution.executions.length > 1
            ? h(
                'label',
                {},
                'Run ',
                h(
                  'select',
                  {
                    'aria-label': 'Run',
                    onchange: (e: Event) => {
                      selected = (e.target as HTMLSelectElement).value;
                      void load();
                    },
                  },
                  execution.executions.map((x) =>
                    h(
                      'option',
                      { value: x.name, selected: x.name === run.name },
                      `${x.name} (${words(x.status)})`,
                    ),
                  ),
                ),
              )
            : null,
          h(
            'dl',
            { class: 'facts inline' },
            h('dt', {}, 'State machine'),
            h('dd', {}, execution.stateMachine.name),
            h('dt', {}, 'Execution'),
            h('dd', { class: 'arn' }, run.executionArn),
            h('dt', {}, 'Status'),
            h('dd', { 'data-execution-status': run.status }, run.status),
            h('dt', {}, 'Started'),
            h('dd', {}, dateTime(run.startDate)),
            run.stopDate ? [h('dt', {}, 'Ended'), h('dd', {}, dateTime(run.stopDate))] : null,
            run.error
              ? [h('dt', {}, 'Error'), h('dd', { class: 'error' }, `${run.error} ${run.cause ?? ''}`)]
              : null,
          ),
        ),
        graphOf(execution),
        h(
          'p',
          { class: 'legend muted' },
          h('span', { class: 'key visited' }),
          ' path taken ',
          h('span', { class: 'key current' }),
          ' current state ',
          h('span', { class: 'key failed' }),
          ' failed ',
          h('span', { class: 'key not-visited' }),
          ' not reached; dashed arrows are error and timeout paths',
        ),
        h('h3', {}, `Event history (${execution.events.length})`),
        historyTable(execution),
      );
    } catch (error) {
      mount(
        body,
        h(
          'p',
          { class: 'muted' },
          error instanceof ApiError && error.status === 404
            ? 'The workflow has not started yet.'
            : `Could not load the execution: ${(error as Error).message}`,
        ),
      );
    }
  };
  return { element: panel('execution', 'Execution', body), load, running: () => status === 'RUNNING' };
};
