import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { InvocationStatus, ScheduleRecord } from './schedule-record.ts';

/** Raised whenever the layout changes; a database written by a newer version is refused, not misread. */
const SCHEMA_VERSION = 1;

/**
 * One row per schedule. The record itself is JSON (`record`); the columns beside it exist only to be
 * indexed, and are derived from the record on every write so they can never disagree with it:
 * - `due_at`: the case time (epoch ms) a SCHEDULED, ENABLED schedule fires; NULL otherwise.
 * - `retry_at`: the real time (epoch ms) a RETRYING schedule tries again; NULL otherwise. Retries back off
 *   in real time whatever the case clock's speed, so the two wake-up times cannot share a column.
 * - `finished_at`: when a schedule reached COMPLETED or FAILED (case time), for listing failures newest first.
 * The key `group/name` orders rows by group, then name (names are ASCII, `/` cannot occur in either part).
 */
const SCHEMA = `
  CREATE TABLE schedules (
    key TEXT PRIMARY KEY NOT NULL,
    group_name TEXT NOT NULL,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    status TEXT NOT NULL,
    due_at INTEGER,
    retry_at INTEGER,
    finished_at INTEGER,
    record TEXT NOT NULL
  ) STRICT;
  CREATE INDEX schedules_by_due_at ON schedules (due_at) WHERE due_at IS NOT NULL;
  CREATE INDEX schedules_by_retry_at ON schedules (retry_at) WHERE retry_at IS NOT NULL;
  CREATE INDEX schedules_by_status ON schedules (status, finished_at);
`;

/** Above every character of a key (they are `[0-9A-Za-z._/-]`), so `key < KEY_CEILING` bounds a range. */
const KEY_CEILING = '\u007f';

/** A page of {@link ScheduleStore.list}. */
export interface SchedulePage {
  readonly records: ScheduleRecord[];
  /** Whether more rows match after the last one returned. */
  readonly more: boolean;
}

/** The filters of {@link ScheduleStore.list}; all optional. */
export interface ScheduleListQuery {
  readonly groupName?: string | undefined;
  readonly namePrefix?: string | undefined;
  readonly state?: 'ENABLED' | 'DISABLED' | undefined;
  /** Only keys after this one (the last key of the previous page). */
  readonly afterKey?: string | undefined;
  readonly limit: number;
}

/** The earliest moments any schedule needs attention, on each of the two clocks; `undefined`: none. */
export interface NextWake {
  /** Case time (epoch ms) of the earliest SCHEDULED, ENABLED schedule. */
  readonly dueAt: number | undefined;
  /** Real time (epoch ms) of the earliest retry. */
  readonly retryAt: number | undefined;
}

/**
 * Group and name, unique per schedule: the store's primary key, which orders schedules by group, then name.
 */
export const keyOf = (record: Pick<ScheduleRecord, 'groupName' | 'name'>): string =>
  `${record.groupName}/${record.name}`;

/**
 * The local scheduler's schedules in SQLite (`node:sqlite`): one row per schedule, indexed by due time, so
 * a change writes one row in one small transaction and finding what is due reads an index, whatever the
 * number of schedules.
 *
 * Durability: WAL journal with `synchronous=NORMAL`. A committed change survives the process being killed
 * (SIGKILL, a crash) at any instant; only a power loss or OS crash can take back the last commits, which a
 * local runtime can afford in exchange for not syncing the disk on every change.
 *
 * The database is opened with an exclusive lock: a second scheduler (another runtime over the same data
 * directory) is refused at open instead of firing the same schedules a second time.
 */
export class ScheduleStore {
  private readonly db: DatabaseSync;
  private readonly statements: ReturnType<typeof prepareStatements>;

