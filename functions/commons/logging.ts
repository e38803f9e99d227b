import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogItem } from '@aws-lambda-powertools/logger';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { ENV } from './env-names.ts';
import { tracedInvocation } from './tracing.ts';

/**
 * The functions' structured log: one JSON object per line, written by Powertools for AWS Lambda's Logger,
 * with the keys of the invocation it belongs to (function, caseId, family, executionArn, correlationId) and
 * protected fields redacted. Everything else (the wrappers, the domain, the local runtime) speaks to the
 * small interface below, so this is the one file that knows Powertools.
 *
 * The invocation's keys live in an AsyncLocalStorage and are given to Powertools with each line, rather than
 * set on the logger with `appendKeys`/`injectLambdaContext`: Powertools scopes those per invocation only on
 * Lambda's multi-concurrency runtime, and the local runtime runs many handlers at once in one process, where
 * one invocation's caseId must never land on another's line. The Lambda context's fields (function name,
 * request id, cold start) are keys of the same store, under Powertools' own names.
 */

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The keys every line of an invocation carries once they are known. */
export interface LogKeys {
  /** The function (Lambda's function name; locally `sellerworks-<id>`). */
  function?: string | undefined;
  caseId?: string | undefined;
  family?: string | undefined;
  executionArn?: string | undefined;
  /** Born at the API request that opened the case, kept on the case, and carried by everything after. */
  correlationId?: string | undefined;
  /** The API request (API Gateway's requestId), for API invocations. */
  requestId?: string | undefined;
  /** The Lambda invocation (its context's awsRequestId), under Powertools' name. */
  function_request_id?: string | undefined;
  /** Whether this invocation started the function's container (its first since the module loaded). */
  cold_start?: boolean | undefined;
}

/** Where lines go: stdout on Lambda (as Powertools writes them); the local runtime gives its own. */
export type LogSink = (line: string) => void;

/** LOG_LEVEL (any case), default INFO; an unknown value is INFO rather than a function that cannot start. */
export const levelFrom = (value: string | undefined): LogLevel => {
  const upper = (value ?? '').toUpperCase();
  return (LOG_LEVELS as readonly string[]).includes(upper) ? (upper as LogLevel) : 'INFO';
};

const sinks = new AsyncLocalStorage<LogSink>();

/**
 * Powertools' Logger, printing to the invocation's sink when it has one (the local runtime's log file; a
 * test's array) and to stdout as on Lambda otherwise. `printLog` is the Logger's documented extension point.
 */
class SellerWorksLogger extends PowertoolsLogger {
  protected override printLog(logLevel: number, log: LogItem): void {
    const sink = sinks.getStore();
    if (!sink) {
      super.printLog(logLevel, log);
      return;
    }
    log.prepareForPrint();
    sink(JSON.stringify(log.getAttributes(), this.getJsonReplacer()));
  }
}

// The level is read once at init, as the functions read their configuration; optional, so it is not in the
// registry's env. An unknown value is INFO rather than a function that cannot start.
const powertools = new SellerWorksLogger({
  serviceName: 'sellerworks',
  logLevel: levelFrom(process.env[ENV.logLevel]),
});

/** For tests: the level as LOG_LEVEL would set it. */
export const setLogLevel = (level: LogLevel) => {
  powertools.setLogLevel(level);
};

interface Invocation {
  keys: LogKeys;
}
const invocations = new AsyncLocalStorage<Invocation>();

/** Runs `fn` with lines written to `sink` (the local runtime: its data dir's log file). */
export const withLogSink = <T>(sink: LogSink, fn: () => T): T => sinks.run(sink, fn);

/** Runs `fn` as one invocation: its lines carry `keys`, and whatever `appendLogKeys` adds during it. */
export const withLogKeys = <T>(keys: LogKeys, fn: () => T): T =>
  invocations.run({ keys: { ...invocations.getStore()?.keys, ...defined(keys) } }, fn);

