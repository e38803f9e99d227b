import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL } from '../../infra/local/local-config.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { scanCaseItems } from '../support/case-items.ts';
import { recomputedScoreboard } from '../support/scoreboard.ts';

/**
 * The scoreboard's totals, kept per segment and day from the table's stream, against a recomputation over
 * every case in the table: the same figures, after cases are written, changed, and a batch is delivered
 * twice.
 */
let runtime: LocalRuntime;
let client: SellerWorksClient;
let ops: string;
const NOW = Date.parse('2026-12-06T12:00:00.000Z');

beforeAll(async () => {
  runtime = await startLocalRuntime({});
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  ops = await client.opsToken();
  const { seedCases } = await import('../../infra/local/seed-cases.ts');
  const db = localTableClient(runtime.dynamoDbEndpoint);
  // Numbered from 10,000: the cases `POST /dev/seed` adds below are numbered from 0.
  await seedCases(db, LOCAL.tableName, 500, NOW, 10_000);
  db.destroy();
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

const scanCases = () => scanCaseItems(runtime.dynamoDbEndpoint);

const answered = async (query = '') => {
  await runtime.tableStream.caughtUp();
  const { status, body } = await client.request<Record<string, unknown>>('GET', `/ops/metrics${query}`, {
    token: ops,
  });
  expect(status).toBe(200);
  return body;
};

describe('the scoreboard kept from the table stream', () => {
  it('equals a recomputation over every case, overall, per segment, and from a day on', async () => {
    const cases = await scanCases();
    expect(cases.length).toBe(500);

    const body = await answered();
    expect(body).toMatchObject(recomputedScoreboard(cases));
    expect((body.all as { cases: number }).cases).toBe(500);

    const since = '2026-11-20T15:30:00.000Z';
    const from = await answered(`?since=${since}`);
    expect(from).toMatchObject({
      since,
      countedFrom: '2026-11-20T00:00:00.000Z',
      ...recomputedScoreboard(cases, '2026-11-20'),
    });
    expect((from.all as { cases: number }).cases).toBeLessThan(500);
  }, 60_000);

  it('follows cases that change, and counts a batch delivered twice once', async () => {
    // A real case through the workflow: intake, the seller's evidence, a decision.
    const seller = await client.sellerToken('seller-scoreboard');
    const body = JSON.parse(
      await (await import('node:fs/promises')).readFile(
        new URL('../../events/intake/payout-hold.json', import.meta.url),
        'utf8',
      ),
    );
    const { caseId } = (await client.openCase(seller, { ...body, sellerEmail: 'scoreboard@example.com' }))
      .body;
    await client.waitForStatus(seller, caseId, 'awaiting_seller', 30_000);
    await client.addEvidence(seller, caseId, ['business_registration'], 'Certificate 4471.');
    await client.waitForStatus(seller, caseId, 'handed_off', 30_000);
    await client.decide(ops, caseId, 'payout_released', 'Verified.');
    await client.waitForStatus(seller, caseId, 'resolved', 30_000);
    expect(await answered()).toMatchObject(recomputedScoreboard(await scanCases()));

    // The same changes delivered again, as a retried stream batch would be: nothing counts twice.
    const again = (await scanCases()).slice(0, 40).map((item) => ({
      eventName: 'INSERT',
      dynamodb: {
        Keys: marshall({ pk: `CASE#${item.caseId}`, sk: 'CASE' }),
        NewImage: marshall(item, { removeUndefinedValues: true }),
      },
    }));
    const redelivered = (await runtime.functions.invoke('FoldCaseChanges', { Records: again })) as {
      scored: number;
    };
    expect(redelivered.scored).toBe(0);
    const cases = await scanCases();
    expect(await answered()).toMatchObject(recomputedScoreboard(cases));
    expect(((await answered()).all as { cases: number }).cases).toBe(501);
  }, 120_000);

  it('adds a bulk load summed, the stream skipping it, to the same totals (POST /dev/seed)', async () => {
    // The bench's way to 20,000 and 100,000 cases: totals summed per segment and day, the seeded items not
    // folded. Two loads asked for at once go one after the other, the second numbered on from the first.
    const loads = await Promise.all([
      client.request<{ seeded: number; first: number }>('POST', '/dev/seed?cases=200'),
      client.request<{ seeded: number; first: number }>('POST', '/dev/seed?cases=100'),
    ]);
    expect(loads.map((l) => l.status)).toEqual([201, 201]);
    const [one, two] = loads.map((l) => l.body).sort((a, b) => a.first - b.first);
    expect(one?.first).toBe(0);
    expect(two?.first).toBe(one?.seeded);
    expect((one?.seeded ?? 0) + (two?.seeded ?? 0)).toBe(300);

    const cases = await scanCases();
    expect(cases).toHaveLength(801);
    const body = await answered();
    expect(body).toMatchObject(recomputedScoreboard(cases));
    expect((body.all as { cases: number }).cases).toBe(801);
    expect(await answered('?since=2026-11-20T00:00:00.000Z')).toMatchObject(
      recomputedScoreboard(cases, '2026-11-20'),
    );
  }, 120_000);

  it('refuses a seed of no cases, too many, or not a number, and adds nothing', async () => {
    for (const cases of ['0', '-5', '1e3', '100001', 'many', '']) {
      const refused = await client.request('POST', `/dev/seed?cases=${cases}`);
      expect(refused).toMatchObject({
        status: 400,
        body: { error: { issues: [{ path: 'query.cases' }] } },
      });
    }
    expect(await scanCases()).toHaveLength(801);
  }, 60_000);
});

describe('the scoreboard across a SIGKILL', () => {
  it('counts every case once after the runtime is killed mid-burst and started again', async () => {
    const { mkdtemp, rm, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { freeRuntimePorts, startRuntimeProcess } = await import('../support/runtime-process.ts');
    const dataDir = await mkdtemp(join(tmpdir(), 'sw-scoreboard-kill-'));
    const ports = await freeRuntimePorts();
    let process_ = await startRuntimeProcess(dataDir, ports);
    try {
      // Prepare: a burst of intakes, the stream busy folding them.
      let local = new SellerWorksClient(process_.apiUrl, process_.smtpPort);
      const intake = JSON.parse(
        await readFile(new URL('../../events/intake/shipping-exception.json', import.meta.url), 'utf8'),
      );
      const seller = await local.sellerToken('seller-scoreboard-kill');
      const opened = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          local.openCase(seller, { ...intake, sellerEmail: `kill-${i}@example.com` }),
        ),
      );
      expect(opened.every((o) => o.status === 202)).toBe(true);

      // Act: killed while the cases move and the stream folds, then started on the same data.
      await process_.kill();
      process_ = await startRuntimeProcess(dataDir, ports);
      local = new SellerWorksClient(process_.apiUrl, process_.smtpPort);
      const supervisor = await local.opsToken();

      // Assess: once the stream has caught up, the totals are those of the cases in the table.
      const casesNow = () => scanCaseItems(process_.dynamoDbEndpoint);
      const settled = await local.waitFor(
        'the scoreboard to agree with the cases',
        async () => {
          const cases = await casesNow();
          const { body } = await local.request<Record<string, unknown>>('GET', '/ops/metrics', {
            token: supervisor,
          });
          try {
            expect(body).toMatchObject(recomputedScoreboard(cases));
            return { cases, body };
          } catch {
            return undefined;
          }
        },
        60_000,
      );
      expect(settled.cases).toHaveLength(30);
      expect((settled.body.all as { cases: number }).cases).toBe(30);
    } finally {
      await process_.kill();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
