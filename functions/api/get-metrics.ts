import { z } from 'zod';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { validate } from '#commons/http/request.ts';
import { scoreTotals } from '#domain/case-store.ts';
import { ALL_SEGMENTS, SEGMENT_DIMENSIONS, scoreboardOf } from '#domain/metrics.ts';

const metricsQuery = z
  .object({ since: z.iso.datetime({ error: 'an ISO 8601 instant' }).optional() })
  .strict();

/**
 * `GET /ops/metrics[?since=]`: the support scoreboard over every case (or those opened since a day),
 * overall and segmented by family, seller tier, channel and region. It reads the totals kept per segment
 * and day (a few items each), not the cases: its cost follows segments and days, however many cases.
 * `since` counts whole UTC days: the answer's `countedFrom` says from when.
 */
export const getMetrics = async (event: ApiEvent) => {
  requireOps(event);
  const { since } = validate(event.queryStringParameters ?? {}, metricsQuery);
  const fromDay = since ? new Date(since).toISOString().slice(0, 10) : undefined;
  const totals = await scoreTotals(ALL_SEGMENTS, fromDay);
  const boards = SEGMENT_DIMENSIONS.map((by) => scoreboardOf(totals, by));
  return json(200, {
    ...(since ? { since, countedFrom: `${fromDay}T00:00:00.000Z` } : {}),
    all: boards[0]?.all,
    segments: Object.fromEntries(boards.map((b) => [b.by, b.segments])),
  });
};

export const handler = apiHandler(getMetrics);
