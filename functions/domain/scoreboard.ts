import { rosters } from './agents.ts';
import { scoreTotals } from './case-store.ts';
import { SEGMENT_DIMENSIONS, scoreboardOf, scoreboardSegments } from './metrics.ts';

/**
 * The scoreboard as `GET /ops/metrics` answers it: the totals kept per segment and day (scoreboard-fold.ts)
 * for every segment there can be — the agents' from the rosters, one query a team — read off by dimension.
 * Its cost follows teams, agents and days, never the cases.
 */
export const readScoreboard = async (fromDay?: string) => {
  const agents = await rosters();
  const totals = await scoreTotals(scoreboardSegments(agents.map((a) => a.agentId)), fromDay);
  const boards = SEGMENT_DIMENSIONS.map((by) => scoreboardOf(totals, by));
  return {
    all: boards[0]?.all,
    segments: Object.fromEntries(boards.map((b) => [b.by, b.segments])),
  };
};
