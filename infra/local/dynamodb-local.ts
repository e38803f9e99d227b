import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type Projection,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE_KEYS } from '#domain/table-design.ts';

/** Amazon's DynamoDB Local jar, as shipped inside the amplify-dynamodb-simulator npm package. */
const emulatorDir = join(
  dirname(createRequire(import.meta.url).resolve('amplify-dynamodb-simulator/package.json')),
  'emulator',
);

export interface DynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

const portOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
  });

const PID_FILE = 'dynamodb-local.pid';
/** The one SQLite file DynamoDB Local keeps every table in when started with `-sharedDb`. */
const SHARED_DB_FILE = 'shared-local-instance.db';

/**
 * Puts DynamoDB Local's SQLite file in write-ahead-log mode before the JVM opens it (creating the file if
 * this is the first start). DynamoDB Local leaves SQLite's default rollback journal, which syncs the journal
 * and the database on every write; in WAL mode a commit is one append and one sync of the log, as durable
 * (SQLite keeps `synchronous=FULL`), and the mode is a property of the file, so every later connection —
 * DynamoDB Local's own — uses it. Measured here: single writes about 1.7× faster (`npm run bench`).
 */
const useWriteAheadLog = (dataDir: string) => {
  const db = new DatabaseSync(join(dataDir, SHARED_DB_FILE));
  try {
    db.exec('PRAGMA journal_mode=WAL');
  } finally {
    db.close();
  }
};

/** What {@link keepLogShort} did so far. */
export interface LogKeeping {
  /** Times the log was restarted from its first frame. */
  readonly restarts: number;
  stop(): void;
}

/**
 * Keeps DynamoDB Local's write-ahead log short. SQLite copies the log into the database as it goes (its
 * checkpoints), but only a writer that finds the whole log copied and no reader in it starts the log over
 * from its first frame; DynamoDB Local's one connection never does while requests keep coming (seen on the
 * load bench: every frame copied and the log never restarted, 8.9 GB after 20,000 cases, where each read
 * searches the log's index before the database). So a connection of this process's own looks at the log
 * every `everyMs` (a passive checkpoint, which blocks no one) and, once it passes `maxFrames`, restarts it
 * with a `RESTART` checkpoint — through `exclusive`, with none of the runtime's calls at DynamoDB Local:
 * the checkpoint takes the write lock for a moment, and DynamoDB Local's SQLite has no busy handler, so a
 * write that met it would fail (a side connection restarting the log under load failed ~0.3 % of writes
 * with `InternalFailure`). The file then stays at its high-water mark and is written from its start again.
 */
export const keepLogShort = (
  dataDir: string,
  options: {
    /** Runs its work with no other call at DynamoDB Local (the runtime's gate, `PriorityGate.exclusive`). */
    exclusive: <T>(work: () => T) => Promise<T>;
    maxFrames?: number;
    everyMs?: number;
  },
): LogKeeping => {
  // 16,384 frames: 64 MiB of the 4 KiB pages the store is created with (useWriteAheadLog).
  const { maxFrames = 16_384, everyMs = 1_000 } = options;
  const db = new DatabaseSync(join(dataDir, SHARED_DB_FILE));
  // A checkpoint waits this long at most for a reader to leave the log (none should be: calls are held).
  db.exec('PRAGMA busy_timeout = 100');
  const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
  const frames = (row: unknown) => Number((row as { log: number }).log);
  let restarts = 0;
  let looking = false;
  let stopped = false;
  let complained = false;
  const look = async () => {
    if (looking || stopped) return;
    looking = true;
    try {
      if (frames(passive.get()) <= maxFrames) return;
      const after = await options.exclusive(() => {
        if (stopped) return undefined;
        // Copy what came since the look first, without the write lock: the restart then holds it only
        // for the moment it takes to start the log over (a writer from outside the runtime, such as the
        // AWS CLI, can meet that moment and get a 500, which SDKs and the CLI retry).
        passive.get();
        return restart.get() as { busy: number };
      });
      if (after && Number(after.busy) === 0) restarts += 1;
    } catch (error) {
      // A failed look costs nothing: the next one tries again (said once, not every second).
      if (!stopped && !complained)
        console.error("could not restart DynamoDB Local's write-ahead log:", error);
      complained = true;
    } finally {
      looking = false;
    }
  };
  const timer = setInterval(() => void look(), everyMs);
  timer.unref();
  return {
    get restarts() {
      return restarts;
    },
    stop: () => {
      stopped = true;
      clearInterval(timer);
      db.close();
    },
  };
};

