import { SELLER_TEMPLATE_REFS, TEAMS } from '#policy/families.ts';
import { REGIONS, SELLER_TIERS } from '#policy/family-policy.ts';
import { INTAKE_CHANNELS } from '#policy/intake-fields.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';
import type { AuditEvent, StoredAuditEvent } from './case.ts';

/**
 * The support scoreboard (seed 000, §6): time to resolution, first-response time, reopen rate, transfer
 * count, escalation rate and the share of cases solved without a manual touch. One source: every figure is
 * folded from a case's audit events. The fold runs in the same transaction that appends the events (so the
 * case item carries its figures, and a console over 10,000 cases reads 10,000 items, not every event), and
 * `caseMetrics` recomputes it from the timeline, which a test holds equal to what was stored.
 */
export interface CaseMetrics {
  readonly receivedAt: string;
  /** The first email to the seller (an acknowledgement or an evidence request). */
  readonly firstResponseAt?: string;
  /** The first resolution; a reopened or appealed case keeps it (time to resolution is the seller's first wait). */
  readonly resolvedAt?: string;
  readonly resolutions: number;
  readonly reopens: number;
  readonly appeals: number;
  readonly transfers: number;
  readonly escalations: number;
  /** Events a person on a team caused: decisions, transfers, appeal decisions. */
  readonly manualTouches: number;
  /**
   * SLA breaches by the team that owned the clock when it breached (its first escalation level; the next
   * levels escalate the same breach). Absent until the first: figures kept before this was folded have none.
   */
  readonly slaBreaches?: Readonly<Record<string, number>>;
  /**
   * Who held the case and what came of it, folded from its assignment events. Figures kept before this was
   * folded have none: their holders cannot be known, so such a case counts in no team or assignee segment
   * (and the scoreboard never subtracts there what it never added).
   */
  readonly holding?: CaseHolding;
  /**
   * The templates of the seller's emails, for the template segment: the last one sent, and the last one
   * before the latest resolution. Absent on figures kept before it was folded: such a case counts in no
   * template segment.
   */
  readonly templates?: SellerTemplates;
  /** The seller's answers to follow-ups (`csat.recorded`): absent until the first. */
  readonly csat?: Csat;
}

export interface SellerTemplates {
  readonly last?: string;
  readonly resolved?: string;
}

/** Follow-up answers summed: how many, how many said handled, and each rating given (1–5). */
export interface Csat {
  readonly responses: number;
  readonly handled: number;
  readonly ratings: readonly number[];
}

/** The agents a case went through: who holds it now, who held it when decided, and each one's part. */
export interface CaseHolding {
  /** The agent holding the case now, since the commit that gave it to them. */
  readonly holder?: { readonly agentId: string; readonly since: string };
  /** The agent who held it when it was last decided (absent when nobody held it then). */
  readonly decidedHolder?: string;
  /** One entry per agent who held it, in the order they first got it. */
  readonly work: readonly AgentWork[];
}

/** One agent's part in one case. */
export interface AgentWork {
  readonly agentId: string;
  /** Seconds from getting the case to each decision recorded while they held it. */
  readonly handleSeconds: readonly number[];
  /** Times it was taken from them: reassigned to another agent, or back to the queue (away, or silent). */
  readonly takenAway: number;
  /** Follow-up answers about the resolutions they decided (they held the case when it was decided). */
  readonly csat?: Csat;
}

const HOUR_MS = 3_600_000;

const startMetrics = (receivedAt: string): CaseMetrics => ({
  receivedAt,
  resolutions: 0,
  reopens: 0,
  appeals: 0,
  transfers: 0,
  escalations: 0,
  manualTouches: 0,
  holding: { work: [] },
  templates: {},
});

const addAnswer = (c: Csat | undefined, handled: boolean, rating: number | undefined): Csat => ({
  responses: (c?.responses ?? 0) + 1,
  handled: (c?.handled ?? 0) + (handled ? 1 : 0),
  ratings: rating === undefined ? (c?.ratings ?? []) : [...(c?.ratings ?? []), rating],
});

/** A follow-up answer's facts, as `csat.recorded` carries them (the comment never does). */
const answerIn = (event: AuditEvent): { handled: boolean; rating?: number } | undefined => {
  if (event.type !== 'csat.recorded' || typeof event.data?.handled !== 'boolean') return undefined;
  const rating = event.data.rating;
  const valid = typeof rating === 'number' && Number.isInteger(rating) && rating >= 1 && rating <= 5;
  return { handled: event.data.handled, ...(valid ? { rating } : {}) };
};

