import type { IncomingMessage } from 'node:http';
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

describe('local routes', () => {
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
