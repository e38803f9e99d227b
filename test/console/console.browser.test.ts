import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { type ConsoleCases, makeConsoleCases } from '../support/console-cases.ts';

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
  // The scoreboard follows the table stream: let it take in these cases first.
  await runtime.tableStream.caughtUp();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

beforeEach(async () => {
  // A fresh context per test: the viewer picked in one test (sessionStorage) must not leak into the next.
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

const listedIds = () =>
  page.locator('tr[data-case-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')));

describe('the case list', () => {
  it('shows every case, newest first, with its family, status, team and SLA', async () => {
    await open('#/cases');

    expect(await listedIds()).toEqual([cases.open, cases.protectedEvidence, cases.resolved]);
    const resolvedRow = page.locator(`tr[data-case-id="${cases.resolved}"]`);
    expect(await resolvedRow.innerText()).toMatch(
      /buyer dispute\s+resolved\s+disputes\s+standard\s+US\s+portal/,
    );
  });

  it('narrows to a family and a team with the filters, and finds a case by id', async () => {
    await open('#/cases');

    await page.selectOption('select[name=family]', 'payout-hold');
    await page.waitForFunction(
      (id) =>
        document.querySelectorAll('tr[data-case-id]').length === 1 &&
        document.querySelector(`tr[data-case-id="${id}"]`),
      cases.protectedEvidence,
    );
    expect(page.url()).toContain('family=payout-hold');

    await page.selectOption('select[name=team]', 'disputes');
    await page.waitForSelector('#list-status:has-text("No cases match")');

    await open('#/cases');
    await page.fill('input[name=q]', cases.open);
    await page.press('input[name=q]', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-case-id]').length === 1);
    expect(await listedIds()).toEqual([cases.open]);
  });

  it('shows a new case without a reload', async () => {
    await open('#/cases');
    const seller = await client.sellerToken('seller-console-4');
    const intake = JSON.parse(
      await readFile(new URL('../../events/intake/integration-problem.json', import.meta.url), 'utf8'),
    );

    const opened = await client.openCase(seller, { ...intake, sellerEmail: 'seller-console-4@example.com' });

    await page.waitForSelector(`tr[data-case-id="${opened.body.caseId}"]`, { timeout: 10_000 });
    expect((await listedIds())[0]).toBe(opened.body.caseId);
  });
});

