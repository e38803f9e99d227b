import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, opsClaims, sellerClaims } from '../support/api-event.ts';

vi.hoisted(async () => {
  const { TEST_ENV } = await import('../support/api-event.ts');
  Object.assign(process.env, TEST_ENV);
});

const { handler } = await import('../../functions/api/reviews.ts');

/**
 * The review routes' boundaries with the table mocked: what they refuse (with the field path) and that a
 * refusal writes nothing; who may review; a review raced by another is 409; a collision on a shared total
 * is tried again; the results read one item per segment.
 */

const ddb = mockClient(DynamoDBDocumentClient);
const caseId = 'case_mi0abc123456';

const queued = {
  pk: `CASE#${caseId}`,
  sk: 'REVIEW#00000012',
  kind: 'review',
  caseId,
  family: 'payout-hold',
  reason: 'sample',
  queuedAt: '2026-12-01T10:00:00.000Z',
  outcome: 'payout_released',
  decidedBy: 'rita',
  decidedAt: '2026-12-01T09:59:00.000Z',
  team: 'verification',
  agent: 'rita',
  template: 'payout-hold.evidence-request@3',
  deciders: ['rita', 'ops-lead'],
  version: 12,
  status: 'queued',
  reviewQueuePk: 'REVIEWQ#payout-hold',
  reviewQueueSk: `2026-12-01T10:00:00.000Z#${caseId}`,
};

const GOOD = {
  scores: { decisionCorrectness: 4, explanationClarity: 4, handoffCompleteness: 5, policyAdherence: 4 },
};

/** An event as API Gateway hands it to the one function the review routes share, with the route's key. */
const routed = (routeKey: string, event: ReturnType<typeof apiEvent>, query?: Record<string, string>) =>
  handler({ ...event, routeKey, ...(query ? { queryStringParameters: query } : {}) }, {} as never);

const review = (body: unknown, claims: Record<string, string> = opsClaims('vic', 'payments-support')) =>
  routed(
    'POST /ops/reviews/{caseId}',
    apiEvent({
      method: 'POST',
      path: `/ops/reviews/${caseId}`,
      pathParameters: { caseId },
      claims,
      body: JSON.stringify(body),
    }),
  );

const bodyOf = (result: unknown) => JSON.parse((result as { body: string }).body);

const canceled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'canceled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

beforeEach(() => {
  ddb.reset();
  ddb.on(QueryCommand).resolves({ Items: [queued] });
  ddb.on(TransactWriteCommand).resolves({});
});

