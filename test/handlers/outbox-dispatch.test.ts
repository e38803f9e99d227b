import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { PublishCommand, SNSClient, ThrottledException } from '@aws-sdk/client-sns';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { CaseRecord, MessageRecord } from '../../functions/domain/case.ts';
import { moveTo } from '../../functions/domain/lifecycle.ts';
import type { OutboxMessage } from '../../functions/domain/outbox.ts';
import { type DynamoDbLocal, ensureCaseTable, startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/free-port.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import { TEST_ENV } from '../support/api-event.ts';

/**
 * The outbox dispatcher against DynamoDB Local (its claims, leases and marks are conditional writes, and the
 * sweep reads the sparse outboxDue index: they are tested on a real table), with SES and SNS mocked.
 */

const dynamo: DynamoDbLocal = await startDynamoDbLocal({ port: await freePort() });
afterAll(() => dynamo.stop());
await ensureCaseTable(dynamo.endpoint, TEST_ENV.TABLE_NAME);
Object.assign(process.env, TEST_ENV, {
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  SES_MESSAGE_ID_DOMAIN: 'email.ses.test',
});

const { handler: sweep } = await import('../../functions/outbox/sweep-outbox.ts');
const { dispatchOne, commitAndDispatch, LEASE_MS, MAX_REFUSED_ATTEMPTS } = await import(
  '../../functions/domain/outbox-dispatch.ts'
);
const store = await import('../../functions/domain/case-store.ts');

const table = localTableClient(dynamo.endpoint);
const ses = mockClient(SESv2Client);
const sns = mockClient(SNSClient);
const eventBridge = mockClient(EventBridgeClient);

let n = 0;
const newCase = async (): Promise<CaseRecord> => {
  n += 1;
  const at = new Date().toISOString();
  const record: CaseRecord = {
    caseId: `case_outbox${String(n).padStart(4, '0')}${Date.now().toString(36)}`,
    family: 'buyer-dispute',
    sellerId: 'seller-1',
    sellerTier: 'standard',
    sellerEmail: 'seller-1@example.com',
    region: 'US',
    status: 'routed',
    // Past its first commit (that one publishes `Case Opened` too: case-opened.test.ts).
    version: 2,
    createdAt: at,
    updatedAt: at,
    intake: { family: 'buyer-dispute', reason: 'item_defective', sellerEmail: 'seller-1@example.com' },
  } as CaseRecord;
  await table.send(new PutCommand({ TableName: TEST_ENV.TABLE_NAME, Item: store.caseItem(record) }));
  return record;
};

/** An evidence request email as messaging.ts composes it: the case's message and its outbox record. */
const emailFor = (record: CaseRecord): { message: MessageRecord; outbox: OutboxMessage } => {
  const outboxId = `ob-test-${record.caseId}`;
  const sentAt = new Date().toISOString();
  return {
    message: {
      messageId: outboxId,
      outboxId,
      channel: 'email',
      to: record.sellerEmail,
      audience: 'seller',
      subject: 'Action needed',
      text: 'Please send photos.',
      template: 'buyer-dispute.evidence-request@1',
      sentAt,
      replyTo: 'reply+abc@replies.test',
    },
    outbox: {
      outboxId,
      caseId: record.caseId,
      channel: 'email',
      email: {
        from: 'support@sellerworks.test',
        to: [record.sellerEmail],
        replyTo: 'reply+abc@replies.test',
        subject: 'Action needed',
        text: 'Please send photos.',
        html: '<p>Please send photos.</p>',
        headers: [{ name: 'In-Reply-To', value: '<earlier@email.ses.test>' }],
        tags: [{ name: 'caseId', value: record.caseId }],
        configurationSet: 'sellerworks',
        messageIdDomain: 'email.ses.test',
      },
      message: { sentAt, audience: 'seller', to: record.sellerEmail },
    },
  };
};

const alertFor = (record: CaseRecord): OutboxMessage => ({
  outboxId: `ob-alert-${record.caseId}`,
  caseId: record.caseId,
  channel: 'sns',
  sns: {
    topicArn: TEST_ENV.ESCALATION_TOPIC_ARN,
    subject: `[SellerWorks] sla warning: case ${record.caseId}`,
    message: JSON.stringify({ type: 'sla_warning', caseId: record.caseId }),
    attributes: { caseId: record.caseId, team: 'disputes', reason: 'sla_warning' },
  },
});

/** Commits an email (and its case message) without dispatching it: a writer that crashed after its commit. */
const committedEmail = async () => {
  const record = await newCase();
  const { message, outbox } = emailFor(record);
  await store.commitChange(record, {
    events: [{ type: 'message.sent', actor: { kind: 'system', id: 'messaging' }, detail: 'Email' }],
    messages: [message],
    outbox: [outbox],
  });
  return { record, message, outbox };
};

const outboxItem = async (outboxId: string) =>
  (
    await table.send(
      new GetCommand({
        TableName: TEST_ENV.TABLE_NAME,
        Key: { pk: `OUTBOX#${outboxId}`, sk: 'OUTBOX' },
        ConsistentRead: true,
      }),
    )
  ).Item;

const setOutbox = (outboxId: string, fields: Record<string, unknown>) =>
  table.send(
    new UpdateCommand({
      TableName: TEST_ENV.TABLE_NAME,
      Key: { pk: `OUTBOX#${outboxId}`, sk: 'OUTBOX' },
      UpdateExpression: `SET ${Object.keys(fields)
        .map((k) => `#${k} = :${k}`)
        .join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(Object.keys(fields).map((k) => [`#${k}`, k])),
      ExpressionAttributeValues: Object.fromEntries(Object.entries(fields).map(([k, v]) => [`:${k}`, v])),
    }),
  );

/** SES calls for one case (each test's case is its own; the sweep sees the whole table). */
const emailsTo = (caseId: string) =>
  ses
    .commandCalls(SendEmailCommand)
    .filter((call) => call.args[0].input.EmailTags?.some((t) => t.Name === 'caseId' && t.Value === caseId));

const sesIds = ['ses-1', 'ses-2', 'ses-3', 'ses-4'];
beforeEach(() => {
  ses.reset();
  sns.reset();
  let i = 0;
  ses.on(SendEmailCommand).callsFake(async () => ({ MessageId: sesIds[i++] ?? `ses-${i}` }));
  sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).callsFake(async (input: { Entries?: readonly unknown[] }) => ({
    FailedEntryCount: 0,
    Entries: (input.Entries ?? []).map((_, i) => ({ EventId: `event-${i + 1}` })),
  }));
});

