import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { ExecutionStatus, HistoryEvent } from '@aws-sdk/client-sfn';
import type { JsonValue } from './asl-types.ts';
import type { ExecutionChange, ExecutionRecord, NewHistoryEvent, Position } from './execution-record.ts';

/** What `onExecutionEvent` listeners receive: the event and the execution as it is after the event. */
export interface ExecutionEventNotice {
  execution: ExecutionRecord;
  event: HistoryEvent;
}

export type ExecutionEventListener = (notice: ExecutionEventNotice) => void;

/** A running execution's position and the version that guards changes to it. */
export interface ExecutionCursor {
  readonly record: ExecutionRecord;
  readonly position: Position | null;
  readonly seq: number;
}

/** Where ListExecutions resumes: after this execution in newest-first order. */
export interface ListAfter {
  readonly startDate: number;
  readonly name: string;
}

interface ExecutionRow {
  arn: string;
  machine_arn: string;
  name: string;
  status: string;
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  start_date: number;
  stop_date: number | null;
  position: string | null;
  seq: number;
  last_event_id: number;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS executions (
    arn TEXT PRIMARY KEY,
    machine_arn TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    input TEXT NOT NULL,
    output TEXT,
    error TEXT,
    cause TEXT,
    start_date INTEGER NOT NULL,
    stop_date INTEGER,
    position TEXT,
    token TEXT,
    seq INTEGER NOT NULL DEFAULT 0,
    last_event_id INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS executions_newest ON executions (machine_arn, start_date DESC, name DESC);
  CREATE INDEX IF NOT EXISTS executions_running ON executions (status) WHERE status = 'RUNNING';
  CREATE UNIQUE INDEX IF NOT EXISTS executions_token ON executions (token) WHERE token IS NOT NULL;
  CREATE TABLE IF NOT EXISTS history (
    arn TEXT NOT NULL,
    id INTEGER NOT NULL,
    event TEXT NOT NULL,
    PRIMARY KEY (arn, id)
  ) WITHOUT ROWID;
`;

/**
 * Keeps Step Functions executions in SQLite (Node's built-in `node:sqlite`): a row per execution with its
 * position, and its history as rows appended to. Each change — the events a step produced and where the
 * execution now is — is one transaction guarded by the execution's `seq`, so a stop at any instant leaves
 * either the old position or the new one, never half of each, and a late writer (an invocation answered
 * after its task timed out) cannot move an execution that has moved on.
 *
 * WAL with `synchronous = NORMAL`: a commit survives the process being killed (SIGKILL), which is what the
 * local runtime must withstand; an operating-system crash may lose the last few commits.
 */
export class ExecutionStore {
  private readonly db: DatabaseSync;
  private readonly listeners = new Set<ExecutionEventListener>();
  private readonly statements: Record<
    'get' | 'byToken' | 'insert' | 'update' | 'event' | 'running',
    StatementSync
  >;

  /**
   * Opens (or creates) the store at `path`. `:memory:` keeps nothing across restarts (unit tests).
   * @param legacyDirectory A folder of the JSON files an earlier version kept, imported once and renamed.
   */
  constructor(path: string, legacyDirectory?: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.db.exec(SCHEMA);
    this.statements = {
      get: this.db.prepare('SELECT * FROM executions WHERE arn = ?'),
      byToken: this.db.prepare('SELECT * FROM executions WHERE token = ?'),
      insert: this.db.prepare(
        `INSERT INTO executions (arn, machine_arn, name, status, input, start_date, position, token, seq)
         VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, ?, 0)`,
      ),
      update: this.db.prepare(
        `UPDATE executions SET status = ?, output = ?, error = ?, cause = ?, stop_date = ?, position = ?,
           token = ?, seq = seq + 1, last_event_id = ? WHERE arn = ? AND seq = ?`,
      ),
      event: this.db.prepare('INSERT INTO history (arn, id, event) VALUES (?, ?, ?)'),
      running: this.db.prepare("SELECT arn FROM executions WHERE status = 'RUNNING'"),
    };
    if (legacyDirectory && existsSync(legacyDirectory)) this.importLegacy(legacyDirectory);
  }

  /** The execution, or `undefined` when the store has none with that ARN. */
  get(executionArn: string): ExecutionRecord | undefined {
    const row = this.statements.get.get(executionArn) as ExecutionRow | undefined;
    return row && recordOf(row);
  }

  /** The execution with its position and version, for the engine. */
  cursor(executionArn: string): ExecutionCursor | undefined {
    const row = this.statements.get.get(executionArn) as ExecutionRow | undefined;
    return row && cursorOf(row);
  }

  /** The execution whose current task holds `token`, if any. */
  byToken(token: string): ExecutionCursor | undefined {
    const row = this.statements.byToken.get(token) as ExecutionRow | undefined;
    return row && cursorOf(row);
  }

  /** ARNs of the executions still RUNNING (those to continue after a restart). */
  running(): string[] {
    return (this.statements.running.all() as unknown as { arn: string }[]).map((row) => row.arn);
  }

  /** Whether the store holds an execution with that ARN. */
  has(executionArn: string): boolean {
    return this.statements.get.get(executionArn) !== undefined;
  }

  /**
   * One page of a state machine's executions, newest first (ties by name), optionally of one status.
   * Reads by index; the order does not depend on status, so a page token survives status changes.
   */
  list(
    stateMachineArn: string,
    status: ExecutionStatus | undefined,
    after: ListAfter | undefined,
    limit: number,
  ) {
    const where = ['machine_arn = ?'];
    const params: (string | number)[] = [stateMachineArn];
    if (status) {
      where.push('status = ?');
      params.push(status);
    }
    if (after) {
      where.push('(start_date < ? OR (start_date = ? AND name < ?))');
      params.push(after.startDate, after.startDate, after.name);
    }
    const rows = this.db
      .prepare(
        `SELECT * FROM executions WHERE ${where.join(' AND ')} ORDER BY start_date DESC, name DESC LIMIT ?`,
      )
      .all(...params, limit) as unknown as ExecutionRow[];
    return rows.map(recordOf);
  }

  /** History events of an execution with ids in `(afterId, …)` (or before `beforeId` when reversed). */
  history(
    executionArn: string,
    options: { from?: number; limit: number; reverse?: boolean },
  ): HistoryEvent[] {
    const rows = (
      options.reverse
        ? this.db
            .prepare('SELECT event FROM history WHERE arn = ? AND id < ? ORDER BY id DESC LIMIT ?')
            .all(executionArn, options.from ?? Number.MAX_SAFE_INTEGER, options.limit)
        : this.db
            .prepare('SELECT event FROM history WHERE arn = ? AND id > ? ORDER BY id ASC LIMIT ?')
            .all(executionArn, options.from ?? 0, options.limit)
    ) as { event: string }[];
    return rows.map((row) => eventOf(row.event));
  }

  /**
   * Adds a new RUNNING execution at its first state, with its first events, in one transaction.
   * @throws Error when an execution with the same ARN exists; the caller decides idempotency before this.
   */
  create(
    record: Pick<ExecutionRecord, 'executionArn' | 'stateMachineArn' | 'name' | 'input' | 'startDate'>,
    position: Position,
    events: NewHistoryEvent[],
  ): void {
    const notices = this.transaction(() => {
      this.statements.insert.run(
        record.executionArn,
        record.stateMachineArn,
        record.name,
        record.input,
        record.startDate.getTime(),
        JSON.stringify(position),
        null,
      );
      return this.apply(record.executionArn, 0, events, { position });
    });
    this.notify(notices ?? []);
  }

  /**
   * Appends `events` and applies `change`, if the execution is still at version `seq`.
   * @returns Whether it committed (false: the execution moved on meanwhile, and nothing was written).
   */
  commit(executionArn: string, seq: number, events: NewHistoryEvent[], change: ExecutionChange): boolean {
    const notices = this.transaction(() => this.apply(executionArn, seq, events, change));
    if (notices === undefined) return false;
    this.notify(notices);
    return true;
  }

  /**
   * Registers a listener called after each committed event.
   * @returns A function that removes the listener.
   */
  onExecutionEvent(listener: ExecutionEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }

  /** Runs `work` in one IMMEDIATE transaction; `undefined` from it rolls back. */
  private transaction<T>(work: () => T | undefined): T | undefined {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec(result === undefined ? 'ROLLBACK' : 'COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  private apply(
    executionArn: string,
    seq: number,
    events: NewHistoryEvent[],
    change: ExecutionChange,
  ): ExecutionEventNotice[] | undefined {
    const row = this.statements.get.get(executionArn) as ExecutionRow | undefined;
    if (!row || row.seq !== seq) return undefined;
    const ending = change.status !== undefined && change.status !== 'RUNNING';
    const position = ending
      ? null
      : change.position === undefined
        ? parsePosition(row.position)
        : change.position;
    const now = Date.now();
    let id = row.last_event_id;
    const numbered = events.map((event) => {
      const full = { ...event, id: id + 1, previousEventId: id, timestamp: new Date(now) } as HistoryEvent;
      id += 1;
      this.statements.event.run(executionArn, full.id ?? 0, JSON.stringify(full));
      return full;
    });
    const next: ExecutionRow = {
      ...row,
      status: change.status ?? row.status,
      output: change.output === undefined ? row.output : change.output,
      error: change.error === undefined ? row.error : change.error,
      cause: change.cause === undefined ? row.cause : change.cause,
      stop_date: ending ? now : row.stop_date,
      position: position ? JSON.stringify(position) : null,
      seq: row.seq + 1,
      last_event_id: id,
    };
    const result = this.statements.update.run(
      next.status,
      next.output,
      next.error,
      next.cause,
      next.stop_date,
      next.position,
      position?.token ?? null,
      id,
      executionArn,
      seq,
    );
    if (Number(result.changes) !== 1) return undefined;
    const record = recordOf(next);
    return numbered.map((event) => ({ execution: record, event }));
  }

  private notify(notices: ExecutionEventNotice[]): void {
    for (const notice of notices) {
      for (const listener of this.listeners) {
        try {
          listener(notice);
        } catch (error) {
          // A faulty observer (a console view, say) must not fail the execution it watches.
          console.error('Execution event listener failed', error);
        }
      }
    }
  }

  /**
   * Executions kept by an earlier version, one JSON file each: imported with their history; one that was
   * RUNNING continues by entering again the last state it had entered, with that state's input.
   */
  private importLegacy(directory: string): void {
    const files = readdirSync(directory, { recursive: true, withFileTypes: true }).filter(
      (entry) => entry.isFile() && entry.name.endsWith('.json'),
    );
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO executions (arn, machine_arn, name, status, input, output, error, cause,
         start_date, stop_date, position, seq, last_event_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
    );
    this.transaction(() => {
      for (const entry of files) {
        const stored = JSON.parse(
          readFileSync(join(entry.parentPath, entry.name), 'utf8'),
        ) as LegacyExecution;
        const history = stored.history ?? [];
        const position = stored.status === 'RUNNING' ? legacyPosition(history) : null;
        insert.run(
          stored.executionArn,
          stored.stateMachineArn,
          stored.name,
          position || stored.status !== 'RUNNING' ? stored.status : 'ABORTED',
          stored.input,
          stored.output ?? null,
          stored.error ?? null,
          stored.cause ?? null,
          Date.parse(stored.startDate),
          stored.stopDate
            ? Date.parse(stored.stopDate)
            : stored.status === 'RUNNING' && !position
              ? Date.now()
              : null,
          position ? JSON.stringify(position) : null,
          history.length,
        );
        for (const event of history)
          this.statements.event.run(stored.executionArn, event.id, JSON.stringify(event));
      }
      return true;
    });
    renameSync(directory, `${directory}.imported`);
  }
}

interface LegacyExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  input: string;
  output?: string | null;
  error?: string | null;
  cause?: string | null;
  startDate: string;
  stopDate?: string | null;
  history?: { id: number; type: string; stateEnteredEventDetails?: { name: string; input?: string } }[];
}

function legacyPosition(history: NonNullable<LegacyExecution['history']>): Position | null {
  const entered = [...history].reverse().find((event) => event.type.endsWith('StateEntered'));
  const details = entered?.stateEnteredEventDetails;
  if (!details) return null;
  return {
    state: details.name,
    input: JSON.parse(details.input ?? '{}') as JsonValue,
    enteredAt: Date.now(),
    phase: 'entered',
    retryCounts: [],
  };
}

const parsePosition = (text: string | null): Position | null =>
  text ? (JSON.parse(text) as Position) : null;

function recordOf(row: ExecutionRow): ExecutionRecord {
  return {
    executionArn: row.arn,
    stateMachineArn: row.machine_arn,
    name: row.name,
    status: row.status as ExecutionStatus,
    input: row.input,
    output: row.output,
    error: row.error,
    cause: row.cause,
    startDate: new Date(row.start_date),
    stopDate: row.stop_date === null ? null : new Date(row.stop_date),
  };
}

const cursorOf = (row: ExecutionRow): ExecutionCursor => ({
  record: recordOf(row),
  position: parsePosition(row.position),
  seq: row.seq,
});

function eventOf(text: string): HistoryEvent {
  const event = JSON.parse(text) as HistoryEvent & { timestamp: string };
  return { ...event, timestamp: new Date(event.timestamp) };
}