describe('POST /ops/reviews/{caseId}', () => {
  it('records the review, its entry leaving the queue and each segment adding its scores, in one transaction', async () => {
    const result = await review(GOOD);
    expect(result.statusCode).toBe(201);
    expect(bodyOf(result)).toMatchObject({
      caseId,
      reviewer: 'vic',
      counted: { team: 'verification', agent: 'rita' },
    });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update).toMatchObject({
      Key: { pk: `CASE#${caseId}`, sk: 'REVIEW#00000012' },
      ConditionExpression: '#status = :queued',
    });
    expect(items[0]?.Update?.UpdateExpression).toContain('REMOVE reviewQueuePk, reviewQueueSk');
    expect(items.slice(1, -1).map((i) => i.Update?.Key?.pk)).toEqual([
      'REVIEWSCORE#all',
      'REVIEWSCORE#family=payout-hold',
      'REVIEWSCORE#team=verification',
      'REVIEWSCORE#agent=rita',
      'REVIEWSCORE#template=payout-hold.evidence-request@3',
      'REVIEWSCORE#reason=sample',
    ]);
    expect(items.at(-1)?.Update?.Key).toEqual({ pk: 'REVIEWSCORE', sk: 'CATALOG' });
  });

  it.each([
    [
      'scores out of range, missing, not whole; an empty comment; an unknown field',
      {
        scores: { decisionCorrectness: 0, explanationClarity: 4.5, handoffCompleteness: '5' },
        comments: { overall: '  ' },
        score: 5,
      },
      [
        '(root)',
        'comments.overall',
        'scores.decisionCorrectness',
        'scores.explanationClarity',
        'scores.handoffCompleteness',
        'scores.policyAdherence',
      ],
    ],
    [
      'a low score without a comment on its criterion',
      { scores: { ...GOOD.scores, handoffCompleteness: 2 }, comments: { overall: 'Fine otherwise.' } },
      ['comments.handoffCompleteness'],
    ],
    ['a comment on something that is not a criterion', { ...GOOD, comments: { tone: 'warm' } }, ['comments']],
    ['no scores at all', {}, ['scores']],
  ])('refuses %s with the field paths (422), reading and writing nothing', async (_, body, paths) => {
    const result = await review(body);
    expect(result.statusCode).toBe(422);
    expect(
      bodyOf(result)
        .error.issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(paths);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('refuses the agent who held the case and whoever recorded the decision (403), writing nothing', async () => {
    for (const claims of [opsClaims('rita', 'verification'), opsClaims('ops-lead')]) {
      const result = await review(GOOD, claims);
      expect(result.statusCode).toBe(403);
      expect(bodyOf(result).error.message).toMatch(/a reviewer other than its deciders \(rita, ops-lead\)/);
    }
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('lets a supervisor who had no hand in it review', async () => {
    expect((await review(GOOD, opsClaims('qa-lead'))).statusCode).toBe(201);
  });

  it('refuses a seller (403)', async () => {
    expect((await review(GOOD, sellerClaims())).statusCode).toBe(403);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 409 for a case reviewed already, and for one another review took first', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ ...queued, status: 'reviewed' }] });
    expect((await review(GOOD)).statusCode).toBe(409);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);

    ddb.on(QueryCommand).resolves({ Items: [queued] });
    ddb.on(TransactWriteCommand).rejects(canceled(['ConditionalCheckFailed', 'None']));
    const raced = await review(GOOD);
    expect(raced.statusCode).toBe(409);
    expect(bodyOf(raced).error.message).toMatch(/already reviewed/);
  });

  it('tries again when another review holds a shared total at the same moment', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(canceled(['None', 'TransactionConflict']))
      .resolves({});
    expect((await review(GOOD)).statusCode).toBe(201);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
  });

  it('answers 404 for a case never queued for review, saying why', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(GetCommand).resolves({ Item: { pk: `CASE#${caseId}`, sk: 'CASE', kind: 'case', caseId } });
    const result = await review(GOOD);
    expect(result.statusCode).toBe(404);
    expect(bodyOf(result).error.message).toMatch(/not in the review queue/);
  });
});

const queue = (query: Record<string, string>) =>
  routed(
    'GET /ops/reviews/queue',
    apiEvent({ method: 'GET', path: '/ops/reviews/queue', claims: opsClaims('rita', 'verification') }),
    query,
  );

describe('GET /ops/reviews/queue', () => {
  it('reads each family’s queue once for a page, oldest first, marking what the caller decided', async () => {
    const result = await queue({});
    expect(result.statusCode).toBe(200);
    const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries).toHaveLength(9);
    expect(queries.every((q) => q.IndexName === 'reviewQueue' && q.Limit === 26)).toBe(true);
    const page = bodyOf(result);
    // Every family answered the same entry here: the page merges what the queries read, bounded by limit.
    expect(page.entries[0]).toMatchObject({ caseId, mayReview: false });
    expect(page.entries[0]).not.toHaveProperty('reviewQueuePk');
  });

  it('refuses an unknown family, a limit out of range and a forged cursor (422), querying nothing', async () => {
    const bad = await queue({ family: 'nope', limit: '101', extra: 'x' });
    expect(bad.statusCode).toBe(422);
    expect(
      bodyOf(bad)
        .error.issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['(root)', 'family', 'limit']);
    const forged = await queue({ cursor: Buffer.from('2026-12-01#not-a-case').toString('base64url') });
    expect(forged.statusCode).toBe(422);
    expect(bodyOf(forged).error.issues).toEqual([
      { path: 'cursor', reason: 'not a cursor this queue gave out' },
    ]);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('GET /ops/reviews/scores', () => {
  it('reads the catalog, then one item per segment a review counted in: never the reviews', async () => {
    ddb.on(GetCommand).resolves({
      Item: {
        pk: 'REVIEWSCORE',
        sk: 'CATALOG',
        team: new Set(['verification', 'risk-operations']),
        agent: new Set(['rita']),
      },
    });
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        'cases-test': [
          { pk: 'REVIEWSCORE#team=verification', sk: 'TOTAL', n: 2, decisionCorrectnessS: 7, low: 1 },
          { pk: 'REVIEWSCORE#all', sk: 'TOTAL', n: 2, decisionCorrectnessS: 7, low: 1 },
        ],
      },
    });
    const result = await routed(
      'GET /ops/reviews/scores',
      apiEvent({ method: 'GET', path: '/ops/reviews/scores', claims: opsClaims() }),
    );
    expect(result.statusCode).toBe(200);
    const keys = ddb.commandCalls(BatchGetCommand)[0]?.args[0].input.RequestItems?.['cases-test']?.Keys;
    expect(keys?.map((k) => k.pk).sort()).toEqual([
      'REVIEWSCORE#agent=rita',
      'REVIEWSCORE#all',
      'REVIEWSCORE#team=risk-operations',
      'REVIEWSCORE#team=verification',
    ]);
    expect(bodyOf(result).segments.team).toEqual([
      expect.objectContaining({ segment: 'verification', reviews: 2, lowScored: 1 }),
    ]);
    expect(bodyOf(result).segments.team[0].criteria.decisionCorrectness.mean).toBe(3.5);
  });
});

describe('the reviews function', () => {
  it('answers 404 for a route it does not serve', async () => {
    const result = await routed(
      'GET /ops/reviews/weekly',
      apiEvent({ method: 'GET', path: '/ops/reviews/weekly', claims: opsClaims() }),
    );
    expect(result.statusCode).toBe(404);
    expect(ddb.calls()).toHaveLength(0);
  });
});
