import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiHandler, json } from '../../functions/commons/http/api-handler.ts';
import { withLogSink } from '../../functions/commons/logging.ts';
import { stepHandler } from '../../functions/commons/step-handler.ts';
import { apiEvent } from '../support/api-event.ts';

const capture = async <T>(fn: () => Promise<T>) => {
  const lines: string[] = [];
  const result = await withLogSink((line) => lines.push(line), fn);
  return { result, lines: lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
};

describe('the shared handler wrappers', () => {
  it('log a step’s invocation with the case and the execution its state input names', async () => {
    const handler = stepHandler(z.object({ caseId: z.string() }), async ({ caseId }) => ({ caseId }));
    const execution = 'arn:aws:states:us-east-1:000000000000:execution:sellerworks-payout-hold:case_1';

    const { result, lines } = await capture(() =>
      handler({ caseId: 'case_1', execution }, { functionName: 'sellerworks-triage' }),
    );

    expect(result).toEqual({ caseId: 'case_1' });
    expect(lines).toEqual([
      expect.objectContaining({
        message: 'invocation ended',
        function: 'sellerworks-triage',
        caseId: 'case_1',
        executionArn: execution,
        outcome: 'success',
      }),
    ]);
  });

  it('log a step that refuses its input at ERROR, with the error’s name', async () => {
    const handler = stepHandler(z.object({ caseId: z.string() }), async () => 'never');

    const { lines } = await capture(() => expect(handler({ caseId: 7 })).rejects.toThrow());

    expect(lines).toEqual([
      expect.objectContaining({ level: 'ERROR', outcome: 'error', errorName: 'InvalidStepInput' }),
    ]);
  });

  it('take a request’s correlation id from a well-formed X-Correlation-Id, else its requestId, and answer it', async () => {
    const handler = apiHandler(async () => json(200, { ok: true }));
    const request = (headers: Record<string, string>) =>
      apiEvent({ method: 'GET', path: '/cases/case_1', pathParameters: { caseId: 'case_1' }, headers });

    const given = await capture(() => handler(request({ 'x-correlation-id': 'portal-0001-abc' })));
    const malformed = await capture(() => handler(request({ 'x-correlation-id': 'no spaces allowed here' })));

    expect(given.result.headers).toMatchObject({ 'x-correlation-id': 'portal-0001-abc' });
    expect(given.lines[0]).toMatchObject({
      correlationId: 'portal-0001-abc',
      requestId: 'r',
      caseId: 'case_1',
      statusCode: 200,
    });
    expect(malformed.result.headers).toMatchObject({ 'x-correlation-id': 'r' });
    expect(malformed.lines[0]).toMatchObject({ correlationId: 'r' });
  });

  it('log an unexpected API error once, redacted, and still answer 500 with the correlation id', async () => {
    const handler = apiHandler(async () => {
      throw new Error('lookup of seller@example.com failed');
    });

    const { result, lines } = await capture(() => handler(apiEvent({ method: 'GET', path: '/cases' })));

    expect(result.statusCode).toBe(500);
    expect(result.headers).toMatchObject({ 'x-correlation-id': 'r' });
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ['ERROR', 'unhandled error'],
      ['INFO', 'invocation ended'],
    ]);
    expect(JSON.stringify(lines)).not.toContain('seller@example.com');
  });

  it('answer 503 with Retry-After, not 500, when the function runs out of time (an overloaded store)', async () => {
    const handler = apiHandler(() => new Promise(() => {})); // a store that never answers in time
    // Lambda's clock as each reader sees it: the API's error mapping reads it first; anything wrapped
    // around it reads it later, nearer the deadline (under load, tens of milliseconds apart). Only the
    // error mapping may end the invocation: a second timer around it threw past it, and the API said 500.
    let reads = 0;
    const context = {
      functionName: 'sellerworks-create-case',
      awsRequestId: 'req-timeout',
      getRemainingTimeInMillis: () => (reads++ === 0 ? 150 : 40),
    };

    const { result, lines } = await capture(() =>
      handler(apiEvent({ method: 'POST', path: '/cases' }), context as never),
    );

    expect(result.statusCode).toBe(503);
    expect(result.headers).toMatchObject({ 'retry-after': '2' });
    expect(lines).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'invocation ended', statusCode: 503 }),
    ]);
  });
});
