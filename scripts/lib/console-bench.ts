import { existsSync } from 'node:fs';
import { LOCAL } from '../../infra/local/local-config.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import type { LocalRuntime } from '../../infra/local/runtime.ts';
import { CHROMIUM, launchChromium } from './chromium.ts';
import type { SellerWorksClient } from './sellerworks-client.ts';

const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
};
const summary = (ms: readonly number[]) =>
  `median ${quantile(ms, 0.5).toFixed(0)} ms, p95 ${quantile(ms, 0.95).toFixed(0)} ms (${ms.length} runs)`;

const time = async (runs: number, fn: () => Promise<unknown>) => {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    ms.push(performance.now() - started);
  }
  return ms;
};

const median = (ms: readonly number[]) => quantile(ms, 0.5);

/**
 * The ops console at scale: seeds the runtime's store up to each of `sizes` cases in turn (their
 * scoreboard totals added summed, the table stream skipping them: seed-cases.ts), and at each size times the list API (plain,
 * filtered, a rare filter, a search), the SLA board and the scoreboard, as API server time; then compares
 * the sizes (the read paths must stay flat: the largest at most 1.5× the smallest). Last, the console's
 * pages in Chromium from navigation to the page drawn, at the largest size.
 */
export const benchConsole = async (
  runtime: LocalRuntime,
  client: SellerWorksClient,
  sizes: readonly number[],
  /**
   * The product's DynamoDB use so far (its client's requests and read units), when the caller meters it:
   * each probe then also prints what one call reads, which on AWS is what grows or stays flat.
   */
  meter?: () => { readonly requests: number; readonly read: number },
) => {
  const db = localTableClient(runtime.dynamoDbEndpoint);
  // The case store reads its table name at import: load it once the runtime has set the environment.
  const { seedCases } = await import('../../infra/local/seed-cases.ts');
  const token = await client.opsToken();
  const api = async (path: string) => {
    const res = await fetch(`${runtime.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ cases?: unknown[]; teams?: { cases: unknown[] }[]; view?: string }>;
  };
  const flat: Record<string, number[]> = {};
  const reads: Record<string, number[]> = {};
  let seeded = 0;
  let ids: string[] = [];
  let listed: { cases?: unknown[] } = {};
  for (const size of sizes) {
    const seeding = performance.now();
    // The bench's own cases folded first; then the seeded ones, their scoreboard totals summed as they are
    // written and the stream skipping them (a change at a time would take hours at 100,000).
    await runtime.tableStream.caughtUp();
    const more = await runtime.tableStream.skipWrites(() =>
      seedCases(db, LOCAL.tableName, size - seeded, Date.now(), seeded, { summed: true }),
    );
    ids = [...ids, ...more];
    const seededIn = (performance.now() - seeding) / 1000;
    seeded = size;
    listed = await api('/ops/cases?limit=50');
    const probes: [string, string, number][] = [
      ['list, first page of 50', '/ops/cases?limit=50', 20],
      ['list, family + status', '/ops/cases?family=payout-hold&status=handed_off', 20],
      ['list, team + status', '/ops/cases?team=disputes&status=handed_off', 20],
      ["list, a seller's cases", '/ops/cases?seller=seed-seller-7', 20],
      ['list, SLA at risk', '/ops/cases?sla=at_risk', 20],
      ['list, tier + region + channel', '/ops/cases?tier=top_rated&region=EU&channel=api', 20],
      ['list, SLA breached', '/ops/cases?sla=breached', 20],
      ['list, a rare team', '/ops/cases?team=compliance-senior&status=awaiting_seller', 20],
      ['search by case id', `/ops/cases?q=${ids[Math.floor(ids.length / 2)]}`, 20],
      ['SLA board', '/ops/sla', 10],
      ['scoreboard', '/ops/metrics', 10],
    ];
    console.log(`
ops console with ${size.toLocaleString('en')} seeded cases (+ the bench's own), seeded (scoreboard totals summed) in ${seededIn.toFixed(1)} s
  API (server time, warm)`);
    for (const [label, path, runs] of probes) {
      await api(path);
      const answer = await api(path);
      const rows = answer.cases?.length ?? answer.teams?.reduce((n, t) => n + t.cases.length, 0);
      const before = meter?.();
      const ms = await time(runs, () => api(path));
      const after = meter?.();
      flat[label] = [...(flat[label] ?? []), median(ms)];
      const work =
        before && after
          ? `; per call ${((after.requests - before.requests) / runs).toFixed(0)} DynamoDB requests, ${((after.read - before.read) / runs).toFixed(1)} read units`
          : '';
      if (before && after) reads[label] = [...(reads[label] ?? []), (after.read - before.read) / runs];
      console.log(
        `    ${label.padEnd(32)} ${summary(ms)}${rows === undefined ? '' : `, ${rows} rows`}${answer.view ? ` (${answer.view} view)` : ''}${work}`,
      );
    }
  }
  db.destroy();
  if (sizes.length > 1) {
    const [small, large] = [sizes[0]!, sizes.at(-1)!];
    console.log(
      `\n  flat as the store grows: median at ${large.toLocaleString('en')} cases ÷ median at ${small.toLocaleString('en')} (target ≤ 1.5×)`,
    );
    for (const label of Object.keys(flat).filter((l) => l !== 'search by case id')) {
      const [a, b] = [flat[label]?.[0] ?? 0, flat[label]?.at(-1) ?? 0];
      const ratio = b / Math.max(a, 0.001);
      const [ra, rb] = [reads[label]?.[0], reads[label]?.at(-1)];
      const work =
        ra !== undefined && rb !== undefined
          ? `; read units ${ra.toFixed(1)} → ${rb.toFixed(1)}: ${(rb / Math.max(ra, 0.5)).toFixed(2)}×`
          : '';
      console.log(
        `    ${label.padEnd(32)} ${a.toFixed(0)} ms → ${b.toFixed(0)} ms: ${ratio.toFixed(2)}× (${ratio <= 1.5 ? 'within' : 'OVER'})${work}`,
      );
    }
  }

  if (!existsSync(CHROMIUM)) {
    console.log(`  browser: skipped (no Chromium at ${CHROMIUM}; apt-get install chromium)`);
    return;
  }
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const load = (hash: string) => async () => {
      await page.goto('about:blank');
      await page.goto(`${runtime.apiUrl}/console${hash}`);
      await page.waitForSelector('#app[data-loaded]', { timeout: 30_000 });
    };
    const firstCase = (listed.cases?.[0] as { caseId: string } | undefined)?.caseId ?? ids[0];
    await load('#/cases')();
    console.log('  pages in Chromium (navigation to drawn, incl. sign-in and the API calls)');
    console.log(`    ${'case list (50 newest)'.padEnd(32)} ${summary(await time(10, load('#/cases')))}`);
    console.log(
      `    ${'case list, filtered'.padEnd(32)} ${summary(await time(10, load('#/cases?family=payout-hold&status=handed_off')))}`,
    );
    console.log(`    ${'case page'.padEnd(32)} ${summary(await time(10, load(`#/cases/${firstCase}`)))}`);
    console.log(`    ${'metrics page'.padEnd(32)} ${summary(await time(5, load('#/metrics')))}`);
  } finally {
    await browser.close();
  }
};
