import { FAMILIES } from '#policy/families.ts';
import { REGIONS, SELLER_TIERS } from '#policy/family-policy.ts';
import { DEFAULT_CHANNEL, INTAKE_CHANNELS } from '#policy/intake-fields.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';
import { CASE_STATUSES } from './case.ts';
import { type CaseListQuery, SLA_RISKS, type SlaRisk } from './case-list-query.ts';
import {
  type CaseIndexItem,
  type CaseListViewName,
  getCaseIndexItem,
  pageCases,
  type SlaRange,
} from './case-store.ts';
import { clockView, type SlaClock, WARN_AT } from './sla.ts';
import { allTeams } from './sla-board.ts';

// The query's schema lives apart, free of the store, so the OpenAPI generator can read it (functions/api/contracts.ts).
export { type CaseListQuery, caseListQuery, SLA_RISKS, type SlaRisk } from './case-list-query.ts';

/** A case as the list shows it, with its resolution clock's risk computed at `at`. */
export interface CaseListRow {
  readonly caseId: string;
  readonly family: string;
  readonly status: string;
  readonly sellerId: string;
  readonly sellerTier: string;
  readonly region: string;
  readonly channel: string;
  readonly team: string | null;
  readonly createdAt: string;
  /** When the case entered its status (a case stored before this was kept shows null). */
  readonly statusSince: string | null;
  readonly escalationLevel: number;
  readonly sla: { readonly risk: SlaRisk; readonly dueAt: string | null; readonly leftHours: number | null };
}

/** The risk of a case's resolution clock at `at`: the list's and the SLA board's one rule. */
export const slaRisk = (clock: SlaClock | undefined, at: number): CaseListRow['sla'] => {
  if (!clock) return { risk: 'on_track', dueAt: null, leftHours: null };
  const view = clockView(clock, at);
  const risk: SlaRisk =
    view.state === 'stopped'
      ? 'stopped'
      : view.breached
        ? 'breached'
        : view.shareUsed >= WARN_AT
          ? 'at_risk'
          : 'on_track';
  return { risk, dueAt: view.dueAt, leftHours: view.leftHours };
};

const toRow = (item: CaseIndexItem, at: number): CaseListRow => ({
  caseId: item.caseId,
  family: item.family,
  status: item.status,
  sellerId: item.sellerId,
  sellerTier: item.sellerTier,
  region: item.region,
  channel: item.channel ?? DEFAULT_CHANNEL,
  team: item.team ?? null,
  createdAt: item.createdAt,
  statusSince: item.statusSince ?? null,
  escalationLevel: item.escalationLevel ?? 0,
  sla: slaRisk(item.resolutionClock, at),
});

/**
 * The longest resolution target any family gives: a running clock is at risk from its warning share to its
 * target, so one that reached its warning before `now − (1 − WARN_AT) × this` is breached, not at risk.
 */
const LONGEST_RESOLUTION_MS =
  3_600_000 *
  Math.max(
    ...Object.values(FAMILIES).flatMap((family) => Object.values(family.sla).map((t) => t.resolutionHours)),
  );

/** Which key ranges of the team queues hold the open cases of a risk (`stopped` has none: see below). */
const slaRange = (risk: SlaRisk, at: number): SlaRange | undefined => {
  switch (risk) {
    case 'breached':
      return { range: 'reached' };
    case 'at_risk':
      return { range: 'reached', since: new Date(at - (1 - WARN_AT) * LONGEST_RESOLUTION_MS).toISOString() };
    case 'on_track':
      return { range: 'ahead' };
    case 'stopped':
      // Mostly closed cases: a filter on the list of every case, within its read budget.
      return undefined;
  }
};

/** How a page is ordered: newest first, or (an SLA risk view) the case nearest or furthest past its warning first. */
export type CaseListOrder = 'newest' | 'most-urgent';

export interface CaseListPage {
  readonly cases: CaseListRow[];
  readonly nextCursor: string | null;
  /** The read budget ran out before the page filled: short (maybe empty), and more may match below. */
  readonly partial: boolean;
  readonly order: CaseListOrder;
  /** The index the page read by key (case-store.ts `listView`): for operators and the bench. */
  readonly view: CaseListViewName | 'case';
}

/**
 * One page of the ops console's case list. A seller's cases, a team's cases in one status, a family's,
 * and open cases by SLA risk are each read by key (the SLA views from the team queues, most urgent first;
 * the others newest first); other filters narrow what that read, within the store's read budget. The SLA
 * risk depends on the time of asking, so it is worked out here, with the SLA board's clock arithmetic.
 */
export const listCases = async (query: CaseListQuery, at: number): Promise<CaseListPage> => {
  if (query.q) {
    const item = await getCaseIndexItem(query.q);
    const row = item ? toRow(item, at) : undefined;
    return { cases: row ? [row] : [], nextCursor: null, partial: false, order: 'newest', view: 'case' };
  }
  const { family, status, team, tier, region, channel, seller, sla } = query;
  const page = await pageCases(
    { seller, family, status, team, sellerTier: tier, region, channel, sla: sla && slaRange(sla, at) },
    {
      limit: query.limit,
      cursor: query.cursor,
      at: new Date(at).toISOString(),
      teams: allTeams,
      select: (item) => {
        const row = toRow(item, at);
        return sla && row.sla.risk !== sla ? undefined : row;
      },
    },
  );
  return {
    cases: page.rows,
    nextCursor: page.nextCursor,
    partial: page.partial,
    order: page.view === 'slaQueue' ? 'most-urgent' : 'newest',
    view: page.view,
  };
};

/** The values the console offers in its filters. */
export const listFilters = () => ({
  family: FAMILY_IDS,
  status: CASE_STATUSES,
  team: allTeams(),
  tier: SELLER_TIERS,
  region: REGIONS,
  channel: INTAKE_CHANNELS,
  sla: SLA_RISKS,
});