const isSellerMessage = (event: AuditEvent) =>
  event.type === 'message.sent' && (event.data?.audience ?? 'seller') === 'seller';

/** The figures of the seed's scoreboard that one audit event moves. */
const foldFigures = (m: CaseMetrics, event: AuditEvent, at: string): CaseMetrics => {
  const touched = event.actor.kind === 'ops' ? { manualTouches: m.manualTouches + 1 } : {};
  switch (event.type) {
    case 'message.sent': {
      if (!isSellerMessage(event)) return m;
      const template = event.data?.template;
      const templates =
        m.templates && typeof template === 'string' ? { templates: { ...m.templates, last: template } } : {};
      return { ...m, ...touched, ...templates, ...(m.firstResponseAt ? {} : { firstResponseAt: at }) };
    }
    case 'case.resolved': {
      // The template segment: the last email the seller had when the case was resolved (its resolution).
      const templates =
        m.templates?.last !== undefined ? { templates: { ...m.templates, resolved: m.templates.last } } : {};
      return {
        ...m,
        ...touched,
        ...templates,
        resolutions: m.resolutions + 1,
        resolvedAt: m.resolvedAt ?? at,
      };
    }
    case 'csat.recorded': {
      const answer = answerIn(event);
      return answer ? { ...m, ...touched, csat: addAnswer(m.csat, answer.handled, answer.rating) } : m;
    }
    case 'case.reopened':
      return { ...m, ...touched, reopens: m.reopens + 1 };
    case 'case.appealed':
      return { ...m, ...touched, appeals: m.appeals + 1 };
    case 'case.transferred':
      return { ...m, ...touched, transfers: m.transfers + 1 };
    case 'case.escalated':
      return { ...m, ...touched, escalations: m.escalations + 1 };
    case 'sla.breached': {
      const team = event.data?.team;
      if (typeof team !== 'string' || team === '' || event.data?.level !== 1) return { ...m, ...touched };
      const slaBreaches = { ...m.slaBreaches, [team]: (m.slaBreaches?.[team] ?? 0) + 1 };
      return { ...m, ...touched, slaBreaches };
    }
    default:
      return { ...m, ...touched };
  }
};

/** The events that record a decision (the Resolve step writes one, and frees the case's agent with it). */
const DECISIONS: ReadonlySet<string> = new Set(['case.decided', 'appeal.decided', 'mediation.accepted']);

const agentIdIn = (event: AuditEvent): string | undefined => {
  const id = event.data?.agentId;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
};

const withoutHolder = ({ holder: _, ...rest }: CaseHolding): CaseHolding => rest;

/** The holding with `agentId`'s entry changed (created first if they have none). */
const changeWork = (h: CaseHolding, agentId: string, change: (w: AgentWork) => AgentWork): CaseHolding => {
  const known = h.work.some((w) => w.agentId === agentId);
  const work = known ? h.work : [...h.work, { agentId, handleSeconds: [], takenAway: 0 }];
  return { ...h, work: work.map((w) => (w.agentId === agentId ? change(w) : w)) };
};

/**
 * Who holds the case after one audit event. The assignment module records every move of a case's agent
 * (assigned, reassigned, back to the queue) with an event, and a transfer, a request to the seller for more
 * or a decision frees the agent in the commit that records it: so the holder folded here is the case's `assignee`, recomputable from the
 * timeline like every other figure.
 */
