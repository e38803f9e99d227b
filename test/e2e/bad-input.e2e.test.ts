import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { rawRequest } from '../support/raw-request.ts';

/**
 * Input no route should answer with a 5xx: malformed escapes, numbers no field can hold, bodies of the
 * wrong type or size, lax query numbers, and concurrent writes to one case.
 */
const payoutHold = JSON.parse(
  await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
);

let runtime: LocalRuntime;
let client: SellerWorksClient;
let seller: string;
let ops: string;
beforeAll(async () => {
  runtime = await startLocalRuntime();
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  seller = await client.sellerToken('seller-bad-input');
  ops = await client.opsToken();
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
});

const casesOfSeller = async () =>
  (
    (await client.request('GET', '/ops/cases?limit=200', { token: ops })).body as {
      cases: { sellerId?: string }[];
    }
  ).cases.length;

const raw = (path: string, options: Parameters<typeof rawRequest>[2]) =>
  rawRequest(runtime.apiUrl, path, { method: 'POST', ...options });

describe('bad input', () => {
  it('answers a malformed percent-escape in a path with 400 naming the parameter', async () => {
    const { status, body } = await raw('/cases/%ZZ', {
      method: 'GET',
      headers: { authorization: `Bearer ${seller}` },
    });
    expect(status).toBe(400);
    expect(JSON.parse(body).error.issues[0].path).toBe('path.caseId');
  });

  it('refuses a denormal or huge number with 422 naming the field, and stores nothing', async () => {
    const before = await casesOfSeller();
    for (const amount of [1e-200, 1e300]) {
      const { status, body } = await client.openCase(seller, { ...payoutHold, amount });
      expect(status).toBe(422);
      expect(JSON.stringify(body)).toContain('amount');
    }
    const tiny = await client.openCase(seller, { ...payoutHold, amount: 0.001 });
    expect(tiny.status).toBe(422);
    expect(await casesOfSeller()).toBe(before);
  });

  it('answers a body that is not JSON by its type with 415', async () => {
    const { status, body } = await raw('/cases', {
      headers: {
        authorization: `Bearer ${seller}`,
        'content-type': 'text/plain',
        'idempotency-key': 'bad-input-415',
      },
      chunks: [Buffer.from(JSON.stringify(payoutHold))],
    });
    expect(status).toBe(415);
    expect(JSON.parse(body).error.issues[0].path).toBe('headers.content-type');
  });

  it('answers an oversized body with 413, whether its length is declared or it is streamed', async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 'a');
    const declared = await raw('/cases', {
      headers: {
        authorization: `Bearer ${seller}`,
        'content-type': 'application/json',
        'content-length': String(big.length),
      },
      chunks: [big],
    });
    const streamed = await raw('/cases', {
      headers: {
        authorization: `Bearer ${seller}`,
        'content-type': 'application/json',
        'transfer-encoding': 'chunked',
      },
      chunks: [big.subarray(0, 600_000), big.subarray(600_000)],
    });
    expect([declared.status, streamed.status]).toEqual([413, 413]);
  });

  it('takes only plain digits as a page size', async () => {
    for (const limit of ['0x10', '1e2', '%205', '-1', '201']) {
      const { status } = await client.request('GET', `/ops/cases?limit=${limit}`, { token: ops });
      expect({ limit, status }).toEqual({ limit, status: 422 });
    }
    expect((await client.request('GET', '/ops/cases?limit=16', { token: ops })).status).toBe(200);
  });

  it('gives ten concurrent appeals of one decision one success and 409s, and records the appeal once', async () => {
    const opened = await client.openCase(seller, {
      ...payoutHold,
      reason: 'verification_required',
      sellerEmail: 'appeals@example.com',
    });
    const caseId = opened.body.caseId as string;
    const view = await client.answerUntilTeam(seller, ops, caseId, { seller: 'appeals@example.com' });
    const outcome = (view.allowedOutcomes as { id: string }[])[0]?.id ?? '';
    expect((await client.decide(ops, caseId, outcome, 'Decided.')).status).toBe(202);
    await client.waitForStatus(seller, caseId, 'resolved', 30_000);

    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        client.appeal(seller, caseId, `Please look again, appeal number ${i}.`).then((r) => r.status),
      ),
    );

    expect(
      statuses.filter((s) => s === 202),
      JSON.stringify(statuses),
    ).toHaveLength(1);
    expect(statuses.filter((s) => s !== 202).every((s) => s === 409)).toBe(true);
    const timeline = (await client.getCase(seller, caseId)).body.timeline as { type: string }[];
    expect(timeline.filter((e) => e.type === 'case.appealed')).toHaveLength(1);
  }, 90_000);
});
