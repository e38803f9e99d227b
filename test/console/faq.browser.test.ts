import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { CORPUS } from '../unit/faq/statement-corpus.ts';

/**
 * The console's FAQ page on a fresh local runtime: payout holds opened through the intake API with like
 * statements (the unit corpus's), folded into groups through the table's stream, read and marked in
 * headless Chromium as ops do.
 */
let runtime: LocalRuntime;
let client: SellerWorksClient;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** Case ids by concern: three sellers asking when their payout is released, two asking why it was held. */
const cases: Record<'released' | 'held', string[]> = { released: [], held: [] };
const statements = {
  released: CORPUS.filter((s) => s.concern === 'when-released').slice(0, 3),
  held: CORPUS.filter((s) => s.concern === 'why-held').slice(0, 2),
};

type Group = { groupId: string; size: number; templates: unknown[] };

beforeAll(async () => {
  [runtime, browser] = await Promise.all([startLocalRuntime(), launchChromium()]);
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  let n = 0;
  for (const concern of ['released', 'held'] as const)
    for (const statement of statements[concern]) {
      n++;
      const seller = await client.sellerToken(`seller-faq-console-${n}`);
      const opened = await client.openCase(seller, {
        family: 'payout-hold',
        payoutId: `po_faq_console_${n}`,
        reason: 'risk_review',
        amount: 200 + n,
        currency: 'EUR',
        heldSince: '2026-11-18',
        region: 'EU',
        sellerEmail: `seller-faq-console-${n}@example.com`,
        details: statement.text,
      });
      expect(opened.status).toBe(202);
      cases[concern].push(String(opened.body.caseId));
    }
  // The groups follow the table's stream: wait until both hold their cases and the template that answered.
  const ops = await client.opsToken();
  await client.waitFor(
    'two groups of risk reviews, each with the template of its first email',
    async () => {
      await runtime.tableStream.caughtUp();
      const { body } = await client.request<{ groups: Group[] }>(
        'GET',
        '/ops/faq?family=payout-hold&reason=risk_review',
        { token: ops },
      );
      const sizes = body.groups.map((g) => g.size);
      return sizes.join() === '3,2' && body.groups.every((g) => g.templates.length > 0) ? true : undefined;
    },
    90_000,
  );
}, 180_000);

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

/** After a filter changed the address: the page drawn again for it. */
const reloaded = async (urlPart: string) => {
  await page.waitForURL((url) => url.hash.includes(urlPart));
  await page.waitForSelector('#app[data-loaded] #faq-status:not(:has-text("Loading"))');
};

const shownGroups = () =>
  page.locator('article.faq-group').evaluateAll((all) => all.map((a) => a.getAttribute('data-group-id')));

describe('the FAQ page', () => {
  it('shows a reason’s recurring statements as groups, and marks one as an FAQ candidate', async () => {
    await open('#/faq');
    await page.selectOption('select[name=family]', 'payout-hold');
    await reloaded('family=payout-hold');
    await page.selectOption('select[name=reason]', 'risk_review');
    await reloaded('reason=risk_review');

    // The larger group first, with its size, trend, examples and the template that answered it.
    expect(await page.locator('article.faq-group').count()).toBe(2);
    const released = page.locator('article.faq-group').first();
    expect(await released.locator('h2.representative').innerText()).toBe(`“${statements.released[0]?.text}”`);
    expect(await released.innerText()).toMatch(/Size\s+3 statements from 3 cases/);
    const examples = await released
      .locator('ul.examples a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect([...examples].sort()).toEqual(cases.released.map((id) => `#/cases/${id}`).sort());
    expect(await released.locator('code.template').allInnerTexts()).toEqual([
      expect.stringMatching(/^payout-hold\.[\w.-]+@\d+$/),
    ]);
    const weekCounts = await released
      .locator('svg.week-bars rect.week')
      .evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('data-count'))));
    expect(weekCounts).toHaveLength(8);
    expect(weekCounts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(await page.locator('#faq-reason').innerText()).toMatch(/reviewing unusual activity/);

    // A note of blanks is refused by the API, which names the field; nothing is marked.
    await released.locator('input[name=note]').fill('   ');
    await released.locator('button:has-text("Mark as FAQ candidate")').click();
    await released.locator('form[name=faq-mark] .result.error').waitFor();
    expect(await released.locator('form[name=faq-mark] .result').innerText()).toMatch(/422[\s\S]*note: /);

    await released.locator('input[name=note]').fill('Say how long a risk review takes.');
    await released.locator('button:has-text("Mark as FAQ candidate")').click();
    const marked = page.locator(`article.faq-group[data-candidate]`);
    await marked.waitFor();
    expect(await marked.innerText()).toMatch(/FAQ candidate\s*marked by .+ at 20\d\d-/);
    expect(await marked.locator('blockquote').innerText()).toBe('Say how long a risk review takes.');

    // Candidates only: the marked group alone, with its note; an example link opens its case.
    await page.check('input[name=candidates]');
    await reloaded('candidates=true');
    expect(await shownGroups()).toEqual([await marked.getAttribute('data-group-id')]);
    expect(await page.locator('article.faq-group blockquote').innerText()).toBe(
      'Say how long a risk review takes.',
    );
    await page.locator('article.faq-group ul.examples a').first().click();
    await page.waitForURL((url) => url.hash.startsWith('#/cases/case_'));
    await page.waitForSelector('#app[data-loaded] #facts');
    expect(cases.released).toContain(decodeURIComponent(new URL(page.url()).hash.slice('#/cases/'.length)));
    await page.goBack();
    await reloaded('candidates=true');

    // Cleared, the group leaves the candidates.
    await page.locator('article.faq-group button:has-text("Clear")').click();
    await page.locator('article.faq-group:not([data-candidate]) .result.ok').waitFor();
    await page.reload();
    await page.waitForSelector('#app[data-loaded]');
    expect(page.url()).toContain('candidates=true');
    expect(await page.locator('#faq-status').innerText()).toMatch(/No group of this reason is marked/);
  });

  it('pages with the cursor, and shows the API’s refusal of a reason the family does not have', async () => {
    await open('#/faq?family=payout-hold&reason=risk_review&limit=1');
    const first = await shownGroups();
    expect(first).toHaveLength(1);
    expect(await page.locator('#faq-status').innerText()).toMatch(/more below/);

    // A full page may end the list without the API knowing yet (DynamoDB stops at the limit): the
    // button goes once a page comes back short.
    for (let clicks = 0; clicks < 3 && (await page.locator('button.more').isVisible()); clicks++) {
      await page.click('button.more');
      await page.waitForSelector('button.more:not([disabled])', { state: 'attached' });
    }
    const both = await shownGroups();
    expect(both).toHaveLength(2);
    expect(both[0]).toBe(first[0]);
    expect(new Set(both).size).toBe(2);
    expect(await page.locator('button.more').isHidden()).toBe(true);
    expect(await page.locator('#faq-status').innerText()).toBe('2 groups shown, largest first.');

    await open('#/faq?family=payout-hold&reason=item_defective');
    expect(await page.locator('#faq-status.error').innerText()).toMatch(
      /422[\s\S]*reason: one of verification_required, risk_review, negative_balance/,
    );
    expect(await page.locator('article.faq-group').count()).toBe(0);
  });
});
