import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { DomainRuleError } from '#commons/errors.ts';
import { retryOnConflict } from '#commons/retry.ts';
import { toIssues } from '#commons/validation.ts';
import { fireTimer } from '#domain/fire-timer.ts';

const input = z.object({ caseId: z.string().min(1), timerId: z.string().min(1) });

/**
 * EventBridge Scheduler's target when an SLA timer is due (the local runtime invokes it the same way). It
 * re-arms a timer whose clock paused by scheduling itself, so it passes its own ARN down.
 */
export const handler = async (event: unknown, context: Context) => {
  const parsed = input.safeParse(event);
  if (!parsed.success) throw new DomainRuleError('invalid timer input', toIssues(parsed.error));
  const { caseId, timerId } = parsed.data;
  // Several timers (and the workflow) may write the same case at once: on a version conflict, read again
  // and retry here rather than lean on the scheduler's retries (fire-once still holds: see fireTimer).
  return {
    caseId,
    timerId,
    outcome: await retryOnConflict(() => fireTimer(caseId, timerId, context.invokedFunctionArn)),
  };
};
