/** How long a failing target waits before its next attempt (real milliseconds). */
export interface RetryBackoff {
  /** Upper bound of the wait before the first retry; doubles after each further failure. */
  readonly firstRetryDelayMs: number;
  /** The bound stops doubling here. */
  readonly maxRetryDelayMs: number;
  /** A number in [0, 1), `Math.random` by default; tests pin it to make the waits predictable. */
  readonly random: () => number;
}

/**
 * The wait before retrying after failed attempt `attemptNumber` (1 for the first attempt): exponential
 * backoff with full jitter, a uniformly random wait between 0 and `min(max, first × 2^(attempt-1))`. The
 * jitter spreads out retries of many schedules that failed together (say, while DynamoDB Local restarts),
 * so they do not hit the recovering target in lockstep.
 */
export function retryDelayMs(backoff: RetryBackoff, attemptNumber: number): number {
  const ceiling = Math.min(
    backoff.maxRetryDelayMs,
    backoff.firstRetryDelayMs * 2 ** Math.max(0, attemptNumber - 1),
  );
  return Math.floor(backoff.random() * ceiling);
}
