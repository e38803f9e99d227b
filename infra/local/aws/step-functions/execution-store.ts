import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { isTemporaryFile, writeFileAtomic } from '../fs/atomic-write.ts';
import {
  type ExecutionChange,
  type ExecutionRecord,
  type NewHistoryEvent,
  storedExecutionSchema,
} from './execution-record.ts';

/** What `onExecutionEvent` listeners receive: the event and the execution as it is after the event. */
export interface ExecutionEventNotice {
  execution: ExecutionRecord;
  event: HistoryEvent;
}

export type ExecutionEventListener = (notice: ExecutionEventNotice) => void;

/** The error/cause recorded on executions the store finds RUNNING when it opens. */
export const RUNTIME_RESTARTED = {
  error: 'Local.RuntimeRestarted',
  cause:
    'The local runtime stopped while this execution was running. The in-process engine cannot resume an ' +
    'execution, so it was aborted when the runtime started again.',
} as const;

/**
 * Keeps Step Functions executions on disk, one JSON file per execution (`<state machine>/<execution>.json`,
 * each written atomically), so DescribeExecution, ListExecutions and GetExecutionHistory answer the same
 * after a restart.
 *
 * Limitation: the in-process engine keeps a running execution's position in memory only. An execution found
 * RUNNING when the store opens belonged to a process that died; it is closed as ABORTED with an
 * `ExecutionAborted` event whose error is `Local.RuntimeRestarted`, instead of being left RUNNING forever.
 */
export class ExecutionStore {
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly listeners = new Set<ExecutionEventListener>();

  /**
   * Opens the store, loading every execution kept in `directory` (created when missing).
   * @throws Error naming the file when a stored execution cannot be read.
   */
  constructor(private readonly directory: string) {
    mkdirSync(directory, { recursive: true });
    for (const record of ExecutionStore.load(directory)) {
      this.executions.set(record.executionArn, record);
      if (record.status === 'RUNNING') {
        this.abortInterrupted(record);
      }
    }
  }

  /** A copy of the execution, or `undefined` when the store has none with that ARN. */
  get(executionArn: string): ExecutionRecord | undefined {
    const record = this.executions.get(executionArn);
    return record && structuredClone(record);
  }

  /** Whether the store holds an execution with that ARN. */
  has(executionArn: string): boolean {
    return this.executions.has(executionArn);
  }

  /** Copies of the executions of one state machine (all of them when no ARN is given), in no set order. */
  list(stateMachineArn?: string): ExecutionRecord[] {
    return [...this.executions.values()]
      .filter((record) => stateMachineArn === undefined || record.stateMachineArn === stateMachineArn)
      .map((record) => structuredClone(record));
  }

  /**
   * Adds a new execution (with an empty history) and writes it.
   * @throws Error when an execution with the same ARN exists; the caller decides idempotency before this.
   */
  create(record: Omit<ExecutionRecord, 'history'>): void {
    if (this.executions.has(record.executionArn)) {
      throw new Error(`Execution ${record.executionArn} is already stored`);
    }
    const created: ExecutionRecord = { ...structuredClone(record), history: [] };
    this.write(created);
    this.executions.set(created.executionArn, created);
  }

  /**
   * Appends an event to an execution's history (numbering it), applies the change it brings, writes the
   * execution, then tells the listeners.
   * @returns The numbered event.
   */
  append(executionArn: string, event: NewHistoryEvent, change: ExecutionChange = {}): HistoryEvent {
    const current = this.executions.get(executionArn);
    if (!current) {
      throw new Error(`Execution ${executionArn} is not stored`);
    }
    const previousEventId = current.history.at(-1)?.id ?? 0;
    const numbered: HistoryEvent = {
      ...event,
      id: previousEventId + 1,
      previousEventId,
      timestamp: new Date(),
    };
    const next: ExecutionRecord = { ...current, ...change, history: [...current.history, numbered] };
    // Disk first: memory never claims what a restart would not find.
    this.write(next);
    this.executions.set(executionArn, next);
    this.notify({ execution: structuredClone(next), event: structuredClone(numbered) });
    return numbered;
  }

  /**
   * Registers a listener called after each appended event (not for the restart aborts recorded while the
   * store opened: nothing could listen yet).
   * @returns A function that removes the listener.
   */
  onExecutionEvent(listener: ExecutionEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private abortInterrupted(record: ExecutionRecord): void {
    this.append(
      record.executionArn,
      { type: 'ExecutionAborted', executionAbortedEventDetails: { ...RUNTIME_RESTARTED } },
      { status: 'ABORTED', ...RUNTIME_RESTARTED, stopDate: new Date() },
    );
  }

  private notify(notice: ExecutionEventNotice): void {
    for (const listener of this.listeners) {
      try {
        listener(notice);
      } catch (error) {
        // A faulty observer (a console view, say) must not fail the execution it watches.
        console.error('Execution event listener failed', error);
      }
    }
  }

  private write(record: ExecutionRecord): void {
    writeFileAtomic(this.pathOf(record), `${JSON.stringify(record, null, 2)}\n`);
  }

  private pathOf(record: ExecutionRecord): string {
    const stateMachineName = record.stateMachineArn.split(':').at(-1) ?? 'unknown';
    return join(this.directory, safeFileName(stateMachineName), `${safeFileName(record.name)}.json`);
  }

  private static load(directory: string): ExecutionRecord[] {
    const files = readdirSync(directory, { recursive: true, withFileTypes: true }).filter(
      (entry) => entry.isFile() && entry.name.endsWith('.json') && !isTemporaryFile(entry.name),
    );
    return files.map((entry) => ExecutionStore.read(join(entry.parentPath, entry.name)));
  }

  private static read(path: string): ExecutionRecord {
    let content: unknown;
    try {
      content = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`Stored execution ${path} is not JSON`, { cause: error });
    }
    const parsed = storedExecutionSchema.safeParse(content);
    if (!parsed.success) {
      throw new Error(`Stored execution ${path} is not an execution record: ${parsed.error.message}`);
    }
    return parsed.data;
  }
}

/**
 * Names may hold characters a file name cannot (AWS allows most of Unicode) or be `..`; percent-encoding,
 * dots included, maps each name to one harmless file name.
 */
const safeFileName = (name: string): string => encodeURIComponent(name).replaceAll('.', '%2E');
