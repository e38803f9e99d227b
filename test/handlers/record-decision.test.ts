import { SendTaskSuccessCommand, SFNClient, TaskTimedOut } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiEvent, opsClaims, sellerClaims } from '../support/api-event.ts';

vi.hoisted(async () => {
  const { TEST_ENV } = await import('../support/api-event.ts');
  Object.assign(process.env, TEST_ENV);
});

const { handler } = await import('../../functions/api/record-decision.ts');

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const caseId = 'case_mi0abc123456';

const awaitingDecision = {
  caseId,
  family: 'buyer-dispute',
  status: 'handed_off',
  version: 6,
  routing: { team: 'disputes', ruleId: 'bd-default' },
  waiting: { step: 'decision', from: 'team', team: 'disputes', taskToken: 'token-123' },
};

const decide = (body: unknown, claims: Record<string, string> = opsClaims()) =>
  handler(
    apiEvent({
      method: 'POST',
      path: `/ops/cases/${caseId}/decision`,
      pathParameters: { caseId },
      claims,
      body: JSON.stringify(body),
    }),
    {} as never,
  );

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  ddb.on(GetCommand).resolves({ Item: awaitingDecision });
  sfn.on(SendTaskSuccessCommand).resolves({});
});

describe('POST /ops/cases/{caseId}/decision', () => {
  it('resumes the waiting workflow with the decision, the decider and the time', async () => {
    const result = await decide({ outcome: 'buyer_refunded', rationale: 'Photos show the crack.' });

    expect(result.statusCode).toBe(202);
    const call = sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input;
    expect(call?.taskToken).toBe('token-123');
    expect(JSON.parse(call?.output ?? '{}')).toMatchObject({
      outcome: 'buyer_refunded',
      rationale: 'Photos show the crack.',
      decidedBy: 'agent-1',
    });
  });

  it('refuses a seller (403) and resumes nothing', async () => {
    const result = await decide({ outcome: 'buyer_refunded', rationale: 'x' }, sellerClaims());

    expect(result.statusCode).toBe(403);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses a member of another team (403)', async () => {
    const result = await decide(
      { outcome: 'buyer_refunded', rationale: 'x' },
      opsClaims('agent-2', 'payouts'),
    );

    expect(result.statusCode).toBe(403);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses an outcome the family does not have, naming the allowed ones', async () => {
    const result = await decide({ outcome: 'ban_buyer', rationale: 'x' });

    expect(result.statusCode).toBe(422);
    const issue = JSON.parse(result.body ?? '{}').error.issues[0];
    expect(issue.path).toBe('outcome');
    expect(issue.reason).toContain('seller_favoured');
  });

  it('refuses a decision without a rationale', async () => {
    const result = await decide({ outcome: 'buyer_refunded' });

    expect(result.statusCode).toBe(422);
    expect(JSON.parse(result.body ?? '{}').error.issues[0].path).toBe('rationale');
  });

  it('answers 409 when the case is not awaiting a decision', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...awaitingDecision, status: 'resolved', waiting: undefined } });

    const result = await decide({ outcome: 'buyer_refunded', rationale: 'x' });

    expect(result.statusCode).toBe(409);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('answers 409 when the decision was already delivered (the task token is spent)', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'spent', $metadata: {} }));

    const result = await decide({ outcome: 'buyer_refunded', rationale: 'x' });

    expect(result.statusCode).toBe(409);
  });

  it('answers 404 for a case that does not exist', async () => {
    ddb.on(GetCommand).resolves({});

    expect((await decide({ outcome: 'buyer_refunded', rationale: 'x' })).statusCode).toBe(404);
  });
});
