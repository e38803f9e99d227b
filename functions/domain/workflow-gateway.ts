import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { sfn } from '#commons/clients/sfn.ts';
import { backoffMs, isTransient, sleep } from '#commons/retry.ts';

/**
 * The one door for answering a waiting workflow step (`.waitForTaskToken`): SendTaskSuccess and
 * SendTaskFailure. Callers commit their own change first, then answer the wait through here.
 */

/** `completed`: the wait took the answer. `closed`: it had already ended (answered, timed out, stopped). */
export type TaskAnswer = 'completed' | 'closed';

/** What Step Functions answers for a token whose wait is over: not an error for the caller, a fact. */
const CLOSED = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

/** Throttles and faults are retried with backoff (beyond the SDK's own retries): they delay, never fail. */
const ATTEMPTS = 5;

const answer = async (call: () => Promise<unknown>): Promise<TaskAnswer> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await call();
      return 'completed';
    } catch (error) {
      if (CLOSED.has((error as Error).name)) return 'closed';
      if (!isTransient(error) || attempt >= ATTEMPTS) throw error;
      await sleep(backoffMs(attempt, 100, 2_000));
    }
  }
};

/** Resumes the waiting step with `output` (serialised as JSON). */
export const completeTask = (taskToken: string, output: unknown): Promise<TaskAnswer> =>
  answer(() => sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })));

/** Fails the waiting step with an error name the state machine can Catch, and a cause. */
export const failTask = (taskToken: string, error: string, cause: string): Promise<TaskAnswer> =>
  answer(() => sfn.send(new SendTaskFailureCommand({ taskToken, error, cause })));
