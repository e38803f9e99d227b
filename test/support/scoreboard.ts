import type { CaseRecord } from '../../functions/domain/case.ts';
import { type MetricsRow, SEGMENT_DIMENSIONS, scoreboard } from '../../functions/domain/metrics.ts';

/**
 * The scoreboard as GET /ops/metrics answers it, recomputed from case items read by the test itself: what
 * the totals the stream kept must equal (optionally only the cases opened from `fromDay` on).
 */
export const recomputedScoreboard = (cases: readonly CaseRecord[], fromDay = '') => {
  const rows: MetricsRow[] = cases
    .filter((c) => c.metrics && c.createdAt.slice(0, 10) >= fromDay)
    .map((c) => ({
      family: c.family,
      sellerTier: c.sellerTier,
      channel: String((c as unknown as { channel?: string }).channel ?? 'portal'),
      region: c.region,
      team: c.routing?.team,
      metrics: c.metrics!,
    }));
  const boards = SEGMENT_DIMENSIONS.map((by) => scoreboard(rows, by));
  return { all: boards[0]?.all, segments: Object.fromEntries(boards.map((b) => [b.by, b.segments])) };
};