describe('the case page', () => {
  it('puts the seller and order facts, evidence, messages, routing and timeline in one place', async () => {
    await open(`#/cases/${cases.resolved}`);

    expect(await page.locator('#facts').innerText()).toMatch(/order id\s+114-3941689-8772232/);
    expect(await page.locator('#latest').innerText()).toContain('Decision on the buyer dispute');
    expect(await page.locator('#routing').innerText()).toMatch(/Routed to disputes by rule/);
    const evidence = page.locator('#evidence article.evidence');
    expect(await evidence.count()).toBe(3);
    const photo = page.locator('#evidence ul.attachments a').first();
    expect(await photo.innerText()).toMatch(/\.png$/);
    expect(await photo.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sellerworks-evidence\//);
    const templates = await page.locator('#messages code.template').allInnerTexts();
    expect(templates).toHaveLength(4);
    for (const template of templates) expect(template).toMatch(/^buyer-dispute\.[\w.-]+@\d+$/);
    const timeline = await page
      .locator('#timeline li')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-type')));
    expect(timeline[0]).toBe('case.received');
    expect(timeline.at(-1)).toBe('case.resolved');
  });

  it('shows delivery details for a family that has them', async () => {
    await open(`#/cases/${cases.open}`);

    expect(await page.locator('#facts h3').allInnerTexts()).toContain('Delivery');
    expect(await page.locator('#facts').innerText()).toMatch(/tracking number\s+1Z999AA10123456784/);
  });

  it('marks a reply kept whole because no words of its own could be told from its quote', async () => {
    // A payout hold whose seller answered the documents request with nothing but the quoted request.
    const seller = await client.sellerToken('seller-console-5');
    const intake = JSON.parse(
      await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
    );
    const opened = await client.openCase(seller, { ...intake, sellerEmail: 'seller-console-5@example.com' });
    const { caseId } = opened.body;
    const request = await client.waitForMessage(caseId, 'the documents request', (m) => Boolean(m.replyTo));
    await client.sendReply(request.replyTo ?? '', {
      fixture: 'events/email/corpus/quote-only-reply.eml',
      from: 'seller-console-5@example.com',
    });
    await client.untilOpsCase(
      await client.opsToken(),
      caseId,
      'handed off',
      (c) => c.status === 'handed_off',
    );

    await open(`#/cases/${caseId}`);

    const reply = page.locator('#evidence article.evidence').filter({ hasText: 'unparsed' });
    expect(await reply.count()).toBe(1);
    expect(await reply.locator('header').innerText()).toMatch(/from the seller by email/);
    expect(await reply.innerText()).toContain('On Sun, 22 Nov 2026 at 13:08, SellerWorks Support');
    expect(await reply.innerText()).toContain('proof of your business');
    // A reply read normally carries no such mark.
    await open(`#/cases/${cases.resolved}`);
    expect(await page.locator('#evidence article.evidence').filter({ hasText: 'unparsed' }).count()).toBe(0);
  });
});

describe('the execution graph', () => {
  const stateClass = (name: string) =>
    page.locator(`#execution svg g.state[data-state="${name}"]`).getAttribute('class');

  it('draws the path a finished run took, through to the end', async () => {
    await open(`#/cases/${cases.resolved}`);
    await page.waitForSelector('#execution svg');

    expect(await stateClass('Triage')).toContain('visited');
    expect(await stateClass('Resolve')).toContain('visited');
    expect(await stateClass('CaseFailed')).toContain('not-visited');
    expect(
      await page.locator('#execution svg g.edge.taken[data-from="Resolved"][data-to="End"]').count(),
    ).toBe(1);
    expect(await page.locator('[data-execution-status]').innerText()).toBe('SUCCEEDED');
  });

  it('highlights the state a running case waits in, and lists the history as Step Functions does', async () => {
    await open(`#/cases/${cases.protectedEvidence}`);
    await page.waitForSelector('#execution svg');

    expect(await stateClass('HandOff')).toMatch(/\bcurrent\b/);
    expect(await stateClass('Resolve')).toContain('not-visited');
    const types = await page.locator('table.history tbody tr td:nth-child(2)').allInnerTexts();
    expect(types[0]).toBe('ExecutionStarted');
    expect(types).toContain('TaskStateEntered');
    const steps = await page.locator('table.history tbody tr td:nth-child(3)').allInnerTexts();
    expect(steps).toContain('HandOff');
  });
});

describe('redaction', () => {
  const documents = () => page.locator('#evidence article.evidence', { hasText: 'identity document' });

  const viewAs = async (team: string) => {
    await page.waitForSelector(`#viewer option[value="${team}"]`, { state: 'attached' });
    await page.selectOption('#viewer', team);
    await page.waitForSelector('#app[data-loaded]');
  };

  it('shows a supervisor the identity documents', async () => {
    await open(`#/cases/${cases.protectedEvidence}`);

    expect(await documents().innerText()).toContain('X1234567');
  });

  it('redacts them for a team without the right, and shows them to the verification team', async () => {
    await open(`#/cases/${cases.protectedEvidence}`);

    await viewAs('payments-support');
    await page.waitForSelector('#evidence [data-redacted]');
    expect(await documents().innerText()).toMatch(
      /Redacted: protected \(identity_document, business_registration\)/,
    );
    expect(await page.locator('#app').innerText()).not.toContain('X1234567');

    await viewAs('verification');
    await page.waitForSelector('#evidence article.evidence >> text=X1234567');
    expect(await page.locator('#evidence [data-redacted]').count()).toBe(0);
  });
});

describe('acting on a case', () => {
  it('records a decision from the case page, and shows the API refusing a team that does not own the case', async () => {
    const seller = await client.sellerToken('seller-console-5');
    const intake = JSON.parse(
      await readFile(new URL('../../events/intake/integration-problem.json', import.meta.url), 'utf8'),
    );
    const { caseId } = (
      await client.openCase(seller, { ...intake, sellerEmail: 'seller-console-5@example.com' })
    ).body;
    await client.answerUntilTeam(seller, await client.opsToken(), caseId, {
      seller: 'seller-console-5@example.com',
    });
    await open(`#/cases/${caseId}`);
    await page.waitForSelector('#actions form[name=decide]');
    const decide = page.locator('form[name=decide]');
    const outcome = await decide.locator('select[name=outcome] option').nth(1).getAttribute('value');

    await page.selectOption('#viewer', 'disputes');
    await page.waitForSelector('#actions form[name=decide]');
    await decide.locator('select[name=outcome]').selectOption(outcome ?? '');
    await decide.locator('textarea[name=rationale]').fill('Not ours to decide.');
    await decide.locator('button[type=submit]').click();
    await page.waitForSelector('form[name=decide] .result.error');
    expect(await decide.locator('.result').innerText()).toMatch(/^403/);

    await page.selectOption('#viewer', '');
    await page.waitForSelector('#actions form[name=decide]');
    await decide.locator('select[name=outcome]').selectOption(outcome ?? '');
    await decide.locator('button[type=submit]').click();
    await page.waitForSelector('form[name=decide] .result.error');
    expect(await decide.locator('.result').innerText()).toMatch(/422[\s\S]*rationale/);

    await decide.locator('textarea[name=rationale]').fill('Reproduced; fixed in the integration.');
    await decide.locator('button[type=submit]').click();
    await page.waitForSelector('#timeline li[data-type="case.resolved"]', { timeout: 15_000 });
    expect(await page.locator('#actions').count()).toBe(0);
    expect(await page.locator('#timeline li[data-type="case.decided"]').innerText()).toContain(
      'ops:ops-supervisor',
    );
  });
});

describe('the metrics page', () => {
  it('shows the scoreboard the API computes, by family and by seller tier', async () => {
    const supervisor = await client.opsToken();
    const api = (await (
      await fetch(`${runtime.apiUrl}/ops/metrics`, { headers: { authorization: `Bearer ${supervisor}` } })
    ).json()) as { all: { cases: number; resolved: number }; segments: { family: { segment: string }[] } };

    await open('#/metrics');

    expect(await page.locator('[data-kpi="cases"] strong').innerText()).toBe(
      `${api.all.cases} (${api.all.resolved} resolved)`,
    );
    expect(await page.locator('[data-kpi="touches"] strong').innerText()).toBe('1');
    const families = await page
      .locator('table.scoreboard tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-segment')));
    expect(families.sort()).toEqual(api.segments.family.map((s) => s.segment).sort());
    const resolvedBars = page.locator(
      'svg.chart rect.bar[data-segment="buyer dispute"][data-series="resolved"]',
    );
    expect(await resolvedBars.getAttribute('data-value')).toBe('1');

    await page.click('nav.segments a:has-text("Seller tier")');
    await page.waitForSelector('table.scoreboard[data-by="sellerTier"]');
    expect(
      await page
        .locator('table.scoreboard tbody tr[data-segment="top_rated"] td[data-kpi="cases"]')
        .innerText(),
    ).toMatch(/^1 \(0 resolved\)$/);
  });
});

