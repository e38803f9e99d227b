import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DynamoDbLocal,
  ensureCaseTable,
  indexStreamRecords,
  STREAM_SHARD_INDEX,
  startDynamoDbLocal,
} from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/free-port.ts';
import { LOCAL } from '../../infra/local/local-config.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';

/**
 * DynamoDB Local's stream records, looked up by shard on every GetRecords, are indexed by shard in a kept
 * store: the lookups DynamoDB Local runs (as its jar runs them) search the index instead of scanning every
 * stream record of the last day — which they did once a shard rolled over, and every request waited.
 */
const SHARD_LOOKUPS = [
  'SELECT SequenceNumber, CreationDateTime FROM us WHERE ShardID = ? AND CreationDateTime >= ? ORDER BY SequenceNumber ASC LIMIT 1',
  'SELECT SequenceNumber FROM us WHERE ShardID = ? ORDER BY SequenceNumber DESC LIMIT 1',
  'SELECT MIN(SequenceNumber) FROM us WHERE ShardID = ?',
];

/** GetRecords' own query, as DynamoDB Local's jar builds it. */
const STREAM_RECORDS =
  'SELECT SequenceNumber, CreationDateTime, StreamRecord, OperationType FROM us WHERE StreamID = ? AND ShardID = ? AND CreationDateTime >= ? AND SequenceNumber > ? ORDER BY SequenceNumber ASC LIMIT ?';

/** The plans of `sqls` by the SQLite DynamoDB Local bundles (3.8.7), not Node's (test/support/SqlitePlan.java). */
const bundledPlans = (file: string, sqls: readonly string[]) => {
  const lib = join(
    dirname(createRequire(import.meta.url).resolve('amplify-dynamodb-simulator/package.json')),
    'emulator',
    'DynamoDBLocal_lib',
  );
  const out = execFileSync(
    'java',
    [
      '-cp',
      join(lib, 'sqlite4java.jar'),
      new URL('../support/SqlitePlan.java', import.meta.url).pathname,
      lib,
      file,
      ...sqls,
    ],
    { encoding: 'utf8' },
  );
  const [version, ...plans] = out.trim().split('\n');
  expect(version).toBe('version 3.8.7');
  return plans;
};

let dir: string;
let dynamo: DynamoDbLocal | undefined;
const dbFile = () => join(dir, 'shared-local-instance.db');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sw-ddb-streams-'));
}, 30_000);

afterAll(async () => {
  await dynamo?.stop();
  await rm(dir, { recursive: true, force: true });
});

const plans = () => {
  const db = new DatabaseSync(dbFile(), { readOnly: true });
  try {
    return SHARD_LOOKUPS.map((sql) =>
      (
        db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...['shard', 0].slice(0, sql.split('?').length - 1)) as {
          detail: string;
        }[]
      )
        .map((row) => row.detail)
        .join('; '),
    );
  } finally {
    db.close();
  }
};

describe('a kept DynamoDB Local store', () => {
  it('scans every stream record on a shard lookup without the index, and searches the index with it', async () => {
    dynamo = await startDynamoDbLocal({ port: await freePort(), dataDir: dir });
    await ensureCaseTable(dynamo.endpoint, LOCAL.tableName);
    const client = localTableClient(dynamo.endpoint);
    await client.send(new PutCommand({ TableName: LOCAL.tableName, Item: { pk: 'CASE#x', sk: 'CASE' } }));
    client.destroy();
    // The first start of a store: the stream table is DynamoDB Local's own, there before the index.
    for (const plan of plans()) expect(plan).not.toMatch(STREAM_SHARD_INDEX);
    expect(plans().some((plan) => /SCAN us/.test(plan))).toBe(true);

    expect(indexStreamRecords(dir)).toBe(true);

    for (const plan of plans())
      expect(plan).toMatch(new RegExp(`USING (COVERING )?INDEX ${STREAM_SHARD_INDEX}`));
  }, 60_000);

  it('reads GetRecords from its sequence number, not from the first record of the shard', async () => {
    // A store indexed by an earlier version: the index, no statistics. SQLite 3.8.7 then reads the range
    // through the index from the shard's start (ShardID=? alone), so each read costs the records before it.
    const db = new DatabaseSync(dbFile());
    db.exec('DELETE FROM sqlite_stat1');
    db.close();
    expect(bundledPlans(dbFile(), [STREAM_RECORDS])).toEqual([
      `SEARCH TABLE us USING INDEX ${STREAM_SHARD_INDEX} (ShardID=?)`,
    ]);

    expect(indexStreamRecords(dir)).toBe(true);

    const [records, ...lookups] = bundledPlans(dbFile(), [STREAM_RECORDS, ...SHARD_LOOKUPS]);
    expect(records).toBe('SEARCH TABLE us USING INTEGER PRIMARY KEY (rowid>?)');
    for (const plan of lookups)
      expect(plan).toMatch(new RegExp(`USING (COVERING )?INDEX ${STREAM_SHARD_INDEX} \\(ShardID=\\?\\)`));
  }, 60_000);

  it('keeps the index across a restart, and DynamoDB Local keeps working with it', async () => {
    await dynamo?.stop();
    dynamo = await startDynamoDbLocal({ port: await freePort(), dataDir: dir });
    await ensureCaseTable(dynamo.endpoint, LOCAL.tableName);
    const client = localTableClient(dynamo.endpoint);
    await client.send(new PutCommand({ TableName: LOCAL.tableName, Item: { pk: 'CASE#y', sk: 'CASE' } }));
    client.destroy();

    for (const plan of plans()) expect(plan).toMatch(new RegExp(`INDEX ${STREAM_SHARD_INDEX}`));
  }, 60_000);
});
