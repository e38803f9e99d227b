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

/**
 * The ops console at scale: seeds `count` cases into the runtime's store, then times the list API (plain,
 * filtered, a rare filter, a search), the scoreboard over every case, and the console's pages in Chromium
 * from navigation to the page drawn (the list page is the figure issue 6 asks for).
 */
export const benchConsole = async (runtime: LocalRuntime, client: SellerWorksClient, count: number) => {
  const db = localTableClient(runtime.dynamoDbEndpoint);
  // The case store reads its table name at import: load it once the runtime has set the environment.
  const { seedCases } = await import('./seed-cases.ts');
  const seeding = performance.now();
  const ids = await seedCases(db, LOCAL.tableName, count);
  const seededIn = (performance.now() - seeding) / 1000;
  db.destroy();

  const token = await client.opsToken();
  const api = async (path: string) => {
    const res = await fetch(`${runtime.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ cases?: unknown[] }>;
  };
  const listed = await api('/ops/cases?limit=50');
  const probes: [string, string][] = [
    ['list, first page of 50', '/ops/cases?limit=50'],
    ['list, family + status', '/ops/cases?family=payout-hold&status=handed_off'],
    ['list, tier + region + channel', '/ops/cases?tier=top_rated&region=EU&channel=api'],
    ['list, SLA breached', '/ops/cases?sla=breached'],
    ['list, a rare team', '/ops/cases?team=compliance-senior&status=awaiting_seller'],
    ['search by case id', `/ops/cases?q=${ids[Math.floor(ids.length / 2)]}`],
  ];
  console.log(`
ops console with ${count.toLocaleString('en')} seeded cases (+ the bench's own), seeded in ${seededIn.toFixed(1)} s
  API (server time, warm)`);
  for (const [label, path] of probes) {
    await api(path);
    const rows = (await api(path)).cases?.length ?? 0;
    console.log(`    ${label.padEnd(32)} ${summary(await time(20, () => api(path)))}, ${rows} rows`);
  }
  console.log(
    `    ${'scoreboard over every case'.padEnd(32)} ${summary(await time(5, () => api('/ops/metrics')))}`,
  );

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
