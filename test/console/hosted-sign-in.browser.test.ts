import { readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildConsoleAssets, consoleContentSecurityPolicy } from '../../infra/console/console-build.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { type FakeCognito, type PoolUser, startFakeCognito } from '../support/fake-cognito.ts';

/*
 * The ops console as the stack deploys it (infra/aws/constructs/ops-console.ts): the built assets and a
 * config.json on a static server standing in for CloudFront (same CSP, unknown paths answered with
 * index.html), signing in through a stand-in for the Cognito hosted UI (test/support/fake-cognito.ts), and
 * calling the real local runtime's ops API, which trusts that pool as the console API's authorizer does.
 * Three origins, as on AWS: the console, the pool domain and the API.
 */

const CLIENT_ID = 'console-client-local';
const SUPERVISOR: PoolUser = {
  sub: 'a1b2c3d4-0001',
  email: 'sam.supervisor@example.com',
  groups: ['supervisors'],
};
const DISPUTES_AGENT: PoolUser = {
  sub: 'a1b2c3d4-0002',
  email: 'dana.disputes@example.com',
  groups: ['team-disputes'],
};
const NO_GROUP: PoolUser = { sub: 'a1b2c3d4-0003', email: 'new.hire@example.com', groups: [] };

let cognito: FakeCognito;
let runtime: LocalRuntime;
let browser: Browser;
let assets: string;
let site: Server;
let consoleUrl: string;
let caseId: string;
let page: Page;
const pageErrors: string[] = [];
/** The ops API's requests the page made: their bearer token and the answer's status. */
let apiCalls: { path: string; bearer: string | undefined; status: number }[];

/**
 * CloudFront in front of the console bucket: the deployed files, the config.json the stack writes (it
 * names the console's own URL, known once the server listens), the response headers policy's CSP.
 */
const serveConsole = async (
  configFor: (consoleUrl: string) => unknown,
  csp: string,
): Promise<{ server: Server; url: string }> => {
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
  };
  let url = '';
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', url).pathname;
    const headers = { 'content-security-policy': csp, 'x-content-type-options': 'nosniff' };
    if (path === '/config.json')
      return res
        .writeHead(200, { ...headers, 'content-type': 'application/json' })
        .end(JSON.stringify(configFor(url)));
    const file = path === '/' ? 'index.html' : normalize(path).replace(/^\/+/, '');
    // A missing key is the app's page (the distribution's 403/404 error responses).
    const body = await readFile(join(assets, file)).catch(() => undefined);
    if (body) return res.writeHead(200, { ...headers, 'content-type': types[extname(file)] ?? '' }).end(body);
    res
      .writeHead(200, { ...headers, 'content-type': types['.html'] })
      .end(await readFile(join(assets, 'index.html')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return { server, url };
};

beforeAll(async () => {
  cognito = await startFakeCognito({ clientId: CLIENT_ID, callbackUrls: () => [consoleUrl] });
  [runtime, browser] = await Promise.all([
    startLocalRuntime({
      consoleIssuer: { issuer: cognito.issuer, jwksUrl: cognito.jwksUrl, audience: [CLIENT_ID] },
    }),
    launchChromium(),
  ]);
  assets = buildConsoleAssets();
  ({ server: site, url: consoleUrl } = await serveConsole(
    (url) => ({
      apiUrl: runtime.apiUrl,
      auth: { domain: cognito.domain, clientId: CLIENT_ID, redirectUri: url },
    }),
    consoleContentSecurityPolicy([new URL(runtime.apiUrl).origin, cognito.domain]),
  ));

  const client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  const intake = JSON.parse(
    await readFile(new URL('../../events/intake/buyer-dispute.json', import.meta.url), 'utf8'),
  );
  const opened = await client.openCase(await client.sellerToken('seller-hosted-1'), {
    ...intake,
    sellerEmail: 'seller-hosted-1@example.com',
  });
  caseId = opened.body.caseId;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => site?.close(resolve));
  await cognito?.close();
  await runtime?.stop();
  if (assets) await rm(assets, { recursive: true, force: true });
});

beforeEach(async () => {
  // A fresh context per test: a new tab of a new browser, nothing in sessionStorage.
  page = await (await browser.newContext()).newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.setDefaultTimeout(15_000);
  apiCalls = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin !== new URL(runtime.apiUrl).origin || response.request().method() === 'OPTIONS') return;
    const bearer = /^Bearer (.+)$/.exec(response.request().headers().authorization ?? '')?.[1];
    apiCalls.push({ path: `${url.pathname}${url.search}`, bearer, status: response.status() });
  });
  cognito.authorizations.length = 0;
  cognito.tokenCalls.length = 0;
  cognito.nextTokens.length = 0;
});

afterEach(async () => {
  await page.context().close();
  expect(cognito.refusals.splice(0)).toEqual([]);
  expect(pageErrors.splice(0)).toEqual([]);
});

const signedInAs = () => page.locator('#viewer').innerText();

const openConsole = async (as: PoolUser, hash = '') => {
  cognito.signedIn = as;
  const visited: string[] = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) visited.push(request.url());
  });
  await page.goto(`${consoleUrl}${hash}`);
  await page.waitForSelector('#app[data-loaded]');
  return visited;
};

