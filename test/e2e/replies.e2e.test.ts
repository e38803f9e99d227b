import { readFile } from 'node:fs/promises';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL } from '../../infra/local/local-config.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * An agent writes to the seller from the family's approved snippets, end to end on the local runtime: a
 * status update leaves through the outbox with its template id@version; a reply that asks for more opens a
 * new evidence wait with a fresh reply address, frees the agent's capacity, and the seller's emailed answer
 * is recorded as evidence and brings the case back to the agent who asked. Bad replies are refused with
 * their field and change nothing; only the owner (or a supervisor) writes; notes and replies stay internal.
 */

let runtime: LocalRuntime;
let client: SellerWorksClient;
let supervisor: string;
const TEAM = 'verification';

interface OpsCase {
  status: string;
  version: number;
  assignee: { agentId: string; rule: string } | null;
  waiting?: { step: string; missing?: string[]; requestedBy?: string };
  replySnippets?: { id: string; freeText: string; asksForEvidence: boolean; template: string }[];
  askableEvidence?: { kind: string; label: string }[];
  evidence: { kinds: string[]; source?: string }[];
  timeline: { type: string; actor: string; data?: Record<string, unknown> }[];
}

const opsCase = async (caseId: string) =>
  (await client.getOpsCase(supervisor, caseId)).body as unknown as OpsCase;

