import { readFileSync } from 'node:fs';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, sellerClaims } from '../support/api-event.ts';

vi.hoisted(async () => {
  const { TEST_ENV } = await import('../support/api-event.ts');
  Object.assign(process.env, TEST_ENV);
});

const { handler } = await import('../../functions/api/follow-up.ts');

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const events = mockClient(EventBridgeClient);
const caseId = 'case_mi0fol123456';
const DAY = 86_400_000;
const intake = JSON.parse(
  readFileSync(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** A payout hold resolved `daysAgo` days ago (reopen window: 30 days), its follow-up asked. */
const resolvedCase = (daysAgo: number) => {
  const decidedAt = new Date(Date.now() - daysAgo * DAY).toISOString();
  return {
    caseId,
    family: 'payout-hold',
    sellerId: 'seller-1',
    sellerTier: 'standard',
    sellerEmail: 'seller@example.com',
    region: 'US',
    intake: { ...intake, region: 'US' },
    status: 'resolved',
    version: 9,
    createdAt: decidedAt,
    updatedAt: decidedAt,
    routing: { team: 'verification', ruleId: 'ph-verification' },
    decision: { outcome: 'payout_released', rationale: 'ok', decidedBy: 'fay', decidedAt },
    followUp: { id: 'follow-up-0', status: 'asked', dueAt: decidedAt, askedAt: decidedAt },
    metrics: {
      receivedAt: decidedAt,
      resolutions: 1,
      reopens: 0,
      appeals: 0,
      transfers: 0,
      escalations: 0,
      manualTouches: 1,
      holding: { decidedHolder: 'fay', work: [{ agentId: 'fay', handleSeconds: [60], takenAway: 0 }] },
      templates: { last: 'payout-hold.follow-up@1', resolved: 'payout-hold.resolution@1' },
    },
  };
};

const answer = (body: unknown) =>
  handler(
    {
      ...apiEvent({
        method: 'POST',
        path: `/cases/${caseId}/follow-up`,
        pathParameters: { caseId },
        claims: sellerClaims(),
        body: JSON.stringify(body),
      }),
      // API Gateway names the route as declared; the follow-up's function serves three.
      routeKey: 'POST /cases/{caseId}/follow-up',
    },
    {} as never,
  );

/** What the answer's transaction wrote: the case update and the audit events it appended. */
const written = () => {
  const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
  const update = items[0]?.Update;
  const puts = items.flatMap((i) => (i.Put ? [i.Put.Item as Record<string, unknown>] : []));
  return { update, events: puts.filter((p) => p.kind === 'event'), all: items };
};

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  events.reset();
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(UpdateCommand).resolves({});
  events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:x', startDate: new Date() });
});

describe('POST /cases/{caseId}/follow-up', () => {
  it('records "not handled" after the reopen window without reopening, and says why', async () => {
    ddb.on(GetCommand).resolves({ Item: resolvedCase(45) });

    const result = await answer({ handled: false, rating: 2 });

    expect(result.statusCode).toBe(200);
    const body = JSON.parse(String(result.body));
    expect(body).toMatchObject({ reopened: false, status: 'resolved', template: 'payout-hold.resolution@1' });
    expect(body.note).toMatch(/reopen window closed/);
    const { update, events: appended } = written();
    expect(appended.map((e) => e.type)).toEqual(['csat.recorded']);
    expect(appended[0]?.data).toEqual({ handled: false, rating: 2, template: 'payout-hold.resolution@1' });
    expect(Object.values(update?.ExpressionAttributeNames ?? {})).not.toContain('status');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('reopens within the window in the same commit as the answer, then starts the reopen run', async () => {
    ddb.on(GetCommand).resolves({ Item: resolvedCase(3) });

    const result = await answer({ handled: false, comment: 'Still on hold.' });

    expect(result.statusCode).toBe(202);
    const { events: appended, all } = written();
    expect(appended.map((e) => e.type)).toEqual(['csat.recorded', 'case.reopened']);
    expect(JSON.stringify(appended)).not.toContain('Still on hold.');
    expect(JSON.stringify(all)).toContain('Still on hold.');
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input.name).toBe(`${caseId}-reopen-1`);
  });

  it('refuses a second answer (409) and writes nothing', async () => {
    const answered = resolvedCase(3);
    ddb.on(GetCommand).resolves({
      Item: {
        ...answered,
        followUp: {
          ...answered.followUp,
          status: 'answered',
          answer: { handled: true, rating: 5, at: answered.updatedAt, reopened: false },
        },
      },
    });

    const result = await answer({ handled: true, rating: 5 });

    expect(result.statusCode).toBe(409);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
