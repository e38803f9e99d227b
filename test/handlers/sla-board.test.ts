import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { OPEN_STATUSES } from '../../functions/domain/lifecycle.ts';
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
  it('reads only the open part of each team queue, by key, never its resolved or failed cases', async () => {
    const result = await handler(
      apiEvent({ method: 'GET', path: '/ops/sla', claims: opsClaims() }),
      {} as never,
    );

    expect(result.statusCode).toBe(200);
    const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) {
      expect(query.KeyConditionExpression).toBe('gsi2pk = :pk AND begins_with(gsi2sk, :status)');
      expect(query.FilterExpression).toBeUndefined();
    }
    const statuses = new Set(queries.map((q) => String(q.ExpressionAttributeValues?.[':status'])));
    expect([...statuses].sort()).toEqual(OPEN_STATUSES.map((s) => `${s}#`).sort());
  });
});
