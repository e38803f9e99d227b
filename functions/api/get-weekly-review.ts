import { nowMs } from '#commons/clock.ts';
import { validationFailed } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { validate } from '#commons/http/request.ts';
import { implausibleWeek, isoWeekOf } from '#domain/weekly-review.ts';
import { readWeeklyReview } from '#domain/weekly-review-read.ts';
import { weeklyReviewQuery } from './contracts.ts';

/**
 * `GET /ops/reviews/weekly[?week=YYYY-Www]`: an ISO week's review (the current week's without `week`):
 * where the time to resolution went, by phase and team; the most common escalation reasons; the most
 * reopened families and reasons; transfers that bounced; SLA breaches by team; the template versions with
 * the worst reopen rate and CSAT; each figure with example case ids. It reads the rows kept for the week,
 * not its cases. A week its year lacks, out of range or not yet begun is 422 naming `week`.
 */
export const getWeeklyReview = async (event: ApiEvent) => {
  requireOps(event);
  const query = validate(event.queryStringParameters ?? {}, weeklyReviewQuery);
  const now = nowMs();
  const week = query.week ?? isoWeekOf(now);
  const implausible = implausibleWeek(week, now);
  if (implausible) throw validationFailed([{ path: 'week', reason: `must be ${implausible}` }]);
  return json(200, await readWeeklyReview(week));
};

export const handler = apiHandler(getWeeklyReview);
