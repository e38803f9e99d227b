import { afterEach, describe, expect, it } from 'vitest';
import {
  appendLogKeys,
  type InvocationContext,
  type LogKeys,
  loggedInvocation,
  logger,
  redact,
  setLogLevel,
  withLogKeys,
  withLogSink,
} from '../../functions/commons/logging.ts';

/** Runs `fn` with the log written to an array, and answers the parsed lines. */
const capture = async (fn: () => unknown): Promise<Record<string, unknown>[]> => {
  const lines: string[] = [];
  await withLogSink(
    (line) => lines.push(line),
    async () => fn(),
  );
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
};

afterEach(() => setLogLevel('INFO'));

describe('the functions’ log', () => {
  it('writes one JSON line per call with the service, level, message and the invocation’s keys', async () => {
    const keys: LogKeys = { function: 'sellerworks-triage', caseId: 'case_1', correlationId: 'corr-1' };

    const lines = await capture(() =>
      withLogKeys(keys, () => {
        appendLogKeys({ family: 'payout-hold', executionArn: 'arn:aws:states:::execution:sm:case_1' });
        logger.info('routed', { team: 'finance' });
      }),
    );

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'routed',
        service: 'sellerworks',
        function: 'sellerworks-triage',
        caseId: 'case_1',
        family: 'payout-hold',
        executionArn: 'arn:aws:states:::execution:sm:case_1',
        correlationId: 'corr-1',
        team: 'finance',
      }),
    ]);
  });

  it('keeps concurrent invocations’ keys apart, and clears them after each', async () => {
    const run = (caseId: string) =>
      withLogKeys({ caseId }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        appendLogKeys({ correlationId: `corr-${caseId}` });
        await new Promise((resolve) => setTimeout(resolve, 5));
        logger.info('step');
      });

    const lines = await capture(async () => {
      await Promise.all([run('a'), run('b')]);
      logger.info('between invocations');
    });

    expect(lines.filter((l) => l.message === 'step').map((l) => [l.caseId, l.correlationId])).toEqual(
      expect.arrayContaining([
        ['a', 'corr-a'],
        ['b', 'corr-b'],
      ]),
    );
    const between = lines.find((l) => l.message === 'between invocations');
    expect(between).not.toHaveProperty('caseId');
    expect(between).not.toHaveProperty('correlationId');
  });

  it('logs one line per invocation: its outcome and duration, or the error’s name and message', async () => {
    const ok = loggedInvocation(
      async (event: { caseId: string }, _context?: InvocationContext) => ({
        status: 'resolved',
        caseId: event.caseId,
      }),
      (event) => ({ caseId: event.caseId }),
    );
    const failing = loggedInvocation(async (_event: { caseId: string }, _context?: InvocationContext) => {
      const error = new Error('case case_2 does not exist');
      error.name = 'DomainRuleError';
      throw error;
    });

    const lines = await capture(async () => {
      await ok({ caseId: 'case_1' }, { functionName: 'sellerworks-resolve' });
      await expect(failing({ caseId: 'case_2' }, { functionName: 'sellerworks-resolve' })).rejects.toThrow();
    });

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'invocation ended',
        function: 'sellerworks-resolve',
        caseId: 'case_1',
        outcome: 'success',
        durationMs: expect.any(Number),
      }),
      expect.objectContaining({
        level: 'ERROR',
        message: 'invocation failed',
        outcome: 'error',
        errorName: 'DomainRuleError',
        errorMessage: 'case case_2 does not exist',
      }),
    ]);
  });

  it('writes through Powertools’ Logger, with the Lambda context’s request id and cold start', async () => {
    const handler = loggedInvocation(async (_event: unknown, _context?: InvocationContext) => 'ok');
    const context = (awsRequestId: string) => ({ functionName: 'sellerworks-triage', awsRequestId });

    const lines = await capture(async () => {
      await handler({}, context('req-1'));
      await handler({}, context('req-2'));
    });

    expect(lines).toEqual([
      expect.objectContaining({ function_request_id: 'req-1', cold_start: true, sampling_rate: 0 }),
      expect.objectContaining({ function_request_id: 'req-2', cold_start: false, sampling_rate: 0 }),
    ]);
  });

  it('takes its level from LOG_LEVEL: DEBUG adds the start lines, WARN drops INFO', async () => {
    setLogLevel('WARN');
    const quiet = await capture(() => {
      logger.info('hidden');
      logger.warn('shown');
    });
    setLogLevel('DEBUG');
    const verbose = await capture(() => logger.debug('detail'));

    expect(quiet.map((l) => l.message)).toEqual(['shown']);
    expect(verbose.map((l) => l.message)).toEqual(['detail']);
  });
});

describe('protected fields', () => {
  const sensitive = {
    caseId: 'case_1',
    sellerEmail: 'seller@example.com',
    intake: {
      reason: 'payout_hold',
      buyer_email: 'buyer@example.org',
      bankAccount: { iban: 'DE89370400440532013000', holder: 'Acme GmbH' },
      taxId: 'DE123456789',
      identityDocument: 'passport P1234567',
    },
    evidence: [{ kinds: ['invoice'], text: 'My bank statement shows account 0532013000' }],
    taskToken: 'AQCEAAAAKgAAAAMAAAAAAAAAAQ==',
    headers: { Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZWxsZXIifQ.c2lnbmF0dXJl' },
    detail: 'reply from seller@example.com accepted',
  };

  it('never reach a line: named fields are redacted, addresses and tokens cut out of any text', async () => {
    const [line] = await capture(() =>
      logger.warn('reply from seller@example.com ignored', { ...sensitive, error: new Error('to a@b.co') }),
    );
    const text = JSON.stringify(line);

    for (const secret of [
      'seller@example.com',
      'buyer@example.org',
      'a@b.co',
      'DE89370400440532013000',
      'DE123456789',
      'P1234567',
      '0532013000',
      'AQCEAAAAKgAAAAMAAAAAAAAAAQ==',
      'eyJhbGciOiJSUzI1NiJ9',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(line).toMatchObject({
      message: 'reply from [redacted-email] ignored',
      caseId: 'case_1',
      sellerEmail: '[redacted]',
      intake: { reason: 'payout_hold', buyer_email: '[redacted]', bankAccount: '[redacted]' },
      evidence: [{ kinds: ['invoice'], text: '[redacted]' }],
      taskToken: '[redacted]',
      headers: { Authorization: '[redacted]' },
      detail: 'reply from [redacted-email] accepted',
      error: { name: 'Error', message: 'to [redacted-email]' },
    });
  });

  it('leaves the object it was given unchanged', () => {
    const copy = structuredClone(sensitive);

    redact(sensitive);

    expect(sensitive).toEqual(copy);
  });
});
