import { readFile } from 'node:fs/promises';
import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETENTION_DAYS } from '../../functions/domain/table-design.ts';
import { LOCAL } from '../../infra/local/local-config.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * Data lifecycle, in the table itself: records that serve for a while carry the TTL DynamoDB deletes them
 * by (`expiresAtEpoch`) — a sent email's thread reference, a fired timer, an inbound
 * message — while the case, its timeline, evidence and messages carry none and stay readable. Case time
 * runs 50,000× faster: the reminder fires about nine seconds in, and the reply lands before the cap.
 */
let runtime: LocalRuntime;
let client: SellerWorksClient;
let table: DynamoDBDocumentClient;
beforeAll(async () => {
  runtime = await startLocalRuntime({ timeScale: 50_000 });
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  table = localTableClient(runtime.dynamoDbEndpoint);
}, 60_000);
afterAll(async () => {
  table?.destroy();
  await runtime?.stop();
});

const DAY_S = 86_400;
const epoch = (iso: unknown) => Math.floor(Date.parse(String(iso)) / 1000);

const items = async () => {
  const all: Record<string, unknown>[] = [];
  for await (const page of paginateScan({ client: table }, { TableName: LOCAL.tableName }))
    all.push(...(page.Items ?? []));
  return all;
};

describe('data lifecycle', () => {
  it('expires what serves for a while, and keeps the case and its history', async () => {
    const body = JSON.parse(
      await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
    );
    const seller = await client.sellerToken('seller-retention');
    const ops = await client.opsToken();
    const { caseId } = (
      await client.openCase(seller, {
        ...body,
        reason: 'verification_required',
        sellerEmail: 'retention@example.com',
      })
    ).body;
    const request = await client.waitForMessage(caseId, 'the evidence request', (m) =>
      Boolean(m.replyTo?.startsWith('reply+')),
    );
    await client.untilOpsCase(ops, caseId, 'the reminder', (c) =>
      (c.timeline as { type: string }[]).some((e) => e.type === 'evidence.reminder_sent'),
    );
    const { messageId } = await client.sendReply(request.replyTo ?? '', { from: 'retention@example.com' });
    await client.untilOpsCase(ops, caseId, 'the reply', (c) =>
      (c.timeline as { type: string }[]).some((e) => e.type === 'evidence.received'),
    );

    const all = await items();
    const mine = all.filter((i) => i.caseId === caseId || i.pk === `CASE#${caseId}`);
    const ofKind = (kind: string) => mine.filter((i) => i.kind === kind);
    const ttlDays = (item: Record<string, unknown> | undefined, from: unknown) =>
      (Number(item?.expiresAtEpoch) - epoch(from)) / DAY_S;

    // The Idempotency-Key is kept as the case's id (derived from it), for as long as the case: no record of
    // its own to expire.
    expect(ofKind('idempotency')).toEqual([]);
    expect(ofKind('case')[0]?.intakeHash).toEqual(expect.any(String));
    const refs = ofKind('mail-ref');
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ttlDays(ref, ref.sentAt)).toBe(RETENTION_DAYS.mailRef);
    const timers = ofKind('timer');
    const fired = timers.filter((t) => t.status === 'fired' || t.status === 'skipped');
    expect(fired.length).toBeGreaterThan(0);
    for (const timer of fired) expect(timer.expiresAtEpoch).toEqual(expect.any(Number));
    // A timer still to fire keeps no TTL: it must not vanish before it fires.
    for (const timer of timers.filter((t) => t.status === 'scheduled'))
      expect(timer.expiresAtEpoch).toBeUndefined();
    const inbound = all.find((i) => i.kind === 'inbound' && i.messageId === messageId);
    expect(inbound?.expiresAtEpoch).toEqual(expect.any(Number));
    expect(ttlDays(inbound, inbound?.receivedAt)).toBeCloseTo(RETENTION_DAYS.inbound, 0);
    // The case and its history stay.
    for (const kind of ['case', 'event', 'evidence', 'message'])
      for (const item of ofKind(kind)) expect(item.expiresAtEpoch, kind).toBeUndefined();
    expect(ofKind('case')).toHaveLength(1);
    expect(ofKind('event').length).toBeGreaterThan(3);

    await client.decide(ops, caseId, 'payout_released', 'Verified.');
  }, 90_000);
});
