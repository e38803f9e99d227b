import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import {
  freeRuntimePorts,
  type RuntimePorts,
  type RuntimeProcess,
  startRuntimeProcess,
} from '../support/runtime-process.ts';

/**
 * The local runtime killed with SIGKILL — its Node process and its DynamoDB Local together, as a crash
 * would — while cases sit in every kind of wait and a burst of intakes is in flight, then started again on
 * the same data: nothing accepted is lost, nothing moves backwards, nothing is sent twice.
 */
const read = async (family: string) =>
  JSON.parse(await readFile(new URL(`../../events/intake/${family}.json`, import.meta.url), 'utf8'));
const payoutHold = await read('payout-hold');
const buyerDispute = await read('buyer-dispute');
const integration = await read('integration-problem');

const dirs: string[] = [];
const running: RuntimeProcess[] = [];
afterAll(async () => {
  for (const runtime of running) await runtime.kill();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const start = async (dataDir: string, ports: RuntimePorts, env: Record<string, string> = {}) => {
  const runtime = await startRuntimeProcess(dataDir, ports, env);
  running.push(runtime);
  return runtime;
};

/** A runtime on a data folder of its own, and a client of it. */
const freshRuntime = async (prefix: string, env: Record<string, string>) => {
  const dataDir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dataDir);
  const ports = await freeRuntimePorts();
  const runtime = await start(dataDir, ports, env);
  return { dataDir, ports, runtime, client: new SellerWorksClient(runtime.apiUrl, runtime.smtpPort) };
};

/** SIGKILLs a runtime, keeps it down for `downMs`, and starts it again on the same data. */
const killAndRestart = async (
  runtime: RuntimeProcess,
  downMs: number,
  { dataDir, ports, env }: { dataDir: string; ports: RuntimePorts; env: Record<string, string> },
) => {
  await runtime.kill();
  await new Promise((resolve) => setTimeout(resolve, downMs));
  const again = await start(dataDir, ports, env);
  return { runtime: again, client: new SellerWorksClient(again.apiUrl, again.smtpPort) };
};

/** Waits for `messages` to hold one, then a moment more: it must still hold exactly one. */
const sentOnce = async (client: SellerWorksClient, what: string, messages: () => Promise<unknown[]>) => {
  await client.waitFor(what, async () => ((await messages()).length > 0 ? true : undefined), 30_000);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await messages()).toHaveLength(1);
};

type Timeline = { type: string; at: string; detail: string }[];

