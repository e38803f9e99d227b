import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../infra/local/aws/faults.ts';
import type { Outbox, ScheduleRecord } from '../../infra/local/aws/index.ts';
import type { DevIssuer } from '../../infra/local/dev-issuer.ts';
import { localRoutes } from '../../infra/local/local-routes.ts';

const failed = {
  arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/sw-1',
  name: 'sw-1',
  groupName: 'default',
  dueAt: '2026-12-05T10:00:00.000Z',
  target: {
    Arn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    RoleArn: 'r',
    Input: '{"caseId":"case_1","timerId":"reminder-seller-t1"}',
  },
  invocation: {
    status: 'FAILED',
    attempts: 10,
    executionId: null,
    nextAttemptAt: null,
    lastError: { error: 'Error', message: 'table unavailable' },
    finishedAt: '2026-12-05T10:05:00.000Z',
  },
} as unknown as ScheduleRecord;

/** A request the route can read a body from, as Node's IncomingMessage is read (an async iterable). */
const post = (body: string, method = 'POST') =>
  Object.assign(Readable.from([Buffer.from(body)]), { method }) as unknown as IncomingMessage;

const faultRoutes = (faults: FaultInjector, dynamoDbFaults = false) =>
  localRoutes({
    issuer: {} as DevIssuer,
    outbox: {} as Outbox,
    failedSchedules: () => [],
    describe: () => ({}),
    faults,
    dynamoDbFaults,
  });
const FAULTS_URL = new URL('http://localhost/dev/faults');

describe('local routes', () => {
  it('arms a fault rule from a valid body, lists it, and clears it', async () => {
    const faults = new FaultInjector();
    const route = faultRoutes(faults);

    const armed = await route(FAULTS_URL, post('{"service":"ses","operation":"SendEmail","count":2}'));
    const listed = await route(FAULTS_URL, post('', 'GET'));
    const cleared = await route(FAULTS_URL, post('', 'DELETE'));

    expect(armed).toMatchObject({
      status: 201,
      body: { service: 'ses', operation: 'SendEmail', remaining: 2 },
    });
    expect(listed).toMatchObject({ status: 200, body: [{ service: 'ses', remaining: 2, failed: 0 }] });
    expect(cleared).toEqual({ status: 200, body: { cleared: 1 } });
    expect(faults.list()).toEqual([]);
  });

  it.each([
    ['a body that is not JSON', '{"service":', 400, 'body'],
    ['an unknown service', '{"service":"lambda","count":1}', 400, 'body.service'],
    ['an unexpected field', '{"service":"ses","count":1,"delay":5}', 400, 'body'],
    ['a body over 16 KiB', `{"service":"ses","count":1,"match":"${'x'.repeat(17_000)}"}`, 413, 'body'],
    [
      'DynamoDB faults while DynamoDB is not routed through the endpoint',
      '{"service":"dynamodb","count":1}',
      409,
      'body.service',
    ],
  ])('refuses %s with a clear error and arms nothing', async (_, body, status, path) => {
    const faults = new FaultInjector();

    const answer = await faultRoutes(faults)(FAULTS_URL, post(body));

    expect(answer?.status).toBe(status);
    expect(answer?.body).toMatchObject({ error: { status, issues: [{ path }] } });
    expect(faults.list()).toEqual([]);
  });

  it('answers 405 to a method it does not serve', async () => {
    const answer = await faultRoutes(new FaultInjector())(FAULTS_URL, post('', 'PATCH'));

    expect(answer).toMatchObject({ status: 405, headers: { allow: 'GET, POST, DELETE' } });
  });

  it('lists timers that ran out of attempts with their case, timer, attempts and last error', async () => {
    // Prepare
    const route = localRoutes({
      issuer: {} as DevIssuer,
      outbox: {} as Outbox,
      failedSchedules: () => [failed],
      describe: () => ({}),
      faults: new FaultInjector(),
      dynamoDbFaults: false,
    });

    // Act
    const answer = await route(new URL('http://localhost/dev/timers/failed'), {
      method: 'GET',
    } as IncomingMessage);

    // Assess
    expect(answer).toEqual({
      status: 200,
      body: [
        {
          schedule: 'sw-1',
          caseId: 'case_1',
          timer: 'reminder-seller-t1',
          dueAt: '2026-12-05T10:00:00.000Z',
          attempts: 10,
          failedAt: '2026-12-05T10:05:00.000Z',
          error: { error: 'Error', message: 'table unavailable' },
        },
      ],
    });
  });
});

describe('waiting for the table stream', () => {
  it('answers only once the stream has caught up, saying how long that took; without a stream, not at all', async () => {
    let release: () => void = () => undefined;
    const caughtUp = new Promise<void>((resolve) => {
      release = resolve;
    });
    const route = localRoutes({
      issuer: {} as DevIssuer,
      outbox: {} as Outbox,
      failedSchedules: () => [],
      describe: () => ({}),
      faults: new FaultInjector(),
      dynamoDbFaults: false,
      streamCaughtUp: () => caughtUp,
    });
    const url = new URL('http://localhost/dev/stream/caught-up');

    let answered = false;
    const answer = route(url, post('', 'GET')).then((a) => {
      answered = true;
      return a;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(answered).toBe(false);
    release();

    expect(await answer).toMatchObject({
      status: 200,
      body: { caughtUp: true, waitedMs: expect.any(Number) },
    });
    expect(await faultRoutes(new FaultInjector())(url, post('', 'GET'))).toBeUndefined();
  });
});
