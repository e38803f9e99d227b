import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { BadRequestException, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type ExecutionStatus,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidExecutionInput,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ExecutionStore,
  type InvokeFunction,
  type LocalAwsServer,
  LocalSecrets,
  LocalStepFunctions,
  Outbox,
  StateMachineDefinitionError,
  startLocalAwsServer,
} from '#local/aws/index.ts';

const REGION = 'us-east-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const functionArn = (name: string): string => `arn:aws:lambda:${REGION}:000000000000:function:${name}`;
const machineArn = (name: string): string => `arn:aws:states:${REGION}:000000000000:stateMachine:${name}`;
const EVIDENCE_FLOW = machineArn('EvidenceFlow');
const QUICK_EVIDENCE_FLOW = machineArn('QuickEvidenceFlow');

/** Triage, a Choice, and a callback task that may loop until the seller's evidence is complete. */
function evidenceFlow(callbackTimeoutSeconds: number): object {
  return {
    StartAt: 'Triage',
    States: {
      Triage: {
        Type: 'Task',
        Resource: functionArn('Triage'),
        TimeoutSeconds: 10,
        Catch: [{ ErrorEquals: ['ConflictError'], ResultPath: '$.failure', Next: 'Conflicted' }],
        Next: 'NeedsEvidence',
      },
      NeedsEvidence: {
        Type: 'Choice',
        Choices: [{ Variable: '$.needsEvidence', BooleanEquals: true, Next: 'RequestEvidence' }],
        Default: 'Resolved',
      },
      RequestEvidence: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: functionArn('RequestEvidence'),
          Payload: { 'caseId.$': '$.caseId', 'taskToken.$': '$$.Task.Token' },
        },
        TimeoutSeconds: callbackTimeoutSeconds,
        ResultPath: '$.evidence',
        Catch: [
          { ErrorEquals: ['SellerDeclined'], ResultPath: '$.failure', Next: 'Declined' },
          { ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'TimedOut' },
        ],
        Next: 'EvidenceComplete',
      },
      EvidenceComplete: {
        Type: 'Choice',
        Choices: [{ Variable: '$.evidence.complete', BooleanEquals: false, Next: 'RequestEvidence' }],
        Default: 'Resolved',
      },
      Resolved: { Type: 'Succeed' },
      Declined: { Type: 'Pass', Result: 'declined', ResultPath: '$.outcome', End: true },
      TimedOut: { Type: 'Pass', Result: 'timed-out', ResultPath: '$.outcome', End: true },
      Conflicted: { Type: 'Pass', Result: 'conflicted', ResultPath: '$.outcome', End: true },
    },
  };
}

class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** Payloads the RequestEvidence function received, handed out to the test in order. */
class EvidenceRequests {
  private readonly received: Array<{ caseId: string; taskToken: string }> = [];
  private readonly waiting: Array<(request: { caseId: string; taskToken: string }) => void> = [];

  readonly invoke = async (payload: unknown): Promise<unknown> => {
    const request = payload as { caseId: string; taskToken: string };
    const waiter = this.waiting.shift();
    if (waiter) {
      waiter(request);
    } else {
      this.received.push(request);
    }
    return { requested: true };
  };

  next(): Promise<{ caseId: string; taskToken: string }> {
    const request = this.received.shift();
    return request ? Promise.resolve(request) : new Promise((resolve) => this.waiting.push(resolve));
  }
}

interface Local {
  dir: string;
  server: LocalAwsServer;
  stepFunctions: LocalStepFunctions;
  outbox: Outbox;
  secrets: LocalSecrets;
  evidence: EvidenceRequests;
  triageCalls: unknown[];
}

