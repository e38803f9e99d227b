import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayReport } from '../../functions/domain/replay.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

let runtime: LocalRuntime;
let client: SellerWorksClient;
let supervisor: string;
let dir: string;
/** Payout holds routed by the runtime: one under the senior-compliance amount, one over it. */
const caseIds: string[] = [];

/** `sellerworks …` in its own process, as ops run it, signed in locally (no token in its environment). */
const sellerworks = async (args: string[], env: Record<string, string> = {}) => {
  const { SELLERWORKS_TOKEN: _token, SELLERWORKS_API_URL: _url, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/sellerworks.mjs', ...args], {
      cwd: root,
      env: { ...inherited, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};
const replay = (args: string[] = []) => sellerworks(['replay', ...args, '--api-url', runtime.apiUrl]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sellerworks-policy-cli-'));
  runtime = await startLocalRuntime();
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  supervisor = await client.opsToken();
  const seller = await client.sellerToken('seller-replay-1');
  const intake = JSON.parse(await readFile(`${root}events/intake/payout-hold.json`, 'utf8'));
  for (const amount of [3480.5, 12_500]) {
    const opened = await client.openCase(seller, { ...intake, amount, sellerEmail: 'replay-1@example.com' });
    expect(opened.status).toBe(202);
    caseIds.push(opened.body.caseId);
  }
  for (const caseId of caseIds)
    await client.untilOpsCase<{ status: string }>(
      supervisor,
      caseId,
      'its request for documents',
      (v) => v.status === 'awaiting_seller',
    );
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('sellerworks policy export', () => {
  it('writes the documents and their schemas, and says how many', async () => {
    const { code, stdout } = await sellerworks(['policy', 'export', join(dir, 'policy')]);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^wrote \d+ policy documents and 9 JSON Schemas to /);
    const index = JSON.parse(await readFile(join(dir, 'policy', 'index.json'), 'utf8'));
    expect(index.documents).toContainEqual({
      path: 'payout-hold/routing.json',
      schema: 'schemas/routing.schema.json',
    });
    const routing = JSON.parse(await readFile(join(dir, 'policy', 'payout-hold', 'routing.json'), 'utf8'));
    expect(routing.rules[0]).toMatchObject({ team: 'compliance-senior', when: { amountAtLeast: 10_000 } });
  }, 60_000);

  it('fails with exit 1 when the folder cannot be written, and 2 without one', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, 'not a folder');

    const unwritable = await sellerworks(['policy', 'export', join(file, 'policy')]);
    const missing = await sellerworks(['policy', 'export']);

    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toMatch(/cannot write the policy to .*: (ENOTDIR|EEXIST)/);
    expect(missing.code).toBe(2);
  }, 60_000);
});

describe('sellerworks replay', () => {
  it('replays the stored cases through the same policy and finds nothing that would change', async () => {
    const { code, stdout } = await replay(['--json', '--family', 'payout-hold']);

    expect(code).toBe(0);
    const report = JSON.parse(stdout) as ReplayReport;
    expect(report.cases).toBe(2);
    expect(report.changed).toBe(0);
    expect(report.families).toEqual([{ family: 'payout-hold', cases: 2, changed: 0, changes: [] }]);
  }, 60_000);

  it('prints a summary by family for people, and --since bounds the cases read', async () => {
    const all = await replay(['--since', '2000-01-01']);
    const future = await replay(['--since', '2999-01-01', '--json']);

    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(
      /^replayed 2 past cases \(since 2000-01-01, every family\) .*: 0 would change$/m,
    );
    expect(all.stdout).toMatch(/^payout-hold: 2 cases, 0 would change$/m);
    expect(JSON.parse(future.stdout)).toMatchObject({ cases: 0, changed: 0 });
  }, 60_000);

  it('reads the past cases a bounded page at a time, each once, with what happened to them', async () => {
    const seen: { caseId: string; happened: { team?: string; templates: string[]; sla?: object } }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=1&cursor=${encodeURIComponent(cursor)}` : '?limit=1';
      const page = await client.request<{ cases: typeof seen; nextCursor: string | null }>(
        'GET',
        `/ops/replay/cases${query}`,
        { token: supervisor },
      );
      expect(page.status).toBe(200);
      expect(page.body.cases.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.cases);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);

    expect(seen.map((c) => c.caseId).sort()).toEqual([...caseIds].sort());
    const [over] = seen.filter((c) => c.caseId === caseIds[1]);
    expect(over?.happened).toMatchObject({
      team: 'compliance-senior',
      sla: { firstResponseHours: 24, resolutionHours: 120 },
      templates: ['payout-hold.evidence-request@1'],
    });
  }, 60_000);

  it('is refused to a team member (exit 1), and refuses a bad day with the field (exit 1)', async () => {
    const member = await sellerworks(['replay', '--as-team', 'verification', '--api-url', runtime.apiUrl]);
    const badDay = await replay(['--since', '2026-13-40']);

    expect(member.code).toBe(1);
    expect(member.stderr).toMatch(/supervisor/);
    expect(badDay.code).toBe(1);
    expect(badDay.stderr).toMatch(/^ {2}since: /m);
  }, 60_000);

  it('needs a token for a remote API (exit 3)', async () => {
    const { code, stderr } = await sellerworks(['replay', '--api-url', 'https://api.example.invalid']);

    expect(code).toBe(3);
    expect(stderr).toMatch(/SELLERWORKS_TOKEN/);
  }, 60_000);
});
