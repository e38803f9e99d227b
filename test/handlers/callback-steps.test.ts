import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case.ts';

vi.hoisted(async () => {
  const { TEST_ENV } = await import('../support/api-event.ts');
  Object.assign(process.env, TEST_ENV, {
    SES_MESSAGE_ID_DOMAIN: 'email.ses.test',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/scheduler',
    TIMER_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:000000000000:function:fire-timer',
  });
});

// EventBridge through its gateway: domain events are outbox records like the others (one per commit).
const published = vi.hoisted(() => ({ order: undefined as string[] | undefined }));
vi.mock('../../functions/gateways/events.ts', () => ({
  putEvents: async (events: { entries: unknown[] }) => {
    published.order?.push('events');
    return events.entries.map((_, i) => `event-${i}`);
  },
}));

const { handler: requestEvidence } = await import('../../functions/steps/request-evidence.ts');
const { handler: handOff } = await import('../../functions/steps/hand-off.ts');
const { handler: offerMediation } = await import('../../functions/steps/offer-mediation.ts');
const { caseItem } = await import('../../functions/domain/case-store.ts');
const { familyOf } = await import('../../functions/policy/families.ts');
const { route } = await import('../../functions/domain/routing.ts');
const intake = (await import('../../events/intake/buyer-dispute.json', { with: { type: 'json' } })).default;

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
const scheduler = mockClient(SchedulerClient);
const secrets = mockClient(SecretsManagerClient);

const caseId = 'case_mi0callback01';
const taskToken = 'task-token-AAAA';
const waitKey = (token: string) => `WAIT#${createHash('sha256').update(token).digest('hex')}`;
const family = familyOf('buyer-dispute');
const triage = family.triage(
  family.intake.parse(intake),
  { priorCases90d: 0, priorCases365d: 0 },
  'standard',
);
const routed: CaseRecord = {
  caseId,
  family: 'buyer-dispute',
  sellerId: 'seller-1',
  sellerTier: 'standard',
  sellerEmail: intake.sellerEmail,
  region: 'US',
  status: 'routed',
  version: 3,
  createdAt: '2026-11-02T09:00:00.000Z',
  updatedAt: '2026-11-02T09:00:01.000Z',
  intake: intake as CaseRecord['intake'],
  triage,
  routing: route(family.routing, triage),
};

type Item = Record<string, unknown>;
type Written = NonNullable<TransactWriteCommand['input']['TransactItems']>[number];
/** What happened, in order: commits (transactions), claims of outbox records, sends, marks. */
let order: string[];
let transactions: Written[][];

/** The table holds this case; the first transaction is the step's commit, later ones mark outbox records. */
const storeHolds = (record: CaseRecord, extra: Item[] = []) => {
  ddb.on(QueryCommand).resolves({ Items: [caseItem(record), ...extra] });
  ddb.on(GetCommand).resolves({});
  ddb.on(TransactWriteCommand).callsFake((input: TransactWriteCommand['input']) => {
    const items = input.TransactItems ?? [];
    order.push(items.some((i) => i.Update?.Key?.sk === 'CASE') ? 'commit' : 'mark');
    transactions.push(items);
    return {};
  });
  // A single update on an outbox record: a claim (the sweep's), or the mark of a record nothing depends on.
  ddb.on(UpdateCommand).callsFake((input: UpdateCommand['input']) => {
    const claim = String(input.UpdateExpression).includes('claimId = :claim');
    order.push(claim ? 'claim' : 'mark');
    const written = transactions
      .flat()
      .find((i) => i.Put?.Item?.pk === input.Key?.pk && i.Put?.Item?.kind === 'outbox');
    if (!written?.Put?.Item) throw new Error(`no outbox record ${String(input.Key?.pk)} was committed`);
    return claim ? { Attributes: { ...written.Put.Item, status: 'sending', attempts: 1, claimId: 'c' } } : {};
  });
};

