import type { AuditEvent, StoredAuditEvent } from './case.ts';
import { addCounters, type Counters } from './metrics.ts';

/**
 * The weekly review (seed 000: "weekly reviews of the top delays and the most common escalation reasons"):
 * where the time to resolution went, the escalation reasons, the reopens, the transfers that bounced, the SLA
 * breaches by team and the template versions with the worst reopen rate or CSAT — per ISO week.
 *
 * One source, as for the scoreboard (metrics.ts): a case's part in every week's review is folded from its
 * audit events, in the transaction that appends them ({@link foldReviewCommit}, kept on the case item as
 * `review`), and {@link caseReview} recomputes it from the timeline. The table's stream then adds each
 * change's difference to the totals kept per week and figure row (weekly-review-fold.ts), so the review of
 * a week reads its rows, never its cases.
 *
 * What counts in which week (the ISO week of the event, UTC):
 * - time to resolution: each stretch of work — intake, or a reopen or an appeal, to the resolution that ends
 *   it — counts in the week of that resolution, split by phase and by the team that held the case;
 * - escalations, reopens, bounced transfers and SLA breaches: in the week they happened;
 * - a template version: the resolutions whose last email to the seller it was, in the resolution's week,
 *   and what came of them (a reopen, the seller's follow-up rating) in that same week, whenever it came.
 */

// ---------------------------------------------------------------------------------------------------------
// ISO weeks

/** `YYYY-Www`, e.g. `2026-W49`. */
export const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

const DAY_MS = 86_400_000;

/** The Monday 00:00 UTC of ISO week 1 of `year` (the week holding the year's first Thursday). */
const weekOneMonday = (year: number): number => {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return jan4 - weekday * DAY_MS;
};

/** How many ISO weeks `year` has (52, or 53 when it starts on a Thursday, or a leap year on a Wednesday). */
export const weeksInYear = (year: number): number =>
  Math.round((weekOneMonday(year + 1) - weekOneMonday(year)) / (7 * DAY_MS));

/** The ISO week an instant falls in (UTC). */
export const isoWeekOf = (at: string | number): string => {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  const day = new Date(ms);
  // The Thursday of the instant's week decides its ISO year.
  const weekday = (day.getUTCDay() + 6) % 7;
  const thursday =
    Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()) + (3 - weekday) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - weekOneMonday(year)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
};

/** The instants a week spans: from its Monday 00:00 UTC to the next Monday's. */
export const weekSpan = (week: string): { readonly from: string; readonly to: string } => {
  const [, year, number] = ISO_WEEK.exec(week) ?? [];
  const from = weekOneMonday(Number(year)) + (Number(number) - 1) * 7 * DAY_MS;
  return { from: new Date(from).toISOString(), to: new Date(from + 7 * DAY_MS).toISOString() };
};

/** Years a review can be asked for: SellerWorks keeps nothing older, and nothing is later. */
export const REVIEW_YEARS = { from: 2000, to: 2099 } as const;

/**
 * Why `week` cannot be reviewed (`undefined` when it can): not `YYYY-Www`, a week its year does not have,
 * a year out of range, or a week that has not begun at `now` (case time).
 */
export const implausibleWeek = (week: string, now: number): string | undefined => {
  const match = ISO_WEEK.exec(week);
  if (!match) return 'an ISO week, YYYY-Www (e.g. 2026-W49)';
  const year = Number(match[1]);
  const number = Number(match[2]);
  if (year < REVIEW_YEARS.from || year > REVIEW_YEARS.to)
    return `a year from ${REVIEW_YEARS.from} to ${REVIEW_YEARS.to}`;
  const weeks = weeksInYear(year);
  if (number < 1 || number > weeks) return `a week from 01 to ${weeks}: ${year} has ${weeks} ISO weeks`;
  if (Date.parse(weekSpan(week).from) > now)
    return `a week that has begun (${isoWeekOf(now)} is the current one)`;
  return undefined;
};

// ---------------------------------------------------------------------------------------------------------
// Phases: where a case's time goes between intake (or a re-entry) and its resolution

