import { z } from 'zod';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { validate } from '#commons/http/request.ts';
import { metricsRows } from '#domain/case-store.ts';
import { SEGMENT_DIMENSIONS, scoreboard } from '#domain/metrics.ts';

const metricsQuery = z
  .object({ since: z.iso.datetime({ error: 'an ISO 8601 instant' }).optional() })
  .strict();

/**
 * `GET /ops/metrics[?since=]`: the support scoreboard over every case (or those opened since an instant),
 * overall and segmented by family, seller tier, channel and region.
 */
export const getMetrics = async (event: ApiEvent) => {
  requireOps(event);
  const { since } = validate(event.queryStringParameters ?? {}, metricsQuery);
  const rows = await metricsRows(since);
  const boards = SEGMENT_DIMENSIONS.map((by) => scoreboard(rows, by));
  return json(200, {
    ...(since ? { since } : {}),
    all: boards[0]?.all,
    segments: Object.fromEntries(boards.map((b) => [b.by, b.segments])),
  });
};

export const handler = apiHandler(getMetrics);