const foldHolding = (h: CaseHolding, event: AuditEvent, at: string): CaseHolding => {
  const holder = h.holder?.agentId;
  if (event.type === 'case.assigned' || event.type === 'case.reassigned') {
    const agentId = agentIdIn(event);
    if (!agentId || agentId === holder) return h;
    const taken = holder ? changeWork(h, holder, (w) => ({ ...w, takenAway: w.takenAway + 1 })) : h;
    return { ...changeWork(taken, agentId, (w) => w), holder: { agentId, since: at } };
  }
  if (event.type === 'case.unassigned' && holder)
    return withoutHolder(changeWork(h, holder, (w) => ({ ...w, takenAway: w.takenAway + 1 })));
  // A transfer is the team passing the case on, not the case taken from its agent; nor is the agent's own
  // request to the seller for more, which frees them until the answer brings the case back (replies.ts).
  if (event.type === 'case.transferred' && holder) return withoutHolder(h);
  if (event.type === 'reply.sent' && event.data?.asked !== undefined && holder) return withoutHolder(h);
  const answer = answerIn(event);
  if (answer && h.decidedHolder)
    return changeWork(h, h.decidedHolder, (w) => ({
      ...w,
      csat: addAnswer(w.csat, answer.handled, answer.rating),
    }));
  if (DECISIONS.has(event.type)) {
    const { decidedHolder: _, ...rest } = withoutHolder(h);
    if (!h.holder) return rest;
    const seconds = Math.round((Date.parse(at) - Date.parse(h.holder.since)) / 1000);
    const handled = changeWork(rest, h.holder.agentId, (w) => ({
      ...w,
      handleSeconds: [...w.handleSeconds, seconds],
    }));
    return { ...handled, decidedHolder: h.holder.agentId };
  }
  return h;
};

/** One audit event's effect on a case's figures. */
export const foldMetrics = (metrics: CaseMetrics | undefined, event: AuditEvent, at: string): CaseMetrics => {
  const m = metrics ?? startMetrics(at);
  const figures = foldFigures(m, event, at);
  if (!m.holding) return figures;
  const holding = foldHolding(m.holding, event, at);
  return holding === m.holding ? figures : { ...figures, holding };
};

/** Folds events appended together at `at` (one commit). */
export const foldCommit = (
  metrics: CaseMetrics | undefined,
  events: readonly AuditEvent[],
  at: string,
): CaseMetrics | undefined =>
  events.reduce<CaseMetrics | undefined>((m, e) => foldMetrics(m, e, at), metrics);

/** A case's figures recomputed from its whole timeline, oldest first. */
export const caseMetrics = (events: readonly StoredAuditEvent[]): CaseMetrics | undefined =>
  [...events]
    .sort((a, b) => a.version - b.version)
    .reduce<CaseMetrics | undefined>((m, e) => foldMetrics(m, e, e.at), undefined);

/** Hours from intake to the first response / the first resolution, while they are known. */
export const firstResponseHours = (m: CaseMetrics) =>
  m.firstResponseAt ? (Date.parse(m.firstResponseAt) - Date.parse(m.receivedAt)) / HOUR_MS : undefined;
export const resolutionHours = (m: CaseMetrics) =>
  m.resolvedAt ? (Date.parse(m.resolvedAt) - Date.parse(m.receivedAt)) / HOUR_MS : undefined;

/** Solved without a manual touch: resolved, and no person on a team had to act (policy or mediation). */
export const solvedWithoutTouch = (m: CaseMetrics) => m.resolutions > 0 && m.manualTouches === 0;

// ---------------------------------------------------------------------------------------------------------
// Segments: the seed asks for every figure by issue type, seller tier and channel (and region, where policy
// differs), because an average hides who waits longest; issue 14 adds the team that owns a case and the
// agent who holds it. Family, tier, channel and region never change; team and assignee do, so a change
// can move a case's counters from one segment to another.

export const SEGMENT_DIMENSIONS = [
  'family',
  'sellerTier',
  'channel',
  'region',
  'team',
  'assignee',
  'template',
] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

/** The team segment of a case not routed yet. */
export const UNROUTED = 'unrouted';
/** The assignee segment of a case nobody holds, and none held when it was last decided. */
export const UNASSIGNED = 'unassigned';

/** The template segment of a case the seller has had no email on yet. */
export const NO_TEMPLATE = 'none';

/**
 * The template a case counts for (`id@version`): that of the last email the seller had before its latest
 * resolution (for a resolved case, its resolution message), else the last one so far; undefined for
 * figures kept before templates were folded.
 */
export const templateSegmentOf = (m: CaseMetrics | undefined): string | undefined =>
  m?.templates ? (m.templates.resolved ?? m.templates.last ?? NO_TEMPLATE) : undefined;

/** What the scoreboard needs of a case: its segment values and its figures. */
export interface MetricsRow {
  readonly family: string;
  readonly sellerTier: string;
  readonly channel: string;
  readonly region: string;
  /** The team that owns the case now (`routing.team`: a transfer changes it); none until routed. */
  readonly team?: string | undefined;
  readonly metrics: CaseMetrics;
}

/** The agent a case counts for: who holds it now; else who held it when it was last decided. */
export const assigneeOf = (holding: CaseHolding): string =>
  holding.holder?.agentId ?? holding.decidedHolder ?? UNASSIGNED;

