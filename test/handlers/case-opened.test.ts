import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditEvent, CaseRecord } from '../../functions/domain/case.ts';
import type { OutboxMessage } from '../../functions/domain/outbox.ts';
import { type DynamoDbLocal, ensureCaseTable, startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { freePort } from '../../infra/local/free-port.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import { TEST_ENV } from '../support/api-event.ts';

/**
 * `Case Opened` leaves with the case's first commit after intake (intake writes only the case, its first
 * audit event and the idempotency key): ahead of that commit's own events, once, whichever writer makes
 * it — against DynamoDB Local, where the commits' version conditions are real.
 */
const dynamo: DynamoDbLocal = await startDynamoDbLocal({ port: await freePort() });
afterAll(() => dynamo.stop());
await ensureCaseTable(dynamo.endpoint, TEST_ENV.TABLE_NAME);
Object.assign(process.env, TEST_ENV, { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });

const store = await import('../../functions/domain/case-store.ts');
const intake = (await import('../../events/intake/buyer-dispute.json', { with: { type: 'json' } })).default;
const table = localTableClient(dynamo.endpoint);
afterAll(() => table.destroy());

let n = 0;
/** A case as intake leaves it: version 1, nothing published yet. */
const opened = async (): Promise<CaseRecord> => {
  n += 1;
  const at = new Date().toISOString();
  const record = {
    caseId: `case_opened${String(n).padStart(4, '0')}`,
    family: 'buyer-dispute',
    sellerId: 'seller-1',
    sellerTier: 'standard',
    sellerEmail: intake.sellerEmail,
    region: intake.region,
    status: 'received',
    version: store.OPENED_VERSION,
    createdAt: at,
    updatedAt: at,
    intake,
  } as CaseRecord;
  await table.send(new PutCommand({ TableName: TEST_ENV.TABLE_NAME, Item: store.caseItem(record) }));
  return record;
};

const routed: AuditEvent = {
  type: 'case.routed',
  actor: { kind: 'system', id: 'routing' },
  detail: 'Assigned to the disputes team',
  data: { team: 'disputes', ruleId: 'default' },
};

const entriesOf = (outbox: readonly OutboxMessage[]) =>
  outbox.flatMap((m) => (m.channel === 'eventbridge' ? m.events.entries : []));

/** The domain events a commit's outbox publishes, in order, with the case version each carries. */
const published = (outbox: readonly OutboxMessage[]) =>
  entriesOf(outbox).map((e) => `${e.detailType}@${(e.detail as { version: number }).version}`);

describe('Case Opened', () => {
  it('leaves with the first commit after intake, ahead of its events, as the case was opened', async () => {
    const record = await opened();

    const first = await store.commitChangeWithOutbox(record, { events: [routed] });
    expect(published(first.outbox)).toEqual(['Case Opened@1', 'Case Routed@2']);
    const entry = entriesOf(first.outbox)[0];
    expect(entry?.detail).toMatchObject({
      caseId: record.caseId,
      family: 'buyer-dispute',
      subject: `order ${intake.orderId}`,
    });

    // Later commits publish only their own events.
    const second = await store.commitChangeWithOutbox(first.record, { events: [routed] });
    expect(published(second.outbox)).toEqual(['Case Routed@3']);
  });

  it('is published once when two writers race from the case as opened', async () => {
    const record = await opened();

    const both = await Promise.allSettled([
      store.commitChangeWithOutbox(record, { events: [routed] }, { rebase: 2 }),
      store.commitChangeWithOutbox(record, { events: [routed] }, { rebase: 2 }),
    ]);

    const outboxes = both.flatMap((r) => (r.status === 'fulfilled' ? [r.value.outbox] : []));
    expect(outboxes).toHaveLength(2);
    const events = outboxes.flatMap(published);
    expect(events.filter((e) => e.startsWith('Case Opened'))).toEqual(['Case Opened@1']);
    expect(events.filter((e) => e.startsWith('Case Routed')).sort()).toEqual([
      'Case Routed@2',
      'Case Routed@3',
    ]);
  });
});
