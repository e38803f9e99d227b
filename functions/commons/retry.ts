import { ConflictError } from './errors.ts';

/**
 * Runs `work` again when it lost an optimistic-concurrency race (another writer moved the case between
 * its read and its write). `work` must read afresh on each attempt. For handlers whose callers' own
 * retries are slow or few (SNS, Scheduler); workflow steps get theirs from the state machine's Retry.
 */
export const retryOnConflict = async <T>(work: () => Promise<T>, attempts = 8): Promise<T> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 50));
    }
  }
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Exponential backoff with jitter: between half and all of `baseMs · 2^(attempt-1)`, capped at `capMs`, so
 * callers retrying the same throttled service spread out instead of retrying in step.
 */
export const backoffMs = (attempt: number, baseMs: number, capMs: number): number => {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
};

const TRANSIENT_NAMES = new Set([
  'TransientError',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'KMSThrottlingException',
  'InternalErrorException',
  'InternalServerError',
  'InternalServerException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'TransactionInProgressException',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * Whether an AWS call's failure is worth retrying as is: a throttle, a service fault (5xx), a timeout or a
 * connection that failed. A refusal of the request itself (4xx: invalid, not allowed) is not.
 */
export const isTransient = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  const { $metadata, $retryable, code } = error as Error & {
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
    code?: string;
  };
  if ($retryable) return true;
  if (TRANSIENT_NAMES.has(error.name) || (code !== undefined && TRANSIENT_NAMES.has(code))) return true;
  const status = $metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
};
