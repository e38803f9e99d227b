import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { portsOf } from '../support/runtime-ports.ts';

const intake = JSON.parse(
  await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
);
const dataDir = await mkdtemp(join(tmpdir(), 'sw-restart-'));
let runtime: LocalRuntime | undefined;

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('restarting the local runtime', () => {
  it('keeps a case that was waiting for the seller, and the reply they already had still resumes it', async () => {
    // Prepare: a case waiting for evidence, then the runtime stops mid-wait
    runtime = await startLocalRuntime({ dataDir });
    const ports = portsOf(runtime);
    let client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
    const seller = await client.sellerToken('seller-restart');
    const { body } = await client.openCase(seller, {
      ...intake,
      reason: 'verification_required',
      sellerEmail: 'restart@example.com',
    });
    expect(body).toMatchObject({ caseId: expect.any(String) });
    await client.waitForStatus(seller, body.caseId, 'awaiting_seller');
    // The wait is committed before its email leaves: stop once the seller has the request.
    const request = await client.waitForMessage(body.caseId, 'the evidence request', (m) => !!m.replyTo);
    await runtime.stop();
    runtime = undefined;

    // Act: start again on the same data (same ports: the handlers' clients are configured once per process)
    runtime = await startLocalRuntime({ dataDir, ...ports });
    client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
    const afterRestart = await client.getCase(seller, body.caseId);
    await client.sendReply(request?.replyTo ?? '', { from: 'restart@example.com' });
    await client.waitForStatus(seller, body.caseId, 'handed_off');
    const ops = await client.opsToken();
    expect((await client.decide(ops, body.caseId, 'payout_released', 'Documents verified.')).status).toBe(
      202,
    );
    const resolved = await client.waitForStatus(seller, body.caseId, 'resolved');

    // Assess: nothing was lost or sent twice
    expect(afterRestart.body.status).toBe('awaiting_seller');
    const types = resolved.timeline.map((e) => e.type);
    // The wait was never left: the engine continued it, so nothing re-bound it.
    expect(types).not.toContain('evidence.wait_resumed');
    expect(types.filter((t) => t === 'evidence.requested')).toHaveLength(1);
    await client.waitForMessage(body.caseId, 'the decision', (m) => m.subject.includes('Decision on'));
    const emails = (await client.outbox(body.caseId)).filter((m) => m.channel === 'email');
    expect(emails.map((m) => m.subject)).toEqual([
      expect.stringContaining('Action needed: evidence'),
      expect.stringContaining('Decision on'),
    ]);
  }, 90_000);
});