async function startLocal(dir: string): Promise<Local> {
  const evidence = new EvidenceRequests();
  const triageCalls: unknown[] = [];
  const functions: Record<string, (payload: unknown) => Promise<unknown>> = {
    [functionArn('Triage')]: async (payload) => {
      triageCalls.push(payload);
      if ((payload as { triage?: string }).triage === 'conflict') {
        throw new ConflictError('The case version moved on');
      }
      return { ...(payload as object), triaged: true };
    },
    [functionArn('RequestEvidence')]: evidence.invoke,
  };
  const invokeFunction: InvokeFunction = async (name, payload) => {
    const handler = functions[name];
    if (!handler) {
      throw new Error(`No function ${name}`);
    }
    return handler(payload);
  };
  const stepFunctions = new LocalStepFunctions({
    stateMachines: [
      { name: 'EvidenceFlow', arn: EVIDENCE_FLOW, definition: evidenceFlow(30) },
      { name: 'QuickEvidenceFlow', arn: QUICK_EVIDENCE_FLOW, definition: evidenceFlow(1) },
    ],
    invokeFunction,
    store: new ExecutionStore(join(dir, 'executions.sqlite')),
  });
  stepFunctions.start();
  const outbox = new Outbox(join(dir, 'outbox.jsonl'));
  const secrets = new LocalSecrets(join(dir, 'secrets.json'));
  const server = await startLocalAwsServer({
    port: 0,
    stepFunctions,
    outbox,
    s3Root: join(dir, 's3'),
    secrets,
  });
  return { dir, server, stepFunctions, outbox, secrets, evidence, triageCalls };
}

async function stopLocal(local: Local): Promise<void> {
  await local.stepFunctions.close();
  await local.server.close();
}

/** The error a call failed with; fails the test if the call succeeded. */
async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to fail, but it succeeded');
}

async function waitForStatus(
  sfn: SFNClient,
  executionArn: string,
  status: ExecutionStatus,
): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status === status || execution.status !== 'RUNNING' || Date.now() > deadline) {
      expect(execution.status).toBe(status);
      return execution;
    }
    await sleep(20);
  }
}

async function waitForEvent(sfn: SFNClient, executionArn: string, type: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { events = [] } = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }),
    );
    if (events.some((event) => event.type === type)) return;
    if (Date.now() > deadline) throw new Error(`${executionArn} never recorded ${type}`);
    await sleep(20);
  }
}

