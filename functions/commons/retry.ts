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