/** The index {@link indexStreamRecords} adds to DynamoDB Local's stream-record table. */
export const STREAM_SHARD_INDEX = 'sellerworks_us_by_shard';

/**
 * Indexes DynamoDB Local's stream records (`us`) by shard. DynamoDB Local keeps every stream record of the
 * last 24 hours in that one table, keyed by sequence number only, and on every GetRecords looks up the
 * shard's first and last records by `ShardID`: without an index each lookup scans the table. While the
 * stream has one shard the scan stops at once; once a shard is older than four hours it rolls over, and
 * from then on every read of the new shard walks all the records of the old ones — measured on a store of
 * 10,000 cases (1.4 GB, 117,000 stream records): GetRecords 818 ms at the median instead of 5 ms, and since
 * DynamoDB Local runs every statement on one SQLite thread, every other request waited behind it (a GetItem
 * up to 2.5 s). The stream poller (table-stream.ts) reads all the time, so a store kept across a working
 * day got slower with every case. The index makes the three lookups index searches (SQLite 3.8.7, as
 * bundled, uses it); writes pay one more index entry, within the noise.
 *
 * And it tells SQLite what the index holds ({@link STREAM_INDEX_STATS} in `sqlite_stat1`, as ANALYZE
 * would). Without statistics SQLite 3.8.7 takes `ShardID = ?` for a selective lookup and reads GetRecords'
 * own query (`… WHERE StreamID = ? AND ShardID = ? AND CreationDateTime >= ? AND SequenceNumber > ? ORDER
 * BY SequenceNumber LIMIT ?`) through the index from the shard's first record, not from the iterator's
 * sequence number: every read cost as much as the records before it (on the load bench's store, 260,000
 * stream records: ~0.3 s of DynamoDB Local's one thread per GetRecords however few it returned, and the
 * stream read ~250 records a second). Told that a shard holds many records, it reads the range by sequence
 * number (the table's own key) and keeps the index for the lookups by shard — checked with the SQLite
 * DynamoDB Local bundles (test/local/dynamodb-local-streams.test.ts). Idempotent; a store whose stream
 * table does not exist yet (before its first start) gets both after {@link ensureCaseTable} creates it.
 */
export const indexStreamRecords = (dataDir: string) => {
  const db = new DatabaseSync(join(dataDir, SHARED_DB_FILE));
  try {
    // DynamoDB Local may be running: wait for its write lock rather than fail.
    db.exec('PRAGMA busy_timeout = 10000');
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'us'").get();
    if (!table) return false;
    // One transaction, the index last: creating it changes the schema, so a running DynamoDB Local
    // prepares its statements again, and reads the statistics with the schema.
    db.exec('BEGIN IMMEDIATE');
    try {
      // Creates sqlite_stat1 (if missing) without reading any table of DynamoDB Local's.
      db.exec('ANALYZE sqlite_master');
      db.prepare('DELETE FROM sqlite_stat1 WHERE tbl = ? AND idx = ?').run('us', STREAM_SHARD_INDEX);
      db.prepare('INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)').run(
        'us',
        STREAM_SHARD_INDEX,
        STREAM_INDEX_STATS,
      );
      db.exec(`CREATE INDEX IF NOT EXISTS ${STREAM_SHARD_INDEX} ON us (ShardID, SequenceNumber)`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    return true;
  } finally {
    db.close();
  }
};

/**
 * What `sqlite_stat1` says of {@link STREAM_SHARD_INDEX}: about a million stream records, a sixth of them
 * per shard (24 hours kept, a shard every 4), one per shard and sequence number. Not measured (a store
 * starts empty); only its shape matters: a shard is not a selective key, a shard and a sequence number are.
 */
const STREAM_INDEX_STATS = '1000000 166667 1';

/**
 * A DynamoDB Local left running by a runtime that was killed (SIGKILL, a crash) still holds its port and
 * its data folder: stop it, if the recorded process is still that JVM.
 */
const stopOrphan = async (pidFile: string, port: number): Promise<void> => {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!command.includes('DynamoDBLocal.jar')) return;
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && (await portOpen(port)); i += 1) await new Promise((r) => setTimeout(r, 50));
};

