import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/api/routes.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { rawRequest } from '../support/raw-request.ts';

/**
 * A seeded fuzz of every API route on the local runtime: paths with malformed escapes and odd ids, junk
 * query strings, wrong or missing content types, and bodies that are random JSON, random text, or a valid
 * intake with fields swapped for hostile values (denormal and huge numbers, deep nesting, wrong types).
 * No request may get a 5xx, and a refused intake stores nothing. The seed is fixed so a failure replays.
 */
const SEED = 20261205;
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

const intake = JSON.parse(
  await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

let runtime: LocalRuntime;
let client: SellerWorksClient;
let tokens: Record<'seller' | 'other' | 'ops' | 'team', string>;
let realCase: string;
beforeAll(async () => {
  runtime = await startLocalRuntime();
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  tokens = {
    seller: await client.sellerToken('seller-fuzz'),
    other: await client.sellerToken('seller-other'),
    ops: await client.opsToken(),
    team: await client.opsToken('verification'),
  };
  const opened = await client.openCase(tokens.seller, { ...intake, reason: 'verification_required' });
  realCase = opened.body.caseId as string;
  await client.waitForStatus(tokens.seller, realCase, 'awaiting_seller');
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
});

const hostileNumber = fc.constantFrom(
  1e-200,
  -1e-200,
  1e300,
  -1e300,
  5e-324,
  0.001,
  -1,
  0,
  2 ** 53 + 1,
  1e21,
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileNumber,
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '2026-02-30', '9999-12-31', '0001-01-01', '%ZZ', '\u0000', 'é'.repeat(300)),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant(Array.from({ length: 50 }).reduce<unknown>((inner) => ({ a: inner }), 1)),
);

const mutatedIntake = fc
  .tuple(
    fc.subarray(Object.keys(intake), { maxLength: 3 }),
    fc.array(hostileValue, { minLength: 3, maxLength: 3 }),
  )
  .map(([keys, values]) => {
    const body: Record<string, unknown> = { ...intake };
    keys.forEach((key, i) => {
      body[key] = values[i];
    });
    return JSON.stringify(body);
  });

const body = fc.oneof(
  { weight: 3, arbitrary: mutatedIntake },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '{', '{"outcome":', 'null', '[]', '{"accept":"yes"}') },
);

const pathParameter = fc.oneof(
  fc.constant('REAL'),
  fc.constantFrom('%ZZ', '%', '%E0%A4%A', 'case_', `case_${'0'.repeat(60)}`, '..', '%2F', 'case_xyz%00'),
  fc.string({ minLength: 1, maxLength: 30 }).map((s) => encodeURIComponent(s)),
);

const query = fc.dictionary(
  fc.constantFrom(
    'limit',
    'cursor',
    'family',
    'status',
    'team',
    'tier',
    'region',
    'channel',
    'sla',
    'q',
    'since',
    'name',
    'x',
  ),
  fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom('0x10', '1e2', '-1', '%ZZ', '99999', 'payout-hold', 'breached'),
  ),
  { maxKeys: 3 },
);

const request = fc.record({
  route: fc.constantFrom(...ROUTES),
  parameter: pathParameter,
  query,
  token: fc.constantFrom('seller', 'other', 'ops', 'team', 'none') as fc.Arbitrary<
    keyof typeof tokens | 'none'
  >,
  contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'none'),
  body,
  idempotencyKey: fc.oneof(fc.uuid(), fc.string({ maxLength: 140 }), fc.constant('fuzz-fixed-key-1')),
});

describe('a seeded fuzz of every route', () => {
  it(`answers ${RUNS} malformed requests without a 5xx, and stores no refused intake`, async () => {
    const accepted = new Set<string>();
    const fiveXx: string[] = [];
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const parameter = r.parameter === 'REAL' ? realCase : r.parameter;
        const search = new URLSearchParams(r.query).toString();
        const path = `${r.route.path.replace('{caseId}', parameter).replace('{agentId}', parameter)}${search ? `?${search}` : ''}`;
        const headers: Record<string, string> = {
          ...(r.token === 'none' ? {} : { authorization: `Bearer ${tokens[r.token]}` }),
          ...(r.contentType === 'none' ? {} : { 'content-type': r.contentType }),
          ...(/^[\x21-\x7e]*$/.test(r.idempotencyKey) ? { 'idempotency-key': r.idempotencyKey } : {}),
        };
        const post = r.route.method !== 'GET';
        const response = await rawRequest(runtime.apiUrl, path, {
          method: r.route.method,
          headers,
          ...(post ? { chunks: [Buffer.from(r.body)] } : {}),
        });
        seen.add(`${r.route.method} ${r.route.path} ${response.status}`);
        if (response.status >= 500)
          fiveXx.push(`${r.route.method} ${path} → ${response.status} ${response.body}`);
        if (r.route.path === '/cases' && response.status === 202) {
          accepted.add(JSON.parse(response.body).caseId as string);
        }
        return response.status < 500;
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );

    expect(fiveXx).toEqual([]);
    // Every route was reached, and refused as well as answered.
    for (const route of ROUTES) {
      expect([...seen].some((s) => s.startsWith(`${route.method} ${route.path} `))).toBe(true);
    }
    // Only the intakes answered 202 became cases (besides the one opened to aim at).
    const listed = await client.request<{ cases: { caseId: string }[] }>('GET', '/ops/cases?limit=200', {
      token: tokens.ops,
    });
    expect(new Set(listed.body.cases.map((c) => c.caseId))).toEqual(new Set([realCase, ...accepted]));
  }, 300_000);
});
