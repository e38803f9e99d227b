import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, StoredAuditEvent } from '../../functions/domain/case.ts';
import { caseReview, reviewTotalsOf, weeklyReviewOf } from '../../functions/domain/weekly-review.ts';
import { runSellerworks } from '../support/cli.ts';

/**
 * `sellerworks reviews weekly` in its own process, against an API that answers the review of a week with
 * two cases (the answer computed by the product's own code from their timelines) — the CLI's part is the
 * Markdown and the exit statuses; the figures themselves are the e2e test's (test/e2e/weekly-review).
 */
const at = (hours: number) => new Date(Date.UTC(2026, 10, 30) + hours * 3_600_000).toISOString();
const ev = (type: string, data: Record<string, unknown> = {}): AuditEvent => ({
  type,
  actor: { kind: 'system', id: 'step' },
  detail: type,
  data,
});
const timeline = (...commits: [number, AuditEvent[]][]): StoredAuditEvent[] =>
  commits.flatMap(([hours, events], version) => events.map((e) => ({ ...e, at: at(hours), version })));

const bounced = caseReview(
  timeline(
    [0, [ev('case.received', { family: 'payout-hold', reason: 'risk_review' })]],
    [1, [ev('case.routed', { team: 'risk-operations' }), ev('case.handed_off', { team: 'risk-operations' })]],
    [5, [ev('case.escalated', { reason: 'decision_overdue' })]],
    [6, [ev('case.transferred', { from: 'risk-operations', to: 'compliance-senior' })]],
    [7, [ev('case.transferred', { from: 'compliance-senior', to: 'risk-operations' })]],
    [
      9,
      [ev('message.sent', { template: 'payout-hold.released@2', audience: 'seller' }), ev('case.resolved')],
    ],
    [20, [ev('case.reopened')]],
  ),
);
const REVIEW = weeklyReviewOf(
  '2026-W49',
  reviewTotalsOf([{ caseId: 'case_bounced0001', review: bounced ?? { weeks: {} } }], '2026-W49'),
);

let server: Server;
let apiUrl: string;
const asked: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/dev/token') return answer(200, { token: 'dev-token' });
    if (url.pathname !== '/ops/reviews/weekly') return answer(404, { error: { message: 'no route' } });
    asked.push(url.search);
    if (req.headers.authorization !== 'Bearer dev-token')
      return answer(401, { error: { message: 'no token' } });
    if (url.searchParams.get('week') === '2025-W53')
      return answer(422, {
        error: {
          status: 422,
          code: 'validation_failed',
          message: 'invalid input: week: must be a week from 01 to 52: 2025 has 52 ISO weeks',
          issues: [{ path: 'week', reason: 'must be a week from 01 to 52: 2025 has 52 ISO weeks' }],
        },
      });
    return answer(200, REVIEW);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Every call names its `--api-url` (the stand-in API above), so the runner adds none. */
const sellerworks = (args: string[], env: Record<string, string> = {}) => runSellerworks(args, '', env);

describe('sellerworks reviews weekly', () => {
  it("prints the week's review as Markdown, a section per figure, each row with its cases", async () => {
    const { code, stdout } = await sellerworks([
      'reviews',
      'weekly',
      '--week',
      '2026-W49',
      '--api-url',
      apiUrl,
    ]);

    expect(code).toBe(0);
    expect(asked.at(-1)).toBe('?week=2026-W49');
    expect(stdout).toMatch(/^# Weekly review 2026-W49 \(2026-11-30 to 2026-12-06, UTC\)\n/);
    expect(stdout).toContain(
      '1 resolution, 9 h from intake (or a reopen or an appeal) to resolution in all, 9 h on average.',
    );
    expect(stdout).toContain('| phase | time | share | resolutions | cases |');
    expect(stdout).toContain('| with the team after an escalation | 4 h | 44.4 % | 1 | `case_bounced0001` |');
    expect(stdout).toContain('| risk-operations | 7 h | 77.8 % | 4 h | 0 s | 3 h | `case_bounced0001` |');
    expect(stdout).toContain('## Most common escalation reasons\n\n| reason | escalations | cases |');
    expect(stdout).toContain('| decision_overdue | 1 | `case_bounced0001` |');
    expect(stdout).toContain('| payout-hold | risk_review | 1 | `case_bounced0001` |');
    expect(stdout).toContain(
      '| risk-operations → compliance-senior → risk-operations | back | 1 | `case_bounced0001` |',
    );
    expect(stdout).toContain('## SLA breaches by team\n\n_None this week._');
    expect(stdout).toContain('| payout-hold.released@2 | 1 | 1 | 100 % | `case_bounced0001` |');
    expect(stdout).toContain('## Template versions with the worst CSAT\n\n_None this week._');
  });

  it('links the example cases into the ops console when given its address', async () => {
    const { code, stdout } = await sellerworks(['reviews', 'weekly', '--api-url', apiUrl], {
      SELLERWORKS_CONSOLE_URL: 'https://console.example.com/',
    });

    expect(code).toBe(0);
    expect(asked.at(-1)).toBe('');
    expect(stdout).toContain('[case_bounced0001](https://console.example.com/#/cases/case_bounced0001)');
  });

  it("prints the API's answer unchanged with --json", async () => {
    const { code, stdout } = await sellerworks([
      'reviews',
      'weekly',
      '--week',
      '2026-W49',
      '--json',
      '--api-url',
      apiUrl,
    ]);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(REVIEW);
  });

  it("exits 1 with the API's reason for a week it refuses, and 2 for a usage error", async () => {
    const refused = await sellerworks(['reviews', 'weekly', '--week', '2025-W53', '--api-url', apiUrl]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('  week: must be a week from 01 to 52: 2025 has 52 ISO weeks');

    const usage = await sellerworks(['reviews', 'weekly', '--weak', '2026-W49', '--api-url', apiUrl]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unknown option '--weak'");
  });

  it('explains itself with --help', async () => {
    const { code, stdout } = await sellerworks(['reviews', 'weekly', '--help']);

    expect(code).toBe(0);
    expect(stdout).toContain('Usage: sellerworks reviews weekly [options]');
    expect(stdout).toContain('--week <YYYY-Www>');
    expect(stdout).toContain('Exit status:');
  });
});
