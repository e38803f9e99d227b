import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { closedPort, runSellerworks } from '../support/cli.ts';
import { CORPUS } from '../unit/faq/statement-corpus.ts';

let runtime: LocalRuntime;
let client: SellerWorksClient;
/** Two risk reviews whose sellers ask when their payout is released: the group ops marked. */
const releasedCases: string[] = [];
let markedId: string;
let unmarkedId: string;
const NOTE = 'Say how long a risk review takes.';

const sellerworks = (args: string[], env: Record<string, string> = {}) =>
  runSellerworks(args, runtime.apiUrl, env);

type Group = { groupId: string; size: number; representative: string; templates: unknown[] };

beforeAll(async () => {
  runtime = await startLocalRuntime();
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  const ops = await client.opsToken();
  // Two recurring concerns of payout holds under risk review, two sellers each (the unit corpus's words).
  const statements = [
    ...CORPUS.filter((s) => s.concern === 'when-released').slice(0, 2),
    ...CORPUS.filter((s) => s.concern === 'why-held').slice(0, 2),
  ];
  for (const [n, statement] of statements.entries()) {
    const seller = await client.sellerToken(`seller-faq-cli-${n}`);
    const opened = await client.openCase(seller, {
      family: 'payout-hold',
      payoutId: `po_faq_cli_${n}`,
      reason: 'risk_review',
      amount: 300 + n,
      currency: 'EUR',
      heldSince: '2026-11-18',
      region: 'EU',
      sellerEmail: `seller-faq-cli-${n}@example.com`,
      details: statement.text,
    });
    expect(opened.status).toBe(202);
    if (statement.concern === 'when-released') releasedCases.push(String(opened.body.caseId));
  }
  const groups = await client.waitFor(
    'two groups of two cases, each with the template of its first email',
    async () => {
      await runtime.tableStream.caughtUp();
      const { body } = await client.request<{ groups: Group[] }>(
        'GET',
        '/ops/faq?family=payout-hold&reason=risk_review',
        { token: ops },
      );
      return body.groups.length === 2 && body.groups.every((g) => g.size === 2 && g.templates.length > 0)
        ? body.groups
        : undefined;
    },
    90_000,
  );
  const released = groups.find((g) => g.representative === statements[0]?.text);
  markedId = released?.groupId ?? '';
  unmarkedId = groups.find((g) => g !== released)?.groupId ?? '';
  const marked = await client.request('PUT', `/ops/faq/groups/${markedId}/candidate`, {
    token: ops,
    body: { candidate: true, note: NOTE },
  });
  expect(marked.status).toBe(200);
}, 180_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('sellerworks faq export', () => {
  it('prints the marked groups as Markdown for whoever writes the FAQ, and only those', async () => {
    const { code, stdout, stderr } = await sellerworks(['faq', 'export']);

    expect(code, stderr).toBe(0);
    const [title, , heading, , ...items] = stdout.split('\n');
    expect(title).toBe('# FAQ candidates');
    expect(heading).toBe(
      `## payout-hold · risk_review: ${CORPUS.find((s) => s.concern === 'when-released')?.text}`,
    );
    const body = items.join('\n');
    expect(body).toContain(`- group: \`${markedId}\``);
    expect(body).toMatch(
      /^- size: 2 statements from 2 cases; trend \w+ \((\d+ ){7}\d+ over the last 8 weeks\)$/m,
    );
    expect(body).toMatch(/^- answered with: `payout-hold\.[\w.-]+@\d+` \(2\)$/m);
    for (const caseId of releasedCases) expect(body).toContain(caseId);
    expect(body).toMatch(new RegExp(`^- marked by \\S+ at 20\\d\\d-\\S+: ${NOTE}$`, 'm'));
    expect(stdout).not.toContain(unmarkedId);
    expect(stdout.match(/^## /gm)).toHaveLength(1);
  }, 60_000);

  it('prints JSON for scripts with --json, narrowed to a family with --family', async () => {
    const all = await sellerworks(['faq', 'export', '--json']);
    const payoutHolds = await sellerworks(['faq', 'export', '--family', 'payout-hold', '--json']);
    const disputes = await sellerworks(['faq', 'export', '--family', 'buyer-dispute', '--json']);

    expect(all.code, all.stderr).toBe(0);
    const { candidates } = JSON.parse(all.stdout);
    expect(candidates).toEqual([
      expect.objectContaining({
        groupId: markedId,
        family: 'payout-hold',
        reason: 'risk_review',
        size: 2,
        cases: 2,
        candidate: expect.objectContaining({ note: NOTE }),
      }),
    ]);
    expect([...candidates[0].examples].sort()).toEqual([...releasedCases].sort());
    expect(payoutHolds.code).toBe(0);
    expect(JSON.parse(payoutHolds.stdout)).toEqual({ candidates });
    expect(disputes.code).toBe(0);
    expect(JSON.parse(disputes.stdout)).toEqual({ candidates: [] });
  }, 60_000);

  it('says so when no group is marked', async () => {
    const { code, stdout } = await sellerworks(['faq', 'export', '--family', 'buyer-dispute']);

    expect(code).toBe(0);
    expect(stdout).toBe('# FAQ candidates\n\nNo group is marked as an FAQ candidate.\n');
  }, 60_000);

  it('refuses a family the API does not know with exit 1 and the field on stderr', async () => {
    const { code, stdout, stderr } = await sellerworks(['faq', 'export', '--family', 'parking-ticket']);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^ {2}family: one of .*payout-hold/m);
  }, 60_000);

  it('exits 2 on a usage error: an unknown option, a family given without --family', async () => {
    const unknown = await sellerworks(['faq', 'export', '--colour', 'red']);
    const stray = await sellerworks(['faq', 'export', 'payout-hold']);

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--colour'/);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/too many arguments for 'export'/);
    expect(stray.stdout).toBe('');
  }, 60_000);

  it('exits 3 when the API cannot be reached', async () => {
    const port = await closedPort();

    const { code, stdout, stderr } = await sellerworks([
      'faq',
      'export',
      '--json',
      '--api-url',
      `http://127.0.0.1:${port}`,
    ]);

    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/cannot reach the SellerWorks API/);
  }, 60_000);

  it('answers --help with exit 0, the options and the exit statuses', async () => {
    for (const command of [['faq'], ['faq', 'export']]) {
      const { code, stdout } = await sellerworks([...command, '--help']);

      expect(code, command.join(' ')).toBe(0);
      expect(stdout, command.join(' ')).toMatch(/^Usage: sellerworks faq/);
    }
    const { stdout } = await sellerworks(['faq', 'export', '--help']);
    expect(stdout).toMatch(/--family <family>/);
    expect(stdout).toMatch(/--json/);
    expect(stdout).toMatch(/Exit status:\n {2}0 /);
  }, 60_000);
});
