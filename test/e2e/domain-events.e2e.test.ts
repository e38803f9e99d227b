import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN_EVENT_TYPES, type DomainEventType } from '../../functions/domain/domain-events.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { schemaErrors } from '../support/event-schemas.ts';

/**
 * Domain events on the local runtime: a payout hold driven to resolution leaves its lifecycle, as events
 * on the bus, in the outbox (channel `eventbridge`), in the order its changes committed, each valid
 * against its committed schema and none carrying the seller's email or words.
 */
const intake = JSON.parse(
  await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

let runtime: LocalRuntime;
let client: SellerWorksClient;

beforeAll(async () => {
  runtime = await startLocalRuntime();
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
});

describe('domain events', () => {
  it('publishes a payout hold’s lifecycle, once each, in commit order, each valid against its schema', async () => {
    // Prepare
    const email = 'domain-events-seller@example.com';
    const seller = await client.sellerToken('domain-events-seller');
    const ops = await client.opsToken();

    // Act: open, answer the evidence request by email, decide.
    const opened = await client.openCase(seller, {
      ...intake,
      reason: 'verification_required',
      sellerEmail: email,
    });
    expect(opened.status).toBe(202);
    const { caseId } = opened.body;
    await client.answerUntilTeam(seller, ops, caseId, { seller: email });
    expect((await client.decide(ops, caseId, 'payout_released', 'Documents verified.')).status).toBe(202);
    await client.waitForStatus(seller, caseId, 'resolved');
    await client.waitForMessage(caseId, 'Case Resolved', (m) => m.detailType === 'Case Resolved');

    // Assess
    const events = (await client.outbox(caseId)).filter((m) => m.channel === 'eventbridge');
    const lifecycle: DomainEventType[] = [
      'Case Opened',
      'Case Routed',
      'Evidence Requested',
      'Evidence Received',
      'Case Handed Off',
      'Case Decided',
      'Case Resolved',
    ];
    expect(events.map((e) => e.detailType).filter((t) => lifecycle.includes(t as DomainEventType))).toEqual(
      lifecycle,
    );
    for (const event of events) {
      expect(DOMAIN_EVENT_TYPES).toContain(event.detailType);
      expect(event).toMatchObject({ from: 'sellerworks.cases', to: 'sellerworks-cases', caseId });
      expect(schemaErrors(event.detailType as DomainEventType, event.detail), event.detailType).toEqual([]);
    }
    const versions = events.map((e) => Number(e.detail?.version));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(events.find((e) => e.detailType === 'Case Decided')?.detail).toMatchObject({
      outcome: 'payout_released',
      subject: `payout ${String(intake.payoutId)}`,
    });
    const published = JSON.stringify(events);
    expect(published).not.toContain(email);
    expect(published).not.toContain(String(intake.details));
    expect(published).not.toContain('Documents verified.');
  }, 60_000);
});
