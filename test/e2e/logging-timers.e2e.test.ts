import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * A case's timers log under its correlation id too. Case time runs 50,000× faster (a day in under two
 * seconds), so the evidence request's reminder rings while the test watches; its own runtime, because the
 * handlers read the time scale once, at init.
 */
let runtime: LocalRuntime;
let client: SellerWorksClient;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sellerworks-logging-timers-'));
  runtime = await startLocalRuntime({ dataDir, timeScale: 50_000 });
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the functions’ log', () => {
  it('logs a case’s timer with the case and the correlation id of the request that opened it', async () => {
    // Prepare
    const correlationId = 'portal-req-timers-01';
    const sellerEmail = 'seller-timers@example.com';
    const intake = JSON.parse(
      await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const seller = await client.sellerToken('seller-timers');

    // Act: the seller does not answer; the case's alarm rings for the reminder.
    const opened = await client.request<{ caseId: string }>('POST', '/cases', {
      token: seller,
      body: { ...intake, sellerEmail },
      headers: { 'idempotency-key': 'logging-timers-0001', 'x-correlation-id': correlationId },
    });
    expect(opened.status).toBe(202);
    const { caseId } = opened.body;

    // Assess
    const timerLine = await client.waitFor(
      'a FireTimer line of the case',
      async () => {
        const text = await readFile(runtime.logPath, 'utf8');
        return text
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find(
            (line) =>
              line.function === 'sellerworks-fire-timer' &&
              line.caseId === caseId &&
              line.message === 'invocation ended',
          );
      },
      30_000,
    );
    expect(timerLine).toMatchObject({ caseId, family: 'payout-hold', correlationId, outcome: 'success' });
    expect(await readFile(runtime.logPath, 'utf8')).not.toContain(sellerEmail);
  }, 60_000);
});
