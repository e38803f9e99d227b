import { TEAMS } from '#policy/families.ts';
import { atRiskTeamQueue } from './case-store.ts';
import { clockView } from './sla.ts';

/** Every team some family's routing can choose. */
export const allTeams = (): string[] => [...TEAMS];

/** The most cases the board shows a team: those longest past their warning. */
export const BOARD_CASES_PER_TEAM = 50;

/**
 * The SLA board: per team, the open cases whose resolution clock is breached or at risk (at least the
 * warning share used), soonest due first — up to {@link BOARD_CASES_PER_TEAM}, those longest past their
 * warning, and whether there are more. One key-range query a team on its queue (the teamQueue index keys an
 * open case by when its clock reaches the warning share; resolution moves it out of the range), so its
 * cost follows the teams, not the open cases nor every case a team ever had; the teams are read at once.
 */
export const slaBoard = async (at: number) => {
  const now = new Date(at).toISOString();
  // Every team's queue at once: the board takes one team's read, not the sum of them.
  const boards = await Promise.all(
    allTeams().map(async (team) => {
      const queue = await atRiskTeamQueue(team, now, BOARD_CASES_PER_TEAM);
      const cases = queue.cases
        .flatMap((item) => {
          const clock = item.resolutionClock;
          if (!clock) return [];
          const view = clockView(clock, at);
          return [
            {
              caseId: item.caseId,
              family: item.family,
              status: item.status,
              sellerTier: item.sellerTier,
              risk: view.breached ? 'breached' : 'at_risk',
              dueAt: view.dueAt,
              usedHours: view.usedHours,
              leftHours: view.leftHours,
              clock: view.state,
              escalationLevel: item.escalationLevel ?? 0,
            },
          ];
        })
        .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
      return {
        team,
        breached: cases.filter((c) => c.risk === 'breached').length,
        atRisk: cases.filter((c) => c.risk === 'at_risk').length,
        // More past their warning than the board shows: the list's SLA filters page through them all.
        more: queue.more,
        cases,
      };
    }),
  );
  return { at: now, teams: boards.filter((board) => board.cases.length > 0) };
};
