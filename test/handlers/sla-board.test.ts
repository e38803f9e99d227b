import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, opsClaims } from '../support/api-event.ts';

vi.hoisted(async () => {
  const { TEST_ENV } = await import('../support/api-event.ts');
  Object.assign(process.env, TEST_ENV);
});

const { handler } = await import('../../functions/api/get-sla-board.ts');

const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(BatchGetCommand).resolves({ Responses: {} });
});

describe('GET /ops/sla', () => {
  it('reads each team queue by key, only the open cases whose clock reached its warning share (running or paused), and no case itself', async () => {
    const result = await handler(
      apiEvent({ method: 'GET', path: '/ops/sla', claims: opsClaims() }),
      {} as never,
    );

    expect(result.statusCode).toBe(200);
    const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries.length).toBeGreaterThan(0);
    const ranges = new Set<string>();
    for (const query of queries) {
      expect(query.IndexName).toBe('teamQueue');
      expect(query.KeyConditionExpression).toBe('queuePk = :pk AND queueSk BETWEEN :from AND :to');
      const [from, to] = [
        query.ExpressionAttributeValues?.[':from'],
        String(query.ExpressionAttributeValues?.[':to']),
      ];
      // Running clocks up to now, and clocks paused past their warning: never the open cases short of it.
      if (from === 'O#') expect(to).toMatch(/^O#\d{4}-\d\d-\d\dT.*Z~$/);
      else expect([from, to]).toEqual(['P#', 'P#~']);
      ranges.add(String(from));
      expect(query.FilterExpression).toBeUndefined();
    }
    expect([...ranges].sort()).toEqual(['O#', 'P#']);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });
});

describe('a team’s at-risk queue', () => {
  it('reads little more than the board shows, however many of the team’s cases are past their warning', async () => {
    const { atRiskTeamQueue } = await import('../../functions/domain/case-store.ts');
    // 8 ranges (4 shards × running and paused), 400 cases each past their warning, interleaved in time.
    const at = '2026-12-06T12:00:00.000Z';
    const warnedAt = (n: number) => new Date(Date.parse('2026-12-01T00:00:00Z') + n * 60_000).toISOString();
    const ranges = new Map<string, { queueSk: string; caseId: string }[]>();
    for (let n = 0; n < 3_200; n++) {
      const [shard, paused] = [n % 4, Math.floor(n / 4) % 2 === 1];
      const key = `TEAM#disputes#${shard}|${paused ? 'P#' : 'O#'}`;
      const item = { queueSk: `${paused ? 'P#' : 'O#'}${warnedAt(n)}#case_${n}`, caseId: `case_${n}` };
      ranges.set(key, [...(ranges.get(key) ?? []), item]);
    }
    let itemsRead = 0;
    ddb.on(QueryCommand).callsFake((input) => {
      const values = input.ExpressionAttributeValues;
      const all = ranges.get(`${values[':pk']}|${values[':from']}`) ?? [];
      const start = input.ExclusiveStartKey
        ? all.findIndex((i) => i.queueSk === input.ExclusiveStartKey.queueSk) + 1
        : 0;
      const page = all.slice(start, start + input.Limit);
      itemsRead += page.length;
      const last = page.at(-1);
      return { Items: page, ...(start + page.length < all.length && last ? { LastEvaluatedKey: last } : {}) };
    });

    const queue = await atRiskTeamQueue('disputes', at, 50);

    // The 50 longest past their warning, in order, and word of more.
    expect(queue.cases.map((c) => c.caseId)).toEqual(Array.from({ length: 50 }, (_, n) => `case_${n}`));
    expect(queue.more).toBe(true);
    // Not 8 × 51 = 408 items (every range's first 51): a first page of each range, twice a shard's share
    // of the 51 (26), and no second round.
    expect(itemsRead).toBeLessThanOrEqual(8 * 26);
    // Spread evenly over the ranges, one query a range does it.
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(8);
  });
});
