import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, opsClaims } from '../support/api-event.ts';

vi.hoisted(async () => {
  const { TEST_ENV } = await import('../support/api-event.ts');
  Object.assign(process.env, TEST_ENV);
});

const { handler } = await import('../../functions/api/list-ops-cases.ts');
const { LIST_READ_BUDGET } = await import('../../functions/domain/case-store.ts');

const ddb = mockClient(DynamoDBDocumentClient);

/** The index key of a case, as DynamoDB hands back a query's LastEvaluatedKey on the byCreated index. */
const keyOf = (n: number) => ({
  pk: `CASE#case_${n}`,
  sk: 'CASE',
  gsi3pk: 'CASES',
  gsi3sk: `2026-12-01T00:00:00.000Z#case_${n}`,
});

const list = (query: Record<string, string>) => {
  const event = apiEvent({ method: 'GET', path: '/ops/cases', claims: opsClaims() });
  return handler({ ...event, queryStringParameters: query }, {} as never);
};

beforeEach(() => {
  ddb.reset();
});

describe('GET /ops/cases with a filter that matches little', () => {
  it('stops at the read budget and answers a partial page with a cursor that goes on from there', async () => {
    // Every page of the index holds cases the filter refuses: DynamoDB reads them and returns none.
    let page = 0;
    ddb.on(QueryCommand).callsFake((input: { Limit: number }) => {
      page += 1;
      return { Items: [], Count: 0, ScannedCount: input.Limit, LastEvaluatedKey: keyOf(page) };
    });

    const result = await list({ family: 'account-recovery', limit: '25' });

    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body ?? '{}');
    expect(body).toMatchObject({ cases: [], partial: true, nextCursor: expect.any(String) });
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    const read = calls.reduce((sum, input) => sum + (input.Limit ?? 0), 0);
    expect(read).toBe(LIST_READ_BUDGET);
    // The cursor carries on after the last item read, not from the top.
    const lastRead = page;
    ddb.resetHistory();
    await list({ family: 'account-recovery', limit: '25', cursor: body.nextCursor });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input.ExclusiveStartKey).toEqual(keyOf(lastRead));
  });

  it('answers a full page without touching the budget when the filter matches', async () => {
    ddb.on(QueryCommand).resolves({
      Items: Array.from({ length: 3 }, (_, i) => ({
        ...keyOf(i),
        caseId: `case_${i}`,
        family: 'account-recovery',
        status: 'received',
        sellerId: 's',
        sellerTier: 'standard',
        region: 'US',
        createdAt: '2026-12-01T00:00:00.000Z',
        updatedAt: '2026-12-01T00:00:00.000Z',
      })),
      ScannedCount: 3,
    });

    const body = JSON.parse((await list({ family: 'account-recovery', limit: '3' })).body ?? '{}');

    expect(body.cases).toHaveLength(3);
    expect(body).toMatchObject({ partial: false, nextCursor: null });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
  });
});
