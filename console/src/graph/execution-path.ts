import { END_NODE, START_NODE } from './asl-graph.ts';

/**
 * The parts of `@aws-sdk/client-sfn`'s `HistoryEvent` this module reads. Declared here rather than imported
 * so the browser bundle does not depend on the SDK, and loose enough for events that went through JSON
 * (timestamps become ISO strings or null, or epoch seconds in the raw service API).
 */
export interface ExecutionHistoryEvent {
  id?: number | undefined;
  previousEventId?: number | undefined;
  timestamp?: Date | string | number | null | undefined;
  type?: string | undefined;
  stateEnteredEventDetails?: { name?: string | undefined } | undefined;
  stateExitedEventDetails?: { name?: string | undefined } | undefined;
}

/** `PENDING_REDRIVE` is what DescribeExecution reports between a redrive request and its resumption. */
export type ExecutionStatus =
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'TIMED_OUT'
  | 'ABORTED'
  | 'PENDING_REDRIVE';

export interface ExecutionPath {
  /** Top-level state names in order of first entry. */
  visited: string[];
  /**
   * Every move between top-level states, in order, repeats included: `[START_NODE, first]`, then each pair
   * of consecutively entered states, then `[last, END_NODE]` when the execution reached an end.
   */
  transitions: Array<[from: string, to: string]>;
  /** The state a RUNNING execution is in; empty otherwise, and in the instant between two states. */
  current: string[];
  /** The state that was active when the execution failed, timed out or was aborted. */
  failed?: string;
  /** How many times each top-level state was entered; loops such as an escalate-and-retry show as > 1. */
  counts: Record<string, number>;
}

const NOT_FINISHED_OK: ReadonlySet<ExecutionStatus> = new Set([
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
]);

// A Parallel or Map reports the states of its branches/iterations in the same history, interleaved. Between
// its *Started and its terminal event, entries belong to the container node, not to the top-level path.
const CONTAINER_STARTED = new Set(['ParallelStateStarted', 'MapStateStarted']);
const CONTAINER_ENDED = new Set([
  'ParallelStateSucceeded',
  'ParallelStateFailed',
  'ParallelStateAborted',
  'MapStateSucceeded',
  'MapStateFailed',
  'MapStateAborted',
]);

/** Milliseconds since the epoch, or NaN; numbers below 1e11 are taken as seconds (the service's JSON form). */
export function eventTime(timestamp: ExecutionHistoryEvent['timestamp']): number {
  if (timestamp instanceof Date) return timestamp.getTime();
  if (typeof timestamp === 'number') return timestamp < 1e11 ? timestamp * 1000 : timestamp;
  if (typeof timestamp === 'string') return Date.parse(timestamp);
  return Number.NaN;
}

function chronological(events: readonly ExecutionHistoryEvent[]): ExecutionHistoryEvent[] {
  // Histories may arrive newest-first (reverseOrder) or concatenated from pages; ids are the service's order.
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => {
      const byId = (a.event.id ?? Number.NaN) - (b.event.id ?? Number.NaN);
      if (!Number.isNaN(byId)) return byId;
      const byTime = eventTime(a.event.timestamp) - eventTime(b.event.timestamp);
      if (!Number.isNaN(byTime) && byTime !== 0) return byTime;
      return a.index - b.index;
    })
    .map(({ event }) => event);
}

/**
 * Reads the path an execution took from its history (GetExecutionHistory events) and its status.
 * Only top-level states are tracked — the ones the graph draws; a Parallel or Map is current while any of
 * its branches runs.
 */
export function executionPath(
  events: readonly ExecutionHistoryEvent[],
  status: ExecutionStatus,
): ExecutionPath {
  const visited: string[] = [];
  const transitions: Array<[string, string]> = [];
  const counts: Record<string, number> = {};
  let last: string = START_NODE;
  let lastOpen = false;
  let lastIsFailState = false;
  let depth = 0;
  let redriven = false;

  for (const event of chronological(events)) {
    const type = event.type ?? '';
    if (type === 'ExecutionRedriven') {
      redriven = true;
      continue;
    }
    if (CONTAINER_STARTED.has(type)) {
      depth += 1;
      continue;
    }
    if (CONTAINER_ENDED.has(type)) {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (depth > 0) continue;

    const entered = type.endsWith('StateEntered') ? event.stateEnteredEventDetails?.name : undefined;
    if (entered !== undefined) {
      // A redrive re-enters the state that failed; that is a retry of the same step, not a move.
      if (!(redriven && entered === last)) transitions.push([last, entered]);
      redriven = false;
      if (!Object.hasOwn(counts, entered)) visited.push(entered);
      counts[entered] = (counts[entered] ?? 0) + 1;
      last = entered;
      lastOpen = true;
      lastIsFailState = type === 'FailStateEntered';
      continue;
    }
    const exited = type.endsWith('StateExited') ? event.stateExitedEventDetails?.name : undefined;
    if (exited !== undefined && exited === last) lastOpen = false;
  }

  const hasEntered = visited.length > 0;
  const path: ExecutionPath = {
    visited,
    transitions,
    current: status === 'RUNNING' && hasEntered && lastOpen ? [last] : [],
    counts,
  };
  if (hasEntered && (status === 'SUCCEEDED' || (status === 'FAILED' && lastIsFailState))) {
    transitions.push([last, END_NODE]);
  }
  if (hasEntered && NOT_FINISHED_OK.has(status)) path.failed = last;
  return path;
}