export const PHASES = [
  'triage',
  'processing',
  'awaiting_seller',
  'awaiting_buyer',
  'mediation',
  'queued',
  'with_agent',
  'escalated',
] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_LABELS: Readonly<Record<Phase, string>> = {
  triage: 'triage (intake to the first wait)',
  processing: "the workflow's own steps",
  awaiting_seller: "waiting on the seller's evidence",
  awaiting_buyer: "waiting on the buyer's evidence",
  mediation: "waiting on the seller's answer to a settlement offer",
  queued: 'queued for a team',
  with_agent: 'with an agent',
  escalated: 'with the team after an escalation',
};

/** Phases in which a team holds the case (its time counts for the team too). */
const TEAM_PHASES: ReadonlySet<Phase> = new Set(['queued', 'with_agent', 'escalated']);

/** Short measure names of a team row, by phase. */
const TEAM_MEASURE: Partial<Record<Phase, string>> = { queued: 'q', with_agent: 'a', escalated: 'e' };

// ---------------------------------------------------------------------------------------------------------
// A case's review: what it is doing now, and what it has added to each week

/**
 * The figure rows of a week's review. A row is `<figure>|<key>`, and each counter of a case's part is
 * `<figure>|<key>|<measure>`:
 * - `stretch|all`: `n` stretches resolved, `s` their seconds;
 * - `phase|<phase>`: `s` seconds, `n` stretches with time in it;
 * - `team|<team>`: `s` seconds the team held cases (`q` queued, `a` with an agent, `e` after an
 *   escalation), `n` stretches it held;
 * - `escalation|<reason>` (`sla_breach:<clock>` for a breached clock): `n`;
 * - `reopen|<family>` and `reopenReason|<family>/<reason>`: `n` reopens;
 * - `bounce|<from>><to>><next>`: `n` transfers into `<to>` that `<to>` passed on again (back, or onward);
 * - `breach|<team>`: `n` SLA breaches (first level) while the team owned the clock;
 * - `template|<id>@<version>`: `res` resolutions it ended, `reo` of them reopened, `csr` follow-up answers,
 *   `csn` ratings and `css` their sum, `nh` "not handled"; `n` bad outcomes (a reopen, "not handled", a
 *   rating of 1 or 2).
 * A row lists example cases: those whose `n` it counts (weekly-review-fold.ts).
 */
export const FIGURES = [
  'stretch',
  'phase',
  'team',
  'escalation',
  'reopen',
  'reopenReason',
  'bounce',
  'breach',
  'template',
] as const;
export type Figure = (typeof FIGURES)[number];