export interface Distribution {
  readonly count: number;
  readonly medianHours: number | null;
  readonly p90Hours: number | null;
  readonly meanHours: number | null;
}

export interface SegmentFigures {
  readonly segment: string;
  readonly cases: number;
  readonly resolved: number;
  readonly timeToResolution: Distribution;
  readonly firstResponse: Distribution;
  /** Resolved cases the seller reopened, over resolved cases. */
  readonly reopenRate: number | null;
  /** Transfers per case, and the share of cases transferred at least once. */
  readonly transfersPerCase: number | null;
  readonly transferredShare: number | null;
  /** Cases escalated at least once, over all cases. */
  readonly escalationRate: number | null;
  /** Resolved cases no person on a team had to act on, over resolved cases. */
  readonly solvedWithoutTouchShare: number | null;
  readonly manualTouchesPerResolved: number | null;
  /** Follow-up answers of the segment's cases (seed 000: seller sentiment after resolution). */
  readonly csat: CsatFigures;
  /** On an assignee segment: what the agent did (over every case they held, wherever it counts now). */
  readonly agent?: AgentFigures;
}

/** Follow-up answers: how many, the share that said handled, the mean rating and how many gave each. */
export interface CsatFigures {
  readonly responses: number;
  readonly handledShare: number | null;
  readonly rated: number;
  readonly meanRating: number | null;
  /** Answers per rating, 1 to 5. */
  readonly ratings: readonly [number, number, number, number, number];
}

/** One agent's work: decisions while they held the case, how long they took, cases taken from them. */
export interface AgentFigures {
  /** Decisions recorded while they held the case (theirs, or a supervisor's on their case). */
  readonly handled: number;
  /** From getting the case to its decision, over the cases they handled. */
  readonly medianHandleHours: number | null;
  /** Times a case was taken from them: reassigned, or back to the queue when away or silent. */
  readonly reassignedAway: number;
  /** Follow-up answers about the resolutions they decided. */
  readonly csat: CsatFigures;
}

/**
 * A segment's figures as sums that add up across cases: each case contributes its counters
 * ({@link caseCounters}), a change adds the difference of its case's counters before and after, and the
 * figures are read off the sums ({@link figuresOf}). So the scoreboard pre-aggregated per segment and day
 * (case-store.ts, folded from the table's stream) and one recomputed over the cases themselves are the
 * same arithmetic, and a test holds them equal.
 *
 * Durations are whole seconds (sums stay exact) and their distributions a histogram of log-spaced buckets,
 * each 5 % wider than the last: a median or p90 is the middle of its bucket, within 2.5 % of the exact
 * figure, and a segment's histogram stays a few hundred numbers however many cases it holds.
 */
export type Counters = Readonly<Record<string, number>>;

const HISTOGRAM_GROWTH = 1.05;
/** Bucket numbers start here so that they stay positive down to a tenth of a second. */
const BUCKET_OFFSET = 60;
const bucketOf = (seconds: number) =>
  seconds <= 0 ? 0 : Math.max(1, Math.floor(Math.log(seconds) / Math.log(HISTOGRAM_GROWTH)) + BUCKET_OFFSET);
/** The middle of a bucket (geometric), in hours. */
const bucketHours = (bucket: number) =>
  bucket === 0 ? 0 : HISTOGRAM_GROWTH ** (bucket - BUCKET_OFFSET + 0.5) / 3600;

type DurationName = 'ttr' | 'frt' | 'hdl';

const durationCounters = (name: DurationName, seconds: number | undefined): Record<string, number> =>
  seconds === undefined
    ? {}
    : { [`${name}N`]: 1, [`${name}S`]: seconds, [`${name}_${bucketOf(seconds)}`]: 1 };

const wholeSeconds = (from: string, to: string | undefined) =>
  to === undefined ? undefined : Math.round((Date.parse(to) - Date.parse(from)) / 1000);

/** A follow-up tally as counters under `prefix`: answers, handled, rated, rating sum, one per rating. */
const csatCounters = (prefix: string, c: Csat | undefined): Record<string, number> => {
  if (!c) return {};
  const out: Record<string, number> = {
    [`${prefix}N`]: c.responses,
    [`${prefix}H`]: c.handled,
    [`${prefix}R`]: c.ratings.length,
    [`${prefix}S`]: c.ratings.reduce((a, b) => a + b, 0),
  };
  for (const r of c.ratings) out[`${prefix}_${r}`] = (out[`${prefix}_${r}`] ?? 0) + 1;
  return out;
};

