import { schedulerErrors } from './scheduler-errors.ts';

/** `at(yyyy-mm-ddThh:mm:ss)`, the one-time schedule expression. */
const AT_EXPRESSION = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const RECURRING_EXPRESSION = /^(rate|cron)\(/;
/** Time zone names that mean UTC, the only zone the local scheduler evaluates. */
const UTC_ZONES = new Set(['UTC', 'Etc/UTC']);

/**
 * The moment a one-time schedule is due, in epoch milliseconds.
 * @param timezone `ScheduleExpressionTimezone`; absent means UTC, as on AWS.
 * @throws AwsServiceError `ValidationException` for a recurring (`rate`/`cron`) or malformed expression, an
 * impossible date, or a time zone other than UTC.
 */
export function dueTimeOf(expression: string, timezone: string | undefined): number {
  if (RECURRING_EXPRESSION.test(expression)) {
    throw schedulerErrors.validation(
      `Invalid Schedule Expression ${expression}: the local EventBridge Scheduler runs one-time schedules ` +
        'only; use at(yyyy-mm-ddThh:mm:ss).',
    );
  }
  const match = AT_EXPRESSION.exec(expression);
  if (!match) {
    throw schedulerErrors.validation(
      `Invalid Schedule Expression ${expression}: expected at(yyyy-mm-ddThh:mm:ss).`,
    );
  }
  if (timezone !== undefined && !UTC_ZONES.has(timezone)) {
    throw schedulerErrors.validation(
      `Invalid ScheduleExpressionTimezone ${timezone}: the local EventBridge Scheduler evaluates at() ` +
        'expressions in UTC only; omit the time zone or give UTC.',
    );
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const due = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2026-02-30 over into March; a round trip catches every impossible field.
  const roundTrip = new Date(due);
  const exact =
    roundTrip.getUTCFullYear() === year &&
    roundTrip.getUTCMonth() === month - 1 &&
    roundTrip.getUTCDate() === day &&
    roundTrip.getUTCHours() === hour &&
    roundTrip.getUTCMinutes() === minute &&
    roundTrip.getUTCSeconds() === second;
  if (!exact) {
    throw schedulerErrors.validation(`Invalid Schedule Expression ${expression}: no such date and time.`);
  }
  return due;
}
