import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { WEEKLY_EXAMPLES, WEEKLY_WRITERS } from '../../functions/domain/table-design.ts';
import { apiEvent, opsClaims, sellerClaims, TEST_ENV } from '../support/api-event.ts';

vi.hoisted(async () => {
  const { TEST_ENV } = await import('../support/api-event.ts');
  Object.assign(process.env, TEST_ENV);
});

const { foldWeeklyReview } = await import('../../functions/domain/weekly-review-fold.ts');
const { handler } = await import('../../functions/api/get-weekly-review.ts');

const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  ddb.reset();
  ddb.on(BatchGetCommand).resolves({ Responses: {} });
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
});

/** A case item's change as the stream carries it, its review holding what its commit at `version` added. */
const change = (
  caseId: string,
  version: number,
  weeks: Record<string, Record<string, number>>,
  addedIn = version,
) => ({
  eventName: 'MODIFY',
  dynamodb: {
    Keys: marshall({ pk: `CASE#${caseId}`, sk: 'CASE' }),
    NewImage: marshall({
      caseId,
      version,
      review: {
        family: 'buyer-dispute',
        reason: 'not_received',
        phase: 'resolved',
        weeks,
        addedIn,
        open: {},
      },
    }),
  },
});

const escalated = { '2026-W49': { 'escalation|decision_overdue|n': 1 } };

describe('the weekly review fold', () => {
  it("adds each change's rows once, a marker per change, the case among the row's examples while it has room", async () => {
    const result = await foldWeeklyReview([
      change('case_a', 7, escalated),
      change('case_b', 3, {
        '2026-W49': { 'escalation|decision_overdue|n': 1, 'stretch|all|n': 1, 'stretch|all|s': 3600 },
      }),
      // A commit that added nothing (an older part on the item) and another item's change add nothing.
      change('case_c', 9, escalated, 8),
      { eventName: 'MODIFY', dynamodb: { Keys: marshall({ pk: 'OUTBOX#1', sk: 'OUTBOX' }) } },
    ]);

    expect(result).toEqual({ reviewed: 2 });
    const [call] = ddb.commandCalls(TransactWriteCommand);
    const items = call?.args[0].input.TransactItems ?? [];
    expect(items.filter((i) => i.Put).map((i) => i.Put?.Item?.sk)).toEqual([
      'REVIEWED#00000007',
      'REVIEWED#00000003',
    ]);
    const updates = items.flatMap((i) => (i.Update ? [i.Update] : []));
    const escalation = updates.find((u) => u.Key?.sk === 'escalation|decision_overdue');
    expect(escalation?.Key?.pk).toMatch(new RegExp(`^WEEKLY#2026-W49#[0-${WEEKLY_WRITERS - 1}]$`));
    expect(escalation?.UpdateExpression).toBe('SET kind = :kind ADD #c0 :c0, #ex :ex');
    expect(escalation?.ExpressionAttributeValues).toMatchObject({
      ':c0': 2,
      ':ex': new Set(['case_a', 'case_b']),
    });
    // A resolved stretch lists its case too.
    const stretch = updates.find((u) => u.Key?.sk === 'stretch|all');
    expect(stretch?.ExpressionAttributeValues).toMatchObject({
      ':c0': 1,
      ':c1': 3600,
      ':ex': new Set(['case_b']),
    });
  });

  it('adds no example to a row that holds its share already, and still counts the case', async () => {
    ddb.on(BatchGetCommand).callsFake((input) => {
      const keys = (input.RequestItems?.[TEST_ENV.TABLE_NAME]?.Keys ?? []) as { pk: string; sk: string }[];
      const full = new Set(Array.from({ length: WEEKLY_EXAMPLES }, (_, i) => `case_${i}`));
      return { Responses: { [TEST_ENV.TABLE_NAME]: keys.map((k) => ({ ...k, ex: full })) } };
    });

    await foldWeeklyReview([change('case_a', 7, escalated)]);

    const update = ddb
      .commandCalls(TransactWriteCommand)[0]
      ?.args[0].input.TransactItems?.find((i) => i.Update)?.Update;
    expect(update?.UpdateExpression).toBe('SET kind = :kind ADD #c0 :c0');
    expect(update?.ExpressionAttributeValues).toEqual({ ':kind': 'weekly', ':c0': 1 });
  });

  it('drops a change folded before (its marker exists) and folds the rest', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(
        new TransactionCanceledException({
          message: 'cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
        }),
      )
      .resolves({});

    const result = await foldWeeklyReview([change('case_a', 7, escalated), change('case_b', 3, escalated)]);

    expect(result).toEqual({ reviewed: 1 });
    const retried = ddb.commandCalls(TransactWriteCommand)[1]?.args[0].input.TransactItems ?? [];
    expect(retried.filter((i) => i.Put).map((i) => i.Put?.Item?.pk)).toEqual(['CASE#case_b']);
    expect(retried.find((i) => i.Update)?.Update?.ExpressionAttributeValues).toMatchObject({ ':c0': 1 });
  });

  it('skips a record whose review is malformed instead of failing the batch', async () => {
    const bad = change('case_a', 7, { '2026-W49': { 'not a row key': 1 } });

    expect(await foldWeeklyReview([bad])).toEqual({ reviewed: 0 });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

const asking = (query: Record<string, string>, claims: Record<string, string>) => ({
  ...apiEvent({ method: 'GET', path: '/ops/reviews/weekly', claims }),
  queryStringParameters: query,
});

describe('GET /ops/reviews/weekly', () => {
  it("reads the week's rows, one query per writer key, and no case", async () => {
    const result = await handler(asking({ week: '2026-W40' }, opsClaims()), {} as never);

    expect(result.statusCode).toBe(200);
    const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries.map((q) => q.ExpressionAttributeValues?.[':pk']).sort()).toEqual(
      Array.from({ length: WEEKLY_WRITERS }, (_, w) => `WEEKLY#2026-W40#${w}`),
    );
    expect(queries.every((q) => q.IndexName === undefined && q.KeyConditionExpression === 'pk = :pk')).toBe(
      true,
    );
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('refuses a week its year lacks with 422 naming it, and a seller with 403, reading nothing', async () => {
    const refused = await handler(asking({ week: '2025-W53' }, opsClaims()), {} as never);
    expect(refused.statusCode).toBe(422);
    expect(JSON.parse(String(refused.body)).error.issues).toEqual([
      { path: 'week', reason: 'must be a week from 01 to 52: 2025 has 52 ISO weeks' },
    ]);
    const seller = await handler(
      apiEvent({ method: 'GET', path: '/ops/reviews/weekly', claims: sellerClaims() }),
      {} as never,
    );
    expect(seller.statusCode).toBe(403);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
