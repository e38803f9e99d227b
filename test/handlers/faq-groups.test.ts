import {
  BatchGetCommand,
  DynamoDBDocumentClient,
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

const { handler: list } = await import('../../functions/api/list-faq-groups.ts');
const { handler: mark } = await import('../../functions/api/mark-faq-group.ts');

const ddb = mockClient(DynamoDBDocumentClient);
const groupId = 'payout-hold.risk_review.0123456789ab';
const group = {
  pk: 'FAQ#payout-hold#risk_review',
  sk: `G#${groupId}`,
  kind: 'faq-group',
  groupId,
  family: 'payout-hold',
  reason: 'risk_review',
  version: 3,
  statements: 3,
  cases: 3,
  weeks: {},
  sources: { intake: 3 },
  templates: { 'payout-hold.first-response@2': 3 },
  examples: ['case_c', 'case_b', 'case_a'],
  representative: 'When will my payout be released?',
  profile: { statements: 3, terms: { payout: 3, releas: 3 } },
  firstSeen: '2026-11-02T10:00:00.000Z',
  lastSeen: '2026-11-20T10:00:00.000Z',
};

const listing = (query: Record<string, string>, claims = opsClaims()) => {
  const event = apiEvent({ method: 'GET', path: '/ops/faq', claims });
  return list({ ...event, queryStringParameters: query }, {} as never);
};
const marking = (body: unknown, claims = opsClaims(), id = groupId) =>
  mark(
    {
      ...apiEvent({
        method: 'POST',
        path: `/ops/faq/groups/${id}/candidate`,
        pathParameters: { groupId: id },
        claims,
        body: JSON.stringify(body),
      }),
      routeKey: `PUT /ops/faq/groups/${id}/candidate`,
    },
    {} as never,
  );
const bodyOf = (result: unknown) => JSON.parse((result as { body: string }).body);

beforeEach(() => {
  ddb.reset();
  ddb.on(BatchGetCommand).resolves({ Responses: { 'cases-test': [group] } });
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [{ groupId }] });
});

describe('PUT /ops/faq/groups/{groupId}/candidate', () => {
  it('marks a group as an FAQ candidate, with who marked it and the mark entry the export reads', async () => {
    const result = await marking({ candidate: true, note: 'Write up the review timeline.' });

    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({
      groupId,
      size: 3,
      candidate: { markedBy: 'agent-1', note: 'Write up the review timeline.' },
    });
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update?.ConditionExpression).toBe('version = :v');
    expect(items[1]?.Put?.Item).toMatchObject({ pk: 'FAQ#payout-hold#risk_review', sk: `M#${groupId}` });
  });

  it('changes nothing when the group is marked already', async () => {
    const marked = { ...group, candidate: { markedBy: 'agent-9', markedAt: '2026-11-21T00:00:00.000Z' } };
    ddb.on(BatchGetCommand).resolves({ Responses: { 'cases-test': [marked] } });

    const result = await marking({ candidate: true });

    expect(bodyOf(result).candidate.markedBy).toBe('agent-9');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it.each([
    [{}, 'candidate'],
    [{ candidate: 'yes' }, 'candidate'],
    [{ candidate: true, note: '' }, 'note'],
    [{ candidate: true, extra: 1 }, '(root)'],
  ])('refuses %j with 422 naming %s, and writes nothing', async (body, path) => {
    const result = await marking(body);

    expect(result.statusCode).toBe(422);
    expect(bodyOf(result).error.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 404 for an id that names no group', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { 'cases-test': [] } });

    expect((await marking({ candidate: true })).statusCode).toBe(404);
    expect((await marking({ candidate: true }, opsClaims(), 'not-a-group')).statusCode).toBe(404);
  });

  it('refuses a seller (403) and writes nothing', async () => {
    const result = await marking({ candidate: true }, sellerClaims());

    expect(result.statusCode).toBe(403);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('GET /ops/faq', () => {
  it("lists a family and reason's groups with size, trend, examples and templates from one page of entries", async () => {
    const result = await listing({ family: 'payout-hold', reason: 'risk_review' });

    expect(result.statusCode).toBe(200);
    const page = bodyOf(result);
    expect(page.groups).toEqual([
      expect.objectContaining({
        groupId,
        size: 3,
        examples: ['case_c', 'case_b', 'case_a'],
        templates: [{ template: 'payout-hold.first-response@2', cases: 3 }],
        trend: expect.objectContaining({ direction: 'steady' }),
      }),
    ]);
    const query = ddb.commandCalls(QueryCommand)[0]?.args[0].input;
    expect(query?.ExpressionAttributeValues).toMatchObject({
      ':pk': 'FAQ#payout-hold#risk_review',
      ':prefix': 'R#',
    });
    expect(query?.Limit).toBe(20);
  });

  it("names the family's reasons, and lists its first reason when none is asked for", async () => {
    const result = await listing({ family: 'payout-hold' });

    expect(result.statusCode).toBe(200);
    const page = bodyOf(result);
    expect(page.reason).toBe('verification_required');
    expect(page.reasons.map((r: { id: string }) => r.id)).toEqual([
      'verification_required',
      'risk_review',
      'negative_balance',
    ]);
    expect(page.reasons[1].label).toMatch(/reviewing unusual activity/);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':pk': 'FAQ#payout-hold#verification_required',
    });
  });

  it('reads only the marked groups with candidates=true', async () => {
    await listing({ family: 'payout-hold', reason: 'risk_review', candidates: 'true' });

    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':prefix': 'M#',
    });
  });

  it.each([
    [{ family: 'payout-hold', reason: 'item_defective' }, 'reason'],
    [{ family: 'no-such-family', reason: 'x' }, 'family'],
    [{ reason: 'risk_review' }, 'family'],
    [{ family: 'payout-hold', reason: 'risk_review', limit: '0' }, 'limit'],
    [{ family: 'payout-hold', reason: 'risk_review', cursor: 'bm90LWEtY3Vyc29y' }, 'cursor'],
    [{ family: 'payout-hold', reason: 'risk_review', sort: 'size' }, '(root)'],
  ])('refuses %j with 422 naming %s', async (query, path) => {
    const result = await listing(query);

    expect(result.statusCode).toBe(422);
    expect(bodyOf(result).error.issues.map((i: { path: string }) => i.path)).toContain(path);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('refuses a seller (403)', async () => {
    expect((await listing({ family: 'payout-hold', reason: 'risk_review' }, sellerClaims())).statusCode).toBe(
      403,
    );
  });
});
