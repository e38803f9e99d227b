import type { Catcher, Retrier } from './asl-types.ts';
import { NOT_MATCHED_BY_ALL, type StatesError } from './states-error.ts';

/** What a state that reported an error does next. */
export type ErrorOutcome =
  | { readonly kind: 'retry'; readonly delayMs: number; readonly retryCounts: number[] }
  | { readonly kind: 'catch'; readonly catcher: Catcher }
  | { readonly kind: 'fail' };

/** Whether an `ErrorEquals` list names this error, with the ASL's wildcards. */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  return errorEquals.some((name) => {
    if (name === error) return true;
    if (name === 'States.ALL') return !NOT_MATCHED_BY_ALL.has(error);
    // States.TaskFailed matches any failure of the task itself, but not its timeout.
    if (name === 'States.TaskFailed') return error !== 'States.Timeout' && !NOT_MATCHED_BY_ALL.has(error);
    return false;
  });
}

/**
 * Retry first (the first retrier that names the error, while it has attempts left), then Catch (the first
 * catcher that names it), else the execution fails. Delays follow IntervalSeconds × BackoffRate^n, capped
 * by MaxDelaySeconds, and with `JitterStrategy: FULL` drawn uniformly below that.
 * @param retryCounts Retries already made per retrier of this state entry.
 */
export function onError(
  error: StatesError,
  retriers: readonly Retrier[] = [],
  catchers: readonly Catcher[] = [],
  retryCounts: readonly number[] = [],
  random: () => number = Math.random,
): ErrorOutcome {
  const index = retriers.findIndex((retrier) => errorMatches(retrier.ErrorEquals, error.error));
  const retrier = retriers[index];
  if (retrier) {
    const made = retryCounts[index] ?? 0;
    if (made < (retrier.MaxAttempts ?? 3)) {
      const interval = retrier.IntervalSeconds ?? 1;
      let delay = interval * (retrier.BackoffRate ?? 2) ** made;
      if (retrier.MaxDelaySeconds !== undefined) delay = Math.min(delay, retrier.MaxDelaySeconds);
      if (retrier.JitterStrategy === 'FULL') delay = random() * delay;
      const counts = retriers.map((_, i) => retryCounts[i] ?? 0);
      counts[index] = made + 1;
      return { kind: 'retry', delayMs: Math.round(delay * 1000), retryCounts: counts };
    }
  }
  const catcher = catchers.find((c) => errorMatches(c.ErrorEquals, error.error));
  return catcher ? { kind: 'catch', catcher } : { kind: 'fail' };
}
