import {
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

vi.hoisted(async () => {
  const { TEST_ENV } = await import('../support/api-event.ts');
  Object.assign(process.env, TEST_ENV);
});

const { commitChange } = await import('../../functions/domain/case-store.ts');
const { stepHandler } = await import('../../functions/commons/step-handler.ts');

const ddb = mockClient(DynamoDBDocumentClient);
const record = {
  caseId: 'case_mi0abc123456',
  family: 'payout-hold',
  status: 'routed',
  version: 3,
  sellerId: 'seller-1',
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  intake: { family: 'payout-hold', channel: 'portal' },
} as never;
const cancelled = (code: string) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: [{ Code: code }],
  });

beforeEach(() => ddb.reset());

describe('throttles and transient faults', () => {
  it('tells a throttled transaction (TransientError) from a lost version race (ConflictError)', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('ThrottlingError'))
      .rejectsOnce(cancelled('ConditionalCheckFailed'));

    await expect(commitChange(record, { events: [] })).rejects.toMatchObject({ name: 'TransientError' });
    await expect(commitChange(record, { events: [] })).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('names a throttle a step met TransientError, so the state machine retries it for minutes', async () => {
    const step = stepHandler(z.object({}), async () => {
      throw new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} });
    });
    await expect(step({})).rejects.toMatchObject({ name: 'TransientError' });

    const refused = stepHandler(z.object({}), async () => {
      throw Object.assign(new Error('no such case'), { name: 'DomainRuleError' });
    });
    await expect(refused({})).rejects.toMatchObject({ name: 'DomainRuleError' });
  });
});