const payout = async () =>
  JSON.parse(
    await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;

const load = async (agentId: string) => {
  const listed = await client.request<{ agents: { agentId: string; load: number }[] }>(
    'GET',
    `/ops/agents?team=${TEAM}`,
    { token: supervisor },
  );
  return listed.body.agents.find((a) => a.agentId === agentId)?.load;
};

beforeAll(async () => {
  runtime = await startLocalRuntime();
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  supervisor = await client.opsToken();
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
});

describe('replies from approved snippets', () => {
  let caseId = '';
  let seller = '';
  let rae = '';
  let sol = '';
  const sellerEmail = 'seller-replies@example.com';

  it('reach a case held by an agent', async () => {
    for (const agentId of ['rae', 'sol']) {
      const put = await client.putAgent(supervisor, agentId, {
        team: TEAM,
        name: agentId === 'rae' ? 'Rae Moreau' : 'Sol Aziz',
        skills: {},
        capacity: 1,
        status: agentId === 'rae' ? 'available' : 'away',
      });
      expect(put.status).toBe(200);
    }
    rae = await client.agentToken(TEAM, 'rae');
    sol = await client.agentToken(TEAM, 'sol');
    seller = await client.sellerToken('seller-replies');
    const created = await client.openCase(seller, {
      ...(await payout()),
      payoutId: 'po_replies_1',
      region: 'US',
      sellerEmail,
    });
    expect(created.status).toBe(202);
    caseId = created.body.caseId;
    await client.untilOpsCase<OpsCase>(supervisor, caseId, 'asking', (c) => c.status === 'awaiting_seller');
    await client.addEvidence(
      seller,
      caseId,
      ['identity_document', 'business_registration'],
      'Passport number X1234567 of the account holder and the new certificate of incorporation.',
    );
    const held = await client.untilOpsCase<OpsCase>(
      supervisor,
      caseId,
      'held by rae',
      (c) => c.status === 'handed_off' && c.assignee?.agentId === 'rae',
    );
    expect(held.replySnippets?.map((s) => [s.id, s.freeText, s.asksForEvidence, s.template])).toEqual([
      ['status-update', 'optional', false, 'payout-hold.snippet.status-update@1'],
      ['delay-notice', 'none', false, 'payout-hold.snippet.delay-notice@1'],
      ['more-information', 'required', true, 'payout-hold.snippet.more-information@1'],
    ]);
    expect(held.askableEvidence?.map((e) => e.kind)).toContain('bank_statement');
  });

  it('refuses a bad reply with its field, and a reply by someone who does not own the case, writing nothing', async () => {
    const before = await opsCase(caseId);
    const outboxBefore = (await client.outbox(caseId)).length;
    const bad: [{ snippet: string; text?: string; evidence?: string[] }, string][] = [
      [{ snippet: 'free-form' }, 'snippet'],
      [{ snippet: 'delay-notice', text: 'Sorry!' }, 'text'],
      [{ snippet: 'more-information', evidence: ['bank_statement'] }, 'text'],
      [{ snippet: 'more-information', text: 'We need one more thing.' }, 'evidence'],
      [{ snippet: 'more-information', text: 'We need one more thing.', evidence: ['tax_id'] }, 'evidence.0'],
      [{ snippet: 'status-update', evidence: ['bank_statement'] }, 'evidence'],
      [{ snippet: 'status-update', text: 'x'.repeat(2001) }, 'text'],
    ];
    for (const [body, path] of bad) {
      const refused = await client.reply(rae, caseId, body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
      const issues = (refused.body as { error: { issues: { path: string }[] } }).error.issues;
      expect(issues.map((i) => i.path)).toContain(path);
    }
    const notOwner = await client.reply(sol, caseId, { snippet: 'delay-notice' });
    expect(notOwner.status).toBe(403);
    const otherTeam = await client.reply(await client.opsToken('payments-support'), caseId, {
      snippet: 'delay-notice',
    });
    expect(otherTeam.status).toBe(403);
    const after = await opsCase(caseId);
    expect(after.version).toBe(before.version);
    expect((await client.outbox(caseId)).length).toBe(outboxBefore);
  });

  it('sends a status update with the agent’s words, through the outbox with its template id@version', async () => {
    const sent = await client.reply(rae, caseId, {
      snippet: 'status-update',
      text: 'Your documents are with our verification specialist today.',
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ sent: 'now', template: 'payout-hold.snippet.status-update@1' });
    const email = await client.waitForMessage(caseId, 'the status update', (m) =>
      m.subject.startsWith('An update on'),
    );
    expect(email.to).toBe(sellerEmail);
    expect(email.headers?.['X-SellerWorks-Template']).toBe('payout-hold.snippet.status-update@1');
    expect(email.text).toContain('Your documents are with our verification specialist today.');
    const ops = await opsCase(caseId);
    expect(ops.status).toBe('handed_off');
    expect(ops.timeline.find((e) => e.type === 'reply.sent')).toMatchObject({
      actor: 'ops:rae',
      data: { snippet: 'status-update', template: 'payout-hold.snippet.status-update@1' },
    });
  });

  it('refuses to ask for more on a case whose workflow predates requests for more, and changes nothing', async () => {
    // As an execution started before the upgrade records its decision wait: without `asks`.
    const table = localTableClient(runtime.dynamoDbEndpoint);
    const key = { pk: `CASE#${caseId}`, sk: 'CASE' };
    await table.send(
      new UpdateCommand({ TableName: LOCAL.tableName, Key: key, UpdateExpression: 'REMOVE waiting.asks' }),
    );
    const before = await opsCase(caseId);
    const ask = await client.reply(rae, caseId, {
      snippet: 'more-information',
      text: 'One more document, please.',
      evidence: ['bank_statement'],
    });
    expect(ask.status).toBe(409);
    expect((await opsCase(caseId)).version).toBe(before.version);
    expect((await opsCase(caseId)).status).toBe('handed_off');
    await table.send(
      new UpdateCommand({
        TableName: LOCAL.tableName,
        Key: key,
        UpdateExpression: 'SET waiting.asks = :yes',
        ExpressionAttributeValues: { ':yes': true },
      }),
    );
    table.destroy();
  });

  it('asks for more with a fresh reply address; the seller’s emailed answer is evidence and returns to the asker', async () => {
    const firstAddress = (await client.outbox(caseId)).find((m) => m.replyTo)?.replyTo;
    expect(firstAddress).toBeTruthy();
    await client.addNote(rae, caseId, 'Registration looks fine; the bank account name differs — asking.');
    // Two clicks at once: the wait takes one request; the other is told the case moved on.
    const asks = await Promise.all(
      [1, 2].map(() =>
        client.reply(rae, caseId, {
          snippet: 'more-information',
          text: 'The account name on your payout account differs from your registered business name.',
          evidence: ['bank_statement'],
        }),
      ),
    );
    expect(asks.map((a) => a.status).sort()).toEqual([202, 409]);
    const waiting = await client.untilOpsCase<OpsCase>(
      supervisor,
      caseId,
      'waiting on the seller again',
      (c) => c.status === 'awaiting_seller',
    );
    expect(waiting.waiting).toMatchObject({
      step: 'evidence',
      missing: ['bank_statement'],
      requestedBy: 'rae',
    });
    expect(waiting.assignee).toBeNull();
    expect(await load('rae')).toBe(0);
    const request = await client.waitForMessage(caseId, 'the request for more', (m) =>
      m.subject.startsWith('Action needed: more information'),
    );
    expect(request.headers?.['X-SellerWorks-Template']).toBe('payout-hold.snippet.more-information@1');
    expect(request.replyTo).toBeTruthy();
    expect(request.replyTo).not.toBe(firstAddress);
    expect(request.text).toContain('The account name on your payout account differs');
    expect(request.text).toContain('A recent statement (last 3 months) for the bank account');
    expect((await client.outbox(caseId)).filter((m) => m.subject === request.subject)).toHaveLength(1);

    await client.sendReply(request.replyTo ?? '', {
      fixture: 'events/email/seller-reply.eml',
      from: sellerEmail,
    });
    const back = await client.untilOpsCase<OpsCase>(
      supervisor,
      caseId,
      'back with rae',
      (c) => c.status === 'handed_off' && c.assignee !== null,
    );
    expect(back.assignee).toMatchObject({ agentId: 'rae', rule: 'returning-owner' });
    expect(back.evidence.some((e) => e.source === 'email')).toBe(true);
    expect(back.timeline.some((e) => e.type === 'evidence.received')).toBe(true);
    expect(await load('rae')).toBe(1);
  });

  it('keeps notes and which snippet an agent used out of the seller’s view; the seller reads the messages', async () => {
    const view = await client.getCase(seller, caseId);
    expect(view.status).toBe(200);
    const types = view.body.timeline.map((e) => e.type);
    expect(types).not.toContain('note.added');
    expect(types).not.toContain('reply.sent');
    expect(JSON.stringify(view.body)).not.toContain('bank account name differs');
    const subjects = (view.body as unknown as { messages: { subject: string }[] }).messages.map(
      (m) => m.subject,
    );
    expect(subjects.some((s) => s.startsWith('An update on'))).toBe(true);
    expect(subjects.some((s) => s.startsWith('Action needed: more information'))).toBe(true);
  });

  it('ends with the owner’s decision', async () => {
    const decided = await client.decide(
      rae,
      caseId,
      'payout_released',
      'Bank statement matches the business',
    );
    expect(decided.status).toBe(202);
    await client.untilOpsCase<OpsCase>(supervisor, caseId, 'resolved', (c) => c.status === 'resolved');
    expect(await load('rae')).toBe(0);
    const late = await client.reply(rae, caseId, { snippet: 'delay-notice' });
    expect(late.status).toBe(409);
  });
});
