import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, opsClaims, sellerClaims } from '../support/api-event.ts';

vi.hoisted(async () => {
  const { TEST_ENV } = await import('../support/api-event.ts');
  Object.assign(process.env, TEST_ENV);
});

// EventBridge through its gateway: intake itself publishes nothing (`Case Opened` leaves with the first step).
const putEvents = vi.hoisted(() => vi.fn(async (_events: unknown) => ['event-1']));
vi.mock('../../functions/gateways/events.ts', () => ({ putEvents }));

const { handler } = await import('../../functions/api/create-case.ts');
const intake = (await import('../../events/intake/buyer-dispute.json', { with: { type: 'json' } })).default;

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

const post = (
  body: string | undefined,
  headers: Record<string, string> = { 'idempotency-key': 'key-00000001' },
  claims: Record<string, string> = sellerClaims(),
) =>
  handler(
    apiEvent({ method: 'POST', path: '/cases', claims, headers, ...(body !== undefined ? { body } : {}) }),
    {} as never,
  );

/** The store's answer to a create whose Idempotency-Key is already taken: its condition failed. */
const keyTaken = () =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
    $metadata: {},
  });

const errorOf = (result: { body?: string | undefined }) => JSON.parse(result.body ?? '{}').error;

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(UpdateCommand).resolves({ Attributes: {} });
  putEvents.mockClear();
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
});

