import type { ExecutionStatus, HistoryEvent } from '@aws-sdk/client-sfn';
import { z } from 'zod';

/** One execution as the local service keeps it: what DescribeExecution answers, plus its history. */
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
  /** Events in the order they happened; ids start at 1 like the real service's. */
  history: HistoryEvent[];
}

/** A history event before the store numbers it. */
export type NewHistoryEvent = Omit<HistoryEvent, 'id' | 'previousEventId' | 'timestamp'> & { type: string };

/** How an event changes the execution it belongs to (only terminal events change it). */
export type ExecutionChange = Partial<
  Pick<ExecutionRecord, 'status' | 'output' | 'error' | 'cause' | 'stopDate'>
>;

const date = z.iso.datetime().transform((text) => new Date(text));

const historyEventSchema = z.looseObject({
  id: z.number().int().positive(),
  previousEventId: z.number().int().nonnegative(),
  timestamp: date,
  type: z.string(),
});

/** The on-disk form of an {@link ExecutionRecord}: JSON with ISO dates. */
export const storedExecutionSchema = z.object({
  executionArn: z.string(),
  stateMachineArn: z.string(),
  name: z.string(),
  status: z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']),
  input: z.string(),
  output: z.string().nullable(),
  error: z.string().nullable(),
  cause: z.string().nullable(),
  startDate: date,
  stopDate: date.nullable(),
  // The detail members are written by this service itself, so their shape is trusted once the envelope checks.
  history: z.array(historyEventSchema).transform((events) => events as HistoryEvent[]),
});
