import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { DomainRuleError } from '#commons/errors.ts';
import { caseIdOf, loggedInvocation } from '#commons/logging.ts';
import { toIssues } from '#commons/validation.ts';
import { ringAlarm } from '#domain/fire-timer.ts';

/** A case's alarm (alarm.ts), or — from a schedule created before alarms — one timer. */
const input = z.union([
  z.object({ caseId: z.string().min(1), alarm: z.string().min(1) }),
  z.object({ caseId: z.string().min(1), timerId: z.string().min(1) }),
]);

/**
 * EventBridge Scheduler's target when a case's alarm rings (the local runtime invokes it the same way). It
 * sets the case's next alarm, a schedule that invokes this function again, so it passes its own ARN down.
 */
export const handler = loggedInvocation(async (event: unknown, context: Context) => {
  const parsed = input.safeParse(event);
  if (!parsed.success) throw new DomainRuleError('invalid timer input', toIssues(parsed.error));
  const { caseId } = parsed.data;
  const alarm = 'alarm' in parsed.data ? parsed.data.alarm : undefined;
  const timerId = 'timerId' in parsed.data ? parsed.data.timerId : undefined;
  return { caseId, ...(await ringAlarm(caseId, alarm, context.invokedFunctionArn, timerId)) };
}, caseIdOf);
