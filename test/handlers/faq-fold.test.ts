import { readFile } from 'node:fs/promises';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case.ts';
import { type DynamoDbLocal, ensureCaseTable, startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/free-port.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import { TEST_ENV } from '../support/api-event.ts';

/**
 * FAQ grouping as FoldCaseChanges runs it, against DynamoDB Local: like statements land in one group, and
 * a statement's LSH band buckets are written only where they do not name its group yet — a statement that
 * joins a group named in all its buckets writes none (each bucket written was a conditional update that
 * failed, about a dozen per statement, most of what folding a case cost DynamoDB Local).
 */
const dynamo: DynamoDbLocal = await startDynamoDbLocal({ port: await freePort() });
afterAll(() => dynamo.stop());
await ensureCaseTable(dynamo.endpoint, TEST_ENV.TABLE_NAME);
Object.assign(process.env, TEST_ENV, { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });

const { handler } = await import('../../functions/streams/fold-case-changes.ts');
const { caseItem } = await import('../../functions/domain/case-store.ts');
const { dynamoDb } = await import('../../functions/commons/clients/dynamodb.ts');

/** Bucket writes the product's client makes (UpdateItem on a `FAQB#` key). */
let bucketWrites = 0;
dynamoDb.middlewareStack.add(
  (next, context) => async (args) => {
    const input = args.input as { Key?: { pk?: unknown } };
    if (context.commandName === 'UpdateItemCommand' && String(input.Key?.pk).startsWith('FAQB#'))
      bucketWrites += 1;
    return next(args);
  },
  { step: 'initialize', name: 'countBucketWrites' },
);

const sample = JSON.parse(
  await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
);

let n = 0;
/** The stream record of a new payout-hold case whose seller wrote `details`. */
const opened = (details: string): DynamoDBRecord => {
  n += 1;
  const at = new Date(Date.UTC(2026, 10, 20, 10, n)).toISOString();
  const record = {
    caseId: `case_faqfold${String(n).padStart(4, '0')}`,
    family: 'payout-hold',
    sellerId: `seller-${n}`,
    sellerTier: 'standard',
    sellerEmail: `seller-${n}@example.com`,
    region: 'EU',
    status: 'received',
    version: 1,
    createdAt: at,
    updatedAt: at,
    intake: { ...sample, reason: 'risk_review', details },
  } as CaseRecord;
  const item = caseItem(record);
  return {
    eventID: `e${n}`,
    eventName: 'INSERT',
    dynamodb: {
      Keys: marshall({ pk: item.pk, sk: item.sk }) as never,
      NewImage: marshall(item, { removeUndefinedValues: true }) as never,
      SequenceNumber: String(n),
    },
  };
};

const fold = (records: DynamoDBRecord[]) => handler({ Records: records }) as Promise<{ faq: number }>;

const groups = async () => {
  const table = localTableClient(dynamo.endpoint);
  const { Items } = await table.send(
    new QueryCommand({
      TableName: TEST_ENV.TABLE_NAME,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :g)',
      ExpressionAttributeValues: { ':pk': 'FAQ#payout-hold#risk_review', ':g': 'G#' },
    }),
  );
  table.destroy();
  return (Items ?? []) as { groupId: string; statements: number; cases: number; examples: string[] }[];
};

describe('FAQ grouping as case changes are folded', () => {
  it('groups like statements, naming the group in a bucket once: the statements joining it write no bucket', async () => {
    const text = 'When will my payout be released? It has been on hold for ten days now.';
    const first = await fold([opened(text)]);
    expect(first.faq).toBe(1);
    const named = bucketWrites;
    expect(named).toBeGreaterThan(0);

    const more = [opened(text), opened(text), opened(text)];
    expect((await fold(more)).faq).toBe(3);
    expect(bucketWrites).toBe(named);

    const [group, ...others] = await groups();
    expect(others).toEqual([]);
    expect(group).toMatchObject({ statements: 4, cases: 4 });

    // The stream delivers the batch again: nothing folds twice, nothing is written to a bucket.
    expect((await fold(more)).faq).toBe(0);
    expect(bucketWrites).toBe(named);
    expect((await groups())[0]).toMatchObject({ statements: 4, cases: 4 });
  }, 60_000);

  it('names a new group in its buckets, and a statement that shares only some bands writes only the others', async () => {
    const before = bucketWrites;
    const other = 'Why was my payout put on hold? Nobody told me the reason for the review at all.';
    await fold([opened(other)]);
    const newGroup = bucketWrites - before;
    expect(newGroup).toBeGreaterThan(0);
    expect(await groups()).toHaveLength(2);

    const close = 'Why was my payout put on hold? Nobody ever told me the reason for the review at all.';
    const beforeClose = bucketWrites;
    await fold([opened(close)]);
    const grouped = await groups();
    const joined = grouped.find((g) => g.statements === 2);
    // It joined the second group, sharing some of its bands: only the buckets that did not name it yet.
    expect(joined).toBeDefined();
    expect(bucketWrites - beforeClose).toBeLessThan(newGroup);
  }, 60_000);
});