describe('local AWS endpoint', () => {
  let dir: string;
  let local: Local;
  let sfn: SFNClient;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sellerworks-aws-'));
    local = await startLocal(dir);
    sfn = new SFNClient({ endpoint: local.server.url, region: REGION, credentials });
  });

  afterEach(async () => {
    sfn.destroy();
    await stopLocal(local);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('Step Functions', () => {
    it('runs a Lambda task and a Choice, hands the callback a fresh token, and resumes on SendTaskSuccess', async () => {
      // Prepare
      const input = JSON.stringify({ caseId: 'case-1', needsEvidence: true });

      // Act
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: EVIDENCE_FLOW, input }),
      );
      const request = await local.evidence.next();
      await sfn.send(
        new SendTaskSuccessCommand({ taskToken: request.taskToken, output: '{"complete":true}' }),
      );
      const execution = await waitForStatus(sfn, executionArn!, 'SUCCEEDED');

      // Assess
      expect(local.triageCalls).toEqual([{ caseId: 'case-1', needsEvidence: true }]);
      expect(request.caseId).toBe('case-1');
      expect(request.taskToken).not.toContain('sentinel');
      expect(request.taskToken.length).toBeGreaterThan(40);
      expect(JSON.parse(execution.output!)).toEqual({
        caseId: 'case-1',
        needsEvidence: true,
        triaged: true,
        evidence: { complete: true },
      });
    });

    it('gives each entry into a callback task its own token and refuses a token used before', async () => {
      // Prepare
      const input = JSON.stringify({ caseId: 'case-2', needsEvidence: true });
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: EVIDENCE_FLOW, input }),
      );
      const first = await local.evidence.next();
      await sfn.send(
        new SendTaskSuccessCommand({ taskToken: first.taskToken, output: '{"complete":false}' }),
      );
      const second = await local.evidence.next();

      // Act
      const reuse = await failureOf(
        sfn.send(new SendTaskSuccessCommand({ taskToken: first.taskToken, output: '{"complete":true}' })),
      );
      const forged = await failureOf(
        sfn.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })),
      );

      // Assess
      expect(reuse).toBeInstanceOf(TaskTimedOut);
      expect(forged).toBeInstanceOf(InvalidToken);
      expect(second.taskToken).not.toBe(first.taskToken);
      await sfn.send(
        new SendTaskSuccessCommand({ taskToken: second.taskToken, output: '{"complete":true}' }),
      );
      await waitForStatus(sfn, executionArn!, 'SUCCEEDED');
    });

    it('routes SendTaskFailure to the Catch that names its error', async () => {
      // Prepare
      const input = JSON.stringify({ caseId: 'case-3', needsEvidence: true });
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: EVIDENCE_FLOW, input }),
      );
      const request = await local.evidence.next();

      // Act
      await sfn.send(
        new SendTaskFailureCommand({
          taskToken: request.taskToken,
          error: 'SellerDeclined',
          cause: 'No invoice',
        }),
      );
      const execution = await waitForStatus(sfn, executionArn!, 'SUCCEEDED');

      // Assess
      expect(JSON.parse(execution.output!)).toMatchObject({
        outcome: 'declined',
        failure: { Error: 'SellerDeclined', Cause: 'No invoice' },
      });
    });

    it('times a callback out into its States.Timeout catch, after which the token answers TaskTimedOut', async () => {
      // Prepare
      const input = JSON.stringify({ caseId: 'case-4', needsEvidence: true });
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: QUICK_EVIDENCE_FLOW, input }),
      );
      const request = await local.evidence.next();

      // Act
      const execution = await waitForStatus(sfn, executionArn!, 'SUCCEEDED');
      const late = await failureOf(
        sfn.send(new SendTaskSuccessCommand({ taskToken: request.taskToken, output: '{}' })),
      );

      // Assess
      expect(JSON.parse(execution.output!)).toMatchObject({
        outcome: 'timed-out',
        failure: { Error: 'States.Timeout' },
      });
      expect(late).toBeInstanceOf(TaskTimedOut);
      const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events.map((event) => event.type)).toContain('TaskTimedOut');
    });

    it('catches an error thrown by an invoked function by its name', async () => {
      // Prepare
      const input = JSON.stringify({ caseId: 'case-5', triage: 'conflict' });

      // Act
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: EVIDENCE_FLOW, input }),
      );
      const execution = await waitForStatus(sfn, executionArn!, 'SUCCEEDED');

      // Assess
      const output = JSON.parse(execution.output!) as {
        outcome: string;
        failure: { Error: string; Cause: string };
      };
      expect(output.outcome).toBe('conflicted');
      expect(output.failure.Error).toBe('ConflictError');
      expect(JSON.parse(output.failure.Cause)).toMatchObject({
        errorType: 'ConflictError',
        errorMessage: 'The case version moved on',
      });
    });

    it('answers a repeated StartExecution with the running execution, and a changed input with ExecutionAlreadyExists', async () => {
      // Prepare
      const start = {
        stateMachineArn: EVIDENCE_FLOW,
        name: 'case-6',
        input: '{"caseId":"case-6","needsEvidence":true}',
      };
      const first = await sfn.send(new StartExecutionCommand(start));

      // Act
      const again = await sfn.send(new StartExecutionCommand(start));
      const changed = await failureOf(
        sfn.send(new StartExecutionCommand({ ...start, input: '{"caseId":"other"}' })),
      );

      // Assess
      expect(again.executionArn).toBe(first.executionArn);
      expect(again.startDate).toEqual(first.startDate);
      expect(changed).toBeInstanceOf(ExecutionAlreadyExists);
      const { executions = [] } = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: EVIDENCE_FLOW }),
      );
      expect(executions).toHaveLength(1);
    });

    it('refuses input that is not JSON and records no execution', async () => {
      // Act
      const start = await failureOf(
        sfn.send(new StartExecutionCommand({ stateMachineArn: EVIDENCE_FLOW, input: '{not json' })),
      );

      // Assess
      expect(start).toBeInstanceOf(InvalidExecutionInput);
      const { executions = [] } = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn: EVIDENCE_FLOW }),
      );
      expect(executions).toEqual([]);
    });

    it('aborts a waiting execution on StopExecution', async () => {
      // Prepare
      const input = JSON.stringify({ caseId: 'case-7', needsEvidence: true });
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: EVIDENCE_FLOW, input }),
      );
      const request = await local.evidence.next();

      // Act
      await sfn.send(
        new StopExecutionCommand({ executionArn, error: 'CaseWithdrawn', cause: 'Seller withdrew' }),
      );

      // Assess
      const execution = await waitForStatus(sfn, executionArn!, 'ABORTED');
      expect(execution).toMatchObject({ error: 'CaseWithdrawn', cause: 'Seller withdrew' });
      expect(execution.stopDate).toBeInstanceOf(Date);
      await expect(
        sfn.send(new SendTaskSuccessCommand({ taskToken: request.taskToken, output: '{}' })),
      ).rejects.toBeInstanceOf(TaskTimedOut);
    });

    it('lists the history in order, with entered and exited events for each state, and reverses it on request', async () => {
      // Prepare
      const input = JSON.stringify({ caseId: 'case-8', needsEvidence: false });
      const { executionArn } = await sfn.send(
        new StartExecutionCommand({ stateMachineArn: EVIDENCE_FLOW, input }),
      );
      await waitForStatus(sfn, executionArn!, 'SUCCEEDED');

      // Act
      const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }));

      // Assess
      expect(events.map((event) => event.type)).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionSucceeded',
        'TaskStateExited',
        'ChoiceStateEntered',
        'ChoiceStateExited',
        'SucceedStateEntered',
        'SucceedStateExited',
        'ExecutionSucceeded',
      ]);
      expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
      expect(events.every((event) => event.previousEventId === (event.id ?? 0) - 1)).toBe(true);
      expect(events[1]?.stateEnteredEventDetails).toMatchObject({ name: 'Triage', input });
      expect(events[6]?.stateEnteredEventDetails?.name).toBe('NeedsEvidence');
      expect(events[0]?.timestamp).toBeInstanceOf(Date);
      expect(reversed.events?.map((event) => event.id)).toEqual(events.map((event) => event.id).reverse());
    });

    it('answers ExecutionDoesNotExist for an unknown execution and InvalidArn for a malformed one', async () => {
      // Act
      const unknown = await failureOf(
        sfn.send(
          new DescribeExecutionCommand({
            executionArn: `${EVIDENCE_FLOW.replace('stateMachine', 'execution')}:nope`,
          }),
        ),
      );
      const malformed = await failureOf(
        sfn.send(new DescribeExecutionCommand({ executionArn: 'not-an-arn' })),
      );

      // Assess
      expect(unknown).toBeInstanceOf(ExecutionDoesNotExist);
      expect(malformed).toBeInstanceOf(InvalidArn);
    });

    it('continues a waiting execution after a restart under the same ARN, on the token it already handed out', async () => {
      // Prepare
      const finished = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: EVIDENCE_FLOW,
          input: '{"caseId":"case-9","needsEvidence":false}',
        }),
      );
      await waitForStatus(sfn, finished.executionArn!, 'SUCCEEDED');
      const running = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn: EVIDENCE_FLOW,
          input: '{"caseId":"case-10","needsEvidence":true}',
        }),
      );
      const request = await local.evidence.next();
      await waitForEvent(sfn, running.executionArn!, 'TaskSubmitted');
      await stopLocal(local);
      sfn.destroy();

      // Act
      local = await startLocal(dir);
      sfn = new SFNClient({ endpoint: local.server.url, region: REGION, credentials });
      await sfn.send(
        new SendTaskSuccessCommand({ taskToken: request.taskToken, output: '{"complete":true}' }),
      );

      // Assess
      const done = await sfn.send(new DescribeExecutionCommand({ executionArn: finished.executionArn }));
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!)).toMatchObject({ caseId: 'case-9', triaged: true });
      const resumed = await waitForStatus(sfn, running.executionArn!, 'SUCCEEDED');
      expect(JSON.parse(resumed.output!)).toMatchObject({ caseId: 'case-10', evidence: { complete: true } });
      // The function that asked for evidence was not invoked again, and triage ran once, before the stop.
      expect(local.triageCalls).toHaveLength(0);
      const { events = [] } = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn: running.executionArn, maxResults: 1000 }),
      );
      const types = events.map((event) => event.type);
      expect(types.filter((type) => type === 'TaskScheduled')).toHaveLength(1);
      expect(types.filter((type) => type === 'ExecutionStarted')).toHaveLength(1);
      expect(types.at(-1)).toBe('ExecutionSucceeded');
      expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    });

    it('refuses at registration what the engine cannot run, naming the feature', () => {
      // Prepare
      const store = new ExecutionStore(join(dir, 'registration.sqlite'));
      const register = (definition: object) => () =>
        new LocalStepFunctions({
          stateMachines: [{ name: 'Bad', arn: machineArn('Bad'), definition }],
          invokeFunction: async () => null,
          store,
        });
      const flow = () =>
        evidenceFlow(30) as { States: Record<string, Record<string, unknown>> } & Record<string, unknown>;
      const noTimeout = flow();
      delete noTimeout.States.RequestEvidence?.TimeoutSeconds;
      const jsonata = { ...flow(), QueryLanguage: 'JSONata' };
      const assign = flow();
      Object.assign(assign.States.Triage ?? {}, { Assign: { x: 1 } });
      const heartbeat = flow();
      Object.assign(heartbeat.States.RequestEvidence ?? {}, { HeartbeatSeconds: 60 });
      const distributed = flow();
      distributed.States.Resolved = {
        Type: 'Map',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'X',
          States: { X: { Type: 'Succeed' } },
        },
        End: true,
      };
      const aYear = evidenceFlow(365 * 86_400);

      // Act / Assess
      expect(register(noTimeout)).toThrow(StateMachineDefinitionError);
      expect(register(noTimeout)).toThrow(/explicit TimeoutSeconds/);
      expect(register(jsonata)).toThrow(/JSONata/);
      expect(register(assign)).toThrow(/"Triage".*Assign/);
      expect(register(heartbeat)).toThrow(/"RequestEvidence".*HeartbeatSeconds/);
      expect(register(distributed)).toThrow(/Distributed Map/);
      expect(register(aYear)).not.toThrow();
    });
  });

  describe('SES and SNS', () => {
    it('puts a simple SES email in the outbox with its case id', async () => {
      // Prepare
      const ses = new SESv2Client({ endpoint: local.server.url, region: REGION, credentials });

      // Act
      const { MessageId } = await ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'support@sellerworks.local',
          Destination: { ToAddresses: ['seller@example.com', 'finance@example.com'] },
          ReplyToAddresses: ['reply+case-11@reply.sellerworks.local'],
          Content: {
            Simple: {
              Subject: { Data: 'Your payout hold' },
              Body: { Text: { Data: 'We need an invoice.' }, Html: { Data: '<p>We need an invoice.</p>' } },
              Headers: [{ Name: 'X-Template', Value: 'evidence-request@3' }],
            },
          },
          EmailTags: [{ Name: 'caseId', Value: 'case-11' }],
        }),
      );

      // Assess
      expect(local.outbox.list({ caseId: 'case-11' })).toEqual([
        {
          channel: 'email',
          to: 'seller@example.com, finance@example.com',
          from: 'support@sellerworks.local',
          replyTo: 'reply+case-11@reply.sellerworks.local',
          subject: 'Your payout hold',
          text: 'We need an invoice.',
          html: '<p>We need an invoice.</p>',
          caseId: 'case-11',
          sentAt: expect.any(String),
          messageId: MessageId,
          headers: { 'X-Template': 'evidence-request@3' },
        },
      ]);
      ses.destroy();
    });

    it('parses a raw SES email into the outbox, and the outbox survives a restart', async () => {
      // Prepare
      const ses = new SESv2Client({ endpoint: local.server.url, region: REGION, credentials });
      const raw = [
        'From: SellerWorks <support@sellerworks.local>',
        'To: seller@example.com',
        'Reply-To: reply+case-12@reply.sellerworks.local',
        'Subject: Evidence received',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Thanks, we have your invoice.',
      ].join('\r\n');

      // Act
      await ses.send(
        new SendEmailCommand({
          Content: { Raw: { Data: Buffer.from(raw) } },
          EmailTags: [{ Name: 'caseId', Value: 'case-12' }],
        }),
      );
      const reopened = new Outbox(join(dir, 'outbox.jsonl'));

      // Assess
      expect(reopened.list({ caseId: 'case-12' })).toEqual([
        expect.objectContaining({
          to: 'seller@example.com',
          from: 'SellerWorks <support@sellerworks.local>',
          replyTo: 'reply+case-12@reply.sellerworks.local',
          subject: 'Evidence received',
          text: expect.stringContaining('Thanks, we have your invoice.'),
        }),
      ]);
      ses.destroy();
    });

    it('refuses an email without recipients and writes nothing to the outbox', async () => {
      // Prepare
      const ses = new SESv2Client({ endpoint: local.server.url, region: REGION, credentials });

      // Act
      const send = await failureOf(
        ses.send(
          new SendEmailCommand({
            FromEmailAddress: 'support@sellerworks.local',
            Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Hello' } } } },
          }),
        ),
      );

      // Assess
      expect(send).toBeInstanceOf(BadRequestException);
      expect(local.outbox.list()).toEqual([]);
      ses.destroy();
    });

    it('puts an SNS notification in the outbox with its case id', async () => {
      // Prepare
      const sns = new SNSClient({ endpoint: local.server.url, region: REGION, credentials });
      const topicArn = `arn:aws:sns:${REGION}:000000000000:escalations-finance`;

      // Act
      const { MessageId } = await sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: 'SLA breach',
          Message: 'Case case-13 breached its first-response SLA.',
          MessageAttributes: {
            caseId: { DataType: 'String', StringValue: 'case-13' },
            level: { DataType: 'Number', StringValue: '2' },
          },
        }),
      );

      // Assess
      expect(local.outbox.list({ caseId: 'case-13' })).toEqual([
        expect.objectContaining({
          channel: 'sns',
          to: topicArn,
          from: 'sns',
          replyTo: null,
          subject: 'SLA breach',
          text: 'Case case-13 breached its first-response SLA.',
          messageId: MessageId,
        }),
      ]);
      sns.destroy();
    });
  });

  describe('S3 and Secrets Manager', () => {
    it('stores an object and returns its bytes, content type and ETag', async () => {
      // Prepare
      const s3 = new S3Client({
        endpoint: local.server.url,
        region: REGION,
        credentials,
        forcePathStyle: true,
      });
      const key = 'cases/case-14/invoice 1.txt';

      // Act
      const put = await s3.send(
        new PutObjectCommand({ Bucket: 'evidence', Key: key, Body: 'invoice #1', ContentType: 'text/plain' }),
      );
      const got = await s3.send(new GetObjectCommand({ Bucket: 'evidence', Key: key }));

      // Assess
      expect(await got.Body?.transformToString()).toBe('invoice #1');
      expect(got.ContentType).toBe('text/plain');
      expect(got.ETag).toBe(put.ETag);
      expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      s3.destroy();
    });

    it('answers NoSuchKey for a missing object', async () => {
      // Prepare
      const s3 = new S3Client({
        endpoint: local.server.url,
        region: REGION,
        credentials,
        forcePathStyle: true,
      });

      // Act
      const get = await failureOf(
        s3.send(new GetObjectCommand({ Bucket: 'evidence', Key: 'cases/none.txt' })),
      );
      const head = await failureOf(
        s3.send(new HeadObjectCommand({ Bucket: 'evidence', Key: 'cases/none.txt' })),
      );

      // Assess
      expect(get).toBeInstanceOf(NoSuchKey);
      expect(head).toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
      s3.destroy();
    });

    it('refuses an upload whose checksum does not match and stores nothing', async () => {
      // Prepare
      const s3 = new S3Client({
        endpoint: local.server.url,
        region: REGION,
        credentials,
        forcePathStyle: true,
      });
      const wrongMd5 = Buffer.alloc(16).toString('base64');

      // Act
      const put = await failureOf(
        s3.send(
          new PutObjectCommand({
            Bucket: 'evidence',
            Key: 'cases/torn.txt',
            Body: 'torn',
            ContentMD5: wrongMd5,
          }),
        ),
      );
      const get = await failureOf(
        s3.send(new GetObjectCommand({ Bucket: 'evidence', Key: 'cases/torn.txt' })),
      );

      // Assess
      expect(put).toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
      expect(get).toBeInstanceOf(NoSuchKey);
      s3.destroy();
    });

    it('returns a secret by name and by ARN, and ResourceNotFoundException for an unknown one', async () => {
      // Prepare
      const arn = local.secrets.ensure('reply-token-key', () => 'k3y');
      const secretsManager = new SecretsManagerClient({
        endpoint: local.server.url,
        region: REGION,
        credentials,
      });

      // Act
      const byName = await secretsManager.send(new GetSecretValueCommand({ SecretId: 'reply-token-key' }));
      const byArn = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn }));
      const unknown = await failureOf(secretsManager.send(new GetSecretValueCommand({ SecretId: 'nope' })));

      // Assess
      expect(byName).toMatchObject({ Name: 'reply-token-key', SecretString: 'k3y', ARN: arn });
      expect(byArn.SecretString).toBe('k3y');
      expect(arn).toBe(`arn:aws:secretsmanager:${REGION}:000000000000:secret:reply-token-key`);
      expect(unknown).toBeInstanceOf(ResourceNotFoundException);
      secretsManager.destroy();
    });

    it('keeps a generated secret across restarts', () => {
      // Prepare
      local.secrets.ensure('reply-token-key', () => 'first');

      // Act
      const reopened = new LocalSecrets(join(dir, 'secrets.json'));
      reopened.ensure('reply-token-key', () => 'second');

      // Assess
      expect(reopened.getSecretValue('reply-token-key').SecretString).toBe('first');
    });
  });

  it('serves clients configured only through AWS_ENDPOINT_URL_* variables', async () => {
    // Prepare
    const saved = { ...process.env };
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = local.server.url;
    process.env.AWS_ENDPOINT_URL_SFN = local.server.url;
    local.secrets.ensure('portal-key', () => 'p0rtal');
    try {
      const secretsManager = new SecretsManagerClient({ region: REGION, credentials });
      const stepFunctions = new SFNClient({ region: REGION, credentials });

      // Act
      const secret = await secretsManager.send(new GetSecretValueCommand({ SecretId: 'portal-key' }));
      const list = await stepFunctions.send(new ListExecutionsCommand({ stateMachineArn: EVIDENCE_FLOW }));

      // Assess
      expect(secret.SecretString).toBe('p0rtal');
      expect(list.executions).toEqual([]);
      secretsManager.destroy();
      stepFunctions.destroy();
    } finally {
      process.env = saved;
    }
  });
});