/** Adds keys to the current invocation's lines (a step learns the case's family and correlation id on load). */
export const appendLogKeys = (keys: LogKeys) => {
  const current = invocations.getStore();
  if (current) current.keys = { ...current.keys, ...defined(keys) };
};

export const currentLogKeys = (): LogKeys => ({ ...invocations.getStore()?.keys });

const defined = (keys: LogKeys): LogKeys =>
  Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined && v !== '')) as LogKeys;

/** A function's first invocation since its module loaded is its cold start (one wrapper per function). */
const coldStarts = () => {
  let cold = true;
  return () => {
    const was = cold;
    cold = false;
    return was;
  };
};

// --- redaction ---------------------------------------------------------------------------------------------

export const REDACTED = '[redacted]';

/**
 * Field names whose values are never logged, whatever they hold (compared without case, `_` or `-`):
 * addresses, evidence text, bank / identity / tax documents, tokens and credentials.
 */
const PROTECTED_KEYS = new Set(
  [
    'sellerEmail',
    'buyerEmail',
    'email',
    'emailAddress',
    'from',
    'to',
    'cc',
    'bcc',
    'replyTo',
    'recipient',
    'recipients',
    'destination',
    'text',
    'html',
    'body',
    'evidenceText',
    'note',
    'content',
    'contents',
    'attachments',
    'bankAccount',
    'accountNumber',
    'iban',
    'routingNumber',
    'taxId',
    'vatNumber',
    'identityDocument',
    'document',
    'documents',
    'token',
    'taskToken',
    'replyToken',
    'accessToken',
    'idToken',
    'authorization',
    'cookie',
    'password',
    'secret',
    'apiKey',
  ].map((k) => normalise(k)),
);

function normalise(key: string) {
  return key.replace(/[-_]/g, '').toLowerCase();
}

export const isProtectedKey = (key: string) => PROTECTED_KEYS.has(normalise(key));

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
/** A JWT or a task token is long and opaque; anything that looks like one in free text is cut too. */
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;

const scrub = (text: string) =>
  text.replace(EMAIL, '[redacted-email]').replace(BEARER, 'Bearer [redacted]').replace(JWT, REDACTED);

/**
 * A copy of `value` safe to log: protected fields replaced by `[redacted]`, email addresses and tokens cut
 * out of every string (messages and stacks included), errors as `{ name, message, stack }`.
 */
export const redact = (value: unknown, depth = 0, seen = new WeakSet<object>()): unknown => {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? String(value) : value;
  }
  if (seen.has(value)) return '[circular]';
  if (depth > 8) return '[truncated]';
  seen.add(value);
  if (value instanceof Error) {
    return redact(
      {
        name: value.name,
        message: value.message,
        ...(value.stack ? { stack: value.stack } : {}),
        ...('code' in value ? { code: (value as { code: unknown }).code } : {}),
        ...(value.cause !== undefined ? { cause: value.cause } : {}),
      },
      depth + 1,
      seen,
    );
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  if (value instanceof Date) return value.toISOString();
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      isProtectedKey(key) && item !== undefined && item !== null ? REDACTED : redact(item, depth + 1, seen),
    ]),
  );
};

// --- the logger ----------------------------------------------------------------------------------------------

export type LogAttributes = Record<string, unknown>;

const emit = (level: Exclude<LogLevel, 'SILENT'>, message: string, attributes: LogAttributes = {}) => {
  const extra = { ...invocations.getStore()?.keys, ...(redact(attributes) as LogAttributes) };
  const method =
    level === 'DEBUG' ? 'debug' : level === 'INFO' ? 'info' : level === 'WARN' ? 'warn' : 'error';
  try {
    powertools[method](scrub(message), extra);
  } catch {
    // A value JSON cannot write (it has been redacted, so this is rare): the line without its attributes.
    powertools[method](scrub(message), { unserialisable: true });
  }
};

