import type { ExecutionStatus, HistoryEvent } from '@aws-sdk/client-sfn';
import type { JsonValue } from './asl-types.ts';

/** One execution as DescribeExecution answers it. */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** The execution input, as the JSON text StartExecution received. */
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  startDate: Date;
  stopDate: Date | null;
}

/**
 * Where a running execution is: the state it is in, the input that state was entered with, and how far
 * the state has got. Stored with the execution and changed in the same transaction as the history events
 * that say so, so after any stop the execution continues from exactly here.
 *
 * Phases: `entered` (nothing done yet); `timer` (a Wait state, until `wakeAt`); `scheduled` (a Task's
 * function is being invoked with `taskInput`; for a callback its `token` is already issued); `waiting` (a
 * callback was submitted and waits for its token); `retry` (the next attempt starts at `wakeAt`).
 */
export interface Position {
  state: string;
  input: JsonValue;
  /** Epoch ms the state was entered (`$$.State.EnteredTime`). */
  enteredAt: number;
  phase: 'entered' | 'timer' | 'scheduled' | 'waiting' | 'retry';
  /** Retries made so far per retrier of this state entry. */
  retryCounts: number[];
  /** The effective input of the current task attempt (Parameters applied, token in place). */
  taskInput?: JsonValue;
  /** The task token of the current callback attempt. */
  token?: string;
  /** Epoch ms the current task attempt times out, if it has a timeout. */
  deadline?: number;
  /** Epoch ms a Wait state ends or the next retry starts. */
  wakeAt?: number;
}

/** A history event before the store numbers it. */
export type NewHistoryEvent = Omit<HistoryEvent, 'id' | 'previousEventId' | 'timestamp'> & { type: string };

/** How a commit changes its execution: where it now is, or how it ended. */
export interface ExecutionChange {
  position?: Position | null;
  status?: ExecutionStatus;
  output?: string | null;
  error?: string | null;
  cause?: string | null;
}