const csatFiguresOf = (c: Counters, prefix: string): CsatFigures => {
  const responses = c[`${prefix}N`] ?? 0;
  const rated = c[`${prefix}R`] ?? 0;
  return {
    responses,
    handledShare: responses === 0 ? null : Math.round(((c[`${prefix}H`] ?? 0) / responses) * 10_000) / 10_000,
    rated,
    meanRating: rated === 0 ? null : Math.round(((c[`${prefix}S`] ?? 0) / rated) * 100) / 100,
    ratings: [1, 2, 3, 4, 5].map((r) => c[`${prefix}_${r}`] ?? 0) as unknown as CsatFigures['ratings'],
  };
};

/** One case's counters: what it adds to each segment it belongs to. Zeros are left out. */
export const caseCounters = (m: CaseMetrics): Counters => {
  const resolved = m.resolutions > 0;
  const all: Record<string, number> = {
    cases: 1,
    resolved: resolved ? 1 : 0,
    reopened: resolved && m.reopens > 0 ? 1 : 0,
    transfers: m.transfers,
    transferred: m.transfers > 0 ? 1 : 0,
    escalated: m.escalations > 0 ? 1 : 0,
    untouched: solvedWithoutTouch(m) ? 1 : 0,
    touches: resolved ? m.manualTouches : 0,
    ...durationCounters('ttr', wholeSeconds(m.receivedAt, m.resolvedAt)),
    ...durationCounters('frt', wholeSeconds(m.receivedAt, m.firstResponseAt)),
    ...csatCounters('csat', m.csat),
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== 0));
};

/** `a + sign × b`, counter by counter; zeros are left out. */
export const addCounters = (a: Counters, b: Counters, sign: 1 | -1 = 1): Counters => {
  const sum: Record<string, number> = { ...a };
  for (const [key, value] of Object.entries(b)) sum[key] = (sum[key] ?? 0) + sign * value;
  return Object.fromEntries(Object.entries(sum).filter(([, v]) => v !== 0));
};

/** What one agent's part in a case adds to their assignee segment: handle times and cases taken away. */
const workCounters = (work: AgentWork): Counters =>
  work.handleSeconds.reduce<Counters>(
    (c, seconds) => addCounters(c, durationCounters('hdl', seconds)),
    addCounters(work.takenAway > 0 ? { away: work.takenAway } : {}, csatCounters('acsat', work.csat)),
  );

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;

const share = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));

const distributionOf = (c: Counters, name: DurationName): Distribution => {
  const count = c[`${name}N`] ?? 0;
  if (count <= 0) return { count: 0, medianHours: null, p90Hours: null, meanHours: null };
  const prefix = `${name}_`;
  const buckets = Object.entries(c)
    .filter(([key, n]) => key.startsWith(prefix) && n > 0)
    .map(([key, n]) => [Number(key.slice(prefix.length)), n] as const)
    .sort((x, y) => x[0] - y[0]);
  // Nearest rank: the bucket holding the ceil(p × count)-th value.
  const at = (p: number) => {
    const rank = Math.min(count, Math.max(1, Math.ceil(p * count)));
    let seen = 0;
    for (const [bucket, n] of buckets) {
      seen += n;
      if (seen >= rank) return round(bucketHours(bucket));
    }
    return round(bucketHours(buckets.at(-1)?.[0] ?? 0));
  };
  return {
    count,
    medianHours: at(0.5),
    p90Hours: at(0.9),
    meanHours: round((c[`${name}S`] ?? 0) / count / 3600),
  };
};

/** A segment's figures, read off its counters. */
export const figuresOf = (segment: string, c: Counters): SegmentFigures => {
  const cases = c.cases ?? 0;
  const resolved = c.resolved ?? 0;
  return {
    segment,
    cases,
    resolved,
    timeToResolution: distributionOf(c, 'ttr'),
    firstResponse: distributionOf(c, 'frt'),
    reopenRate: share(c.reopened ?? 0, resolved),
    transfersPerCase: cases === 0 ? null : round((c.transfers ?? 0) / cases),
    transferredShare: share(c.transferred ?? 0, cases),
    escalationRate: share(c.escalated ?? 0, cases),
    solvedWithoutTouchShare: share(c.untouched ?? 0, resolved),
    manualTouchesPerResolved: resolved === 0 ? null : round((c.touches ?? 0) / resolved),
    csat: csatFiguresOf(c, 'csat'),
  };
};