describe('agents, the queue and notes', () => {
  /** A payout hold that reaches the verification team (run after the metrics test: it adds cases). */
  const payoutForTeam = async (seller: string) => {
    const token = await client.sellerToken(seller);
    const intake = JSON.parse(
      await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
    );
    const { caseId } = (await client.openCase(token, { ...intake, sellerEmail: `${seller}@example.com` }))
      .body;
    const supervisor = await client.opsToken();
    await client.untilOpsCase(
      supervisor,
      caseId,
      'asking for documents',
      (c) => c.status === 'awaiting_seller',
    );
    await client.addEvidence(token, caseId, ['identity_document', 'business_registration'], 'Attached.');
    await client.untilOpsCase(supervisor, caseId, 'with the team', (c) => c.status === 'handed_off');
    return caseId;
  };

  it('shows a supervisor every agent’s load, lets them assign a queued case, and takes notes', async () => {
    const supervisor = await client.opsToken();
    for (const [agentId, name] of [
      ['otto', 'Otto Berg'],
      ['vera', 'Vera Quist'],
    ] as const) {
      const put = await client.putAgent(supervisor, agentId, {
        team: 'verification',
        name,
        skills: {},
        capacity: 1,
        status: 'available',
      });
      expect(put.status).toBe(200);
    }
    // The verification cases already waiting fill both agents; the next one queues.
    const queued = await payoutForTeam('seller-console-queue-1');
    await client.untilOpsCase(supervisor, queued, 'queued', (c) => c.queue !== undefined);

    await open('#/queue');
    await page.waitForSelector('table.agents tr[data-agent-id="vera"]');
    expect(await page.locator('tr[data-agent-id="otto"] td.load').innerText()).toBe('1/1');
    expect(await page.locator('tr[data-agent-id="vera"] td.load').innerText()).toBe('1/1');

    await open(`#/cases/${queued}`);
    expect(await page.locator('#owner .queued').innerText()).toMatch(/#1 in the verification team's queue/);
    const assign = page.locator('form[name=assign]');
    await assign.locator('select[name=agentId] option[value=vera]').waitFor({ state: 'attached' });
    await assign.locator('select[name=agentId]').selectOption('vera');
    await assign.locator('input[name=reason]').fill('Vera knows this seller');
    await assign.locator('button[type=submit]').click();
    await page.waitForSelector('#owner p.assignee[data-agent-id="vera"]');
    expect(await page.locator('#owner p.assignee').innerText()).toMatch(
      /Assigned to Vera Quist \(vera\).*supervisor/,
    );

    const note = page.locator('form[name=note]');
    await note.locator('textarea[name=text]').fill('Seller called: the new certificate is on its way.');
    await note.locator('button[type=submit]').click();
    await page.waitForSelector('#timeline li[data-type="note.added"]');
    expect(await page.locator('#timeline li[data-type="note.added"]').innerText()).toContain(
      'the new certificate is on its way',
    );
    // The seller never sees it.
    const seller = await client.getCase(await client.sellerToken('seller-console-queue-1'), queued);
    expect(JSON.stringify(seller.body)).not.toContain('certificate is on its way');
  });

  it('lets an agent take the next case from My queue', async () => {
    const next = await payoutForTeam('seller-console-queue-2');
    await client.untilOpsCase(await client.opsToken(), next, 'queued', (c) => c.queue !== undefined);

    await open('#/queue');
    await page.selectOption('#viewer', 'verification');
    await page.waitForSelector('select[name=agent] option[value=otto]', { state: 'attached' });
    await page.selectOption('select[name=agent]', 'otto');
    await page.waitForSelector('button[name=next]');
    expect(await page.locator('#mine li').count()).toBe(1);

    await page.click('button[name=next]');
    await page.waitForFunction((id) => location.hash === `#/cases/${id}`, next);
    await page.waitForSelector('#owner p.assignee[data-agent-id="otto"]');
    expect(await page.locator('#owner p.assignee').innerText()).toMatch(/Otto Berg.*queue-next/);
  });

  it('shows what each agent handled on My queue and on the scoreboard’s assignee lines', async () => {
    // Prepare: Otto decides one of the cases he holds.
    const supervisor = await client.opsToken();
    type Listed = { agents: { agentId: string; cases: string[]; metrics: Record<string, unknown> }[] };
    const roster = async () =>
      (await client.request<Listed>('GET', '/ops/agents?team=verification', { token: supervisor })).body
        .agents;
    const caseId = (await roster()).find((a) => a.agentId === 'otto')?.cases[0] ?? '';
    const decided = await client.decide(
      await client.agentToken('verification', 'otto'),
      caseId,
      'payout_released',
      'Documents match the registration',
    );
    expect(decided.status).toBe(202);
    await client.untilOpsCase(supervisor, caseId, 'resolved', (c) => c.status === 'resolved');
    await runtime.tableStream.caughtUp();
    const otto = (await roster()).find((a) => a.agentId === 'otto');
    expect(otto?.metrics).toMatchObject({ handled: 1, reassignedAway: 0 });

    // Act + Assess: the supervisor's agents table, then the scoreboard by assignee.
    await open('#/queue');
    const row = page.locator('table.agents tr[data-agent-id="otto"]');
    await row.waitFor();
    expect(await row.locator('td.handled').innerText()).toBe('1');
    expect(await row.locator('td.reassigned-away').innerText()).toBe('0');
    expect(await row.locator('td.handle-time').innerText()).not.toBe('—');
    expect(await page.locator('tr[data-agent-id="vera"] td.handle-time').innerText()).toBe('—');

    await open('#/metrics?by=assignee');
    await page.waitForSelector('table.scoreboard[data-by="assignee"]');
    const line = page.locator('table.scoreboard tr[data-segment="otto"]');
    expect(await line.locator('td[data-kpi="handled"]').innerText()).toBe('1');
    expect(await line.locator('td[data-kpi="reassigned-away"]').innerText()).toBe('0');
    expect(
      await page
        .locator('svg.chart rect.bar[data-segment="otto"][data-series="handled"]')
        .getAttribute('data-value'),
    ).toBe('1');
  });

  it('writes to the seller from an approved snippet, and asks for more evidence from the composer', async () => {
    const caseId = await payoutForTeam('seller-console-reply');
    await open(`#/cases/${caseId}`);
    const reply = page.locator('form[name=reply]');
    await reply.waitFor();
    // The composer offers the family's snippets with their wording's id@version, and what each one takes.
    expect(await reply.locator('select[name=snippet] option').allInnerTexts()).toEqual([
      'Status update (your words optional) — payout-hold.snippet.status-update@1',
      'Taking longer than expected — payout-hold.snippet.delay-notice@1',
      'Ask for more information (opens a new wait) — payout-hold.snippet.more-information@1',
    ]);
    await reply.locator('select[name=snippet]').selectOption('delay-notice');
    expect(await reply.locator('textarea[name=text]').isVisible()).toBe(false);
    await reply.locator('select[name=snippet]').selectOption('status-update');
    expect(await reply.locator('fieldset.evidence-items').isVisible()).toBe(false);
    await reply.locator('textarea[name=text]').fill('Your documents reached our verification team today.');
    await reply.locator('button[type=submit]').click();
    await page.waitForSelector('#timeline li[data-type="reply.sent"]');
    const update = await client.waitForMessage(caseId, 'the update', (m) =>
      m.subject.startsWith('An update'),
    );
    expect(update.headers?.['X-SellerWorks-Template']).toBe('payout-hold.snippet.status-update@1');
    expect(update.text).toContain('Your documents reached our verification team today.');

    const again = page.locator('form[name=reply]');
    await again.locator('select[name=snippet]').selectOption('more-information');
    expect(await again.locator('fieldset.evidence-items').isVisible()).toBe(true);
    await again.locator('textarea[name=text]').fill('The statement must show the account holder name.');
    await again.locator('input[name=evidence][value=bank_statement]').check();
    await again.locator('button[type=submit]').click();
    const asked = await client.untilOpsCase<{ status: string; waiting?: { missing?: string[] } }>(
      await client.opsToken(),
      caseId,
      'waiting on the seller',
      (c) => c.status === 'awaiting_seller',
    );
    expect(asked.waiting?.missing).toEqual(['bank_statement']);
    const request = await client.waitForMessage(caseId, 'the request', (m) =>
      m.subject.startsWith('Action needed: more information'),
    );
    expect(request.replyTo).toBeTruthy();
    // With the team no longer deciding, the composer is gone.
    await page.waitForSelector('form[name=reply]', { state: 'detached' });
  });
});