  /**
   * Opens (creating when needed) the database at `path`.
   * @throws Error naming the file when it is not a scheduler database, was written by a newer version, or is
   * in use by another scheduler.
   */
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path, { timeout: 0 });
    try {
      // Exclusive before WAL: the lock is taken at the first read and kept, and no shared-memory index is
      // needed since no other connection may read meanwhile.
      this.db.exec('PRAGMA locking_mode = EXCLUSIVE');
      this.db.exec('PRAGMA journal_mode = WAL');
      this.db.exec('PRAGMA synchronous = NORMAL');
      this.migrate();
    } catch (error) {
      this.db.close();
      const reason = /locked|busy/i.test(describe(error))
        ? 'another scheduler has it open (a second runtime over the same data directory?)'
        : describe(error);
      throw new Error(`Scheduler database ${path} cannot be opened: ${reason}`, { cause: error });
    }
    this.statements = prepareStatements(this.db);
  }

  /** The schedule with that key, or `undefined`. */
  get(key: string): ScheduleRecord | undefined {
    return recordOf(this.statements.get.get({ key }));
  }

  /** Adds a schedule. @throws Error when one with its key exists (the caller checks first). */
  insert(record: ScheduleRecord): void {
    this.statements.insert.run(rowOf(record));
  }

  /** Replaces a schedule's row, or adds it. */
  put(record: ScheduleRecord): void {
    this.statements.upsert.run(rowOf(record));
  }

  /** Deletes a schedule; `false` when there was none. */
  delete(key: string): boolean {
    return Number(this.statements.delete.run({ key }).changes) > 0;
  }

  /** Schedules matching the query in key order, at most `limit`, after `afterKey`. */
  list(query: ScheduleListQuery): SchedulePage {
    // A group narrows the primary-key range; so does a name prefix within a group.
    const low = query.groupName === undefined ? '' : `${query.groupName}/${query.namePrefix ?? ''}`;
    const high = query.groupName === undefined ? KEY_CEILING : `${query.groupName}/${KEY_CEILING}`;
    const rows = this.statements.list.all({
      low,
      high,
      after: query.afterKey ?? '',
      prefix: query.namePrefix ?? null,
      state: query.state ?? null,
      limit: query.limit + 1,
    });
    const records = rows.slice(0, query.limit).map((row) => recordOf(row) as ScheduleRecord);
    return { records, more: rows.length > query.limit };
  }

  /**
   * The schedules to invoke now, earliest first, at most `limit`: SCHEDULED ones whose case time has come
   * and RETRYING ones whose real retry time has come. Reads the two time indexes only.
   */
  due(caseNow: number, realNow: number, limit: number): ScheduleRecord[] {
    if (limit <= 0) {
      return [];
    }
    const scheduled = this.statements.dueScheduled.all({ now: caseNow, limit });
    const retries =
      scheduled.length < limit
        ? this.statements.dueRetries.all({ now: realNow, limit: limit - scheduled.length })
        : [];
    return [...scheduled, ...retries].map((row) => recordOf(row) as ScheduleRecord);
  }

  /** When the next schedule needs attention (an index lookup each). */
  nextWake(): NextWake {
    const dueAt = this.statements.nextDue.get()?.at;
    const retryAt = this.statements.nextRetry.get()?.at;
    return {
      dueAt: typeof dueAt === 'number' ? dueAt : undefined,
      retryAt: typeof retryAt === 'number' ? retryAt : undefined,
    };
  }

  /** Schedules in one invocation status, the most recently finished first, at most `limit`. */
  withStatus(status: InvocationStatus, limit: number): ScheduleRecord[] {
    return this.statements.withStatus.all({ status, limit }).map((row) => recordOf(row) as ScheduleRecord);
  }

  /** Every schedule in key order: a full read, for diagnostics and tests. */
  all(): ScheduleRecord[] {
    return this.statements.all.all().map((row) => recordOf(row) as ScheduleRecord);
  }

  /**
   * Adds schedules in one transaction, leaving alone any whose key is already stored (so an import
   * interrupted after its commit can run again harmlessly).
   * @returns How many were added.
   */
  importRecords(records: Iterable<ScheduleRecord>): number {
    return this.transaction(() => {
      let added = 0;
      for (const record of records) {
        added += Number(this.statements.insertIfAbsent.run(rowOf(record)).changes);
      }
      return added;
    });
  }

  /** Runs `work` in one transaction: all of its writes commit together, or none on a throw. */
  transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Closes the database (releasing its lock); idempotent. */
  close(): void {
    if (this.db.isOpen) {
      this.db.close();
    }
  }

  private migrate(): void {
    const version = Number(this.db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `it was written by a newer version of the local scheduler (schema ${version}, this one reads ` +
          `${SCHEMA_VERSION})`,
      );
    }
    if (version === 0) {
      this.transaction(() => {
        this.db.exec(SCHEMA);
        this.db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
      });
    }
  }
}