export interface CaseReview {
  readonly family: string;
  /** The intake's reason (a reopen counts by family and reason). */
  readonly reason: string;
  /** Where the case is now, since when (`resolved` and `failed` count no time). */
  readonly phase: Phase | 'resolved';
  readonly since: string;
  /** The team that owns the case (routing, then transfers). */
  readonly team?: string;
  /** Escalated since the stretch began: its time with the team counts as `escalated`. */
  readonly escalated?: boolean;
  /** The stretch under way: seconds by phase, and by `<team>/<phase>` while a team holds it. */
  readonly open: Counters;
  /** The last transfer of the stretch, to tell a bounce. */
  readonly lastTransfer?: { readonly from: string; readonly to: string };
  /** The template of the last email to the seller. */
  readonly lastTemplate?: string;
  /** The last resolution: its week and its last email's template, and whether a reopen came of it. */
  readonly resolution?: { readonly week: string; readonly template?: string; readonly reopened?: boolean };
  /**
   * What the case adds to each week's review. Folded over a whole timeline ({@link caseReview}) it is the
   * case's whole part; on the case item, only what the commit that made version `addedIn` added (a case
   * item stays small, and the stream adds each commit's part once: weekly-review-fold.ts).
   */
  readonly weeks: Readonly<Record<string, Counters>>;
  readonly addedIn?: number;
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

const seconds = (from: string, to: string) =>
  Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/** Adds `counters` (measure → n) to row `<figure>|<key>` of `week`. */
const add = (r: CaseReview, week: string, figure: Figure, key: string, counters: Counters): CaseReview => {
  const row = Object.fromEntries(Object.entries(counters).map(([m, n]) => [`${figure}|${key}|${m}`, n]));
  return { ...r, weeks: { ...r.weeks, [week]: addCounters(r.weeks[week] ?? {}, row) } };
};

/** The time since the last event added to the stretch under way, by phase and by team. */
const accrue = (r: CaseReview, at: string): CaseReview => {
  if (r.phase === 'resolved') return { ...r, since: at };
  const s = seconds(r.since, at);
  const held = TEAM_PHASES.has(r.phase) && r.team ? r.team : undefined;
  // A team that held the case counts as a holder of the stretch even for less than a second.
  const open = held ? { ...r.open, [`${held}/n`]: 1 } : r.open;
  const team = held ? { [`${held}/${r.phase}`]: s } : {};
  return { ...r, since: at, open: s === 0 ? open : addCounters(open, { [r.phase]: s, ...team }) };
};

/** The phase a team's wait is in: `escalated` once the stretch was escalated. */
const teamPhase = (r: CaseReview, phase: 'queued' | 'with_agent'): Phase =>
  r.escalated ? 'escalated' : phase;

const withPhase = (r: CaseReview, phase: Phase | 'resolved'): CaseReview => ({ ...r, phase });

const withTeam = (r: CaseReview, team: string | undefined): CaseReview => (team ? { ...r, team } : r);

/** A stretch resolved at `at`: its seconds by phase and team join the week's review. */
const closeStretch = (r: CaseReview, at: string): CaseReview => {
  const week = isoWeekOf(at);
  let next = r;
  let total = 0;
  const teams = new Map<string, Record<string, number>>();
  for (const [key, s] of Object.entries(r.open)) {
    const slash = key.indexOf('/');
    if (slash < 0) {
      total += s;
      next = add(next, week, 'phase', key, { s, n: 1 });
      continue;
    }
    const team = key.slice(0, slash);
    const sums = teams.get(team) ?? { s: 0, n: 1 };
    const measure = TEAM_MEASURE[key.slice(slash + 1) as Phase];
    teams.set(team, measure ? { ...sums, s: (sums.s ?? 0) + s, [measure]: (sums[measure] ?? 0) + s } : sums);
  }
  for (const [team, sums] of teams) next = add(next, week, 'team', team, sums);
  next = add(next, week, 'stretch', 'all', { n: 1, s: total });
  if (r.lastTemplate) next = add(next, week, 'template', r.lastTemplate, { res: 1 });
  const { lastTransfer: _, ...rest } = next;
  return {
    ...rest,
    phase: 'resolved',
    escalated: false,
    open: {},
    resolution: { week, ...(r.lastTemplate ? { template: r.lastTemplate } : {}) },
  };
};

/** A new stretch after a reopen or an appeal. */
const openStretch = (r: CaseReview): CaseReview => ({
  ...r,
  phase: 'processing',
  escalated: false,
  open: {},
});

/** The follow-up's answer (`csat.recorded`): counted for the template of the resolution it follows. */
const recordCsat = (r: CaseReview, event: AuditEvent, at: string): CaseReview => {
  const template = str(event.data?.template) ?? r.resolution?.template;
  if (!template) return r;
  const week = r.resolution?.week ?? isoWeekOf(at);
  const rating = event.data?.rating;
  const rated = typeof rating === 'number' && Number.isInteger(rating) && rating >= 1 && rating <= 5;
  const notHandled = event.data?.handled === false;
  return add(r, week, 'template', template, {
    csr: 1,
    ...(rated ? { csn: 1, css: rating } : {}),
    ...(notHandled ? { nh: 1 } : {}),
    ...(notHandled || (rated && rating <= 2) ? { n: 1 } : {}),
  });
};

/** Escalated: counted by reason, and the team's time from now on counts as `escalated`. */
const escalate = (r: CaseReview, reason: string, at: string): CaseReview => {
  const counted = add(r, isoWeekOf(at), 'escalation', reason, { n: 1 });
  const phase = TEAM_PHASES.has(r.phase as Phase) ? 'escalated' : r.phase;
  return { ...counted, escalated: true, phase };
};

/** One audit event's effect on a case's review; `undefined` before the case's intake. */
export const foldReview = (
  review: CaseReview | undefined,
  event: AuditEvent,
  at: string,
): CaseReview | undefined => {
  if (!review) {
    if (event.type !== 'case.received') return undefined;
    return {
      family: str(event.data?.family) ?? 'unknown',
      reason: str(event.data?.reason) ?? 'unknown',
      phase: 'triage',
      since: at,
      open: {},
      weeks: {},
    };
  }
  const r = accrue(review, at);
  const data = event.data ?? {};
  switch (event.type) {
    case 'case.routed':
      return withTeam(r, str(data.team));
    case 'evidence.requested':
      return withPhase(r, data.party === 'buyer' ? 'awaiting_buyer' : 'awaiting_seller');
    case 'evidence.received':
      return data.resumed === true && r.phase !== 'resolved' ? withPhase(r, 'processing') : r;
    case 'mediation.offered':
    case 'mediation.wait_resumed':
      return withPhase(r, 'mediation');
    case 'mediation.declined':
      return withPhase(r, 'processing');
    case 'case.handed_off':
    case 'appeal.handed_off':
      return withPhase(withTeam(r, str(data.team)), teamPhase(r, 'queued'));
    case 'case.assigned':
    case 'case.reassigned':
      return withPhase(r, teamPhase(r, 'with_agent'));
    case 'case.unassigned':
      return withPhase(r, teamPhase(r, 'queued'));
    case 'reply.sent':
      // The agent asked the seller for more: the request (evidence.requested) follows from the workflow.
      return data.asked !== undefined ? withPhase(r, 'processing') : r;
    case 'case.transferred': {
      const from = str(data.from);
      const to = str(data.to);
      if (!from || !to) return r;
      const last = r.lastTransfer;
      const bounced =
        last && last.to === from
          ? add(r, isoWeekOf(at), 'bounce', `${last.from}>${last.to}>${to}`, { n: 1 })
          : r;
      return { ...bounced, team: to, lastTransfer: { from, to }, phase: teamPhase(r, 'queued') };
    }
    case 'case.escalated': {
      const escalated = escalate(r, str(data.reason) ?? 'unknown', at);
      // The evidence cap: the workflow goes on to the team with what it has.
      return data.reason === 'evidence_timeout' ? withPhase(escalated, 'processing') : escalated;
    }
    case 'sla.breached': {
      const clock = str((data.target as Record<string, unknown> | undefined)?.clock) ?? 'unknown';
      const escalated = escalate(r, `sla_breach:${clock}`, at);
      const team = str(data.team);
      return data.level === 1 && team ? add(escalated, isoWeekOf(at), 'breach', team, { n: 1 }) : escalated;
    }
    case 'message.sent': {
      const template = str(data.template);
      return (data.audience ?? 'seller') === 'seller' && template ? { ...r, lastTemplate: template } : r;
    }
    case 'case.resolved':
      return closeStretch(r, at);
    case 'case.reopened': {
      const week = isoWeekOf(at);
      let next = add(r, week, 'reopen', r.family, { n: 1 });
      next = add(next, week, 'reopenReason', `${r.family}/${r.reason}`, { n: 1 });
      const resolution = r.resolution;
      if (resolution?.template && !resolution.reopened)
        next = add(next, resolution.week, 'template', resolution.template, { reo: 1, n: 1 });
      return openStretch({
        ...next,
        ...(resolution ? { resolution: { ...resolution, reopened: true } } : {}),
      });
    }
    case 'case.appealed':
      return openStretch(r);
    case 'csat.recorded':
      return recordCsat(r, event, at);
    default:
      return r;
  }
};

/**
 * The review a commit stores: the events appended together at `at` folded into the case's review, its
 * `weeks` holding what they added (nothing from earlier commits), marked with the commit's `version`.
 * `undefined` for a case without one (opened before reviews were kept): it never gets one halfway.
 */
export const foldReviewCommit = (
  review: CaseReview | undefined,
  events: readonly AuditEvent[],
  at: string,
  version: number,
): CaseReview | undefined => {
  if (!review || events.length === 0) return review;
  const next = events.reduce<CaseReview | undefined>((r, e) => foldReview(r, e, at), {
    ...review,
    weeks: {},
  });
  return next && { ...next, addedIn: version };
};

/** The review a new case is stored with: its intake event folded, at version `version`. */
export const startReview = (event: AuditEvent, at: string, version: number): CaseReview | undefined => {
  const review = foldReview(undefined, event, at);
  return review && { ...review, addedIn: version };
};

/** A case's review recomputed from its whole timeline, oldest first. */
export const caseReview = (events: readonly StoredAuditEvent[]): CaseReview | undefined =>
  [...events]
    .sort((a, b) => a.version - b.version)
    .reduce<CaseReview | undefined>((r, e) => foldReview(r, e, e.at), undefined);

// ---------------------------------------------------------------------------------------------------------
// Rows: a case's part by week and row, the difference a change makes, and totals over cases

/** One row of one week: its counters by measure. */
export interface ReviewRow {
  readonly week: string;
  /** `<figure>|<key>`. */
  readonly row: string;
  readonly counters: Counters;
}

/** A week's counters split into rows (`<figure>|<key>|<measure>` → row and measure). */
export const rowsOf = (week: string, counters: Counters): ReviewRow[] => {
  const rows = new Map<string, Record<string, number>>();
  for (const [key, n] of Object.entries(counters)) {
    const cut = key.lastIndexOf('|');
    const row = key.slice(0, cut);
    rows.set(row, { ...rows.get(row), [key.slice(cut + 1)]: n });
  }
  return [...rows].map(([row, c]) => ({ week, row, counters: c }));
};

/**
 * What the commit that made `version` added to the weekly rows (the case item keeps only the last commit's
 * part, {@link CaseReview.weeks}, marked with its version: a commit that changed nothing of the review — an
 * alarm moved — leaves an older part there, which adds nothing again). Each row says whether the case joins
 * its examples (its `n` grew).
 */
export const reviewAdded = (
  review: Pick<CaseReview, 'weeks' | 'addedIn'>,
  version: number,
): (ReviewRow & { readonly example: boolean })[] =>
  review.addedIn !== version
    ? []
    : Object.entries(review.weeks).flatMap(([week, counters]) =>
        rowsOf(week, counters).map((r) => ({ ...r, example: (r.counters.n ?? 0) > 0 })),
      );

/** Totals per week and row over whole cases, each with the cases its `n` counts: what the kept rows equal. */
export const reviewTotalsOf = (
  cases: readonly { readonly caseId: string; readonly review: Pick<CaseReview, 'weeks'> }[],
  week: string,
): Map<string, { counters: Counters; cases: string[] }> => {
  const totals = new Map<string, { counters: Counters; cases: string[] }>();
  for (const { caseId, review } of cases)
    for (const { row, counters } of rowsOf(week, review.weeks[week] ?? {})) {
      const sum = totals.get(row) ?? { counters: {}, cases: [] };
      totals.set(row, {
        counters: addCounters(sum.counters, counters),
        cases: (counters.n ?? 0) > 0 ? [...sum.cases, caseId] : sum.cases,
      });
    }
  return totals;
};

// ---------------------------------------------------------------------------------------------------------
// The review of a week, read off its rows

/** How many example cases a figure lists. */
export const EXAMPLE_CASES = 10;
/** How many lines a ranked figure lists (the worst templates, the most common reasons, …). */
export const TOP_LINES = 10;

export interface KeptRow {
  readonly counters: Counters;
  /** Example case ids (any number: the review keeps the first {@link EXAMPLE_CASES}, sorted). */
  readonly cases: readonly string[];
}

const HOUR = 3600;
const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;
/** Hours to four places: a second is 0.0003 h, so short stretches (a fast case, a test) still show. */
const inHours = (seconds: number) => round(seconds / HOUR, 4);
const shareOf = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));
const examples = (row: KeptRow) => [...new Set(row.cases)].sort().slice(0, EXAMPLE_CASES);