/** An agent's figures, read off their assignee segment's counters. */
export const agentFiguresOf = (c: Counters): AgentFigures => ({
  handled: c.hdlN ?? 0,
  medianHandleHours: distributionOf(c, 'hdl').medianHours,
  reassignedAway: c.away ?? 0,
  csat: csatFiguresOf(c, 'acsat'),
});

/** Durations in hours as the scoreboard reports them (whole seconds, in the histogram's buckets). */
export const distribution = (hours: readonly number[]): Distribution =>
  distributionOf(
    hours.reduce<Counters>((c, h) => addCounters(c, durationCounters('ttr', Math.round(h * 3600))), {}),
    'ttr',
  );

export const segmentFigures = (segment: string, rows: readonly MetricsRow[]): SegmentFigures =>
  figuresOf(
    segment,
    rows.reduce<Counters>((sum, row) => addCounters(sum, caseCounters(row.metrics)), {}),
  );

/** The segments whose values never change: `all`, and each value of family, seller tier, channel and region. */
const STATIC_SEGMENTS: readonly string[] = [
  'all',
  ...FAMILY_IDS.map((v) => `family=${v}`),
  ...SELLER_TIERS.map((v) => `sellerTier=${v}`),
  ...INTAKE_CHANNELS.map((v) => `channel=${v}`),
  ...REGIONS.map((v) => `region=${v}`),
];

/**
 * Every segment the scoreboard can show. Teams are bounded by policy (every family's routing rules), agents
 * by the rosters (`agentIds`, read by the caller: a few items a team), never by the cases; `unrouted` and
 * `unassigned` hold the cases without either.
 */
export const scoreboardSegments = (agentIds: readonly string[]): string[] => [
  ...STATIC_SEGMENTS,
  ...[...TEAMS, UNROUTED].map((v) => `team=${v}`),
  ...[...new Set(agentIds)].sort().map((v) => `assignee=${v}`),
  `assignee=${UNASSIGNED}`,
  // Bounded by policy too: every seller-facing template version the families hold.
  ...[...SELLER_TEMPLATE_REFS, NO_TEMPLATE].map((v) => `template=${v}`),
];

/**
 * The segments a case belongs to: `all`, and one per dimension (`family=payout-hold`, …). Team and
 * assignee only for figures that fold who holds the case (see {@link CaseMetrics.holding}).
 */
export const segmentsOf = (row: MetricsRow): string[] => {
  const { holding } = row.metrics;
  const values: (readonly [SegmentDimension, string])[] = [
    ['family', row.family],
    ['sellerTier', row.sellerTier],
    ['channel', row.channel],
    ['region', row.region],
  ];
  if (holding) values.push(['team', row.team ?? UNROUTED], ['assignee', assigneeOf(holding)]);
  const template = templateSegmentOf(row.metrics);
  if (template) values.push(['template', template]);
  return ['all', ...values.map(([by, value]) => `${by}=${value}`)];
};

/**
 * What a case adds to each segment: its counters to every segment it belongs to, and each agent who held
 * it their part (handle times, cases taken from them) on their own assignee segment — whether or not the
 * case counts there now. The scoreboard's totals are the sum of these over every case.
 */
export const contributionsOf = (row: MetricsRow): ReadonlyMap<string, Counters> => {
  const counters = caseCounters(row.metrics);
  const out = new Map<string, Counters>(segmentsOf(row).map((segment) => [segment, counters]));
  for (const work of row.metrics.holding?.work ?? []) {
    const segment = `assignee=${work.agentId}`;
    out.set(segment, addCounters(out.get(segment) ?? {}, workCounters(work)));
  }
  return out;
};

/**
 * What one change adds to each segment: the case's contributions after it less those before, segment by
 * segment, so a case whose team or agent changed leaves its old segment and joins the new one in the same
 * fold. Only segments that change are listed.
 */
export const contributionChange = (
  after: MetricsRow,
  before: MetricsRow | undefined,
): { readonly segment: string; readonly counters: Counters }[] => {
  const sums = new Map(contributionsOf(after));
  for (const [segment, counters] of before ? contributionsOf(before) : [])
    sums.set(segment, addCounters(sums.get(segment) ?? {}, counters, -1));
  return [...sums]
    .filter(([, counters]) => Object.keys(counters).length > 0)
    .map(([segment, counters]) => ({ segment, counters }));
};

