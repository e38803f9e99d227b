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

/** The index key of a case, as DynamoDB hands back a query's LastEvaluatedKey on the caseList index. */
const keyOf = (shard: string, n: number) => ({
  pk: `CASE#case_${n}`,
  sk: 'CASE',
  listPk: shard,
  // Read newest first: the later a page, the lower its keys.
  listSk: `2026-12-01T00:00:00.000Z#case_${String(999_999 - n).padStart(6, '0')}`,
});

const list = (query: Record<string, string>) => {
  const event = apiEvent({ method: 'GET', path: '/ops/cases', claims: opsClaims() });
  return handler({ ...event, queryStringParameters: query }, {} as never);
};

beforeEach(() => {
  ddb.reset();
});

describe('GET /ops/cases with a filter no index key covers, that matches little', () => {
  it('stops at the read budget and answers a partial page with a cursor that goes on from there', async () => {
    // Every page of every shard holds cases the filter refuses: DynamoDB reads them and returns none.
    let page = 0;
    const frontiers = new Map<string, string>();
    ddb
      .on(QueryCommand)
      .callsFake((input: { Limit: number; ExpressionAttributeValues: { ':pk': string } }) => {
        page += 1;
        const key = keyOf(input.ExpressionAttributeValues[':pk'], page);
        frontiers.set(key.listPk, key.listSk);
        return { Items: [], Count: 0, ScannedCount: input.Limit, LastEvaluatedKey: key };
      });

    const result = await list({ tier: 'top_rated', limit: '25' });

    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body ?? '{}');
    expect(body).toMatchObject({ cases: [], partial: true, nextCursor: expect.any(String) });
    const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    const read = calls.reduce((sum, input) => sum + (input.Limit ?? 0), 0);
    expect(read).toBeGreaterThanOrEqual(LIST_READ_BUDGET);
    // At most one round of the sixteen shards past the budget.
    expect(read).toBeLessThan(LIST_READ_BUDGET + 16 * 26);
    // The next page reads below the highest point every shard has been read to, not from the top.
    const readTo = [...frontiers.values()].sort().at(-1);
    ddb.resetHistory();
    await list({ tier: 'top_rated', limit: '25', cursor: body.nextCursor });
    const next = ddb.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(next?.KeyConditionExpression).toBe('#pk = :pk AND #sk < :after');
    expect(next?.ExpressionAttributeValues?.[':after']).toBe(readTo);
  });

  it('answers a full page without touching the budget when the filter matches', async () => {
    ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: { ':pk': string } }) => {
      const shard = input.ExpressionAttributeValues[':pk'];
      return shard === 'CASES#3'
        ? {
            Items: Array.from({ length: 3 }, (_, i) => ({
              ...keyOf(shard, i),
              caseId: `case_${i}`,
              family: 'account-recovery',
              status: 'received',
              sellerId: 's',
              sellerTier: 'standard',
              region: 'US',
              createdAt: '2026-12-01T00:00:00.000Z',
            })),
            ScannedCount: 3,
          }
        : { Items: [], ScannedCount: 0 };
    });

    const body = JSON.parse((await list({ tier: 'standard', limit: '3' })).body ?? '{}');

    expect(body.cases.map((c: { caseId: string }) => c.caseId)).toEqual(['case_0', 'case_1', 'case_2']);
    expect(body).toMatchObject({ partial: false, nextCursor: null });
    // One query a shard, each once.
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(16);
  });
});

describe('GET /ops/cases on a common view', () => {
  it("reads a family, a team's status, an SLA risk and a seller's cases by key, never by filter", async () => {
    ddb.on(QueryCommand).resolves({ Items: [], ScannedCount: 0 });
    const views: [Record<string, string>, string, RegExp][] = [
      [{ family: 'account-recovery', status: 'resolved' }, 'familyList', /^FAMILY#account-recovery#[0-3]$/],
      [{ team: 'disputes', status: 'handed_off' }, 'teamStatus', /^TEAM#disputes#handed_off#[0-3]$/],
      [{ sla: 'breached', team: 'disputes' }, 'teamQueue', /^TEAM#disputes#[0-3]$/],
      [{ seller: 'seller-42' }, 'bySeller', /^SELLER#seller-42$/],
    ];
    for (const [query, index, key] of views) {
      ddb.resetHistory();
      const result = await list(query);
      expect(result.statusCode).toBe(200);
      const calls = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
      expect(calls.length).toBeGreaterThan(0);
      for (const input of calls) {
        expect(input.IndexName).toBe(index);
        expect(String(input.ExpressionAttributeValues?.[':pk'])).toMatch(key);
        // What the key covers is not filtered again.
        expect(input.FilterExpression ?? '').not.toMatch(/#family|#team|#sellerId/);
      }
    }
  });
});
