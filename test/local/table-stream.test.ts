import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, ensureCaseTable, startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { laneOf, PriorityGate } from '../../infra/local/dynamodb-priority.ts';
import { freePort } from '../../infra/local/free-port.ts';
import { LOCAL } from '../../infra/local/local-config.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import { isCaseItem, startTableStream } from '../../infra/local/table-stream.ts';

/**
 * The local stand-in for the stream's event source mapping batches as the mapping does on AWS: up to 100
 * records a consumer takes, after its filter — not a page of the stream at a time, of which a consumer may
 * take only a few. A backlog of case changes among many other items is folded a hundred at a time.
 */
let dir: string;
let dynamo: DynamoDbLocal;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sw-table-stream-'));
  dynamo = await startDynamoDbLocal({ port: await freePort(), dataDir: dir });
  await ensureCaseTable(dynamo.endpoint, LOCAL.tableName);
}, 60_000);

afterAll(async () => {
  await dynamo?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** `cases` case items, each after three items of its case the consumer does not take (audit events). */
const writeBacklog = async (cases: number, from = 0) => {
  const client = localTableClient(dynamo.endpoint);
  const items = Array.from({ length: cases }, (_, i) => {
    const pk = `CASE#c${String(from + i).padStart(5, '0')}`;
    return [0, 1, 2]
      .map((n) => ({ pk, sk: `EVENT#0001#${n}`, type: 'note.added' }))
      .concat([{ pk, sk: 'CASE', type: 'case' }]);
  }).flat();
  for (let i = 0; i < items.length; i += 25)
    await client.send(
      new BatchWriteCommand({
        RequestItems: { [LOCAL.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  client.destroy();
};

const consume = async () => {
  const batches: StreamRecord[][] = [];
  const stream = await startTableStream({
    endpoint: dynamo.endpoint,
    tableName: LOCAL.tableName,
    consumers: [{ accepts: isCaseItem, deliver: async (event) => batches.push(event.Records) }],
  });
  return { batches, stream };
};

const caseIdsOf = (batches: StreamRecord[][]) => batches.flat().map((r) => r.dynamodb?.Keys?.pk?.S);

describe('the local table stream', () => {
  it('hands a backlog on in batches of 100 of what the consumer takes, each record once and in order', async () => {
    await writeBacklog(250);
    const { batches, stream } = await consume();
    await stream.caughtUp();
    await stream.stop();

    // 1,000 records in the stream, 250 of them case items: three batches (a page of 100 records holds
    // about 25 case items, so batching by page would have made ten or more).
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    const ids = caseIdsOf(batches);
    expect(ids).toEqual(Array.from({ length: 250 }, (_, i) => `CASE#c${String(i).padStart(5, '0')}`));
    expect(batches.flat().every((r) => r.dynamodb?.Keys?.sk?.S === 'CASE')).toBe(true);
  }, 120_000);

  it('starts again after the last delivered batch, and delivers only what came since', async () => {
    await writeBacklog(30, 250);
    const { batches, stream } = await consume();
    await stream.caughtUp();
    await stream.stop();

    expect(caseIdsOf(batches)).toEqual(
      Array.from({ length: 30 }, (_, i) => `CASE#c${String(250 + i).padStart(5, '0')}`),
    );
  }, 120_000);

  it('delivers a batch that failed again, whole, before moving on', async () => {
    await writeBacklog(5, 280);
    const seen: string[][] = [];
    let failures = 1;
    const stream = await startTableStream({
      endpoint: dynamo.endpoint,
      tableName: LOCAL.tableName,
      consumers: [
        {
          accepts: isCaseItem,
          deliver: async (event) => {
            seen.push(event.Records.map((r) => String(r.dynamodb?.Keys?.pk?.S)));
            if (failures-- > 0) throw new Error('injected: the fold could not write');
          },
        },
      ],
    });
    await stream.caughtUp();
    await stream.stop();

    const expected = Array.from({ length: 5 }, (_, i) => `CASE#c${String(280 + i).padStart(5, '0')}`);
    expect(seen).toEqual([expected, expected]);
  }, 120_000);

  it('skips what was written during skipWrites, for good, and delivers what comes after', async () => {
    const { batches, stream } = await consume();
    await stream.caughtUp();
    // A bulk load whose totals were added otherwise: none of it is delivered, now or after a restart.
    expect(await stream.skipWrites(() => writeBacklog(400, 300).then(() => 'loaded'))).toBe('loaded');
    await writeBacklog(3, 700);
    await stream.caughtUp();
    await stream.stop();
    const after = `CASE#c00700,CASE#c00701,CASE#c00702`;
    expect(caseIdsOf(batches).join()).toBe(after);

    const again = await consume();
    await writeBacklog(1, 703);
    await again.stream.caughtUp();
    await again.stream.stop();
    expect(caseIdsOf(again.batches)).toEqual(['CASE#c00703']);
  }, 120_000);

  it('reads and folds in the stream lane of the gate: a backlog of steps does not hold it up', async () => {
    const gate = new PriorityGate(1);
    const lanes: string[] = [];
    let backgroundThrough = 0;
    const deliveredAfter: number[] = [];
    const stream = await startTableStream({
      endpoint: dynamo.endpoint,
      tableName: LOCAL.tableName,
      gate,
      consumers: [
        {
          accepts: isCaseItem,
          deliver: async () => {
            lanes.push(laneOf());
            deliveredAfter.push(backgroundThrough);
          },
        },
      ],
    });
    await stream.caughtUp();
    lanes.length = 0;
    deliveredAfter.length = 0;

    // Fifty steps' calls queue at the gate, 20 ms each; then a case changes.
    const held = await gate.acquire('background');
    const steps = Array.from({ length: 50 }, () =>
      gate.acquire('background').then(async (done) => {
        backgroundThrough += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        done();
      }),
    );
    await writeBacklog(1, 800);
    held();
    await Promise.all(steps);
    await stream.caughtUp();
    await stream.stop();

    // Delivered (read, then handed to the consumer) while most of the steps still waited: in arrival order
    // its reads would have waited behind all fifty.
    expect(lanes).toEqual(['stream']);
    expect(deliveredAfter[0]).toBeLessThan(30);
  }, 120_000);
});
