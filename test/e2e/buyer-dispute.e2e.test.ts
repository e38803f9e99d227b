import { readFile } from 'node:fs/promises';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL, localStateMachineArn } from '../../infra/local/local-config.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

const intake = JSON.parse(
  await readFile(new URL('../../events/intake/buyer-dispute.json', import.meta.url), 'utf8'),
);

let runtime: LocalRuntime;
let client: SellerWorksClient;
let dynamo: DynamoDBClient;
let sfn: SFNClient;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

beforeAll(async () => {
  runtime = await startLocalRuntime();
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  dynamo = new DynamoDBClient({ endpoint: runtime.dynamoDbEndpoint, region: 'us-east-1', credentials });
  sfn = new SFNClient({ endpoint: runtime.awsEndpoint, region: 'us-east-1', credentials });
}, 60_000);

afterAll(async () => {
  dynamo?.destroy();
  sfn?.destroy();
  await runtime?.stop();
});

/** Replies the inbound handler refused for a case: kept as `INBOUND#…` items, never silently dropped. */
const rejectedReasons = async (caseId: string) => {
  const out = await dynamo.send(
    new ScanCommand({
      TableName: LOCAL.tableName,
      FilterExpression: 'kind = :inbound AND caseId = :caseId AND #status = :rejected',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':inbound': { S: 'inbound' },
        ':caseId': { S: caseId },
        ':rejected': { S: 'rejected' },
      },
    }),
  );
  return (out.Items ?? []).map((item) => item.reason?.S ?? '').sort();
};

const itemCount = async () =>
  (await dynamo.send(new ScanCommand({ TableName: LOCAL.tableName, Select: 'COUNT' }))).Count ?? 0;
const executionCount = async () =>
  (await sfn.send(new ListExecutionsCommand({ stateMachineArn: localStateMachineArn('buyer-dispute') })))
    .executions?.length ?? 0;

const openAndAwaitEvidenceRequest = async (sellerId: string) => {
  const seller = await client.sellerToken(sellerId);
  const opened = await client.openCase(seller, { ...intake, sellerEmail: `${sellerId}@example.com` });
  expect(opened.status).toBe(202);
  const caseId = opened.body.caseId;
  const request = await client.waitFor('evidence request', async () =>
    (await client.outbox(caseId)).find((m) => m.replyTo?.startsWith('reply+')),
  );
  return { seller, caseId, replyTo: request.replyTo ?? '', email: `${sellerId}@example.com` };
};