const puts = (items: Written[], prefix: string) =>
  items.filter((i) => String(i.Put?.Item?.pk).startsWith(prefix)).map((i) => i.Put?.Item as Item);

beforeEach(() => {
  ddb.reset();
  ses.reset();
  scheduler.reset();
  secrets.reset();
  order = [];
  published.order = order;
  transactions = [];
  secrets.on(GetSecretValueCommand).resolves({ SecretString: 'signing-secret' });
  scheduler.on(CreateScheduleCommand).callsFake(() => {
    order.push('schedule');
    return { ScheduleArn: 'arn:schedule' };
  });
  ses.on(SendEmailCommand).callsFake(() => {
    order.push('send');
    return { MessageId: 'ses-0001' };
  });
});

describe('RequestEvidence: commit first, then send', () => {
  it('writes the wait, the reply token, the audit events and the email (an outbox record) in one transaction', async () => {
    storeHolds(routed);

    await requestEvidence({ caseId, taskToken, party: 'seller' });

    const [commit] = transactions;
    const update = commit?.find((i) => i.Update?.Key?.sk === 'CASE')?.Update;
    expect(update?.ConditionExpression).toBe('version = :expected');
    expect(JSON.stringify(update?.ExpressionAttributeValues)).toContain('"step":"evidence"');
    const [token] = puts(commit ?? [], 'TOKEN#');
    expect(token).toMatchObject({ kind: 'reply-token', caseId, taskToken, status: 'open', party: 'seller' });
    expect(puts(commit ?? [], 'WAIT#')).toEqual([
      expect.objectContaining({ pk: waitKey(taskToken), caseId, step: 'evidence' }),
    ]);
    const [outbox] = puts(commit ?? [], 'OUTBOX#');
    const tokenId = String(token?.pk).slice('TOKEN#'.length);
    expect(outbox).toMatchObject({
      kind: 'outbox',
      // Claimed by the step in its own commit: it sends the email next, no separate claim needed.
      status: 'sending',
      claimId: expect.any(String),
      channel: 'email',
      caseId,
      outboxPending: expect.stringMatching(/^OUTBOX_PENDING#\d+$/),
      email: {
        to: [intake.sellerEmail],
        replyTo: expect.stringContaining(`reply+${tokenId}-`),
        subject: expect.any(String),
        html: expect.any(String),
        tags: expect.arrayContaining([{ name: 'caseId', value: caseId }]),
      },
    });
    const events = commit
      ?.filter((i) => String(i.Put?.Item?.sk).startsWith('EVENT#'))
      .map((i) => i.Put?.Item);
    expect(events?.map((e) => e?.type)).toEqual(['evidence.requested', 'message.sent']);
    expect(puts(commit ?? [], `CASE#${caseId}`).filter((i) => i.kind === 'message')).toEqual([
      expect.objectContaining({ messageId: outbox?.outboxId, outboxId: outbox?.outboxId }),
    ]);
  });

  it('does not call SES or the scheduler before the commit; sends after it, then marks each record sent', async () => {
    storeHolds(routed);

    await requestEvidence({ caseId, taskToken, party: 'seller' });

    // The email first, then its domain event (Evidence Requested), then the reminder's schedule: all are
    // outbox records of the one commit, written already claimed by the step, so nothing is claimed apart.
    expect(order).toEqual(['commit', 'send', 'mark', 'events', 'mark', 'schedule', 'mark']);
    expect(puts(transactions[0] ?? [], 'OUTBOX#')).toHaveLength(3);
    const sent = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    const outbox = puts(transactions[0] ?? [], 'OUTBOX#')[0] as {
      email: { replyTo: string; subject: string };
    };
    expect(sent?.ReplyToAddresses).toEqual([outbox.email.replyTo]);
    expect(sent?.Content?.Simple?.Subject?.Data).toBe(outbox.email.subject);
    const mark = transactions[1] ?? [];
    expect(mark[0]?.Update?.ExpressionAttributeValues).toMatchObject({ ':sent': 'sent', ':id': 'ses-0001' });
    expect(puts(mark, 'MAILREF#')).toEqual([
      expect.objectContaining({ caseId, sesMessageId: 'ses-0001', audience: 'seller' }),
    ]);
    const message = mark.find((i) => String(i.Update?.Key?.sk).startsWith('MESSAGE#'))?.Update;
    expect(message?.ExpressionAttributeValues).toEqual({
      ':id': 'ses-0001',
      ':header': '<ses-0001@email.ses.test>',
    });
  });

  it('sends nothing when its commit fails (and the state machine retries the step)', async () => {
    storeHolds(routed);
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
      }),
    );
    ddb.on(GetCommand, { Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }).resolves({ Item: caseItem(routed) });

    await expect(requestEvidence({ caseId, taskToken, party: 'seller' })).rejects.toThrow(/case changed/);

    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });
});

