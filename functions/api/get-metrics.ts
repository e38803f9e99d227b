import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { validate } from '#commons/http/request.ts';
import { readScoreboard } from '#domain/scoreboard.ts';
import { metricsQuery } from './contracts.ts';

/**
 * `GET /ops/metrics[?since=]`: the support scoreboard over every case (or those opened since a day),
 * overall and segmented by family, seller tier, channel, region, team and assignee (each agent's line with
 * their handled cases, median handle time and cases taken from them). It reads the totals kept per segment
 * and day (a few items each), not the cases: its cost follows segments and days, however many cases.
 * `since` counts whole UTC days (cases opened from then on): the answer's `countedFrom` says from when.
 */
export const getMetrics = async (event: ApiEvent) => {
  requireOps(event);
  const { since } = validate(event.queryStringParameters ?? {}, metricsQuery);
  const fromDay = since ? new Date(since).toISOString().slice(0, 10) : undefined;
  return json(200, {
    ...(since ? { since, countedFrom: `${fromDay}T00:00:00.000Z` } : {}),
    ...(await readScoreboard(fromDay)),
  });
};

export const handler = apiHandler(getMetrics);
