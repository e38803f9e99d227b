import { z } from 'zod';
import { flexibleTimeWindowSchema, targetSchema } from './operation-inputs.ts';

/**
 * Where a schedule's one invocation stands (local bookkeeping; the real service exposes none of it):
 * - `SCHEDULED`: waiting for its time (or DISABLED, never to fire).
 * - `INVOKING`: an attempt is running. Persisted before the target is called, so a restart knows the
 *   attempt may have run: a schedule found INVOKING when the scheduler opens is invoked again (at least once;
 *   the target is idempotent), as its next attempt.
 * - `RETRYING`: the last attempt failed (or was cut short by a stop); the next one is due at `nextAttemptAt`.
 * - `COMPLETED`: the target succeeded (kept only with ActionAfterCompletion NONE).
 * - `FAILED`: every attempt failed (the last perhaps cut short by a stop); `lastError` says why.
 */
export const invocationStatusSchema = z.enum(['SCHEDULED', 'INVOKING', 'RETRYING', 'COMPLETED', 'FAILED']);
export type InvocationStatus = z.infer<typeof invocationStatusSchema>;

const isoDate = z.iso.datetime();

const invocationSchema = z.object({
  status: invocationStatusSchema,
  /** Attempts started so far. */
  attempts: z.number().int().nonnegative(),
  /** The `<aws.scheduler.execution-id>` of the latest attempt. */
  executionId: z.string().nullable(),
  /** Real (wall-clock) time of the next retry, while RETRYING: retries wait in real time, whatever TIME_SCALE. */
  nextAttemptAt: isoDate.nullable(),
  /** The error of the latest failed attempt (`error` is the thrown error's name). */
  lastError: z.object({ error: z.string(), message: z.string() }).nullable(),
  /** Case time the schedule reached COMPLETED or FAILED. */
  finishedAt: isoDate.nullable(),
});
export type InvocationState = z.infer<typeof invocationSchema>;

/** One schedule as the local scheduler keeps it: what GetSchedule answers, plus its invocation state. */
export const scheduleRecordSchema = z.object({
  arn: z.string(),
  name: z.string(),
  groupName: z.string(),
  scheduleExpression: z.string(),
  scheduleExpressionTimezone: z.string().nullable(),
  /** The case time the `at()` expression names. */
  dueAt: isoDate,
  target: targetSchema,
  flexibleTimeWindow: flexibleTimeWindowSchema,
  actionAfterCompletion: z.enum(['NONE', 'DELETE']),
  state: z.enum(['ENABLED', 'DISABLED']),
  description: z.string().nullable(),
  kmsKeyArn: z.string().nullable(),
  /** The CreateSchedule ClientToken, so a retried request answers the schedule it made. */
  clientToken: z.string().nullable(),
  creationDate: isoDate,
  lastModificationDate: isoDate,
  invocation: invocationSchema,
});
export type ScheduleRecord = z.infer<typeof scheduleRecordSchema>;

/** The JSON schedules file of earlier versions (imported once into the database): every schedule. */
export const schedulesFileSchema = z.object({ schedules: z.array(scheduleRecordSchema) });