describe('a SIGKILL of the local runtime', () => {
  it('leaves every wait where it was, loses no accepted case, and sends nothing twice', async () => {
    // Prepare: cases in every kind of wait
    const dataDir = await mkdtemp(join(tmpdir(), 'sw-crash-'));
    dirs.push(dataDir);
    const ports = await freeRuntimePorts();
    let runtime = await start(dataDir, ports);
    let client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
    const seller = await client.sellerToken('seller-crash');
    const supervisor = await client.opsToken();
    const open = async (intake: Record<string, unknown>, email: string) => {
      const opened = await client.openCase(seller, { ...intake, sellerEmail: email });
      expect(opened.status).toBe(202);
      return opened.body.caseId as string;
    };
    const waitingOn = (caseId: string, step: string, from: string) =>
      client.waitFor(
        `${caseId} waiting on ${step} from ${from}`,
        async () => {
          const { body } = await client.getOpsCase(supervisor, caseId);
          const waiting = body.waiting as { step: string; from: string } | undefined;
          return waiting?.step === step && waiting.from === from ? body : undefined;
        },
        30_000,
      );
    // The request leaves through the outbox after its wait commits: wait for the email itself.
    const requestTo = async (caseId: string, to: string) =>
      (
        await client.waitForMessage(
          caseId,
          `the evidence request to ${to}`,
          (m) => m.to === to && !!m.replyTo,
        )
      ).replyTo ?? '';

    // seller evidence
    const sellerWait = await open({ ...payoutHold, reason: 'verification_required' }, 'a@example.com');
    await waitingOn(sellerWait, 'evidence', 'seller');
    // buyer evidence
    const buyerWait = await open(buyerDispute, 'b@example.com');
    await waitingOn(buyerWait, 'evidence', 'seller');
    await client.sendReply(await requestTo(buyerWait, 'b@example.com'), { from: 'b@example.com' });
    await waitingOn(buyerWait, 'evidence', 'buyer');
    // mediation offer
    const mediationWait = await open(buyerDispute, 'c@example.com');
    await client
      .answerUntilTeam(
        seller,
        supervisor,
        mediationWait,
        { seller: 'c@example.com' },
        {
          look: async (caseId) => {
            const { body } = await client.getOpsCase(supervisor, caseId);
            const waiting = body.waiting as { step: string } | undefined;
            // Stop short of declining the offer: leave it waiting.
            return waiting?.step === 'mediation' ? { ...body, status: 'handed_off' } : body;
          },
        },
      )
      .catch(() => undefined);
    await client
      .sendReply(await requestTo(mediationWait, buyerDispute.buyerEmail), {
        fixture: 'events/email/buyer-reply.eml',
      })
      .catch(() => undefined);
    await waitingOn(mediationWait, 'mediation', 'seller');
    // team decisions, in two families
    const decisionWait = await open({ ...payoutHold, reason: 'verification_required' }, 'd@example.com');
    await client.answerUntilTeam(seller, supervisor, decisionWait, { seller: 'd@example.com' });
    const integrationWait = await open(integration, 'e@example.com');
    await client.answerUntilTeam(seller, supervisor, integrationWait, { seller: 'e@example.com' });
    // appeal decision
    const appealWait = await open({ ...payoutHold, reason: 'verification_required' }, 'f@example.com');
    await client.answerUntilTeam(seller, supervisor, appealWait, { seller: 'f@example.com' });
    const appealed = (await client.getOpsCase(supervisor, appealWait)).body;
    const firstOutcome = (appealed.allowedOutcomes as { id: string }[])[0]?.id ?? '';
    expect((await client.decide(supervisor, appealWait, firstOutcome, 'Documents unreadable.')).status).toBe(
      202,
    );
    await client.waitForStatus(seller, appealWait, 'resolved', 30_000);
    expect((await client.appeal(seller, appealWait, 'Here is a readable scan.')).status).toBe(202);
    await client.waitFor(
      'the appeal handed to a reviewer',
      async () => {
        const { body } = await client.getOpsCase(supervisor, appealWait);
        return body.status === 'handed_off' && (body.counts as { appeals: number }).appeals === 1
          ? body
          : undefined;
      },
      30_000,
    );

    const waits = [sellerWait, buyerWait, mediationWait, decisionWait, integrationWait, appealWait];
    // Messages leave through the outbox after their commit: let every one committed so far go out.
    const settled = async (caseId: string) => {
      let last = -1;
      for (;;) {
        const count = (await client.outbox(caseId)).length;
        if (count === last) return count;
        last = count;
        await new Promise((resolve) => setTimeout(resolve, 1500));
      }
    };
    const before = new Map<string, { status: string; timeline: Timeline; sent: number }>();
    for (const caseId of waits) {
      const sent = await settled(caseId);
      const { body } = await client.getOpsCase(supervisor, caseId);
      before.set(caseId, { status: body.status as string, timeline: body.timeline as Timeline, sent });
    }

    // Act: a burst of intakes, and the kill while they are in flight
    const burst = Array.from({ length: 24 }, (_, i) =>
      client
        .openCase(seller, {
          ...payoutHold,
          reason: 'verification_required',
          sellerEmail: `burst${i}@example.com`,
        })
        .then((r) => (r.status === 202 ? (r.body.caseId as string) : undefined))
        .catch(() => undefined),
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    await runtime.kill();
    const accepted = (await Promise.all(burst)).filter((id): id is string => id !== undefined);
    runtime = await start(dataDir, ports);
    client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);

    // Assess: every accepted intake exists, has its execution and reaches its first wait
    for (const caseId of accepted) {
      const view = await waitingOn(caseId, 'evidence', 'seller');
      expect(view.caseId).toBe(caseId);
      const { body } = await client.request('GET', `/ops/cases/${caseId}/execution`, { token: supervisor });
      expect((body as { execution?: { status: string } }).execution?.status).toBe('RUNNING');
      await client.waitForMessage(caseId, 'the evidence request', (m) => !!m.replyTo);
    }
    await Promise.all(accepted.map(settled));
    for (const caseId of accepted) {
      const sent = await client.outbox(caseId);
      expect(sent.filter((m) => m.replyTo)).toHaveLength(1);
      // `Case Opened` leaves with the case's first commit after intake, on whichever side of the kill that
      // commit fell: once.
      expect(sent.filter((m) => m.detailType === 'Case Opened')).toHaveLength(1);
    }
    // … and every wait is exactly where it was: same status, same timeline, no new message
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (const caseId of waits) {
      const { body } = await client.getOpsCase(supervisor, caseId);
      const was = before.get(caseId);
      expect({ caseId, status: body.status, timeline: body.timeline }).toEqual({
        caseId,
        status: was?.status,
        timeline: was?.timeline,
      });
      expect((await client.outbox(caseId)).length).toBe(was?.sent);
    }

    // Act: the original reply addresses and the teams' decisions still work
    await client.sendReply(await requestTo(sellerWait, 'a@example.com'), { from: 'a@example.com' });
    await client.sendReply(await requestTo(buyerWait, buyerDispute.buyerEmail), {
      fixture: 'events/email/buyer-reply.eml',
    });
    expect((await client.respondToMediation(seller, mediationWait, false)).status).toBe(202);
    // The appeal goes to a reviewer other than the supervisor who decided first: a member of the team.
    const decisions = await Promise.all(
      [decisionWait, integrationWait, appealWait].map(async (caseId) => {
        const { body } = await client.getOpsCase(supervisor, caseId);
        const outcome = (body.allowedOutcomes as { id: string }[])[0]?.id ?? '';
        const decider =
          caseId === appealWait ? await client.opsToken((body.waiting as { team: string }).team) : supervisor;
        return (await client.decide(decider, caseId, outcome, 'Decided after the restart.')).status;
      }),
    );

    // Assess
    expect(decisions).toEqual([202, 202, 202]);
    await waitingOn(buyerWait, 'mediation', 'seller');
    for (const caseId of [sellerWait, mediationWait])
      await client.waitForStatus(seller, caseId, 'handed_off', 30_000);
    for (const caseId of [decisionWait, integrationWait, appealWait]) {
      const resolved = await client.waitForStatus(seller, caseId, 'resolved', 30_000);
      const timeline = resolved.timeline as Timeline;
      const keys = timeline.map((e) => `${e.type}|${e.at}|${e.detail}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
    expect(runtime.output()).toMatch(/continued \d+ execution/);
  }, 300_000);

  it('fires a reminder that came due while the runtime was down once, after it starts again', async () => {
    // Prepare: case time 24,000× faster: the evidence reminder (halfway through 10 days) is due 18 s in, the
    // evidence cap 36 s in — far enough apart that a slow restart still finds the wait open
    const env = { TIME_SCALE: '24000' };
    const { dataDir, ports, runtime, client: first } = await freshRuntime('sw-crash-timer-', env);
    const seller = await first.sellerToken('seller-timer');
    const opened = await first.openCase(seller, {
      ...payoutHold,
      reason: 'verification_required',
      sellerEmail: 'timer@example.com',
    });
    const caseId = opened.body.caseId as string;
    await first.waitForStatus(seller, caseId, 'awaiting_seller');

    // Act: killed before the reminder is due, and kept down past it
    const { client } = await killAndRestart(runtime, 17_000, { dataDir, ports, env });

    // Assess
    await sentOnce(client, 'the reminder', async () =>
      (await client.outbox(caseId)).filter((m) => m.to === 'timer@example.com' && /remind/i.test(m.subject)),
    );
  }, 120_000);

  it('asks a follow-up that came due while the runtime was down once, after it starts again', async () => {
    // Prepare: case time 20,000× faster: a payout hold's follow-up comes two case-days after its decision,
    // some nine seconds. The case resolved, the runtime killed at once: its follow-up is still waiting (in
    // the outbox, or as the schedule the sweep made of it).
    const env = { TIME_SCALE: '20000' };
    const { dataDir, ports, runtime, client: first } = await freshRuntime('sw-crash-follow-up-', env);
    const seller = await first.sellerToken('seller-follow-up');
    const ops = await first.opsToken();
    const opened = await first.openCase(seller, { ...payoutHold, sellerEmail: 'follow-up@example.com' });
    const caseId = opened.body.caseId as string;
    await first.waitForStatus(seller, caseId, 'awaiting_seller');
    await first.addEvidence(seller, caseId, ['business_registration'], 'Certificate 4471.');
    await first.waitForStatus(seller, caseId, 'handed_off');
    expect((await first.decide(ops, caseId, 'payout_released', 'Registration verified.')).status).toBe(202);
    await first.waitForStatus(seller, caseId, 'resolved');

    // Act: killed before the follow-up is due, and kept down past it
    const { client } = await killAndRestart(runtime, 12_000, { dataDir, ports, env });

    // Assess: the seller is asked, once
    await sentOnce(client, 'the follow-up', async () =>
      (await client.outbox(caseId)).filter(
        (m) =>
          m.to === 'follow-up@example.com' &&
          m.headers?.['X-SellerWorks-Template'] === 'payout-hold.follow-up@1',
      ),
    );
  }, 120_000);
});