describe('signing in through the pool’s hosted UI', () => {
  it('goes to the hosted UI, comes back with a code, exchanges it once and lands signed in', async () => {
    const visited = await openConsole(SUPERVISOR);

    // Off to the hosted UI with the console's client, callback URL and a PKCE challenge, then back.
    expect(cognito.authorizations).toHaveLength(1);
    expect(cognito.authorizations[0]).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: consoleUrl,
      response_type: 'code',
      code_challenge_method: 'S256',
    });
    expect(visited.some((url) => url.startsWith(`${cognito.domain}/oauth2/authorize?`))).toBe(true);
    expect(visited.some((url) => url.startsWith(`${consoleUrl}?code=`))).toBe(true);
    // The code is gone from the address bar, the case list is there.
    expect(page.url()).toBe(consoleUrl);
    await page.waitForSelector(`tr[data-case-id="${caseId}"]`);
    expect(cognito.tokenCalls.map((c) => `${c.grant}: ${c.outcome}`)).toEqual(['authorization_code: ok']);

    // Every API call carried the pool's access token, and the API took it.
    const accessToken = cognito.tokenCalls[0]?.accessToken;
    expect(apiCalls.length).toBeGreaterThan(0);
    for (const call of apiCalls) expect(call).toMatchObject({ bearer: accessToken, status: 200 });
    expect(await signedInAs()).toMatch(/sam\.supervisor@example\.com.*ops supervisor/);
  });

  it('keeps the session across a reload and never exchanges a code twice', async () => {
    await openConsole(SUPERVISOR);
    const [exchange] = cognito.tokenCalls;
    const callback = cognito.authorizations[0];

    await page.reload();
    await page.waitForSelector(`tr[data-case-id="${caseId}"]`);
    // The callback URL again, code and all (from the history, a bookmark): the session stands.
    const used = new URL(consoleUrl);
    used.searchParams.set('code', 'used-code');
    used.searchParams.set('state', String(callback?.state));
    await page.goto(used.toString());
    await page.waitForSelector(`tr[data-case-id="${caseId}"]`);

    expect(cognito.tokenCalls).toEqual([exchange]);
    expect(cognito.authorizations).toEqual([callback]);
    for (const call of apiCalls) expect(call).toMatchObject({ bearer: exchange?.accessToken, status: 200 });
  });

  it('comes back to the page that was asked for', async () => {
    await openConsole(SUPERVISOR, `#/cases/${encodeURIComponent(caseId)}`);

    expect(page.url()).toBe(`${consoleUrl}#/cases/${encodeURIComponent(caseId)}`);
    await page.waitForSelector('#timeline li');
  });
});

describe('keeping the session', () => {
  it('refreshes the access token before it expires, without going back to the hosted UI', async () => {
    // The console renews a token a minute before it expires: the first one is due after a second.
    cognito.nextTokens.push({ seconds: 61 });
    await openConsole(SUPERVISOR);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const before = apiCalls.length;

    await page.goto(`${consoleUrl}#/sla`);
    await page.waitForSelector('#app[data-loaded]');

    expect(cognito.tokenCalls.map((c) => `${c.grant}: ${c.outcome}`)).toEqual([
      'authorization_code: ok',
      'refresh_token: ok',
    ]);
    expect(cognito.authorizations).toHaveLength(1);
    const refreshed = cognito.tokenCalls[1]?.accessToken;
    const after = apiCalls.slice(before);
    expect(after.length).toBeGreaterThan(0);
    for (const call of after) expect(call).toMatchObject({ bearer: refreshed, status: 200 });
  });

  it('refreshes and retries when the API refuses a token the console still took for valid', async () => {
    // The pool says an hour; the first token itself lasts a second (revoked, or a clock ahead).
    cognito.nextTokens.push({ seconds: 1, reportedExpiresIn: 3600 });
    await openConsole(SUPERVISOR);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    await page.goto(`${consoleUrl}#/sla`);
    await page.waitForSelector('#app[data-loaded]');

    expect(cognito.tokenCalls.map((c) => `${c.grant}: ${c.outcome}`)).toEqual([
      'authorization_code: ok',
      'refresh_token: ok',
    ]);
    expect(cognito.authorizations).toHaveLength(1);
    const [first, refreshed] = cognito.tokenCalls.map((c) => c.accessToken);
    // The API refused the old token once; the request went again with the new one, and so did the rest.
    const refused = apiCalls.findIndex((c) => c.status === 401);
    expect(apiCalls[refused]).toMatchObject({ bearer: first });
    expect(apiCalls.slice(refused + 1).length).toBeGreaterThan(0);
    for (const call of apiCalls.slice(refused + 1))
      expect(call).toMatchObject({ bearer: refreshed, status: 200 });
  });
});

describe('pool groups give role and team', () => {
  it('shows a team-<team> member as ops on that team, and the API treats them so', async () => {
    await openConsole(DISPUTES_AGENT, '#/queue');

    expect(await signedInAs()).toMatch(/dana\.disputes@example\.com.*disputes team/);
    // The agents of their own team (the API answers a team member for their team only).
    expect(await page.locator('#app').innerText()).toMatch(/disputes team/);
    const agents = apiCalls.find((c) => c.path.startsWith('/ops/agents'));
    expect(agents).toMatchObject({ path: '/ops/agents?team=disputes', status: 200 });
  });

  it('tells a pool user in no SellerWorks group that they have no role, without looping through the hosted UI', async () => {
    cognito.signedIn = NO_GROUP;
    await page.goto(consoleUrl);
    await page.waitForSelector('#list-status:has-text("no SellerWorks role")');
    expect(await signedInAs()).toMatch(/new\.hire@example\.com.*no SellerWorks role/);

    expect(cognito.authorizations).toHaveLength(1);
    expect(apiCalls.every((c) => c.status === 403)).toBe(true);
  });
});