describe('POST /cases', () => {
  it('opens a case: 202 with its id, one transaction, and the workflow started under the case id', async () => {
    const result = await post(JSON.stringify(intake));

    expect(result.statusCode).toBe(202);
    const { caseId } = JSON.parse(result.body ?? '{}');
    expect(caseId).toMatch(/^case_/);
    const writes = ddb.commandCalls(TransactWriteCommand);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.args[0].input.TransactItems).toHaveLength(2);
    const start = sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input;
    expect(start?.name).toBe(caseId);
    expect(JSON.parse(start?.input ?? '{}')).toEqual({ caseId, family: 'buyer-dispute' });
  });

  it('writes the case and its first audit event, and nothing for the outbox to send', async () => {
    const result = await post(JSON.stringify(intake));

    const { caseId } = JSON.parse(result.body ?? '{}');
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items.map((i) => i.Put?.Item?.kind)).toEqual(['case', 'event']);
    // The key needs no record of its own: the case's id is derived from it, and its put is conditional.
    expect(items[0]?.Put).toMatchObject({
      Item: { pk: `CASE#${caseId}`, caseId, version: 1, intakeHash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[1]?.Put?.Item).toMatchObject({ pk: `CASE#${caseId}`, type: 'case.received' });
    // `Case Opened` leaves with the case's first step's commit (case-store.ts): the request the seller
    // waits on makes one write, sends no event and marks no outbox record.
    expect(putEvents).not.toHaveBeenCalled();
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('answers a repeated request with the same case and writes nothing new', async () => {
    const first = await post(JSON.stringify(intake));
    const { caseId } = JSON.parse(first.body ?? '{}');
    const stored = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    const caseItem = stored[0]?.Put?.Item;
    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(keyTaken());
    ddb.on(GetCommand, { Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }).resolves({ Item: caseItem });

    const again = await post(JSON.stringify({ ...intake }));

    expect(again.statusCode).toBe(202);
    expect(JSON.parse(again.body ?? '{}').caseId).toBe(caseId);
    expect(again.headers?.['idempotent-replayed']).toBe('true');
    // The one write tried was refused by its condition on the key: nothing new was stored.
    const tried = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems?.[0]?.Put);
    expect(tried).toEqual([expect.objectContaining({ ConditionExpression: 'attribute_not_exists(pk)' })]);
    expect(tried[0]?.Item?.pk).toBe(`CASE#${caseId}`);
  });

  it('opens the same case id for the same seller and key, and another for another key', async () => {
    const first = JSON.parse((await post(JSON.stringify(intake))).body ?? '{}').caseId;
    const second = JSON.parse((await post(JSON.stringify(intake))).body ?? '{}').caseId;
    const other = JSON.parse(
      (await post(JSON.stringify(intake), { 'idempotency-key': 'key-00000002' })).body ?? '{}',
    ).caseId;

    expect(second).toBe(first);
    expect(other).not.toBe(first);
    expect(first).toMatch(/^case_[0-9a-f]{32}$/);
  });

  it('keeps the idempotency keys of sellers apart even when ids and keys hold #', async () => {
    await post(JSON.stringify(intake), { 'idempotency-key': 'kkkkkkkk' }, sellerClaims('v#pre'));
    await post(JSON.stringify(intake), { 'idempotency-key': 'pre#kkkkkkkk' }, sellerClaims('v'));

    const pks = ddb
      .commandCalls(TransactWriteCommand)
      .map((call) => call.args[0].input.TransactItems?.[0]?.Put?.Item?.pk);
    expect(pks).toHaveLength(2);
    expect(pks[0]).not.toBe(pks[1]);
  });

  it('answers a replay after the workflow finished with the same case, not an error', async () => {
    const first = await post(JSON.stringify(intake));
    const stored = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    ddb.on(TransactWriteCommand).rejects(keyTaken());
    ddb
      .on(GetCommand, { Key: { pk: stored[0]?.Put?.Item?.pk, sk: 'CASE' } })
      .resolves({ Item: stored[0]?.Put?.Item });
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    const again = await post(JSON.stringify(intake));

    expect(again.statusCode).toBe(202);
    expect(JSON.parse(again.body ?? '{}').caseId).toBe(JSON.parse(first.body ?? '{}').caseId);
  });

  it('answers a key an earlier version recorded (now an alias at the derived id) with the case it opened', async () => {
    const first = await post(JSON.stringify(intake));
    const { caseId } = JSON.parse(first.body ?? '{}');
    const stored = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    const opened: Record<string, unknown> = {
      ...stored[0]?.Put?.Item,
      pk: 'CASE#case_old00000',
      caseId: 'case_old00000',
    };
    const alias = { kind: 'intake-alias', caseId: 'case_old00000', intakeHash: opened.intakeHash };
    ddb.reset();
    ddb.on(TransactWriteCommand).rejects(keyTaken());
    ddb.on(GetCommand, { Key: { pk: `CASE#${caseId}`, sk: 'CASE' } }).resolves({ Item: alias });
    ddb.on(GetCommand, { Key: { pk: 'CASE#case_old00000', sk: 'CASE' } }).resolves({ Item: opened });

    const again = await post(JSON.stringify(intake));

    expect(again.statusCode).toBe(202);
    expect(JSON.parse(again.body ?? '{}').caseId).toBe('case_old00000');
  });

  it('asks for a retry (409) when the key is taken by a request still being applied', async () => {
    ddb.on(TransactWriteCommand).rejects(keyTaken());
    ddb.on(GetCommand).resolves({});

    const result = await post(JSON.stringify(intake));

    expect(result.statusCode).toBe(409);
    expect(result.headers?.['retry-after']).toBe('1');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('refuses the same key with a different body (422) and writes nothing', async () => {
    ddb.on(TransactWriteCommand).rejects(keyTaken());
    ddb
      .on(GetCommand)
      .resolves({ Item: { kind: 'case', caseId: 'case_x0000000', intakeHash: 'something-else' } });

    const result = await post(JSON.stringify(intake));

    expect(result.statusCode).toBe(422);
    expect(errorOf(result).code).toBe('idempotency_key_reused');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it.each([
    ['a missing Idempotency-Key', JSON.stringify(intake), {}, 400, 'headers.Idempotency-Key'],
    ['malformed JSON', '{"family": "buyer-dispute",', undefined, 400, '(body)'],
    ['an unknown family', JSON.stringify({ ...intake, family: 'weather' }), undefined, 422, 'family'],
    ['a missing field', JSON.stringify({ ...intake, amount: undefined }), undefined, 422, 'amount'],
    ['a mistyped field', JSON.stringify({ ...intake, amount: '12.50' }), undefined, 422, 'amount'],
    ['an unknown reason', JSON.stringify({ ...intake, reason: 'changed_mind' }), undefined, 422, 'reason'],
    ['an unexpected field', JSON.stringify({ ...intake, discount: 5 }), undefined, 422, '(root)'],
  ])(
    'rejects %s with a clear error naming the problem, and stores nothing',
    async (_, body, headers, status, path) => {
      const result = await post(body, headers);

      expect(result.statusCode).toBe(status);
      expect(errorOf(result).issues.map((i: { path: string }) => i.path)).toContain(path);
      expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    },
  );

  it('refuses a caller without a role (401) and an ops token (403)', async () => {
    expect((await post(JSON.stringify(intake), undefined, {})).statusCode).toBe(401);
    expect((await post(JSON.stringify(intake), undefined, opsClaims())).statusCode).toBe(403);
  });

  it('keeps the stored case when the workflow cannot start, and asks for a retry with the same key', async () => {
    sfn.on(StartExecutionCommand).rejects(new Error('throttled'));

    const result = await post(JSON.stringify(intake));

    expect(result.statusCode).toBe(503);
    expect(errorOf(result).message).toMatch(/same request again.*same Idempotency-Key/);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