/**
 * Which of the JVM's compilers DynamoDB Local runs with. Most of its CPU goes to reading the table's
 * description (a JSON document of ~12 KB, which grows with the indexes) once or more for every item it
 * writes (a profile with Java Flight Recorder of the intake's transaction: ~46 % of samples under
 * `getTableSchemaInfo2`, ~30 % more in the same parse from another call): so an item costs 2–3 ms of CPU and
 * speed is what the JIT makes of that parse.
 * - `client`: the client compiler alone (`-XX:TieredStopAtLevel=1`): full speed within seconds, and that
 *   speed is lower. For what lives a few seconds: tests, each with a DynamoDB Local of its own.
 * - `optimising`: both compilers, as the JVM runs by default: the first minute under load is slower (the
 *   optimising compiler competes for the CPU), then it takes a third to a half more. For a runtime
 *   that keeps running: `npm start`. Measured on the 2-core bench machine, the intake's transaction alone
 *   four at a time, 98 a second with `client`, 129 with `optimising` after its warm-up; and 100 intakes a
 *   second through the whole runtime answered with a p99 of 7.8 s with `client`, 633 ms with `optimising`.
 */
export type DynamoDbCompiler = 'client' | 'optimising';

/**
 * Starts DynamoDB Local (Java 17) on `port`, keeping data in `dataDir`, or in memory when `dataDir` is
 * undefined (tests). Resolves once the port accepts connections.
 */