/** SNS publications for one case. */
const publishedFor = (caseId: string) =>
  sns
    .commandCalls(PublishCommand)
    .filter((call) => call.args[0].input.MessageAttributes?.caseId?.StringValue === caseId);

/** The PutEvents entries published for one case. */
const eventsOf = (caseId: string) =>
  eventBridge
    .commandCalls(PutEventsCommand)
    .flatMap((call) => call.args[0].input.Entries ?? [])
    .filter((entry) => JSON.parse(entry.Detail ?? '{}').caseId === caseId);

describe('domain events through the outbox', () => {
  it('commits a change’s domain events as one record in its transaction, publishes them once after the commit (the sweep finds nothing left to send)', async () => {
    // Prepare
    const record = await newCase();
    const routing = { kind: 'system', id: 'routing' } as const;

    // Act
    const after = await commitAndDispatch(record, {
      events: [
        { type: 'case.triaged', actor: { kind: 'system', id: 'triage' }, detail: 'Triaged' },
        {
          type: 'case.routed',
          actor: routing,
          detail: 'Routed',
          data: { team: 'disputes', ruleId: 'default' },
        },
        {
          type: 'case.assigned',
          actor: routing,
          detail: 'Assigned',
          data: { team: 'disputes', agentId: 'a-1' },
        },
      ],
    });
    await sweep({});

    // Assess: one call with both events, in the commit's order, at the version the commit made
    expect(eventsOf(record.caseId).map((e) => [e.DetailType, JSON.parse(e.Detail ?? '{}').version])).toEqual([
      ['Case Routed', after.version],
      ['Case Assigned', after.version],
    ]);
    expect(eventsOf(record.caseId).every((e) => e.Source === 'sellerworks.cases')).toBe(true);
    expect(eventsOf(record.caseId).every((e) => e.EventBusName === TEST_ENV.EVENT_BUS_NAME)).toBe(true);
    const calls = eventBridge
      .commandCalls(PutEventsCommand)
      .filter((c) =>
        c.args[0].input.Entries?.some((e) => JSON.parse(e.Detail ?? '{}').caseId === record.caseId),
      );
    expect(calls).toHaveLength(1);
  });

  it('publishes nothing when the commit fails (a version conflict)', async () => {
    // Prepare
    const record = await newCase();
    await store.commitChange(record, { events: [] });

    // Act
    const failed = await commitAndDispatch(record, {
      events: [
        {
          type: 'case.reopened',
          actor: { kind: 'seller', id: 'seller-1' },
          detail: 'x',
          data: { reopenCount: 1 },
        },
      ],
    }).catch((error: unknown) => error);

    // Assess
    expect(failed).toMatchObject({ name: 'ConflictError' });
    expect(eventsOf(record.caseId)).toEqual([]);
  });
});

