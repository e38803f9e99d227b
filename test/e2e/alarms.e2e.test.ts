import { readFile } from 'node:fs/promises';
import { DeleteScheduleCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { type DynamoDBDocumentClient, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL } from '../../infra/local/local-config.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * Case alarms (functions/domain/alarm.ts) on the local runtime, in real time: an open case holds one
 * EventBridge schedule, for its earliest timer still to fire; a resolved case holds none: its follow-up
 * waits in the outbox, and its schedule is created minutes before it rings.
 */
let runtime: LocalRuntime;
let client: SellerWorksClient;
let table: DynamoDBDocumentClient;
let scheduler: SchedulerClient;
let ops: string;
let payoutHold: Record<string, unknown>;
/** The deferred outbox records of resolved cases' follow-ups, and the schedules they will create. */
const followUpWakes: { caseId: string; outboxId: string; name: string; input: unknown }[] = [];

beforeAll(async () => {
  runtime = await startLocalRuntime({});
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  table = localTableClient(runtime.dynamoDbEndpoint);
  scheduler = new SchedulerClient({
    endpoint: runtime.awsEndpoint,
    region: LOCAL.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  ops = await client.opsToken();
  payoutHold = JSON.parse(
    await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
  );
}, 60_000);
afterAll(async () => {
  table?.destroy();
  scheduler?.destroy();
  await runtime?.stop();
});

type Item = Record<string, unknown>;
/** The case item and its timer items, as stored. */
const stored = async (caseId: string) => {
  const { Items = [] } = await table.send(
    new QueryCommand({
      TableName: LOCAL.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `CASE#${caseId}` },
    }),
  );
  const record = Items.find((i) => i.sk === 'CASE') as Item & { alarm?: { at: string; name: string } };
  const timers = Items.filter((i) => String(i.sk).startsWith('TIMER#'));
  return { record, timers, scheduled: timers.filter((t) => t.status === 'scheduled') };
};
/** A case's deferred outbox records (a scan: a test's table is small). */
const deferredOf = async (caseId: string) =>
  ((
    await table.send(
      new ScanCommand({
        TableName: LOCAL.tableName,
        FilterExpression: 'kind = :outbox AND caseId = :caseId AND attribute_exists(notBefore)',
        ExpressionAttributeValues: { ':outbox': 'outbox', ':caseId': caseId },
      }),
    )
  ).Items ?? []) as (Item & {
    outboxId?: string;
    status?: string;
    dueAt?: string;
    schedules?: { name: string; at: string; input: unknown }[];
  })[];
const liveSchedules = async () =>
  ((await scheduler.send(new ListSchedulesCommand({ MaxResults: 100 }))).Schedules ?? []).map((s) => s.Name);
const openAwaitingSeller = async (seller: string) => {
  const token = await client.sellerToken(seller);
  const opened = await client.openCase(token, { ...payoutHold, sellerEmail: `${seller}@example.com` });
  expect(opened.status).toBe(202);
  await client.waitForStatus(token, opened.body.caseId, 'awaiting_seller', 30_000);
  return { token, caseId: opened.body.caseId };
};

describe('case alarms', () => {
  it('hold one schedule per open case, at its earliest timer, and none once it is resolved', async () => {
    // Prepare: three cases waiting on their sellers, each with a reminder and its SLA timers.
    const cases = await Promise.all(['alarm-a', 'alarm-b', 'alarm-c'].map(openAwaitingSeller));

    // Assess: each holds several timers and one alarm, at the earliest of them; the scheduler holds
    // exactly those alarms.
    const alarms: string[] = [];
    for (const { caseId } of cases) {
      const { record, scheduled } = await stored(caseId);
      expect(scheduled.length).toBeGreaterThanOrEqual(4);
      const earliest = scheduled.map((t) => String(t.dueAt)).sort()[0];
      expect(record.alarm?.at).toBe(earliest);
      alarms.push(String(record.alarm?.name));
    }
    const live = await client.waitFor(
      'the three alarms created',
      async () => {
        const names = await liveSchedules();
        return alarms.every((a) => names.includes(a)) ? names : undefined;
      },
      30_000,
    );
    expect(live.sort()).toEqual([...alarms].sort());

    // Act: each seller answers and the team decides.
    for (const { token, caseId } of cases) {
      expect(
        (await client.addEvidence(token, caseId, ['business_registration'], 'Certificate 4471.')).status,
      ).toBe(202);
    }
    for (const { token, caseId } of cases) {
      await client.waitForStatus(token, caseId, 'handed_off', 30_000);
      expect((await client.decide(ops, caseId, 'payout_released', 'Registration verified.')).status).toBe(
        202,
      );
      await client.waitForStatus(token, caseId, 'resolved', 30_000);
    }

    // Assess: resolved, no case holds an alarm or a schedule, though SLA timers (the resolution warning and
    // breaches, the update watchdog) were still to come — they are moot — and the follow-up is days away:
    // it waits in the outbox, a pending record due minutes before the follow-up, naming its schedule.
    for (const { caseId } of cases) {
      const { record, scheduled } = await stored(caseId);
      const followUp = record.followUp as { id: string; dueAt: string };
      expect(record.status).toBe('resolved');
      expect(scheduled.some((t) => t.timerId === followUp.id && t.dueAt === followUp.dueAt)).toBe(true);
      expect(scheduled.some((t) => String(t.dueAt) < followUp.dueAt)).toBe(true);
      expect(record.alarm).toBeUndefined();
      const [wake, ...more] = await deferredOf(caseId);
      expect(more).toEqual([]);
      expect(wake?.status).toBe('pending');
      expect(Date.parse(String(wake?.dueAt))).toBe(Date.parse(followUp.dueAt) - 5 * 60_000);
      expect(wake?.schedules?.[0]?.at).toBe(followUp.dueAt);
      expect(wake?.schedules?.[0]?.input).toEqual({
        caseId,
        alarm: wake?.schedules?.[0]?.name,
        timerId: followUp.id,
      });
      followUpWakes.push({
        caseId,
        outboxId: String(wake?.outboxId),
        name: String(wake?.schedules?.[0]?.name),
        input: wake?.schedules?.[0]?.input,
      });
    }
    await client.waitFor(
      'no schedule left for the resolved cases',
      async () => ((await liveSchedules()).length === 0 ? true : undefined),
      30_000,
    );

    // Act: one follow-up's time comes (its record made due now).
    const [first] = followUpWakes;
    await table.send(
      new UpdateCommand({
        TableName: LOCAL.tableName,
        Key: { pk: `OUTBOX#${first?.outboxId}`, sk: 'OUTBOX' },
        UpdateExpression: 'SET dueAt = :now',
        ExpressionAttributeValues: { ':now': new Date().toISOString() },
      }),
    );

    // Assess: the sweep sends it: its schedule (for the follow-up's own time) is created, and only it.
    const created = await client.waitFor(
      'the follow-up’s schedule created',
      async () => {
        const names = await liveSchedules();
        return names.length > 0 ? names : undefined;
      },
      30_000,
    );
    expect(created).toEqual([first?.name]);
  }, 120_000);

  it('asks a follow-up once when its schedule rings, even a moment before the follow-up is due', async () => {
    // Prepare: a resolved case of the test before; its follow-up days away, its schedule's input as written.
    const [, second] = followUpWakes;
    const { record } = await stored(String(second?.caseId));
    const followUp = record.followUp as { id: string; status: string };
    expect(followUp.status).toBe('scheduled');

    // Act: the schedule rings early (Scheduler keeps whole seconds and minutes), twice (a duplicate delivery)
    await runtime.functions.invoke('FireTimer', second?.input);
    await runtime.functions.invoke('FireTimer', second?.input);

    // Assess: the follow-up asked, once; the case holds no alarm after
    const after = await stored(String(second?.caseId));
    expect((after.record.followUp as { status: string }).status).toBe('asked');
    expect(after.record.alarm).toBeUndefined();
    const asked = (await client.outbox(String(second?.caseId))).filter(
      (m) => m.headers?.['X-SellerWorks-Template'] === 'payout-hold.follow-up@1',
    );
    expect(asked).toHaveLength(1);
  }, 60_000);

  it('rung twice at once, fires each due timer exactly once and sets one next alarm', async () => {
    // Prepare: a case waiting on its seller; its reminder made due now, as though time had passed, and
    // its alarm rung (a rung schedule deletes itself).
    const { caseId } = await openAwaitingSeller('alarm-race');
    const before = await stored(caseId);
    const reminder = before.scheduled.find((t) => t.type === 'reminder');
    const alarm = before.record.alarm;
    expect(reminder && alarm).toBeTruthy();
    await table.send(
      new UpdateCommand({
        TableName: LOCAL.tableName,
        Key: { pk: `CASE#${caseId}`, sk: reminder?.sk },
        UpdateExpression: 'SET dueAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString() },
      }),
    );
    await client.waitFor('the alarm created', async () =>
      (await liveSchedules()).includes(alarm?.name) ? true : undefined,
    );
    await scheduler.send(new DeleteScheduleCommand({ Name: alarm?.name }));

    // Act: the fire-timer function invoked twice at once for the same alarm (a duplicate delivery).
    const rings = await Promise.all([
      runtime.functions.invoke('FireTimer', { caseId, alarm: alarm?.name }),
      runtime.functions.invoke('FireTimer', { caseId, alarm: alarm?.name }),
    ]);

    // Assess: one reminder fired, one reminder email; the other timers still scheduled; one new alarm, at
    // the earliest of them, and it is the only schedule the case has.
    const outcomes = rings.map(
      (r) => (r as { fired: Record<string, string> }).fired[String(reminder?.timerId)],
    );
    expect(outcomes.sort()).toEqual(['already-handled', 'fired']);
    const after = await stored(caseId);
    expect(after.timers.find((t) => t.sk === reminder?.sk)?.status).toBe('fired');
    const view = (await client.getOpsCase(ops, caseId)).body as unknown as { timeline: { type: string }[] };
    expect(view.timeline.filter((e) => e.type === 'evidence.reminder_sent')).toHaveLength(1);
    const reminders = (await client.outbox(caseId)).filter((m) => m.subject.startsWith('Reminder:'));
    expect(reminders).toHaveLength(1);
    expect(after.scheduled.length).toBe(before.scheduled.length - 1);
    expect(after.record.alarm?.at).toBe(after.scheduled.map((t) => String(t.dueAt)).sort()[0]);
    expect(after.record.alarm?.name).not.toBe(alarm?.name);
    const live = await client.waitFor('the next alarm created', async () => {
      const names = await liveSchedules();
      return names.includes(after.record.alarm?.name) ? names : undefined;
    });
    // (The test before made one resolved case's follow-up due: its schedule is live too.)
    expect(live.filter((name) => !followUpWakes.some((w) => w.name === name))).toEqual([
      after.record.alarm?.name,
    ]);
  }, 60_000);
});