/** The functions' logger: `logger.info('message', { attributes })`. */
export const logger = {
  debug: (message: string, attributes?: LogAttributes) => emit('DEBUG', message, attributes),
  info: (message: string, attributes?: LogAttributes) => emit('INFO', message, attributes),
  warn: (message: string, attributes?: LogAttributes) => emit('WARN', message, attributes),
  error: (message: string, attributes?: LogAttributes) => emit('ERROR', message, attributes),
};

/** The error's name and message, as an invocation's end line carries them. */
export const errorFields = (error: unknown) =>
  error instanceof Error
    ? { errorName: error.name, errorMessage: error.message }
    : { errorName: 'Error', errorMessage: String(error) };

/** Stands for "called without a Lambda context" through middy, which needs one. */
const NO_CONTEXT = Object.freeze({});

/** The keys a Lambda context gives every line of the invocation. */
export interface InvocationContext {
  readonly functionName?: string;
  readonly awsRequestId?: string;
}

/**
 * Wraps a handler as one logged, traced invocation, through middy: the keys it knows from its event and
 * context are set before it runs (the handler adds more as it learns them), one line at its end says the
 * outcome and the duration (INFO; ERROR with the error's name and message when it throws), and nothing leaks
 * into the next one. Powertools' Tracer opens the handler's X-Ray subsegment (a no-op off Lambda).
 * Answers a function of the handler's own type, so callers and tests see no difference.
 */
// biome-ignore lint/suspicious/noExplicitAny: any handler shape (event, optional Lambda context)
export const loggedInvocation = <H extends (event: any, context?: any) => Promise<any>>(
  handler: H,
  keysOf: (event: Parameters<H>[0]) => LogKeys = () => ({}),
  outcomeOf: (result: Awaited<ReturnType<H>>) => LogAttributes = () => ({}),
): H => {
  const traced = middy(
    // biome-ignore lint/suspicious/noExplicitAny: middy's types follow the handler's
    async (event: any, context: any) => handler(event, context === NO_CONTEXT ? undefined : context),
    // No early timeout of its own: the handler decides how a run out of time ends (the API's middy answers
    // 503 with Retry-After; a step's error names what the state machine retries). A second timer here
    // fired first and threw past them, and the API answered 500.
    { timeoutEarlyInMillis: 0 },
  ).use(tracedInvocation());
  const isCold = coldStarts();
  return ((event: Parameters<H>[0], context?: InvocationContext) => {
    let keys: LogKeys = {};
    try {
      keys = keysOf(event);
    } catch {
      // The handler validates its event and answers a bad one itself; the log keys are best effort.
    }
    const invocationKeys: LogKeys = {
      function: context?.functionName,
      function_request_id: context?.awsRequestId,
      cold_start: isCold(),
      ...keys,
    };
    return withLogKeys(invocationKeys, async () => {
      const started = performance.now();
      logger.debug('invocation started');
      try {
        // middy wants a context; a test may call a handler without one, and the handler then sees none.
        const result = await traced(event, (context ?? NO_CONTEXT) as never);
        logger.info('invocation ended', {
          outcome: 'success',
          durationMs: Math.round(performance.now() - started),
          ...outcomeOf(result),
        });
        return result;
      } catch (error) {
        logger.error('invocation failed', {
          outcome: 'error',
          durationMs: Math.round(performance.now() - started),
          ...errorFields(error),
        });
        throw error;
      }
    });
  }) as H;
};

/** The caseId a step's or timer's event names, if it names one. */
export const caseIdOf = (event: unknown): LogKeys => {
  const { caseId, execution } = (event ?? {}) as { caseId?: unknown; execution?: unknown };
  return {
    ...(typeof caseId === 'string' ? { caseId } : {}),
    // Steps whose state Parameters pass `$$.Execution.Id` as `execution`.
    ...(typeof execution === 'string' ? { executionArn: execution } : {}),
  };
};
