import { nowMs } from '#commons/clock.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { slaBoard } from '#domain/sla-board.ts';

/** `GET /ops/sla`: at-risk and breached cases by team, soonest due first. A team member sees their team. */
export const getSlaBoard = async (event: ApiEvent) => {
  const ops = requireOps(event);
  const board = await slaBoard(nowMs());
  return json(200, ops.team ? { ...board, teams: board.teams.filter((t) => t.team === ops.team) } : board);
};

export const handler = apiHandler(getSlaBoard);
