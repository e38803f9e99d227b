import { readFile } from 'node:fs/promises';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultRule, FaultRuleInput } from '../../infra/local/aws/faults.ts';
import { LOCAL, localStateMachineArn } from '../../infra/local/local-config.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * Throttles and 5xx injected into the AWS calls the product makes (`POST /dev/faults` on the local
 * endpoint, DynamoDB included with `dynamoDbFaults`), as AWS answers them under load: each is retried —
 * by the SDK, the outbox or the state machine — and the case goes on, with every email, notification and
 * schedule sent once; a fault that outlasts the retry budget escalates the case once. Case time and retry
 * delays run 1,000× faster, so the half-hour budget runs out in seconds.
 */
const payoutHold = JSON.parse(
  await readFile(new URL('../../events/intake/payout-hold.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

let runtime: LocalRuntime;
let client: SellerWorksClient;
let ops: string;
let table: DynamoDBDocumentClient;

beforeAll(async () => {
  runtime = await startLocalRuntime({ dynamoDbFaults: true, timeScale: 1_000 });
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  ops = await client.opsToken();
  table = localTableClient(runtime.dynamoDbEndpoint);
}, 60_000);
afterAll(async () => {
  table?.destroy();
  await runtime?.stop();
});
beforeEach(async () => {
  await client.request('DELETE', '/dev/faults');
});

const arm = async (rule: FaultRuleInput) => {
  const answer = await client.request<FaultRule>('POST', '/dev/faults', { body: rule });
  expect(answer.status).toBe(201);
  return answer.body;
};
const rules = async () => (await client.request<FaultRule[]>('GET', '/dev/faults')).body;

type OpsCase = { status: string; timeline: { type: string; data?: Record<string, unknown> }[] };
const look = async (caseId: string) => (await client.getOpsCase(ops, caseId)).body as unknown as OpsCase;
const until = (caseId: string, what: string, check: (c: OpsCase) => boolean, timeoutMs = 30_000) =>
  client.untilOpsCase(ops, caseId, what, check, timeoutMs);
const count = (c: OpsCase, type: string) => c.timeline.filter((e) => e.type === type).length;

const open = async (seller: string, email: string) => {
  const token = await client.sellerToken(seller);
  const opened = await client.openCase(token, { ...payoutHold, sellerEmail: email });
  expect(opened.status).toBe(202);
  return { token, caseId: opened.body.caseId };
};

describe('faults injected into AWS calls', () => {
  it('refuses a malformed fault rule with the field that is wrong, and arms nothing', async () => {
    const answer = await client.request('POST', '/dev/faults', {
      body: { service: 'dynamodb', count: 0 },
    });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      error: { issues: [{ path: 'body.count', reason: 'a whole number from 1 to 1,000,000, or "always"' }] },
    });
    expect(await rules()).toEqual([]);
  });

  it('DynamoDB throttles and 5xx on intake, triage and the evidence request only delay the case', async () => {
    // Prepare: the intake's write throttled twice (the SDK retries within the request); the triage commit
    // throttled four times and the evidence request's commit failing three times with a 5xx (more than the
    // SDK's three attempts: the state machine retries the step).
    const intake = await arm({
      service: 'dynamodb',
      operation: 'TransactWriteItems',
      match: 'EVENT#00000001#00000000',
      count: 2,
    });
    const triage = await arm({ service: 'dynamodb', match: 'case.triaged', count: 4 });
    const request = await arm({
      service: 'dynamodb',
      match: 'evidence.requested',
      count: 3,
      kind: 'unavailable',
    });

    // Act
    const { caseId } = await open('seller-faults-ddb', 'faults-ddb@example.com');
    const waiting = await until(caseId, 'waiting on the seller', (c) => c.status === 'awaiting_seller');

    // Assess: every fault was met and retried; each step's work landed once; one evidence request email.
    const met = new Map((await rules()).map((r) => [r.id, r]));
    expect(met.get(intake.id)?.failed).toBe(2);
    expect(met.get(triage.id)?.failed).toBe(4);
    expect(met.get(request.id)?.failed).toBe(3);
    expect(count(waiting, 'case.triaged')).toBe(1);
    expect(count(waiting, 'evidence.requested')).toBe(1);
    const emails = (await client.outbox(caseId)).filter((m) => m.channel === 'email');
    expect(emails).toHaveLength(1);
  });

  it('SES, Scheduler and Step Functions throttles and 5xx: the email, the timers and the answer each land once', async () => {
    // Prepare: SES and Scheduler throttled past the SDK's attempts (the outbox gives the records back and
    // sends them later); StartExecution throttled and SendTaskSuccess failing (the SDK retries both).
    await arm({ service: 'ses', operation: 'SendEmail', count: 5 });
    await arm({ service: 'scheduler', operation: 'CreateSchedule', count: 4, kind: 'unavailable' });
    const start = await arm({ service: 'sfn', operation: 'StartExecution', count: 2 });

    // Act: a case, its evidence request, and the seller's answer on the portal.
    const { token, caseId } = await open('seller-faults-aws', 'faults-aws@example.com');
    await until(caseId, 'waiting on the seller', (c) => c.status === 'awaiting_seller');
    const request = await client.waitForMessage(
      caseId,
      'the evidence request',
      (m) => m.channel === 'email',
      30_000,
    );
    const answer = await arm({ service: 'sfn', operation: 'SendTaskSuccess', count: 2, kind: 'unavailable' });
    const added = await client.addEvidence(token, caseId, ['business_registration'], 'Certificate no. 4471.');
    const handedOff = await until(caseId, 'handed to the team', (c) => c.status === 'handed_off');

    // Assess: one evidence request sent; the answer resumed the wait once; the case's alarm has its schedule.
    expect(added.status).toBe(202);
    expect(request.to).toBe('faults-aws@example.com');
    const emails = (await client.outbox(caseId)).filter((m) => m.subject === request.subject);
    expect(emails).toHaveLength(1);
    expect(count(handedOff, 'evidence.received')).toBe(1);
    const met = new Map((await rules()).map((r) => [r.id, r]));
    expect(met.get(start.id)?.failed).toBe(2);
    expect(met.get(answer.id)?.failed).toBe(2);
    expect((await rules()).every((r) => r.remaining === 0)).toBe(true);
    // The case's one alarm (functions/domain/alarm.ts) exists, at its earliest timer still scheduled.
    const items = await table.send(
      new QueryCommand({
        TableName: LOCAL.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}` },
      }),
    );
    const scheduled = (items.Items ?? []).filter(
      (i) => String(i.sk).startsWith('TIMER#') && i.status === 'scheduled',
    );
    expect(scheduled.length).toBeGreaterThan(0);
    const alarm = (items.Items ?? []).find((i) => i.sk === 'CASE')?.alarm as { at: string; name: string };
    expect(alarm.at).toBe(scheduled.map((t) => String(t.dueAt)).sort()[0]);
    const scheduler = new SchedulerClient({
      endpoint: runtime.awsEndpoint,
      region: LOCAL.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await client.waitFor(
      "the case's alarm schedule, once the scheduler took it",
      () =>
        scheduler
          .send(new GetScheduleCommand({ Name: alarm.name }))
          .then(() => true)
          .catch(() => undefined),
      30_000,
    );
    scheduler.destroy();
  });

  it('a fault that outlasts the retry budget fails the step and escalates the case once, even with SNS failing', async () => {
    // Prepare: the triage commit failing for good (a 5xx: the SDK backs off from 100 ms, where a throttle
    // starts at 500 ms, so the budget's 17 attempts take seconds rather than a minute); SNS failing for the
    // first publications.
    const forever = await arm({
      service: 'dynamodb',
      match: 'case.triaged',
      count: 'always',
      kind: 'unavailable',
    });
    await arm({ service: 'sns', operation: 'Publish', count: 4, kind: 'unavailable' });

    // Act
    const { caseId } = await open('seller-faults-budget', 'faults-budget@example.com');
    const failed = await until(caseId, 'failed and escalated', (c) => c.status === 'failed', 150_000);
    // Give a duplicate escalation the time to show up before counting.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    // Assess: triage was tried through the whole budget (17 attempts, each with the SDK's own three)...
    const arn = `${localStateMachineArn('payout-hold').replace(':stateMachine:', ':execution:')}:${caseId}`;
    const history = runtime.stepFunctions.getExecutionHistory({ executionArn: arn, maxResults: 1000 });
    const attempts = (history.events ?? []).filter((e) => e.type === 'LambdaFunctionFailed').length;
    expect(attempts).toBeGreaterThanOrEqual(17);
    expect((await rules()).find((r) => r.id === forever.id)?.failed).toBeGreaterThanOrEqual(17);
    expect(runtime.stepFunctions.describeExecution({ executionArn: arn }).status).toBe('FAILED');
    // ...then escalated once: one audit event, one operator alert published despite SNS's failures.
    const now = await look(caseId);
    expect(count(now, 'case.escalated')).toBe(1);
    expect(failed.timeline.find((e) => e.type === 'case.escalated')?.data).toMatchObject({
      reason: 'step_failed',
    });
    const alerts = (await client.outbox(caseId)).filter((m) => m.channel === 'sns');
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0]?.text ?? '{}')).toMatchObject({ reason: 'step_failed', caseId });
  }, 200_000);

  it('an escalation that cannot be recorded alerts operators straight on the topic, and the run ends', async () => {
    // Prepare: the triage commit and the escalation's commit both failing for good (the table refusing
    // this case's writes), and SNS failing the first publications of the direct alert.
    await arm({ service: 'dynamodb', match: 'case.triaged', count: 'always', kind: 'unavailable' });
    await arm({ service: 'dynamodb', match: 'case.escalated', count: 'always', kind: 'unavailable' });
    await arm({ service: 'sns', operation: 'Publish', count: 4, kind: 'throttle' });

    // Act
    const { caseId } = await open('seller-faults-last-resort', 'faults-last-resort@example.com');
    const arn = `${localStateMachineArn('payout-hold').replace(':stateMachine:', ':execution:')}:${caseId}`;
    const deadline = Date.now() + 150_000;
    while (runtime.stepFunctions.describeExecution({ executionArn: arn }).status === 'RUNNING') {
      if (Date.now() > deadline) throw new Error(`execution ${arn} still running`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    // Assess: the run ended FAILED, naming the failed escalation, after the escalation's own budget...
    const execution = runtime.stepFunctions.describeExecution({ executionArn: arn });
    expect(execution).toMatchObject({ status: 'FAILED', error: 'CaseEscalationFailed' });
    const history = runtime.stepFunctions.getExecutionHistory({ executionArn: arn, maxResults: 1000 });
    const entered = (history.events ?? [])
      .filter((e) => e.type === 'TaskStateEntered')
      .map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual(
      expect.arrayContaining(['Triage', 'EscalateStepFailure', 'AlertOperatorsDirectly']),
    );
    // ...and operators got exactly one alert on the topic, though SNS throttled it first.
    const alerts = (await client.outbox(caseId)).filter((m) => m.channel === 'sns');
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0]?.text ?? '{}')).toMatchObject({
      caseId,
      family: 'payout-hold',
      reason: 'escalation_failed',
      escalateTo: 'support-operations',
      execution: arn,
      error: 'TransientError after TransientError',
    });
    // The case record never moved to failed: the table refused the write, which is why the alert went direct.
    expect((await look(caseId)).status).not.toBe('failed');
  }, 200_000);

  it('a queue dispatch that fails leaves the case queued only until the next sweep of the team queues', async () => {
    const put = await client.putAgent(ops, 'quinn', {
      team: 'verification',
      name: 'Quinn Adeyemi',
      skills: {},
      // Room for every case this file's earlier tests left in the verification queue, and this one.
      capacity: 50,
      status: 'away',
    });
    expect(put.status).toBe(200);
    const { token, caseId } = await open('seller-fault-queue', 'seller-fault-queue@example.com');
    await until(caseId, 'asking for documents', (c) => c.status === 'awaiting_seller');
    await client.addEvidence(token, caseId, ['identity_document', 'business_registration'], 'Both attached.');
    await until(caseId, 'queued for verification', (c) => c.status === 'handed_off');

    // Every read of the team's queue fails: the agent's return commits, its dispatch does not.
    await arm({ service: 'dynamodb', operation: 'Query', match: 'BACKLOG#verification', count: 'always' });
    expect((await client.setAgentStatus(ops, 'quinn', 'available')).status).toBe(200);
    // (Read straight from the table: the ops view reads the queue too, which fails while the rule holds.)
    const { Items } = await table.send(
      new QueryCommand({
        TableName: LOCAL.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}` },
      }),
    );
    const stuck = (Items ?? []).find((i) => i.status === 'handed_off');
    expect(stuck).toBeDefined();
    expect(stuck?.assignee).toBeUndefined();
    expect((await rules())[0]?.failed).toBeGreaterThan(0);

    await client.request('DELETE', '/dev/faults');
    const assigned = await client.untilOpsCase<{ assignee: { agentId: string } | null }>(
      ops,
      caseId,
      'given to quinn by the queue sweep',
      (c) => (c as unknown as { assignee: { agentId: string } | null }).assignee?.agentId === 'quinn',
      30_000,
    );
    expect(assigned.assignee?.agentId).toBe('quinn');
    // A case reaches its team, the faults hold through a sweep, then a sweep assigns: more than the default.
  }, 120_000);
});
