import { readFile } from 'node:fs/promises';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * Commit first, then send (DESIGN.md decision 8), on the real local runtime: the evidence request's wait
 * and reply token are committed before its email leaves, and one use case answers an evidence wait
 * whether the answer came by email or on the portal. Payout holds for verification ask only the seller,
 * so an answered wait takes the case straight to the team (`handed_off`).
 */
const intake = JSON.parse(
  await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

let runtime: LocalRuntime;
let client: SellerWorksClient;
let ops: string;

/**
 * A race gate for one case: the first answer's commit that would consume the wait's reply token is held
 * until the second answer's commit arrives too (or a few seconds pass), then both go to DynamoDB at once.
 * Both answers have then read the wait as open: without the gate the email path (SMTP, S3, parsing) is so
 * much slower than the portal that it would mostly read the case after the portal had answered it.
 */
const gates = new Map<string, { arrived: number; release?: () => void }>();
/**
 * Instant replies, by seller address: the reply started when the evidence request reached the outbox. A
 * commit that writes that seller's reply token after the email already left (the old order: send, then
 * commit) waits for the reply to be handled first: the reply arrives in the instant between the send and
 * the commit. In the order this product keeps (commit, then send) the commit comes first and never waits.
 */
const instant = new Map<string, { replying?: Promise<unknown> }>();
let restoreSend: (() => void) | undefined;

const gateCommits = async () => {
  // The handlers' own client: the runtime loaded the handlers into this test's module graph.
  const { dynamoDb } = await import('../../functions/commons/clients/dynamodb.ts');
  const send = dynamoDb.send.bind(dynamoDb) as (command: unknown, ...rest: unknown[]) => Promise<unknown>;
  const gated = async (command: unknown, ...rest: unknown[]) => {
    if (command instanceof TransactWriteCommand) {
      const text = JSON.stringify(command.input);
      const early = [...instant].find(([email]) => text.includes(`"participant":"${email}"`))?.[1];
      if (early?.replying && text.includes('"kind":"reply-token"'))
        await early.replying.catch(() => undefined);
      const gate = [...gates].find(([caseId]) => text.includes(`"CASE#${caseId}"`))?.[1];
      if (gate && text.includes('usedBy')) {
        gate.arrived += 1;
        if (gate.arrived === 1)
          await new Promise<void>((resolve) => {
            gate.release = resolve;
            setTimeout(resolve, 5_000);
          });
        else gate.release?.();
      }
    }
    return send(command, ...rest);
  };
  Object.assign(dynamoDb, { send: gated });
  restoreSend = () => Object.assign(dynamoDb, { send });
};

beforeAll(async () => {
  runtime = await startLocalRuntime();
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  ops = await client.opsToken();
  await gateCommits();
}, 60_000);
afterAll(async () => {
  restoreSend?.();
  await runtime?.stop();
});

type OpsCase = Record<string, unknown> & {
  status: string;
  waiting?: { step: string; from: string; missing?: string[] };
  evidence: { source: string }[];
  timeline: { type: string; data?: Record<string, unknown> }[];
};

const until = (caseId: string, what: string, check: (c: OpsCase) => boolean, timeoutMs = 20_000) =>
  client.untilOpsCase(ops, caseId, what, check, timeoutMs);
const count = (c: OpsCase, type: string) => c.timeline.filter((e) => e.type === type).length;
const resumedBy = (c: OpsCase) =>
  c.timeline.filter((e) => e.type === 'evidence.received' && e.data?.resumed === true);

const openCase = async (name: string) => {
  const sellerId = `outbox-${name}`;
  const email = `${sellerId}@example.com`;
  const seller = await client.sellerToken(sellerId);
  const opened = await client.openCase(seller, {
    ...intake,
    reason: 'verification_required',
    sellerEmail: email,
  });
  expect(opened.status).toBe(202);
  return { seller, email, caseId: opened.body.caseId };
};

describe('commit first, then send', () => {
  it.each([1, 2, 3])(
    'a reply sent the instant the evidence request leaves resumes the case (%i)',
    async (round) => {
      // Prepare: reply from inside the outbox's own listener, the moment the local SES endpoint takes the
      // email — before the dispatcher has even marked it sent; tighter than any poll of the outbox. Had the
      // step sent before committing, its commit would wait for this reply (see `instant`).
      const email = `outbox-instant-${round}@example.com`;
      const reply: { replying?: Promise<unknown> } = {};
      instant.set(email, reply);
      const stop = runtime.outbox.subscribe((entry) => {
        if (reply.replying || entry.to !== email || !entry.replyTo?.startsWith('reply+')) return;
        reply.replying = client.sendReply(entry.replyTo, { from: email });
      });

      // Act
      try {
        const seller = await client.sellerToken(`outbox-instant-${round}`);
        const opened = await client.openCase(seller, {
          ...intake,
          reason: 'verification_required',
          sellerEmail: email,
        });
        const { caseId } = opened.body;
        await client.waitFor('the instant reply', async () => reply.replying);

        // Assess: the reply found its token and its wait, and resumed the case once
        const handedOff = await until(caseId, 'handoff', (c) => c.status === 'handed_off');
        expect(count(handedOff, 'email.received')).toBe(1);
        expect(resumedBy(handedOff)).toHaveLength(1);
        expect(count(handedOff, 'email.received_late')).toBe(0);
        expect(count(handedOff, 'evidence.requested')).toBe(1);
        expect(count(handedOff, 'case.handed_off')).toBe(1);
        const emails = (await client.outbox(caseId)).filter((m) => m.channel === 'email');
        expect(emails).toHaveLength(1);
      } finally {
        stop();
        instant.delete(email);
      }
    },
    30_000,
  );

  it('sends each message once: the case message gets SES’s id and Message-ID after the send', async () => {
    const { caseId } = await openCase('marked');

    const waiting = await until(caseId, 'the request marked sent', (c) =>
      (c.messages as { headerMessageId?: string }[]).some((m) => m.headerMessageId),
    );
    await new Promise((r) => setTimeout(r, 500));

    const [message] = waiting.messages as { messageId: string; headerMessageId: string }[];
    expect(message?.headerMessageId).toBe(`<${message?.messageId}@ses.sellerworks.local>`);
    expect((await client.outbox(caseId)).filter((m) => m.channel === 'email')).toHaveLength(1);
  });
});

describe('the outbox sweep, as the runtime runs it', () => {
  it('sends a record its writer committed but never sent (a crash after the commit), once', async () => {
    // Prepare: a case, and an alert committed on it without the writer's dispatch after the commit
    const { caseId } = await openCase('swept');
    await until(caseId, 'awaiting the seller', (c) => c.status === 'awaiting_seller');
    const store = await import('../../functions/domain/case-store.ts');
    const { ownerAlert } = await import('../../functions/domain/alerts.ts');
    const record = await store.getCase(caseId);
    if (!record) throw new Error(`no case ${caseId}`);
    const alert = ownerAlert(record, 'update_due', 'Committed, then the writer crashed');
    await store.commitChange(record, {
      events: [{ type: 'sla.update_overdue', actor: { kind: 'system', id: 'sla' }, detail: 'Overdue' }],
      outbox: [alert],
    });
    const alerts = async () => (await client.outbox(caseId)).filter((m) => m.channel === 'sns');
    const before = (await alerts()).length;

    // Act: what the runtime calls on start and every few seconds
    const first = await runtime.functions.invoke('SweepOutbox', {});
    const second = await runtime.functions.invoke('SweepOutbox', {});

    // Assess
    expect(first).toMatchObject({ sent: 1, failed: 0, errors: 0 });
    expect(second).toMatchObject({ sent: 0 });
    const sent = await alerts();
    expect(sent).toHaveLength(before + 1);
    expect(JSON.parse(sent.at(-1)?.text ?? '{}')).toMatchObject({ type: 'update_due', caseId });
  });
});

describe('one answer to an evidence wait, by email or on the portal', () => {
  it.each([1, 2, 3, 4, 5])(
    'a portal upload and an email reply racing for one wait give exactly one answer, no 5xx (%i)',
    async (round) => {
      // Prepare: a case waiting for the seller's documents
      const { seller, email, caseId } = await openCase(`race-${round}`);
      const request = await client.waitFor(`${caseId}: evidence request`, async () =>
        (await client.outbox(caseId)).find((m) => m.replyTo?.startsWith('reply+')),
      );
      const before = await until(caseId, 'awaiting the seller', (c) => c.waiting?.step === 'evidence');
      const gate: { arrived: number } = { arrived: 0 };
      gates.set(caseId, gate);

      // Act: both answers at once
      const [portal] = await Promise.all([
        client.addEvidence(
          seller,
          caseId,
          before.waiting?.missing ?? [],
          'Registration certificate no. 4471.',
        ),
        client.sendReply(request.replyTo ?? '', { from: email }),
      ]);

      // Assess: a true race (both read the open wait and tried to consume its token); no 5xx; the wait
      // resumed once; both pieces of evidence kept (or the loser refused with a clear 409/422)
      gates.delete(caseId);
      expect(gate.arrived).toBe(2);
      expect([202, 409, 422]).toContain(portal.status);
      const kept = portal.status === 202 ? 2 : 1;
      const after = await until(
        caseId,
        'both answers recorded and the case handed off',
        (c) => c.status === 'handed_off' && count(c, 'evidence.received') === kept,
      );
      expect(resumedBy(after)).toHaveLength(1);
      expect(count(after, 'case.handed_off')).toBe(1);
      expect(count(after, 'email.received_late') + count(after, 'evidence.received_late')).toBe(0);
      expect(
        after.evidence
          .filter((e) => e.source !== 'intake')
          .map((e) => e.source)
          .sort(),
      ).toEqual(portal.status === 202 ? ['email', 'portal'] : ['email']);
      if (portal.status === 202) {
        const emailWon = resumedBy(after)[0]?.data?.source !== 'portal';
        expect(portal.body.resumed).toBe(!emailWon);
      }
    },
    30_000,
  );
});