describe('a buyer dispute, end to end on the local runtime', () => {
  it('hears both sides by email, offers mediation, and resolves on the team decision', async () => {
    // Prepare
    const seller = await client.sellerToken('seller-e2e');
    const ops = await client.opsToken('disputes');

    // Act: the portal opens the case
    const opened = await client.openCase(
      seller,
      { ...intake, sellerEmail: 'seller-e2e@example.com' },
      'e2e-key-0001',
    );

    // Assess: acknowledged, and the evidence request names what is missing with a signed reply address
    expect(opened.status).toBe(202);
    const { caseId } = opened.body;
    const request = await client.waitFor('evidence request', async () =>
      (await client.outbox(caseId)).find((m) => m.replyTo !== null),
    );
    expect(request).toMatchObject({ channel: 'email', to: 'seller-e2e@example.com', caseId });
    expect(request.replyTo).toMatch(/^reply\+[0-9a-f]{20}-[0-9a-f]{32}@replies\.sellerworks\.local$/);
    expect(request.text).toContain('Photos of the item as you shipped it');
    const waiting = await client.getCase(seller, caseId);
    expect(waiting.body).toMatchObject({ status: 'awaiting_seller', next: { from: 'seller' } });

    // Act: the seller replies through the real SMTP listener, with a photo; then the buyer is asked
    await client.sendReply(request.replyTo ?? '', { from: 'seller-e2e@example.com' });
    const buyerRequest = await client.waitFor('buyer evidence request', async () =>
      (await client.outbox(caseId)).find((m) => m.to === intake.buyerEmail && m.replyTo !== null),
    );
    expect(buyerRequest.text).toContain('Photos of the item as it arrived');
    expect((await client.getCase(seller, caseId)).body).toMatchObject({
      status: 'under_review',
      next: { from: 'sellerworks' },
    });
    await client.sendReply(buyerRequest.replyTo ?? '', { fixture: 'events/email/buyer-reply.eml' });

    // Assess: a settlement is offered before any team decides; the seller declines it
    const offer = await client.waitFor('mediation offer', async () =>
      (await client.outbox(caseId)).find((m) => m.subject.startsWith('A way to settle')),
    );
    expect(offer.text).toContain('USD 44.99');
    // The offer continues the seller's thread: mail clients show one conversation.
    const sellerThread = (await client.getOpsCase(ops, caseId)).body.messages as {
      headerMessageId: string;
      audience: string;
    }[];
    const firstToSeller = sellerThread.find((m) => m.audience === 'seller')?.headerMessageId;
    expect((offer as unknown as { headers: Record<string, string> }).headers).toMatchObject({
      'In-Reply-To': firstToSeller,
      References: expect.stringContaining(firstToSeller ?? 'missing'),
    });
    expect((await client.respondToMediation(seller, caseId, false)).status).toBe(202);
    const handedOff = await client.waitFor('handoff', async () => {
      const { body } = await client.getOpsCase(ops, caseId);
      return body.status === 'handed_off' ? body : undefined;
    });

    // Assess: both sides' evidence recorded with checksums; ops sees routing and the allowed outcomes
    const evidence = handedOff.evidence as {
      kinds: string[];
      provider: string;
      text?: string;
      attachments: { filename: string; sha256: string }[];
    }[];
    const sellerReply = evidence.find((e) => e.kinds.includes('item_photos'));
    expect(sellerReply?.attachments[0]).toMatchObject({
      filename: 'packing-photo.png',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(sellerReply?.text).toContain('The kettle left our warehouse intact');
    expect(sellerReply?.text).not.toContain('wrote:');
    expect(evidence.find((e) => e.kinds.includes('buyer_photos'))).toMatchObject({ provider: 'buyer' });
    expect(handedOff.routing).toMatchObject({ team: 'disputes', ruleId: 'bd-default' });
    const outcomes = (handedOff.allowedOutcomes as { id: string }[]).map((o) => o.id);
    expect(outcomes).toContain('buyer_refunded');
    expect(outcomes).not.toContain('mediated_partial_refund');

    // Act: the disputes team decides
    const decided = await client.decide(
      ops,
      caseId,
      'buyer_refunded',
      'The buyer photo shows the cracked lid.',
    );
    expect(decided.status).toBe(202);
    const resolved = await client.waitForStatus(seller, caseId, 'resolved');

    // Assess: the whole timeline, in order, and a resolution email with outcome, policy and appeal path
    expect(resolved.timeline.map((e) => e.type)).toEqual([
      'case.received',
      'case.triaged',
      'case.routed',
      'evidence.requested',
      'message.sent',
      'email.received',
      'evidence.received',
      'evidence.requested',
      'message.sent',
      'email.received',
      'evidence.received',
      'mediation.offered',
      'message.sent',
      'mediation.declined',
      'case.handed_off',
      'case.decided',
      'message.sent',
      'case.resolved',
    ]);
    const resolution = await client.waitForMessage(caseId, 'the resolution', (m) =>
      m.subject.includes('Buyer refunded'),
    );
    expect(resolution.subject).toContain('Buyer refunded');
    expect(resolution.text).toContain('BD-POL-4.3');
    expect(resolution.text).toMatch(/appeal until \d{4}-\d{2}-\d{2}/);
    expect((resolved.messages as { template: string }[]).map((m) => m.template)).toEqual([
      'buyer-dispute.evidence-request@1',
      'buyer-dispute.evidence-request@1',
      'buyer-dispute.mediation-offer@1',
      'buyer-dispute.resolution@1',
    ]);
    // A second decision changes nothing.
    expect((await client.decide(ops, caseId, 'seller_favoured', 'again')).status).toBe(409);
  });

  it('skips evidence requests when the intake already carries what the contract needs, and settles on acceptance', async () => {
    const seller = await client.sellerToken('seller-tracked');
    const opened = await client.openCase(seller, {
      ...intake,
      reason: 'not_received',
      trackingNumber: '1Z999AA10123456784',
      sellerEmail: 'tracked@example.com',
    });
    const { caseId } = opened.body;
    await client.waitFor('mediation offer', async () => {
      const { body } = await client.getCase(seller, caseId);
      return body.status === 'awaiting_seller' ? body : undefined;
    });

    expect((await client.respondToMediation(seller, caseId, true)).status).toBe(202);
    const resolved = await client.waitForStatus(seller, caseId, 'resolved');

    expect(resolved.timeline.map((e) => e.type)).not.toContain('evidence.requested');
    expect(resolved.timeline.map((e) => e.type)).toContain('mediation.accepted');
    expect(resolved).toMatchObject({ decision: { outcome: 'mediated_partial_refund' } });
    await client.waitForMessage(caseId, 'the settlement', (m) => m.subject.includes('Settled by mediation'));
    const sent = (await client.outbox(caseId)).filter((m) => m.channel === 'email');
    expect(sent.filter((m) => m.replyTo)).toHaveLength(0);
    expect(sent.map((m) => m.subject)).toEqual([
      expect.stringContaining('We are handling the buyer dispute'),
      expect.stringContaining('A way to settle'),
      expect.stringContaining('Settled by mediation'),
    ]);
    expect((await client.respondToMediation(seller, caseId, false)).status).toBe(409);
  });

  it('acts on the same reply delivered twice only once, appends a later reply, and refuses a forged token', async () => {
    const { seller, caseId, replyTo, email } = await openAndAwaitEvidenceRequest('seller-dup');

    const first = await client.sendReply(replyTo, { from: email });
    await client.sendReply(replyTo, { from: email, messageId: first.messageId });
    await client.waitFor('the buyer to be asked', async () =>
      (await client.outbox(caseId)).find((m) => m.to === intake.buyerEmail),
    );
    await client.sendReply(replyTo, { from: email });
    const forged = replyTo.replace(/-[0-9a-f]{32}@/, `-${'0'.repeat(32)}@`);
    await client.sendReply(forged, { from: email });

    const { body } = await client.getCase(seller, caseId);
    const types = body.timeline.map((e) => e.type);
    // The duplicate delivery changed nothing; the later reply was appended; the forged one refused.
    expect(types.filter((t) => t === 'evidence.received')).toHaveLength(2);
    expect(types.filter((t) => t === 'evidence.requested')).toHaveLength(2);
    expect(await rejectedReasons(caseId)).toEqual(['reply token signature does not match']);
    expect(body).toMatchObject({ status: 'under_review', next: { from: 'sellerworks' } });
  });

  it('ignores a reply from someone who is not the case seller', async () => {
    const { seller, caseId, replyTo } = await openAndAwaitEvidenceRequest('seller-spoof');

    await client.sendReply(replyTo, { from: 'intruder@example.net' });

    const { body } = await client.getCase(seller, caseId);
    expect(body.status).toBe('awaiting_seller');
    expect(body.timeline.map((e) => e.type)).not.toContain('email.received');
    expect(await rejectedReasons(caseId)).toEqual(['sender is not a participant of the case']);
  });
});

describe('bounces and complaints', () => {
  it('marks a bouncing address undeliverable, alerts the team, and sends it nothing more', async () => {
    const seller = await client.sellerToken('seller-bounce');
    const ops = await client.opsToken();
    const { caseId } = (
      await client.openCase(seller, {
        ...intake,
        reason: 'not_received',
        trackingNumber: '1Z999AA10123456784',
        sellerEmail: 'bounce@simulator.amazonses.com',
      })
    ).body;

    await client.waitFor('the bounce to be recorded', async () => {
      const { body } = await client.getOpsCase(ops, caseId);
      const types = (body.timeline as { type: string }[]).map((e) => e.type);
      return types.includes('contact.undeliverable') && body.status === 'awaiting_seller' ? true : undefined;
    });
    const sentBefore = (await client.outbox(caseId)).filter((m) => m.channel === 'email').length;
    await client.respondToMediation(seller, caseId, false);
    await client.waitForStatus(seller, caseId, 'handed_off');
    await client.decide(ops, caseId, 'seller_favoured', 'Tracking shows delivery.');
    const resolved = await client.waitForStatus(seller, caseId, 'resolved');

    expect(resolved.timeline.map((e) => e.type)).toContain('message.suppressed');
    const alert = (await client.outbox(caseId)).find((m) => m.channel === 'sns');
    expect(JSON.parse(alert?.text ?? '{}')).toMatchObject({ type: 'undeliverable_contact', caseId });
    expect((await client.outbox(caseId)).filter((m) => m.channel === 'email')).toHaveLength(sentBefore);
  });
});

describe('bad input at the API changes nothing', () => {
  it.each([
    ['malformed JSON', { rawBody: '{"family":', key: true, token: 'seller' }, 400, '(body)'],
    [
      'a missing field',
      { body: { ...intake, orderId: undefined }, key: true, token: 'seller' },
      422,
      'orderId',
    ],
    ['a mistyped field', { body: { ...intake, amount: 'lots' }, key: true, token: 'seller' }, 422, 'amount'],
    [
      'an unknown family',
      { body: { ...intake, family: 'alien-abduction' }, key: true, token: 'seller' },
      422,
      'family',
    ],
    [
      'a missing Idempotency-Key',
      { body: intake, key: false, token: 'seller' },
      400,
      'headers.Idempotency-Key',
    ],
  ] as const)('POST /cases with %s → %i naming %s', async (_, request, status, path) => {
    // The scoreboard folds earlier cases' changes from the table stream: let it settle before counting.
    await runtime.tableStream.caughtUp();
    const before = [await itemCount(), await executionCount()];
    const token = await client.sellerToken('seller-bad');

    const result = await client.request<{ error: { issues: { path: string }[] } }>('POST', '/cases', {
      token: request.token === 'seller' ? token : '',
      ...('rawBody' in request ? { rawBody: request.rawBody } : { body: request.body }),
      headers: request.key ? { 'idempotency-key': `bad-input-${Math.random()}` } : {},
    });

    expect(result.status).toBe(status);
    expect(result.body.error.issues.map((i) => i.path)).toContain(path);
    expect([await itemCount(), await executionCount()]).toEqual(before);
  });

  it('answers 401 without a token or with a token from another issuer', async () => {
    const noToken = await client.request('POST', '/cases', {
      body: intake,
      headers: { 'idempotency-key': 'no-token-01' },
    });
    const forged =
      'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6Im9wcyJ9.' +
      Buffer.from('not a signature').toString('base64url');
    const badToken = await client.request('GET', '/ops/cases/case_mwr000000000', { token: forged });

    expect(noToken.status).toBe(401);
    expect(badToken.status).toBe(401);
  });

  it("hides another seller's case (404) and refuses a seller on an ops route (403)", async () => {
    const owner = await client.sellerToken('seller-owner');
    const other = await client.sellerToken('seller-other');
    const { body } = await client.openCase(owner, { ...intake, sellerEmail: 'owner@example.com' });

    expect((await client.getCase(other, body.caseId)).status).toBe(404);
    expect((await client.getOpsCase(other, body.caseId)).status).toBe(403);
    expect((await client.decide(other, body.caseId, 'seller_favoured', 'x')).status).toBe(403);
    expect((await client.getCase(owner, body.caseId)).status).toBe(200);
  });

  it('returns the same case for the same Idempotency-Key and body, and never runs it twice', async () => {
    const seller = await client.sellerToken('seller-idem');
    const body = { ...intake, sellerEmail: 'idem@example.com' };

    const [a, b] = await Promise.all([
      client.openCase(seller, body, 'same-key-0001'),
      client.openCase(seller, body, 'same-key-0001'),
    ]);
    const c = await client.openCase(seller, body, 'same-key-0001');
    const other = await client.openCase(seller, { ...body, amount: 12 }, 'same-key-0001');

    expect(new Set([a.body.caseId, b.body.caseId, c.body.caseId]).size).toBe(1);
    expect(other.status).toBe(422);
    const runs = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: localStateMachineArn('buyer-dispute') }),
    );
    expect(runs.executions?.filter((e) => e.name === a.body.caseId)).toHaveLength(1);
  });
});