export const startDynamoDbLocal = async (options: {
  port: number;
  dataDir?: string;
  /** The JVM's compilers (`DynamoDbCompiler`); the client compiler alone unless told. */
  compiler?: DynamoDbCompiler;
}): Promise<DynamoDbLocal> => {
  if (options.dataDir) await stopOrphan(join(options.dataDir, PID_FILE), options.port);
  // A JVM killed with its runtime a moment ago may still be releasing the port.
  for (let i = 0; i < 40 && (await portOpen(options.port)); i += 1)
    await new Promise((r) => setTimeout(r, 50));
  if (await portOpen(options.port)) {
    throw new Error(`port ${options.port} is already in use; set DYNAMODB_PORT to a free port`);
  }
  const storage = options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory'];
  if (options.dataDir) {
    await mkdir(options.dataDir, { recursive: true });
    useWriteAheadLog(options.dataDir);
    indexStreamRecords(options.dataDir);
  }
  const child: ChildProcess = spawn(
    'java',
    [
      ...(options.compiler === 'optimising' ? [] : ['-XX:TieredStopAtLevel=1']),
      `-Djava.library.path=${join(emulatorDir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(emulatorDir, 'DynamoDBLocal.jar'),
      '-sharedDb',
      // DynamoDB Local sends usage telemetry to AWS unless told not to: a local runtime on a developer's
      // machine (or one with no way out, like CI's) should not. Measured: no effect on its speed.
      '-disableTelemetry',
      '-port',
      String(options.port),
      ...storage,
    ],
    // DynamoDB Local writes a metadata file into its working folder; keep it out of the repository.
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: options.dataDir ?? tmpdir() },
  );
  // If this process dies without a clean stop, do not leave the JVM holding the port; a SIGKILL gives no
  // chance for that, so the pid is kept with the data and the next start stops the orphan.
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  if (options.dataDir && child.pid) await writeFile(join(options.dataDir, PID_FILE), `${child.pid}\n`);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) =>
      reject(
        new Error(`could not start DynamoDB Local (is Java 17 installed and on PATH?): ${error.message}`),
      ),
    );
    child.once('exit', (code) =>
      reject(new Error(`DynamoDB Local exited with code ${code}: ${stderr.trim()}`)),
    );
  });
  const ready = (async () => {
    for (let i = 0; i < 300; i += 1) {
      if (await portOpen(options.port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('DynamoDB Local did not open its port within 15 s');
  })();
  await Promise.race([ready, exited]);
  exited.catch(() => undefined);
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        process.off('exit', killChild);
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};

/** An index projects the attributes it lists, or only the keys when it lists none (outboxDue). */
const projectionOf = (index: (typeof TABLE_KEYS.indexes)[number]): Projection =>
  index.projection.length > 0
    ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection] }
    : { ProjectionType: 'KEYS_ONLY' };

/**
 * A table kept in `.data` from an earlier version lacks the indexes added since (caseList and teamQueue,
 * for the ops console and the SLA board; outboxDue, for the outbox sweep): create them, as CloudFormation
 * does on AWS. Items written
 * before carry no key for them until `upgradeLocalCases` rewrites them (no outbox record predates its index:
 * the version that added outbox records added the index with them).
 */
const addMissingIndexes = async (
  client: DynamoDBClient,
  tableName: string,
  existing: ReadonlySet<unknown>,
) => {
  for (const index of TABLE_KEYS.indexes) {
    if (existing.has(index.name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: index.partitionKey, AttributeType: 'S' },
          { AttributeName: index.sortKey, AttributeType: 'S' },
        ],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: index.name,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' },
                { AttributeName: index.sortKey, KeyType: 'RANGE' },
              ],
              Projection: projectionOf(index),
            },
          },
        ],
      }),
    );
    await untilIndexesActive(client, tableName);
    console.log(`added the ${index.name} index to the local case table`);
  }
};

/**
 * DynamoDB (Local as on AWS) builds one new index at a time per table and refuses the next while one is
 * CREATING, so each addition waits for the table's indexes to be ACTIVE before the next.
 */
const untilIndexesActive = async (client: DynamoDBClient, tableName: string) => {
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const building = (Table?.GlobalSecondaryIndexes ?? []).some((i) => i.IndexStatus !== 'ACTIVE');
    if (!building) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/**
 * Indexes an earlier version had and this one replaced (byCreated by caseList, byTeam by teamQueue: new keys
 * and lean projections) are deleted, one at a time, as CloudFormation does on AWS.
 */
const dropRetiredIndexes = async (client: DynamoDBClient, tableName: string, existing: Set<unknown>) => {
  const current = new Set<unknown>(TABLE_KEYS.indexes.map((i) => i.name));
  for (const name of [...existing].filter((n) => !current.has(n))) {
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: String(name) } }],
      }),
    );
    await untilIndexesActive(client, tableName);
    existing.delete(name);
    console.log(`removed the ${String(name)} index, which this version replaced, from the local case table`);
  }
};

/** Every change with the item before and after it, as the CDK table streams it (infra/aws/constructs). */
const STREAM = { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } as const;

/** Creates the case table with the same keys, indexes and TTL as the CDK stack, unless it exists. */
export const ensureCaseTable = async (endpoint: string, tableName: string): Promise<void> => {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const existing = new Set(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName));
    await dropRetiredIndexes(client, tableName, existing);
    await addMissingIndexes(client, tableName, existing);
    if (!Table?.StreamSpecification?.StreamEnabled) {
      // A table kept from before the scoreboard's totals: its stream, as the stack has had it all along.
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: STREAM }));
      console.log('enabled the stream of the local case table');
    }
    client.destroy();
    return;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  // Several indexes share a sort key (`listSk`): each attribute is defined once.
  const keyAttributes = new Set([
    TABLE_KEYS.partitionKey,
    TABLE_KEYS.sortKey,
    ...TABLE_KEYS.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]);
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: STREAM,
      AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_KEYS.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: projectionOf(index),
      })),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
    }),
  );
  client.destroy();
};