const COLUMNS = 'key, group_name, name, state, status, due_at, retry_at, finished_at, record';
const VALUES = ':key, :group_name, :name, :state, :status, :due_at, :retry_at, :finished_at, :record';

function prepareStatements(db: DatabaseSync) {
  const statement = (sql: string): StatementSync => db.prepare(sql);
  return {
    get: statement('SELECT record FROM schedules WHERE key = :key'),
    insert: statement(`INSERT INTO schedules (${COLUMNS}) VALUES (${VALUES})`),
    insertIfAbsent: statement(`INSERT OR IGNORE INTO schedules (${COLUMNS}) VALUES (${VALUES})`),
    upsert: statement(
      `INSERT INTO schedules (${COLUMNS}) VALUES (${VALUES}) ON CONFLICT (key) DO UPDATE SET ` +
        'state = excluded.state, status = excluded.status, due_at = excluded.due_at, ' +
        'retry_at = excluded.retry_at, finished_at = excluded.finished_at, record = excluded.record',
    ),
    delete: statement('DELETE FROM schedules WHERE key = :key'),
    list: statement(
      'SELECT record FROM schedules WHERE key >= :low AND key < :high AND key > :after ' +
        'AND (:prefix IS NULL OR substr(name, 1, length(:prefix)) = :prefix) ' +
        'AND (:state IS NULL OR state = :state) ORDER BY key LIMIT :limit',
    ),
    dueScheduled: statement(
      'SELECT record FROM schedules WHERE due_at IS NOT NULL AND due_at <= :now ORDER BY due_at LIMIT :limit',
    ),
    dueRetries: statement(
      'SELECT record FROM schedules WHERE retry_at IS NOT NULL AND retry_at <= :now ' +
        'ORDER BY retry_at LIMIT :limit',
    ),
    nextDue: statement('SELECT MIN(due_at) AS at FROM schedules WHERE due_at IS NOT NULL'),
    nextRetry: statement('SELECT MIN(retry_at) AS at FROM schedules WHERE retry_at IS NOT NULL'),
    withStatus: statement(
      'SELECT record FROM schedules WHERE status = :status ORDER BY finished_at DESC, key LIMIT :limit',
    ),
    all: statement('SELECT record FROM schedules ORDER BY key'),
  };
}

/** The row of a record: the record as JSON, and the indexed columns derived from it. */
function rowOf(record: ScheduleRecord): Record<string, SQLInputValue> {
  const { status, nextAttemptAt, finishedAt } = record.invocation;
  const enabled = record.state === 'ENABLED';
  return {
    key: keyOf(record),
    group_name: record.groupName,
    name: record.name,
    state: record.state,
    status,
    due_at: enabled && status === 'SCHEDULED' ? Date.parse(record.dueAt) : null,
    retry_at:
      enabled && status === 'RETRYING' ? (nextAttemptAt === null ? 0 : Date.parse(nextAttemptAt)) : null,
    finished_at: finishedAt === null ? null : Date.parse(finishedAt),
    record: JSON.stringify(record),
  };
}

/**
 * The record of a row. Rows are written by this module only, from validated records, so they are not
 * validated again on every read.
 */
function recordOf(row: Record<string, unknown> | undefined): ScheduleRecord | undefined {
  const json = row?.record;
  return typeof json === 'string' ? (JSON.parse(json) as ScheduleRecord) : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
