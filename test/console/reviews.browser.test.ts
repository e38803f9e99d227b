import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isSampled } from '../../functions/domain/review-scores.ts';
import { payoutHold } from '../../functions/policy/payout-hold/index.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * The console's review pages in Chromium: a sampled payout hold, decided by the supervisor, waits in the
 * review queue; the supervisor sees it as their own decision, an agent of another team opens it with its
 * decision, handoff and timeline, is told by the API what the form lacks, records the review, and reads
 * the scores by team and by agent.
 */

let runtime: LocalRuntime;
let client: SellerWorksClient;
let browser: Browser;
let page: Page;
let caseId = '';
const pageErrors: string[] = [];

/** Opens payout holds until one falls in the family's review sample; the supervisor decides it. */
const sampledDecidedCase = async () => {
  const supervisor = await client.opsToken();
  const intake = JSON.parse(
    await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  for (let i = 1; i <= 80; i += 1) {
    const seller = await client.sellerToken(`seller-console-review-${i}`);
    const { caseId: id } = (
      await client.openCase(seller, { ...intake, payoutId: `po_console_review_${i}`, amount: 800 })
    ).body;
    if (!isSampled(id, payoutHold.review.sampleShare)) continue;
    await client.untilOpsCase<{ status: string }>(
      supervisor,
      id,
      'asking',
      (c) => c.status === 'awaiting_seller',
    );
    await client.addEvidence(
      seller,
      id,
      ['identity_document', 'business_registration'],
      'Passport and certificate.',
    );
    await client.untilOpsCase<{ status: string }>(
      supervisor,
      id,
      'with the team',
      (c) => c.status === 'handed_off',
    );
    expect((await client.decide(supervisor, id, 'payout_released', 'Documents match.')).status).toBe(202);
    await client.waitForStatus(seller, id, 'resolved');
    return id;
  }
  throw new Error('no sampled case in 80');
};

beforeAll(async () => {
  [runtime, browser] = await Promise.all([startLocalRuntime(), launchChromium()]);
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  caseId = await sampledDecidedCase();
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
  await page.waitForSelector('#app[data-loaded]');
};

const viewAs = async (team: string) => {
  await page.waitForSelector(`#viewer option[value="${team}"]`, { state: 'attached' });
  await page.selectOption('#viewer', team);
  await page.waitForSelector('#app[data-loaded]');
};

describe('the review pages', () => {
  it('lists the sampled case, refuses its decider, and records another reviewer’s scores', async () => {
    await open('#/reviews');
    const row = page.locator(`tr[data-case-id="${caseId}"]`);
    expect(await row.innerText()).toMatch(
      /payout hold\s+sampled\s+payout released\s+ops-supervisor\s+verification/,
    );
    expect(await row.innerText()).toContain('your decision');

    await viewAs('payments-support');
    await row.locator('a.button').click();
    await page.waitForSelector('#review-score form[name=review]');
    expect(await page.locator('#review-decision').innerText()).toMatch(/Decided by\s+ops-supervisor/);
    expect(await page.locator('#review-handoff').innerText()).toMatch(/Handed to the verification team/);
    expect(await page.locator('#timeline li[data-type="case.decided"]').count()).toBe(1);

    const form = page.locator('form[name=review]');
    for (const [criterion, score] of [
      ['decisionCorrectness', 2],
      ['explanationClarity', 4],
      ['handoffCompleteness', 5],
      ['policyAdherence', 4],
    ] as const)
      await form.locator(`input[name=${criterion}][value="${score}"]`).check();
    await form.locator('button[type=submit]').click();
    await page.waitForSelector('form[name=review] .result.error');
    expect(await form.locator('.result').innerText()).toMatch(/422[\s\S]*comments\.decisionCorrectness/);

    await form
      .locator('textarea[name=comment-decisionCorrectness]')
      .fill('Released before the certificate was checked.');
    await form.locator('button[type=submit]').click();
    await page.waitForSelector('form[name=review] .result.ok');
    await page.waitForFunction((id) => !document.querySelector(`tr[data-case-id="${id}"]`), caseId);
  });

  it('shows the scores by team and by agent', async () => {
    await open('#/review-results?by=team');
    const team = page.locator('table.review-results tr[data-segment="verification"]');
    expect(await team.locator('[data-kpi=reviews]').innerText()).toBe('1');
    expect(await team.locator('[data-kpi=decisionCorrectness]').innerText()).toBe('2');
    expect(await team.locator('[data-kpi=overall]').innerText()).toBe('3.75');
    expect(await page.locator('#review-kpis [data-kpi=reviews]').innerText()).toContain('1');
    expect(await page.locator('svg.chart').count()).toBe(2);
    const bar = page.locator('svg.chart rect.bar[data-segment="verification"][data-series="correctness"]');
    expect(await bar.getAttribute('data-value')).toBe('2');

    await page.locator('nav.segments a', { hasText: 'Agent' }).click();
    await page.waitForSelector('table.review-results[data-by=agent]');
    expect(
      await page.locator('table.review-results tr[data-segment="ops-supervisor"] [data-kpi=low]').innerText(),
    ).toBe('1');
  });
});