const linesOf = (rows: ReadonlyMap<string, KeptRow>, figure: Figure) =>
  [...rows]
    .filter(([row]) => row.startsWith(`${figure}|`))
    .map(([row, kept]) => ({ key: row.slice(figure.length + 1), kept, c: kept.counters }));

const byCount = <T extends { count: number; key: string }>(a: T, b: T) =>
  b.count - a.count || a.key.localeCompare(b.key);

/** The weekly review as `GET /ops/reviews/weekly` answers it, from the week's rows. */
export const weeklyReviewOf = (week: string, rows: ReadonlyMap<string, KeptRow>) => {
  const stretch = rows.get('stretch|all')?.counters ?? {};
  const totalSeconds = stretch.s ?? 0;
  const phases = linesOf(rows, 'phase')
    .map(({ key, kept, c }) => ({
      phase: key,
      label: PHASE_LABELS[key as Phase] ?? key,
      hours: inHours(c.s ?? 0),
      share: shareOf(c.s ?? 0, totalSeconds),
      stretches: c.n ?? 0,
      cases: examples(kept),
    }))
    .sort((a, b) => b.hours - a.hours || a.phase.localeCompare(b.phase));
  const teams = linesOf(rows, 'team')
    .map(({ key, kept, c }) => ({
      team: key,
      hours: inHours(c.s ?? 0),
      share: shareOf(c.s ?? 0, totalSeconds),
      queuedHours: inHours(c.q ?? 0),
      withAgentHours: inHours(c.a ?? 0),
      escalatedHours: inHours(c.e ?? 0),
      stretches: c.n ?? 0,
      cases: examples(kept),
    }))
    .sort((a, b) => b.hours - a.hours || a.team.localeCompare(b.team));
  const counted = (figure: Figure) =>
    linesOf(rows, figure)
      .map(({ key, kept, c }) => ({ key, count: c.n ?? 0, cases: examples(kept) }))
      .filter((l) => l.count > 0)
      .sort(byCount);
  const escalations = counted('escalation');
  const templates = linesOf(rows, 'template').map(({ key, kept, c }) => {
    const resolved = c.res ?? 0;
    const reopened = c.reo ?? 0;
    const ratings = c.csn ?? 0;
    return {
      template: key,
      resolved,
      reopened,
      reopenRate: shareOf(reopened, resolved),
      csat: {
        responses: c.csr ?? 0,
        ratings,
        meanRating: ratings === 0 ? null : round((c.css ?? 0) / ratings),
        notHandled: c.nh ?? 0,
      },
      cases: examples(kept),
    };
  });
  return {
    week,
    ...weekSpan(week),
    timeToResolution: {
      stretches: stretch.n ?? 0,
      hours: inHours(totalSeconds),
      meanHours: (stretch.n ?? 0) === 0 ? null : inHours(totalSeconds / (stretch.n ?? 1)),
      phases,
      teams: teams.slice(0, TOP_LINES * 2),
    },
    escalationReasons: escalations.map(({ key, count, cases }) => ({ reason: key, count, cases })),
    reopens: {
      total: counted('reopen').reduce((n, l) => n + l.count, 0),
      families: counted('reopen')
        .slice(0, TOP_LINES)
        .map(({ key, count, cases }) => ({ family: key, count, cases })),
      reasons: counted('reopenReason')
        .slice(0, TOP_LINES)
        .map(({ key, count, cases }) => {
          const [family = key, reason = ''] = key.split('/');
          return { family, reason, count, cases };
        }),
    },
    bouncedTransfers: counted('bounce')
      .slice(0, TOP_LINES)
      .map(({ key, count, cases }) => {
        const path = key.split('>');
        return { path, kind: path[0] === path[2] ? ('back' as const) : ('onward' as const), count, cases };
      }),
    slaBreaches: counted('breach').map(({ key, count, cases }) => ({ team: key, count, cases })),
    templates: {
      worstReopenRate: templates
        .filter((t) => t.resolved > 0 && t.reopened > 0)
        .sort(
          (a, b) =>
            (b.reopenRate ?? 0) - (a.reopenRate ?? 0) ||
            b.reopened - a.reopened ||
            a.template.localeCompare(b.template),
        )
        .slice(0, TOP_LINES),
      worstCsat: templates
        .filter((t) => t.csat.responses > 0)
        .sort(
          (a, b) =>
            (a.csat.meanRating ?? 6) - (b.csat.meanRating ?? 6) ||
            b.csat.notHandled - a.csat.notHandled ||
            a.template.localeCompare(b.template),
        )
        .slice(0, TOP_LINES),
    },
    examplesPerFigure: EXAMPLE_CASES,
  };
};

export type WeeklyReview = ReturnType<typeof weeklyReviewOf>;
