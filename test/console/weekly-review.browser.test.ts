import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WeeklyReview } from '../../functions/domain/weekly-review.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { type ConsoleCases, makeConsoleCases } from '../support/console-cases.ts';

/** The weekly review page in Chromium: the API's figures as charts and tables, each with its cases linked. */
let runtime: LocalRuntime;
let client: SellerWorksClient;
let browser: Browser;
let cases: ConsoleCases;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  [runtime, browser] = await Promise.all([startLocalRuntime(), launchChromium()]);
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  cases = await makeConsoleCases(client);
  await runtime.tableStream.caughtUp();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

beforeEach(async () => {
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.setDefaultTimeout(15_000);
});

afterEach(async () => {
  await page.context().close();
  expect(pageErrors.splice(0)).toEqual([]);
});

const open = async (hash: string) => {
  await page.goto(`${runtime.apiUrl}/console${hash}`);
  await page.waitForSelector('#app[data-loaded], #app .error');
};

describe('the weekly review page', () => {
  it("draws the current week's time to resolution by phase and team, each line linked to its cases", async () => {
    const ops = await client.opsToken();
    const api = (await client.request<WeeklyReview>('GET', '/ops/reviews/weekly', { token: ops })).body;
    expect(api.timeToResolution.stretches).toBeGreaterThanOrEqual(1);

    await open('#/weekly');

    expect(await page.locator('h1').innerText()).toBe(`Weekly review ${api.week}`);
    expect(await page.locator('#review-week').inputValue()).toBe(api.week);
    const phases = await page
      .locator('table[data-figure="phases"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row')));
    expect(phases).toEqual(api.timeToResolution.phases.map((p) => p.phase));
    const bars = await page
      .locator('svg.chart rect.bar[data-series="share"]')
      .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('data-value'))));
    expect(bars).toEqual(api.timeToResolution.phases.map((p) => p.share));
    const disputes = page.locator('table[data-figure="teams"] tr[data-row="disputes"]');
    expect(await disputes.locator('td.cases a').allInnerTexts()).toContain(cases.resolved);

    await disputes.locator(`td.cases a:has-text("${cases.resolved}")`).click();
    await page.waitForSelector('#app[data-loaded]');
    expect(page.url()).toContain(`#/cases/${cases.resolved}`);
  });

  it('moves to the previous week, and shows the reason the API refuses a week for', async () => {
    await open('#/weekly?week=2026-W49');
    await page.click('button:has-text("previous week")');
    await page.waitForSelector('h1:has-text("Weekly review 2026-W48")');
    expect(await page.locator('table[data-figure="phases"], p[data-figure="phases"]').innerText()).toBe(
      'None this week.',
    );

    await open('#/weekly?week=2025-W53');
    expect(await page.locator('.error').innerText()).toContain('week: must be a week from 01 to 52');
  });
});
