import { FAMILIES } from '#policy/families.ts';
import { getCases, openTeamQueue } from './case-store.ts';
import { clockView, WARN_AT } from './sla.ts';

/** Every team some family's routing can choose. */
export const allTeams = (): string[] =>
  [...new Set(Object.values(FAMILIES).flatMap((f) => f.routing.rules.map((r) => r.team)))].sort();

/**
 * The SLA board: per team, the open cases whose resolution clock is breached or at risk (at least the
 * warning share used), soonest due first. Read from the open part of each team's queue (the byTeam index,
 * by key) and those cases: its cost follows open cases, not every case a team ever had.
 */
export const slaBoard = async (at: number) => {
  const teams = [];
  for (const team of allTeams()) {
    const open = (await openTeamQueue(team)).map((c) => c.caseId);
    const cases = (await getCases(open))
      .flatMap((record) => {
        const clock = record.sla?.resolution;
        if (!clock) return [];
        const view = clockView(clock, at);
        if (view.state === 'stopped' || (!view.breached && view.shareUsed < WARN_AT)) return [];
        return [
          {
            caseId: record.caseId,
            family: record.family,
            status: record.status,
            sellerTier: record.sellerTier,
            risk: view.breached ? 'breached' : 'at_risk',
            dueAt: view.dueAt,
            usedHours: view.usedHours,
            leftHours: view.leftHours,
            clock: view.state,
            escalationLevel: record.escalationLevel ?? 0,
          },
        ];
      })
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    if (cases.length > 0)
      teams.push({
        team,
        breached: cases.filter((c) => c.risk === 'breached').length,
        atRisk: cases.filter((c) => c.risk === 'at_risk').length,
        cases,
      });
  }
  return { at: new Date(at).toISOString(), teams };
};
