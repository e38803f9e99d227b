import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { closedPort, runSellerworks } from '../support/cli.ts';

const root = new URL('../../', import.meta.url).pathname;

let runtime: LocalRuntime;
let client: SellerWorksClient;
let supervisor: string;
/** A payout hold whose seller sent the documents asked for: with the verification team, for a decision. */
let caseId: string;
let sellerToken: string;

const sellerworks = (args: string[], env: Record<string, string> = {}) =>
  runSellerworks(args, runtime.apiUrl, env);

beforeAll(async () => {
  runtime = await startLocalRuntime();
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  supervisor = await client.opsToken();
  sellerToken = await client.sellerToken('seller-cli-1');
  const intake = JSON.parse(await readFile(`${root}events/intake/payout-hold.json`, 'utf8'));
  const opened = await client.openCase(sellerToken, { ...intake, sellerEmail: 'seller-cli-1@example.com' });
  expect(opened.status).toBe(202);
  caseId = opened.body.caseId;
  await client.untilOpsCase<{ status: string }>(
    supervisor,
    caseId,
    'a request for documents',
    (v) => v.status === 'awaiting_seller',
  );
  const documents = await client.addEvidence(
    sellerToken,
    caseId,
    ['identity_document', 'business_registration'],
    'Passport of the account holder and the new certificate of incorporation.',
  );
  expect(documents.status).toBe(202);
  await client.untilOpsCase<{ status: string }>(
    supervisor,
    caseId,
    'the verification team to hold it',
    (v) => v.status === 'handed_off',
  );
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('sellerworks cases', () => {
  it('lists the case as the API answers it with --json, signing in through the dev issuer', async () => {
    const { code, stdout } = await sellerworks(['cases', 'list', '--json'], {
      SELLERWORKS_API_URL: runtime.apiUrl,
    });

    expect(code).toBe(0);
    const page = JSON.parse(stdout) as { cases: { caseId: string; status: string }[]; nextCursor: unknown };
    expect(page.cases).toContainEqual(expect.objectContaining({ caseId, status: 'handed_off' }));
    expect(page).toHaveProperty('nextCursor');
  }, 60_000);

  it('lists for people in aligned columns, filtered by the API', async () => {
    const mine = await sellerworks(['cases', 'list', '--family', 'payout-hold', '--status', 'handed_off']);
    const none = await sellerworks(['cases', 'list', '--family', 'buyer-dispute']);

    expect(mine.code).toBe(0);
    const [header, row] = mine.stdout.split('\n');
    expect(header).toMatch(/^CASE\s+FAMILY\s+STATUS\s+TEAM\s+SELLER\s+SLA\s+CREATED$/);
    expect(row).toMatch(new RegExp(`^${caseId}\\s+payout-hold\\s+handed_off\\s+\\S+\\s+seller-cli-1\\s`));
    expect(row?.indexOf('payout-hold')).toBe(header?.indexOf('FAMILY'));
    expect(none.stdout).toContain('(no cases)');
  }, 60_000);

  it('refuses a filter the API does not know with exit 1 and the field on stderr', async () => {
    const { code, stdout, stderr } = await sellerworks(['cases', 'list', '--family', 'parking-ticket']);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^ {2}family: /m);
  }, 60_000);

  it('shows the case for people: status, team, next step, SLA clocks, evidence', async () => {
    const { code, stdout } = await sellerworks(['cases', 'show', caseId]);

    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^case\\s+${caseId}$`, 'm'));
    expect(stdout).toMatch(/^status\s+handed_off/m);
    expect(stdout).toMatch(/^family\s+payout-hold/m);
    expect(stdout).toMatch(/^team\s+\S+ \(rule /m);
    expect(stdout).toMatch(/^outcomes\s+\S+/m);
    expect(stdout).toMatch(/^CLOCK\s+STATE\s+USED\s+TARGET\s+LEFT\s+DUE$/m);
    expect(stdout).toMatch(/^resolution\s+running/m);
    expect(stdout).toMatch(/^Evidence \(2\)$/m);
    expect(stdout).toContain('identity_document, business_registration');
  }, 60_000);

  it('prints the timeline one event a line, in the order the API gives', async () => {
    const view = await client.getOpsCase(supervisor, caseId);
    const events = (view.body as unknown as { timeline: { type: string }[] }).timeline;

    const { code, stdout } = await sellerworks(['cases', 'timeline', caseId]);

    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^TIME\s+ACTOR\s+TYPE\s+DETAIL$/);
    expect(lines).toHaveLength(events.length + 1);
    for (const [i, event] of events.entries()) {
      expect(lines[i + 1]).toMatch(
        new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+.+\\s${event.type}\\b`),
      );
    }
  }, 60_000);

  it('assigns the case from one agent to another as a supervisor', async () => {
    const view = await client.getOpsCase(supervisor, caseId);
    const team = (view.body as unknown as { routing: { team: string } }).routing.team;
    for (const agentId of [`${team}-cli-1`, `${team}-cli-2`]) {
      const put = await client.putAgent(supervisor, agentId, {
        team,
        name: agentId,
        skills: {},
        capacity: 1,
        status: 'available',
      });
      expect(put.status).toBe(200);
    }
    const held = await client.untilOpsCase<{ assignee: { agentId: string } | null }>(
      supervisor,
      caseId,
      'an agent to take it',
      (v) => v.assignee !== null,
      20_000,
    );
    const other = held.assignee?.agentId === `${team}-cli-1` ? `${team}-cli-2` : `${team}-cli-1`;

    const assigned = await sellerworks(['cases', 'assign', caseId, '--agent', other, '--reason', 'CLI test']);
    const refused = await sellerworks(['cases', 'assign', caseId, '--agent', other, '--as-team', team]);

    expect(assigned.code).toBe(0);
    expect(assigned.stdout).toContain(`assigned to ${other}`);
    const after = await client.getOpsCase(supervisor, caseId);
    expect((after.body as unknown as { assignee: { agentId: string } }).assignee.agentId).toBe(other);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/supervisor/);
  }, 60_000);

  it('refuses an outcome the case does not allow with exit 1 and the issue path on stderr', async () => {
    const { code, stderr } = await sellerworks([
      'cases',
      'decide',
      caseId,
      '--outcome',
      'free_money',
      '--rationale',
      'No reason at all',
    ]);

    expect(code).toBe(1);
    expect(stderr).toMatch(/^ {2}outcome: must be one of /m);
    const view = await client.getOpsCase(supervisor, caseId);
    expect(view.body.status).toBe('handed_off');
  }, 60_000);

  it('refuses a transfer to a team outside the family with exit 1, naming the field', async () => {
    const { code, stderr } = await sellerworks([
      'cases',
      'transfer',
      caseId,
      '--team',
      'parking-wardens',
      '--reason',
      'They asked for it',
    ]);

    expect(code).toBe(1);
    expect(stderr).toMatch(/^ {2}team: not a payout-hold team/m);
  }, 60_000);

  it('records a decision with exit 0, and the case resolves', async () => {
    const view = await client.getOpsCase(supervisor, caseId);
    const outcome =
      (view.body as unknown as { allowedOutcomes: { id: string }[] }).allowedOutcomes[0]?.id ?? '';

    const { code, stdout } = await sellerworks([
      'cases',
      'decide',
      caseId,
      '--outcome',
      outcome,
      '--rationale',
      'Documents match the account holder',
      '--json',
    ]);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ caseId, outcome, status: 'decided' });
    await client.waitForStatus(sellerToken, caseId, 'resolved');
  }, 60_000);

  it('exits 3 when the API cannot be reached', async () => {
    const port = await closedPort();

    const { code, stdout, stderr } = await sellerworks([
      'cases',
      'list',
      '--json',
      '--api-url',
      `http://127.0.0.1:${port}`,
    ]);

    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/cannot reach the SellerWorks API/);
  }, 60_000);

  it('exits 3 without a token for an API that is not on this machine, asking nothing of it', async () => {
    const { code, stderr } = await sellerworks(['cases', 'list', '--api-url', 'https://api.invalid']);

    expect(code).toBe(3);
    expect(stderr).toMatch(/SELLERWORKS_TOKEN/);
  }, 60_000);

  it('exits 3 when the API refuses the token', async () => {
    const { code, stderr } = await sellerworks(['cases', 'show', caseId], { SELLERWORKS_TOKEN: 'not-a-jwt' });

    expect(code).toBe(3);
    expect(stderr).toMatch(/401/);
  }, 60_000);

  it('exits 2 on a usage error: an unknown option, a missing required option', async () => {
    const unknown = await sellerworks(['cases', 'list', '--colour', 'red']);
    const missing = await sellerworks(['cases', 'decide', caseId, '--outcome', 'x']);

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--colour'/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--rationale/);
  }, 60_000);

  it('answers --help on every command with exit 0 and the exit statuses', async () => {
    for (const command of [
      [],
      ['cases'],
      ...['list', 'show', 'timeline', 'decide', 'transfer', 'assign'].map((c) => ['cases', c]),
    ]) {
      const { code, stdout } = await sellerworks([...command, '--help'], {});

      expect(code, command.join(' ')).toBe(0);
      expect(stdout, command.join(' ')).toMatch(/^Usage: sellerworks/);
      expect(stdout, command.join(' ')).toMatch(/Exit status:\n {2}0 /);
    }
  }, 120_000);
});
