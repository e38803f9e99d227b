import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DynamoDbLocal,
  ensureCaseTable,
  keepLogShort,
  startDynamoDbLocal,
} from '../../infra/local/dynamodb-local.ts';
import { PriorityGate, prioritise } from '../../infra/local/dynamodb-priority.ts';
import { freePort } from '../../infra/local/free-port.ts';
import { LOCAL } from '../../infra/local/local-config.ts';

/**
 * DynamoDB Local's write-ahead log, in a kept store: left alone it only grows while requests keep coming
 * (every frame copied into the database, the log never started over); the runtime's keeper restarts it once
 * it passes its bound, between the runtime's calls, so that no write fails for it.
 */
let dir: string;
let dynamo: DynamoDbLocal;
let client: DynamoDBDocumentClient;
const gate = new PriorityGate();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sw-ddb-wal-'));
  dynamo = await startDynamoDbLocal({ port: await freePort(), dataDir: dir });
  await ensureCaseTable(dynamo.endpoint, LOCAL.tableName);
  // One try per write: a write that met the keeper's checkpoint would fail here, not be retried away.
  const base = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  prioritise(base, gate);
  client = DynamoDBDocumentClient.from(base);
}, 60_000);

afterAll(async () => {
  client?.destroy();
  await dynamo?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Frames in the live log, as a passive checkpoint (which blocks no one) reports them. */
const liveFrames = () => {
  const db = new DatabaseSync(join(dir, 'shared-local-instance.db'));
  try {
    return Number((db.prepare('PRAGMA wal_checkpoint(PASSIVE)').get() as { log: number }).log);
  } finally {
    db.close();
  }
};

/** Writes `count` cases of ~6 KB eight at a time; answers how many writes failed. */
const writeCases = async (from: number, count: number) => {
  let failed = 0;
  let next = from;
  const notes = 'n'.repeat(6_000);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < from + count) {
        const id = next++;
        await client
          .send(
            new PutCommand({ TableName: LOCAL.tableName, Item: { pk: `CASE#w${id}`, sk: 'CASE', notes } }),
          )
          .catch(() => (failed += 1));
      }
    }),
  );
  return failed;
};

describe("DynamoDB Local's write-ahead log in a kept store", () => {
  it('grows with every write while nothing restarts it', async () => {
    const before = liveFrames();
    expect(await writeCases(0, 600)).toBe(0);
    // Each write appends its item, its stream record and the pages they touch (~18 frames here): the log
    // never started over.
    expect(liveFrames()).toBeGreaterThan(before + 5_000);
  }, 60_000);

  it('is restarted by the keeper once past its bound, between calls, and no write fails for it', async () => {
    const keeper = keepLogShort(dir, {
      exclusive: (work) => gate.exclusive(work),
      maxFrames: 300,
      everyMs: 25,
    });
    try {
      expect(await writeCases(1_000, 1_200)).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(keeper.restarts).toBeGreaterThanOrEqual(2);
      // The log started over: what it holds now is what came after the last restart, not 1,200 writes.
      expect(liveFrames()).toBeLessThan(1_200);
    } finally {
      keeper.stop();
    }
  }, 60_000);
});
