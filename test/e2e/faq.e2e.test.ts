import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * FAQ grouping on the real runtime: cases opened through the API with like statements land, through the
 * table's stream, in one group of their family and reason, with their case ids as examples and the
 * template of the email their sellers got; a different concern stays apart; ops mark the group.
 */
let runtime: LocalRuntime;
let client: SellerWorksClient;
let ops: string;

beforeAll(async () => {
  runtime = await startLocalRuntime({});
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  ops = await client.opsToken();
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

const intake = (details: string, n: number) => ({
  family: 'payout-hold',
  payoutId: `po_faq_${n}`,
  reason: 'risk_review',
  amount: 120 + n,
  currency: 'EUR',
  heldSince: '2026-11-18',
  region: 'EU',
  sellerEmail: `seller-faq-${n}@example.com`,
  details,
});

type Page = {
  groups: {
    groupId: string;
    size: number;
    cases: number;
    examples: string[];
    templates: { template: string; cases: number }[];
    representative: string;
    candidate: unknown;
  }[];
};

describe('FAQ groups on the local runtime', () => {
  it('puts like statements of several cases in one group with its examples and template', async () => {
    const alike = [
      'When will my payout be released? It has been on hold for 10 days.',
      'My payout has been on hold for ten days, when will it be released?',
      'WHEN WILL MY PAYOUT BE RELEASED??? its been on hold 10 days!!!',
      'when will my payot be relesed, on hold for days now',
    ];
    const other = 'Why was my payout put on hold? Nobody told me the reason for the review.';
    const caseIds: string[] = [];
    for (const [n, details] of alike.entries()) {
      const seller = await client.sellerToken(`seller-faq-${n}`);
      const { status, body } = await client.openCase(seller, intake(details, n));
      expect(status).toBe(202);
      caseIds.push(String(body.caseId));
    }
    const seller = await client.sellerToken('seller-faq-9');
    const { body: otherCase } = await client.openCase(seller, intake(other, 9));
    // Each seller gets their first email (its template id@version is what the group records).
    for (const caseId of [...caseIds, String(otherCase.caseId)])
      await client.waitFor(
        'the first email',
        async () => ((await client.outbox(caseId)).some((m) => m.channel === 'email') ? true : undefined),
        60_000,
      );

    const page = await client.waitFor(
      'one group of four cases with their template',
      async () => {
        await runtime.tableStream.caughtUp();
        const { status, body } = await client.request<Page>(
          'GET',
          '/ops/faq?family=payout-hold&reason=risk_review',
          {
            token: ops,
          },
        );
        expect(status).toBe(200);
        const group = body.groups.find((g) => g.size === 4);
        return group && group.templates.length > 0 ? body : undefined;
      },
      60_000,
    );

    const [group, ...rest] = page.groups;
    expect(rest).toEqual([]); // the other concern is a group of one: not recurring, not listed
    expect(group).toMatchObject({ size: 4, cases: 4, representative: alike[0] });
    expect([...(group?.examples ?? [])].sort()).toEqual([...caseIds].sort());
    const sent = (await client.outbox(caseIds[0] as string)).filter((m) => m.channel === 'email');
    expect(group?.templates).toEqual([
      { template: expect.stringMatching(/^payout-hold\..+@\d+$/), cases: 4 },
    ]);
    expect(JSON.stringify(sent)).toContain(group?.templates[0]?.template.split('@')[0]);

    const marked = await client.request<Page['groups'][number]>(
      'PUT',
      `/ops/faq/groups/${group?.groupId}/candidate`,
      { token: ops, body: { candidate: true } },
    );
    expect(marked.status).toBe(200);
    const candidates = await client.request<Page>(
      'GET',
      '/ops/faq?family=payout-hold&reason=risk_review&candidates=true',
      { token: ops },
    );
    expect(candidates.body.groups.map((g) => g.groupId)).toEqual([group?.groupId]);
  }, 180_000);
});