/** Counters summed per segment over the cases themselves: what the totals kept from the stream must equal. */
export const totalsOf = (rows: readonly MetricsRow[]): Map<string, Counters> => {
  const totals = new Map<string, Counters>();
  for (const row of rows)
    for (const [segment, counters] of contributionsOf(row))
      totals.set(segment, addCounters(totals.get(segment) ?? {}, counters));
  return totals;
};

/** The scoreboard recomputed over the cases: all cases, then one line per value of the chosen dimension. */
export const scoreboard = (rows: readonly MetricsRow[], by: SegmentDimension) =>
  scoreboardOf(totalsOf(rows), by);

/**
 * The scoreboard from counters summed per segment (`all`, `family=…`, …): all cases, then one line per
 * value of the chosen dimension (largest segment first). An agent's line stays while they have work to
 * show, even when none of their cases counts for them any more (decided, then reopened for someone else).
 */
export const scoreboardOf = (totals: ReadonlyMap<string, Counters>, by: SegmentDimension) => ({
  by,
  all: figuresOf('all', totals.get('all') ?? {}),
  segments: [...totals.entries()]
    .filter(([segment, c]) => segment.startsWith(`${by}=`) && Object.values(c).some((n) => n !== 0))
    .map(([segment, c]) => {
      const figures = figuresOf(segment.slice(by.length + 1), c);
      return by === 'assignee' ? { ...figures, agent: agentFiguresOf(c) } : figures;
    })
    .sort((a, b) => b.cases - a.cases || a.segment.localeCompare(b.segment)),
});

// ---------------------------------------------------------------------------------------------------------
// CloudWatch: the same figures as metric data points, one event at a time (embedded metric format on AWS).

export interface MetricPoint {
  readonly name: string;
  readonly unit: 'Count' | 'Seconds';
  readonly value: number;
}

/**
 * The data points one commit produces, from the case's figures before and after it (a stream of case
 * changes carries both). Rates are metric math on the dashboard (reopened ÷ resolved, escalated ÷ opened),
 * so every point is a count or a duration, and a commit that changes no figure produces none.
 */
export const metricPoints = (before: CaseMetrics | undefined, after: CaseMetrics): MetricPoint[] => {
  const points: MetricPoint[] = [];
  const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);
  const count = (name: string, value: number) => points.push({ name, unit: 'Count', value });
  if (!before) count('CasesOpened', 1);
  if (after.firstResponseAt && !before?.firstResponseAt)
    points.push({
      name: 'FirstResponseTime',
      unit: 'Seconds',
      value: seconds(after.receivedAt, after.firstResponseAt),
    });
  if (after.resolvedAt && !before?.resolvedAt) {
    count('CasesResolved', 1);
    points.push({
      name: 'TimeToResolution',
      unit: 'Seconds',
      value: seconds(after.receivedAt, after.resolvedAt),
    });
    count('SolvedWithoutTouch', after.manualTouches === 0 ? 1 : 0);
    count('ManualTouches', after.manualTouches);
  }
  if (after.reopens > 0 && (before?.reopens ?? 0) === 0) count('CasesReopened', 1);
  if (after.transfers > (before?.transfers ?? 0))
    count('Transfers', after.transfers - (before?.transfers ?? 0));
  if (after.escalations > (before?.escalations ?? 0)) {
    count('Escalations', after.escalations - (before?.escalations ?? 0));
    if ((before?.escalations ?? 0) === 0) count('CasesEscalated', 1);
  }
  return points;
};

/**
 * The SLA breaches one commit adds, by team: logged apart from {@link metricPoints}, with the team as their
 * only dimension (the alarms watch breaches per team). A breach stays with the team it happened to, so no
 * point ever has to move to another team's series, and the teams are the policy's handful.
 */
export const slaBreachPoints = (
  before: CaseMetrics | undefined,
  after: CaseMetrics,
): { readonly team: string; readonly point: MetricPoint }[] =>
  Object.entries(after.slaBreaches ?? {}).flatMap(([team, count]) => {
    const added = count - (before?.slaBreaches?.[team] ?? 0);
    return added > 0 ? [{ team, point: { name: 'SlaBreaches', unit: 'Count' as const, value: added } }] : [];
  });
