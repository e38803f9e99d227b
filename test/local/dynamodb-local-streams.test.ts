import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
