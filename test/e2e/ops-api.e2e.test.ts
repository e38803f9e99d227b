import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredAuditEvent } from '../../functions/domain/case.ts';
import { caseMetrics } from '../../functions/domain/metrics.ts';
import { LOCAL } from '../../infra/local/local-config.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';
import { type ConsoleCases, makeConsoleCases } from '../support/console-cases.ts';

let runtime: LocalRuntime;
let client: SellerWorksClient;
let dynamo: DynamoDBClient;
let cases: ConsoleCases;
let supervisor: string;

beforeAll(async () => {
  runtime = await startLocalRuntime();
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  dynamo = new DynamoDBClient({
    endpoint: runtime.dynamoDbEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  cases = await makeConsoleCases(client);
  // The scoreboard follows the table stream: let it take in these cases first.
  await runtime.tableStream.caughtUp();
  supervisor = await client.opsToken();
}, 120_000);

afterAll(async () => {
  dynamo?.destroy();
  await runtime?.stop();
});

const get = async <T = Record<string, unknown>>(path: string, token = supervisor) => {
  const res = await fetch(`${runtime.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as T };
};

interface ListBody {
  cases: { caseId: string; family: string; team: string | null; channel: string; sla: { risk: string } }[];
  nextCursor: string | null;
  error?: { issues: { path: string; reason: string }[] };
}

describe('GET /ops/cases', () => {
  it('lists every case newest first', async () => {
    const { status, body } = await get<ListBody>('/ops/cases');

    expect(status).toBe(200);
    expect(body.cases.map((c) => c.caseId)).toEqual([cases.open, cases.protectedEvidence, cases.resolved]);
  });

  it('filters by family, team, tier, region, channel and SLA risk together', async () => {
    const { body } = await get<ListBody>(
      '/ops/cases?family=shipping-exception&tier=top_rated&region=EU&channel=api&sla=on_track',
    );
    const byTeam = await get<ListBody>('/ops/cases?team=verification');
    const none = await get<ListBody>('/ops/cases?family=shipping-exception&region=US');

    expect(body.cases.map((c) => c.caseId)).toEqual([cases.open]);
    expect(byTeam.body.cases.map((c) => c.caseId)).toEqual([cases.protectedEvidence]);
    expect(none.body.cases).toEqual([]);
  });

  it('treats cases filed without a channel as coming through the portal', async () => {
    const { body } = await get<ListBody>('/ops/cases?channel=portal');

    expect(body.cases.map((c) => c.caseId).sort()).toEqual([cases.protectedEvidence, cases.resolved].sort());
  });

  it('pages with a cursor until the list ends', async () => {
    const first = await get<ListBody>('/ops/cases?limit=2');
    const second = await get<ListBody>(`/ops/cases?limit=2&cursor=${first.body.nextCursor}`);

    expect(first.body.cases).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(second.body.cases.map((c) => c.caseId)).toEqual([cases.resolved]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('finds a case by its id, and nothing for an id that is not a case', async () => {
    const found = await get<ListBody>(`/ops/cases?q=${cases.resolved}`);
    const missing = await get<ListBody>('/ops/cases?q=case_doesnotexist00');

    expect(found.body.cases.map((c) => c.caseId)).toEqual([cases.resolved]);
    expect(missing.body.cases).toEqual([]);
  });

  it('answers a well-formed cursor no page gave out on every view without a 5xx, going on past it', async () => {
    const made = (upTo: string) => Buffer.from(JSON.stringify({ upTo })).toString('base64url');
    for (const view of [
      'sla=breached',
      'sla=at_risk',
      'sla=on_track',
      'family=payout-hold',
      'seller=x',
      '',
    ]) {
      for (const upTo of ['~~~~', '!', 'P#~', '2026-01-01T00:00:00.000Z#case_x']) {
        const answer = await get<ListBody>(`/ops/cases?${view}&cursor=${made(upTo)}`);
        expect(answer.status, `${view} ${upTo}`).toBe(200);
      }
    }
  });

  it('refuses an unknown filter value, an unknown parameter and a forged cursor, naming each', async () => {
    const family = await get<ListBody>('/ops/cases?family=parking-ticket');
    const extra = await get<ListBody>('/ops/cases?colour=red');
    const cursor = await get<ListBody>('/ops/cases?cursor=bm90LWEtY3Vyc29y');
    const limit = await get<ListBody>('/ops/cases?limit=5000');

    expect([family.status, extra.status, cursor.status, limit.status]).toEqual([422, 422, 422, 422]);
    expect(family.body.error?.issues[0]?.path).toBe('family');
    expect(extra.body.error?.issues[0]?.reason).toMatch(/colour/);
    expect(cursor.body.error?.issues[0]?.path).toBe('cursor');
    expect(limit.body.error?.issues[0]?.path).toBe('limit');
  });

  it('is for ops only', async () => {
    const seller = await client.sellerToken('seller-console-1');

    expect((await get('/ops/cases', seller)).status).toBe(403);
  });
});

describe('GET /ops/metrics', () => {
  /** The case's audit events as the store holds them. */
  const eventsOf = async (caseId: string) => {
    const out = await dynamo.send(
      new QueryCommand({
        TableName: LOCAL.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':events': 'EVENT#' },
      }),
    );
    return (out.Items ?? []) as StoredAuditEvent[];
  };

  it('stores on each case exactly the figures its timeline gives', async () => {
    for (const caseId of [cases.resolved, cases.protectedEvidence, cases.open]) {
      const view = await get<{ metrics: unknown }>(`/ops/cases/${caseId}`);

      expect(view.body.metrics).toEqual(caseMetrics(await eventsOf(caseId)));
    }
  });

  it('gives the scoreboard over all cases and by family, tier, channel and region', async () => {
    const { status, body } = await get<{
      all: {
        cases: number;
        resolved: number;
        manualTouchesPerResolved: number;
        solvedWithoutTouchShare: number;
      };
      segments: Record<string, { segment: string; cases: number }[]>;
    }>('/ops/metrics');

    expect(status).toBe(200);
    expect(body.all).toMatchObject({
      cases: 3,
      resolved: 1,
      manualTouchesPerResolved: 1,
      solvedWithoutTouchShare: 0,
    });
    expect(body.segments.family?.map((s) => s.segment).sort()).toEqual([
      'buyer-dispute',
      'payout-hold',
      'shipping-exception',
    ]);
    expect(body.segments.sellerTier?.find((s) => s.segment === 'top_rated')?.cases).toBe(1);
    expect(body.segments.channel?.find((s) => s.segment === 'api')?.cases).toBe(1);
    expect(body.segments.region?.find((s) => s.segment === 'EU')?.cases).toBe(2);
  });

  it('counts only cases opened from the day asked for on', async () => {
    const later = await get<{ all: { cases: number } }>('/ops/metrics?since=2999-01-01T00:00:00Z');
    const earlier = await get<{ all: { cases: number } }>('/ops/metrics?since=2000-01-01T00:00:00Z');

    expect([later.body.all.cases, earlier.body.all.cases]).toEqual([0, 3]);
  });

  it('refuses a since that is not an instant', async () => {
    const { status, body } = await get<{ error: { issues: { path: string }[] } }>(
      '/ops/metrics?since=yesterday',
    );

    expect(status).toBe(422);
    expect(body.error.issues[0]?.path).toBe('since');
  });
});

describe('GET /ops/cases/{id}/execution', () => {
  it('gives the run, its definition and its history, with the states it went through', async () => {
    const { status, body } = await get<{
      execution: { name: string; status: string };
      executions: unknown[];
      definition: { States: Record<string, unknown> };
      events: { type: string; stateEnteredEventDetails?: { name: string } }[];
    }>(`/ops/cases/${cases.resolved}/execution`);
    const entered = body.events.flatMap((e) => e.stateEnteredEventDetails?.name ?? []);

    expect(status).toBe(200);
    expect(body.execution).toMatchObject({ name: cases.resolved, status: 'SUCCEEDED' });
    expect(body.executions).toHaveLength(1);
    expect(Object.keys(body.definition.States)).toContain('Resolve');
    expect(entered).toEqual(
      expect.arrayContaining(['Triage', 'RequestEvidence', 'HandOff', 'Resolve', 'Resolved']),
    );
    expect(body.events.at(-1)?.type).toBe('ExecutionSucceeded');
  });

  it('answers 404 for a case that does not exist and for a run it never had', async () => {
    expect((await get('/ops/cases/case_doesnotexist00/execution')).status).toBe(404);
    expect((await get(`/ops/cases/${cases.resolved}/execution?name=${cases.resolved}-appeal-1`)).status).toBe(
      404,
    );
  });
});

describe('protected evidence in the ops view', () => {
  type Evidence = {
    kinds: string[];
    source: string;
    text?: string;
    redacted?: { reason: string; visibleTo: string[] };
    attachments: { filename?: string; url?: string; sha256?: string }[];
  };
  const documentsSeenBy = async (team?: string) => {
    const { body } = await get<{ evidence: Evidence[] }>(
      `/ops/cases/${cases.protectedEvidence}`,
      await client.opsToken(team),
    );
    return body.evidence.find((e) => e.kinds.includes('identity_document'));
  };

  it('hides identity documents from a team without the right, and says who may see them', async () => {
    const seen = await documentsSeenBy('payments-support');

    expect(seen?.text).toBeUndefined();
    expect(seen?.redacted).toEqual({
      reason: 'protected (identity_document, business_registration)',
      visibleTo: ['compliance-senior', 'verification', 'risk-operations'],
    });
    expect(JSON.stringify(seen)).not.toContain('X1234567');
  });

  it('shows them to the verification team and to a supervisor', async () => {
    expect((await documentsSeenBy('verification'))?.text).toContain('X1234567');
    expect((await documentsSeenBy())?.text).toContain('X1234567');
  });

  it('leaves evidence that is not protected visible to every team', async () => {
    const { body } = await get<{ evidence: Evidence[] }>(
      `/ops/cases/${cases.protectedEvidence}`,
      await client.opsToken('payments-support'),
    );

    const statement = body.evidence.find((e) => e.kinds.includes('seller_statement'));

    expect(statement).toMatchObject({ kinds: ['seller_statement'], source: 'intake' });
    expect(statement).not.toHaveProperty('redacted');
  });

  it('links each attachment to a download of the very file the seller sent', async () => {
    const { body } = await get<{ evidence: Evidence[] }>(`/ops/cases/${cases.resolved}`);
    const attachment = body.evidence.flatMap((e) => e.attachments).find((a) => a.url);
    const download = await fetch(attachment?.url ?? 'missing');
    const bytes = Buffer.from(await download.arrayBuffer());
    const { createHash } = await import('node:crypto');

    expect(download.status).toBe(200);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(attachment?.sha256);
  });

  it('writes nothing when it answers the console', async () => {
    const count = async () =>
      (await dynamo.send(new ScanCommand({ TableName: LOCAL.tableName, Select: 'COUNT' }))).Count ?? 0;
    const before = await count();

    await get('/ops/cases?family=payout-hold');
    await get('/ops/metrics');
    await get(`/ops/cases/${cases.protectedEvidence}`);

    expect(await count()).toBe(before);
  });
});