describe('the outbox dispatcher', () => {
  it('sends a pending email once, as committed, and marks it sent with the message id SES gave it', async () => {
    const { record, outbox } = await committedEmail();

    const outcome = await dispatchOne(outbox.outboxId);

    expect(outcome).toBe('sent');
    expect(emailsTo(outbox.caseId)).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toMatchObject({
      FromEmailAddress: 'support@sellerworks.test',
      Destination: { ToAddresses: ['seller-1@example.com'] },
      ReplyToAddresses: ['reply+abc@replies.test'],
      Content: {
        Simple: {
          Subject: { Data: 'Action needed' },
          Body: { Text: { Data: 'Please send photos.' }, Html: { Data: '<p>Please send photos.</p>' } },
          Headers: [{ Name: 'In-Reply-To', Value: '<earlier@email.ses.test>' }],
        },
      },
      EmailTags: [{ Name: 'caseId', Value: record.caseId }],
      ConfigurationSetName: 'sellerworks',
    });
    const stored = await outboxItem(outbox.outboxId);
    expect(stored).toMatchObject({ status: 'sent', providerMessageId: 'ses-1', attempts: 1 });
    expect(stored?.outboxPending).toBeUndefined();
    expect(stored?.expiresAtEpoch).toBeGreaterThan(Date.now() / 1000);
    const bundle = await store.getCaseBundle(record.caseId);
    expect(bundle?.messages).toEqual([
      expect.objectContaining({ messageId: 'ses-1', headerMessageId: '<ses-1@email.ses.test>' }),
    ]);
    expect(await store.findMailRef('<ses-1@email.ses.test>')).toEqual({
      caseId: record.caseId,
      audience: 'seller',
    });
  });

  it('never sends a record that is already sent, whether asked again or swept', async () => {
    const { outbox } = await committedEmail();
    await dispatchOne(outbox.outboxId);

    const again = await dispatchOne(outbox.outboxId);
    await sweep({});

    expect(again).toBe('skipped');
    expect(emailsTo(outbox.caseId)).toHaveLength(1);
    expect(await outboxItem(outbox.outboxId)).toMatchObject({ status: 'sent', providerMessageId: 'ses-1' });
  });

  it('sends what a commit wrote right after the commit (the fast path)', async () => {
    const record = await newCase();
    const alert = alertFor(record);

    await commitAndDispatch(record, {
      events: [{ type: 'sla.warning', actor: { kind: 'system', id: 'sla' }, detail: 'Warned' }],
      outbox: [alert],
    });

    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      TopicArn: TEST_ENV.ESCALATION_TOPIC_ARN,
      Subject: `[SellerWorks] sla warning: case ${record.caseId}`,
      Message: JSON.stringify({ type: 'sla_warning', caseId: record.caseId }),
      MessageAttributes: {
        caseId: { DataType: 'String', StringValue: record.caseId },
        team: { DataType: 'String', StringValue: 'disputes' },
        reason: { DataType: 'String', StringValue: 'sla_warning' },
      },
    });
    expect(await outboxItem(alert.outboxId)).toMatchObject({ status: 'sent', providerMessageId: 'sns-1' });
  });

  it('sweeps a record the fast path never sent (its writer crashed after the commit)', async () => {
    const { outbox } = await committedEmail();

    const swept = await sweep({});

    expect(swept.sent).toBeGreaterThanOrEqual(1);
    expect(await outboxItem(outbox.outboxId)).toMatchObject({ status: 'sent' });
    expect(emailsTo(outbox.caseId)).toHaveLength(1);
  });

  it('commits a writer’s records already claimed by it, and sweeps them only once its lease ran out (it died before sending)', async () => {
    const record = await newCase();
    const { message, outbox } = emailFor(record);
    const change = {
      events: [{ type: 'message.sent', actor: { kind: 'system', id: 'messaging' }, detail: 'Email' }],
      messages: [message],
      outbox: [outbox],
    } as const;
    // The writer commits under its lease, then dies before sending: the record is its, not the sweep's.
    await store.commitChange(record, change, {
      lease: { claimId: 'dead-writer', until: new Date(Date.now() + LEASE_MS).toISOString() },
    });
    const early = await sweep({});
    expect(early.sent).toBe(0);
    expect(emailsTo(record.caseId)).toHaveLength(0);
    expect(await outboxItem(outbox.outboxId)).toMatchObject({ status: 'sending', claimId: 'dead-writer' });

    // Its lease over (as if LEASE_MS had passed), the sweep takes it and sends it, once.
    await table.send(
      new UpdateCommand({
        TableName: TEST_ENV.TABLE_NAME,
        Key: { pk: `OUTBOX#${outbox.outboxId}`, sk: 'OUTBOX' },
        UpdateExpression: 'SET dueAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 1_000).toISOString() },
      }),
    );
    const late = await sweep({});
    await sweep({});

    expect(late.sent).toBe(1);
    expect(emailsTo(record.caseId)).toHaveLength(1);
    expect(await outboxItem(outbox.outboxId)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('on a restart, takes over what a writer of the stopped run committed under its lease, at once, once', async () => {
    const record = await newCase();
    const { message, outbox } = emailFor(record);
    await store.commitChange(
      record,
      {
        events: [{ type: 'message.sent', actor: { kind: 'system', id: 'messaging' }, detail: 'Email' }],
        messages: [message],
        outbox: [outbox],
      },
      { lease: { claimId: 'stopped-run', until: new Date(Date.now() + LEASE_MS).toISOString() } },
    );

    const restart = await sweep({ reclaimLeases: true });
    const later = await sweep({ reclaimLeases: true });

    expect(restart.sent).toBeGreaterThanOrEqual(1);
    expect(later.sent).toBe(0);
    expect(emailsTo(record.caseId)).toHaveLength(1);
    expect(await outboxItem(outbox.outboxId)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('re-claims and sends a record whose lease expired (its sender crashed mid-send), once', async () => {
    const { outbox } = await committedEmail();
    const now = new Date().toISOString();
    const past = new Date(Date.now() - 1_000).toISOString();
    // A sender claimed it, then died: `sending`, its lease (dueAt) run out.
    expect(await store.claimOutbox(outbox.outboxId, 'crashed-claim', now, past)).toBeDefined();

    const swept = await sweep({});
    const again = await sweep({});

    expect(swept.sent).toBe(1);
    expect(again.sent).toBe(0);
    expect(emailsTo(outbox.caseId)).toHaveLength(1);
    expect(await outboxItem(outbox.outboxId)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('leaves a record alone while another sender holds a live lease on it', async () => {
    const { outbox } = await committedEmail();
    const now = Date.now();
    await store.claimOutbox(
      outbox.outboxId,
      'live-claim',
      new Date(now).toISOString(),
      new Date(now + LEASE_MS).toISOString(),
    );

    const direct = await dispatchOne(outbox.outboxId);
    await sweep({});

    expect(direct).toBe('skipped');
    expect(emailsTo(outbox.caseId)).toHaveLength(0);
    expect(await outboxItem(outbox.outboxId)).toMatchObject({ status: 'sending', claimId: 'live-claim' });
  });

  it('retries a throttled SES call in place and sends the email once', async () => {
    const { outbox } = await committedEmail();
    ses
      .on(SendEmailCommand)
      .rejectsOnce(new TooManyRequestsException({ message: 'slow down', $metadata: {} }))
      .resolves({ MessageId: 'ses-after-throttle' });

    const outcome = await dispatchOne(outbox.outboxId);

    expect(outcome).toBe('sent');
    expect(emailsTo(outbox.caseId)).toHaveLength(2);
    expect(await outboxItem(outbox.outboxId)).toMatchObject({
      status: 'sent',
      providerMessageId: 'ses-after-throttle',
    });
  });

  it('gives a publication SNS keeps throttling back with a backoff, and sends it once it is due', async () => {
    const record = await newCase();
    const alert = alertFor(record);
    await store.commitChange(record, {
      events: [{ type: 'sla.warning', actor: { kind: 'system', id: 'sla' }, detail: 'Warned' }],
      outbox: [alert],
    });
    sns.on(PublishCommand).rejects(new ThrottledException({ message: 'rate exceeded', $metadata: {} }));

    const first = await dispatchOne(alert.outboxId);
    const waiting = await outboxItem(alert.outboxId);
    const tooEarly = await sweep({});
    sns.on(PublishCommand).resolves({ MessageId: 'sns-later' });
    await setOutbox(alert.outboxId, { dueAt: new Date(Date.now() - 1).toISOString() }); // the backoff passed
    const later = await sweep({});

    expect(first).toBe('retry');
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
    expect(String(waiting?.lastError)).toContain('ThrottledException');
    expect(Date.parse(String(waiting?.dueAt))).toBeGreaterThan(Date.now());
    expect(waiting?.outboxPending).toMatch(/^OUTBOX_PENDING#\d+$/);
    expect(tooEarly.sent).toBe(0);
    expect(later.sent).toBe(1);
    expect(await outboxItem(alert.outboxId)).toMatchObject({
      status: 'sent',
      providerMessageId: 'sns-later',
    });
  });

  it('gives up on an email SES keeps refusing after its last attempt, and keeps it for an operator', async () => {
    const { outbox } = await committedEmail();
    ses.on(SendEmailCommand).rejects(new MessageRejected({ message: 'address blocked', $metadata: {} }));
    await setOutbox(outbox.outboxId, { attempts: MAX_REFUSED_ATTEMPTS - 1 });

    const outcome = await dispatchOne(outbox.outboxId);
    await sweep({});

    expect(outcome).toBe('failed');
    expect(emailsTo(outbox.caseId)).toHaveLength(1);
    const stored = await outboxItem(outbox.outboxId);
    expect(stored).toMatchObject({ status: 'failed', attempts: MAX_REFUSED_ATTEMPTS });
    expect(String(stored?.lastError)).toContain('address blocked');
    expect(stored?.outboxPending).toBeUndefined();
  });

  it('keeps a deferred record until its time — from its writer, the sweep and a restart alike — then sends it once', async () => {
    const record = await newCase();
    // Due in a minute: inside the window a restart's sweep reads (a lease's length), so only the claim's
    // own condition keeps it from being taken early.
    const alert = { ...alertFor(record), notBefore: new Date(Date.now() + 60_000).toISOString() };

    // Committed by a writer that sends what it commits (the fast path), then swept, then swept on a restart.
    await commitAndDispatch(record, {
      events: [{ type: 'sla.warning', actor: { kind: 'system', id: 'sla' }, detail: 'Later' }],
      outbox: [alert],
    });
    await sweep({});
    await sweep({ reclaimLeases: true });

    expect(publishedFor(record.caseId)).toHaveLength(0);
    expect(await outboxItem(alert.outboxId)).toMatchObject({
      status: 'pending',
      attempts: 0,
      dueAt: alert.notBefore,
    });

    // Its time come (as if the minute had passed), the sweep sends it, once.
    await setOutbox(alert.outboxId, { dueAt: new Date(Date.now() - 1_000).toISOString() });
    await sweep({});
    await sweep({});

    expect(publishedFor(record.caseId)).toHaveLength(1);
    expect(await outboxItem(alert.outboxId)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('reads a shard again while it answers full batches, so one sweep sends more than a batch of one shard', async () => {
    // 60 alerts whose ids all fall in one index shard (a batch is 50), committed and never sent.
    const record = await newCase();
    const { outboxShardOf } = await import('../../functions/domain/outbox.ts');
    const alerts: OutboxMessage[] = [];
    for (let i = 0; alerts.length < 60; i++) {
      const outboxId = `ob-shard-${record.caseId}-${i}`;
      if (outboxShardOf(outboxId) === 0) alerts.push({ ...alertFor(record), outboxId });
    }
    await store.commitChange(record, {
      events: [{ type: 'sla.warning', actor: { kind: 'system', id: 'sla' }, detail: 'Many' }],
      outbox: alerts,
    });

    const swept = await sweep({});

    expect(swept.sent).toBeGreaterThanOrEqual(60);
    for (const alert of alerts) expect(await outboxItem(alert.outboxId)).toMatchObject({ status: 'sent' });
  });
});

describe('a follow-up alarm from before follow-ups waited in the outbox', () => {
  it('is kept by a resolved case’s later commits until its follow-up is asked, then let go', async () => {
    // A case resolved by an earlier version: its alarm rings its follow-up in three days.
    const record = await newCase();
    const dueAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const alarm = { at: dueAt, name: `sw-legacy-${record.caseId}` };
    const resolved = {
      ...record,
      status: 'resolved',
      followUp: { id: 'follow-up-0', status: 'scheduled', dueAt },
      alarm,
    } as CaseRecord;
    await table.send(new PutCommand({ TableName: TEST_ENV.TABLE_NAME, Item: store.caseItem(resolved) }));

    // A note on it (any commit of a resolved case) keeps the alarm, and deletes no schedule.
    const noted = await store.commitChange(resolved, {
      events: [{ type: 'note.added', actor: { kind: 'ops', id: 'fay' }, detail: 'A note' }],
    });
    expect((await store.getCase(record.caseId))?.alarm).toEqual(alarm);

    // Its follow-up asked, the alarm goes, and its schedule is deleted.
    await store.commitChange(noted, {
      events: [{ type: 'follow_up.asked', actor: { kind: 'system', id: 'follow-up' }, detail: 'Asked' }],
      set: { followUp: { id: 'follow-up-0', status: 'asked', dueAt } },
    });
    expect((await store.getCase(record.caseId))?.alarm).toBeUndefined();
  });

  it('is not what a case resolved now holds: its resolution lets the open case’s alarm go', async () => {
    const record = await newCase();
    const dueAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const open = { ...record, alarm: { at: dueAt, name: `sw-open-${record.caseId}` } } as CaseRecord;
    await table.send(new PutCommand({ TableName: TEST_ENV.TABLE_NAME, Item: store.caseItem(open) }));

    await store.commitChange(open, {
      move: moveTo('resolved'),
      events: [
        {
          type: 'case.resolved',
          actor: { kind: 'system', id: 'test' },
          detail: 'Resolved',
          data: { outcome: 'refund_buyer' },
        },
      ],
      set: { followUp: { id: 'follow-up-0', status: 'scheduled', dueAt } },
    });

    expect((await store.getCase(record.caseId))?.alarm).toBeUndefined();
  });
});