describe('a callback step invoked again with the same task token', () => {
  const waitRecorded = (token: string) =>
    ddb
      .on(GetCommand, { Key: { pk: waitKey(token), sk: 'WAIT' } })
      .resolves({ Item: { pk: waitKey(token), sk: 'WAIT', kind: 'wait', caseId } });

  it('RequestEvidence finds its wait recorded and writes, schedules and sends nothing', async () => {
    storeHolds({ ...routed, status: 'awaiting_seller' });
    waitRecorded(taskToken);

    const result = await requestEvidence({ caseId, taskToken, party: 'seller' });

    expect(result).toEqual({ alreadyWaiting: true });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('RequestEvidence running twice at once: the one whose commit loses sends nothing', async () => {
    storeHolds(routed);
    ddb.on(TransactWriteCommand).callsFake((input: TransactWriteCommand['input']) => {
      const items = input.TransactItems ?? [];
      const wait = items.findIndex((i) => String(i.Put?.Item?.pk).startsWith('WAIT#'));
      throw new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: items.map((_, i) => ({ Code: i === wait ? 'ConditionalCheckFailed' : 'None' })),
      });
    });

    const result = await requestEvidence({ caseId, taskToken, party: 'seller' });

    expect(result).toEqual({ alreadyWaiting: true });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('HandOff finds its wait recorded and writes nothing (no second audit event)', async () => {
    storeHolds({ ...routed, status: 'handed_off' });
    waitRecorded(taskToken);

    const result = await handOff({ caseId, taskToken });

    expect(result).toEqual({ alreadyWaiting: true });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(0);
  });

  it('OfferMediation finds its wait recorded and writes and sends nothing', async () => {
    storeHolds({ ...routed, status: 'awaiting_seller' });
    waitRecorded(taskToken);

    const result = await offerMediation({ caseId, taskToken });

    expect(result).toMatchObject({ alreadyWaiting: true });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('HandOff with another task token (an escalation re-entered it) renews the wait as before', async () => {
    const handedOff: CaseRecord = {
      ...routed,
      status: 'handed_off',
      waiting: {
        step: 'decision',
        from: 'team',
        team: 'disputes',
        since: '2026-11-03T09:00:00.000Z',
        deadline: '2026-11-13T09:00:00.000Z',
        taskToken: 'task-token-OLD',
      },
    };
    storeHolds(handedOff);
    waitRecorded('task-token-OLD');

    await handOff({ caseId, taskToken: 'task-token-NEW' });

    const [commit] = transactions;
    expect(commit?.map((i) => i.Put?.Item?.type).filter(Boolean)).toEqual(['handoff.renewed']);
    expect(puts(commit ?? [], 'WAIT#')).toEqual([expect.objectContaining({ pk: waitKey('task-token-NEW') })]);
    expect(JSON.stringify(commit)).toContain('task-token-NEW');
  });
});
