import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { TEST_ENV } from '../support/api-event.ts';

// The timer modules read their configuration at import: set it first.
Object.assign(process.env, TEST_ENV, { API_URL: 'https://api.sellerworks.test' });
const { handler } = await import('../../functions/timers/fire-timer.ts');

const ddb = mockClient(DynamoDBDocumentClient);
const context = { invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:FireTimer' } as never;

beforeEach(() => ddb.reset());

/** What a schedule's input may be: a case and its alarm, its one timer, or both (a follow-up's). */
describe('the fire-timer function’s input', () => {
  it.each([
    ['neither an alarm nor a timer', { caseId: 'case_1' }, 'alarm'],
    ['no case', { alarm: 'sw-1', timerId: 'follow-up-0' }, 'caseId'],
    ['an empty timer id', { caseId: 'case_1', timerId: '' }, 'timerId'],
    ['not an object', 'case_1', '(root)'],
  ])('refuses %s, naming the field, and reads or writes nothing', async (_, input, path) => {
    const refused = await handler(input, context).catch((error: unknown) => error);

    expect(refused).toMatchObject({ name: 'DomainRuleError', message: 'invalid timer input' });
    expect((refused as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
    expect(ddb.calls()).toHaveLength(0);
  });
});
