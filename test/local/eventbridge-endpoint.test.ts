import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ExecutionStore,
  FaultInjector,
  type LocalAwsServer,
  LocalSecrets,
  LocalStepFunctions,
  Outbox,
  startLocalAwsServer,
} from '#local/aws/index.ts';

/**
 * The local EventBridge endpoint, spoken to on the wire (JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`)
 * as @aws-sdk/client-eventbridge speaks it; the endpoint does not check signatures.
 */
describe('local EventBridge endpoint', () => {
  let dir: string;
  let server: LocalAwsServer;
  let stepFunctions: LocalStepFunctions;
  let outbox: Outbox;
  let faults: FaultInjector;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sellerworks-events-'));
    stepFunctions = new LocalStepFunctions({
      stateMachines: [],
      invokeFunction: async () => undefined,
      store: new ExecutionStore(join(dir, 'executions.sqlite')),
    });
    outbox = new Outbox(join(dir, 'outbox.jsonl'));
    faults = new FaultInjector();
    server = await startLocalAwsServer({
      port: 0,
      stepFunctions,
      outbox,
      s3Root: join(dir, 's3'),
      secrets: new LocalSecrets(join(dir, 'secrets.json')),
      faults,
    });
  });

  afterEach(async () => {
    await stepFunctions.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const putEvents = (entries: object[]) =>
    fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body: JSON.stringify({ Entries: entries }),
    });
  const entry = (detail: unknown) => ({
    Source: 'sellerworks.cases',
    DetailType: 'Case Opened',
    Detail: typeof detail === 'string' ? detail : JSON.stringify(detail),
    EventBusName: 'sellerworks-cases',
  });

  it('puts each event in the outbox with its detail type and detail, and answers their ids', async () => {
    // Act
    const response = await putEvents([entry({ caseId: 'case-1', version: 1 }), entry({ caseId: 'case-2' })]);

    // Assess
    const answer = (await response.json()) as { FailedEntryCount: number; Entries: { EventId: string }[] };
    expect(response.status).toBe(200);
    expect(answer.FailedEntryCount).toBe(0);
    expect(outbox.list({ caseId: 'case-1' })).toEqual([
      expect.objectContaining({
        channel: 'eventbridge',
        to: 'sellerworks-cases',
        from: 'sellerworks.cases',
        subject: 'Case Opened',
        detailType: 'Case Opened',
        detail: { caseId: 'case-1', version: 1 },
        messageId: answer.Entries[0]?.EventId,
      }),
    ]);
    expect(outbox.list()).toHaveLength(2);
  });

  it('fails an entry whose detail is not a JSON object in the answer, and puts the others', async () => {
    // Act
    const response = await putEvents([entry('not json'), entry({ caseId: 'case-3' })]);

    // Assess
    const answer = (await response.json()) as { FailedEntryCount: number; Entries: object[] };
    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries[0]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    expect(outbox.list().map((e) => e.caseId)).toEqual(['case-3']);
  });

  it('refuses more than ten entries and writes nothing', async () => {
    // Act
    const response = await putEvents(Array.from({ length: 11 }, (_, i) => entry({ caseId: `case-${i}` })));

    // Assess
    expect(response.status).toBe(400);
    expect(outbox.list()).toEqual([]);
  });

  it('answers an armed fault with EventBridge throttling and writes nothing', async () => {
    // Prepare
    faults.arm({ service: 'events', operation: 'PutEvents', count: 1 });

    // Act
    const response = await putEvents([entry({ caseId: 'case-4' })]);

    // Assess
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toContain('ThrottlingException');
    expect(outbox.list()).toEqual([]);
  });
});
