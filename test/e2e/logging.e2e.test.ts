import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * The functions' log, end to end on the local runtime: one payout hold driven from its intake request to
 * resolution leaves JSON lines in `<dataDir>/logs/functions.log` for every step it passed, each naming the
 * case and carrying the correlation id of the request that opened it; the seller's address is in none.
 */

let runtime: LocalRuntime;
let client: SellerWorksClient;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sellerworks-logging-'));
  runtime = await startLocalRuntime({ dataDir });
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type LogLine = Record<string, unknown> & { level: string; message: string; function?: string };

const logLines = async (): Promise<{ text: string; lines: LogLine[] }> => {
  const text = await readFile(runtime.logPath, 'utf8');
  return {
    text,
    lines: text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogLine),
  };
};

describe('the functions’ log', () => {
  it('follows a case from its intake request through every step to resolution with one correlation id', async () => {
    // Prepare: a seller opens a payout hold with its own correlation id, answers the evidence request on the
    // portal, and an ops supervisor decides.
    const sellerEmail = 'seller-logging@example.com';
    const correlationId = 'portal-req-7f3a9c21';
    const intake = JSON.parse(
      await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const seller = await client.sellerToken('seller-logging');
    const ops = await client.opsToken();

    // Act
    const opened = await client.request<{ caseId: string }>('POST', '/cases', {
      token: seller,
      body: { ...intake, sellerEmail },
      headers: { 'idempotency-key': 'logging-e2e-0001', 'x-correlation-id': correlationId },
    });
    expect(opened.status).toBe(202);
    const { caseId } = opened.body;
    await client.untilOpsCase(ops, caseId, 'asking for documents', (c) => c.status === 'awaiting_seller');
    const answered = await client.addEvidence(
      seller,
      caseId,
      ['identity_document', 'business_registration'],
      'Passport number X1234567 and the new certificate of incorporation.',
    );
    expect(answered.status).toBe(202);
    await client.untilOpsCase(ops, caseId, 'with the team', (c) => c.status === 'handed_off');
    const decided = await client.decide(ops, caseId, 'payout_released', 'Documents match the registration');
    expect(decided.status).toBe(202);
    await client.untilOpsCase(ops, caseId, 'resolved', (c) => c.status === 'resolved');

    // Assess: the intake request's line, then a line for each step, each with the case and its correlation id.
    // The case reads resolved once Resolve commits; its end line follows a moment later (and the file is
    // written asynchronously), so wait for it.
    const { text, lines } = await client.waitFor('the Resolve step’s end line', async () => {
      const read = await logLines();
      return read.lines.some(
        (line) =>
          line.caseId === caseId &&
          line.function === 'sellerworks-resolve' &&
          line.message === 'invocation ended',
      )
        ? read
        : undefined;
    });
    const ofCase = lines.filter((line) => line.caseId === caseId);
    const intakeLine = ofCase.find((line) => line.function === 'sellerworks-create-case');
    expect(intakeLine).toMatchObject({
      level: 'INFO',
      message: 'invocation ended',
      service: 'sellerworks',
      family: 'payout-hold',
      correlationId,
      statusCode: 202,
    });
    const steps = ['triage', 'request-evidence', 'hand-off', 'resolve'];
    for (const step of steps) {
      const ended = ofCase.filter(
        (line) => line.function === `sellerworks-${step}` && line.message === 'invocation ended',
      );
      expect(ended.length, `an end line for ${step}`).toBeGreaterThan(0);
      for (const line of ended) {
        expect(line).toMatchObject({
          caseId,
          family: 'payout-hold',
          correlationId,
          // The intake's execution is named after the case.
          executionArn: expect.stringMatching(new RegExp(`^arn:aws:states:.*:execution:.*:${caseId}$`)),
          outcome: 'success',
        });
        expect(line.durationMs).toEqual(expect.any(Number));
      }
    }
    // Every line a step of this case wrote (sends from its outbox included) carries the same id.
    const stepLines = ofCase.filter((line) => steps.some((step) => line.function === `sellerworks-${step}`));
    expect(new Set(stepLines.map((line) => line.correlationId))).toEqual(new Set([correlationId]));
    // The later requests on the case (the seller's evidence, the decision) log under the case's id too, each
    // with its own requestId.
    for (const fn of ['add-evidence', 'record-decision']) {
      const request = ofCase.find((line) => line.function === `sellerworks-${fn}`);
      expect(request, `a line for ${fn}`).toMatchObject({ correlationId, requestId: expect.any(String) });
      expect(request?.requestId).not.toBe(intakeLine?.requestId);
    }
    // Protected: the seller's address and the evidence text never reach the log.
    expect(text).not.toContain(sellerEmail);
    expect(text).not.toContain('X1234567');
  }, 90_000);

  it('carries the case’s correlation id into the handling of a seller’s emailed reply, without its address', async () => {
    // Prepare: a case opened without a correlation id of its own takes the API's requestId.
    const sellerEmail = 'seller-mailer@example.com';
    const intake = JSON.parse(
      await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const seller = await client.sellerToken('seller-mailer');
    const ops = await client.opsToken();
    const opened = await client.openCase(seller, { ...intake, payoutId: 'po_logging_mail', sellerEmail });
    expect(opened.status).toBe(202);
    const { caseId } = opened.body;

    // Act: the seller answers the evidence request by email, through the SMTP listener.
    await client.answerUntilTeam(seller, ops, caseId, { seller: sellerEmail });

    // Assess
    const { text, lines } = await client.waitFor('the inbound email’s end line', async () => {
      const read = await logLines();
      return read.lines.some(
        (line) =>
          line.caseId === caseId &&
          line.function === 'sellerworks-inbound-email' &&
          line.message === 'invocation ended',
      )
        ? read
        : undefined;
    });
    const ofCase = lines.filter((line) => line.caseId === caseId);
    const intakeLine = ofCase.find((line) => line.function === 'sellerworks-create-case');
    expect(intakeLine?.correlationId).toEqual(intakeLine?.requestId);
    const inbound = ofCase.filter((line) => line.function === 'sellerworks-inbound-email');
    expect(inbound).toContainEqual(
      expect.objectContaining({ message: 'invocation ended', outcome: 'success', outcomes: ['resumed'] }),
    );
    for (const line of inbound) expect(line.correlationId).toBe(intakeLine?.correlationId);
    expect(text).not.toContain(sellerEmail);
  }, 90_000);

  it('answers a case’s correlation id to those who may see the case, and to no one else', async () => {
    // Prepare
    const intake = JSON.parse(
      await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const owner = await client.sellerToken('seller-owner');
    const other = await client.sellerToken('seller-other');
    const correlationId = 'portal-req-owner-0001';
    const opened = await client.request<{ caseId: string }>('POST', '/cases', {
      token: owner,
      body: { ...intake, payoutId: 'po_logging_owner', sellerEmail: 'owner@example.com' },
      headers: { 'idempotency-key': 'logging-e2e-owner', 'x-correlation-id': correlationId },
    });
    const { caseId } = opened.body;
    const read = (token: string) =>
      fetch(`${runtime.apiUrl}/cases/${caseId}`, { headers: { authorization: `Bearer ${token}` } });

    // Act
    const byOwner = await read(owner);
    const byOther = await read(other);

    // Assess
    expect(byOwner.status).toBe(200);
    expect(byOwner.headers.get('x-correlation-id')).toBe(correlationId);
    expect(byOther.status).toBe(404);
    expect(byOther.headers.get('x-correlation-id')).not.toBe(correlationId);
  });
});
