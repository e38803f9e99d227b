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
