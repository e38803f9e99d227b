import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { DomainRuleError } from '#commons/errors.ts';
import { caseIdOf, loggedInvocation } from '#commons/logging.ts';
import { toIssues } from '#commons/validation.ts';
import { ringAlarm } from '#domain/fire-timer.ts';

/**
 * A case's alarm (alarm.ts), one timer (a schedule created before alarms), or both: a follow-up's schedule
 * names its alarm and the one timer it rings, due or not yet (follow-up.ts).
 */
const input = z
  .object({
    caseId: z.string().min(1),
    alarm: z.string().min(1).optional(),
    timerId: z.string().min(1).optional(),
  })
  .refine((value) => value.alarm !== undefined || value.timerId !== undefined, {
    message: 'an alarm or a timer id is required',
    path: ['alarm'],
  });

/**
 * EventBridge Scheduler's target when a case's alarm rings (the local runtime invokes it the same way). It
 * sets the case's next alarm, a schedule that invokes this function again, so it passes its own ARN down.
 */
export const handler = loggedInvocation(async (event: unknown, context: Context) => {
  const parsed = input.safeParse(event);
  if (!parsed.success) throw new DomainRuleError('invalid timer input', toIssues(parsed.error));
  const { caseId, alarm, timerId } = parsed.data;
  return { caseId, ...(await ringAlarm(caseId, alarm, context.invokedFunctionArn, timerId)) };
}, caseIdOf);
