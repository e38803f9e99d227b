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
});

const isSellerMessage = (event: AuditEvent) =>
  event.type === 'message.sent' && (event.data?.audience ?? 'seller') === 'seller';

/** One audit event's effect on a case's figures. */
export const foldMetrics = (metrics: CaseMetrics | undefined, event: AuditEvent, at: string): CaseMetrics => {
  const m = metrics ?? startMetrics(at);
  const touched = event.actor.kind === 'ops' ? { manualTouches: m.manualTouches + 1 } : {};
  switch (event.type) {
    case 'message.sent':
      return isSellerMessage(event) && !m.firstResponseAt ? { ...m, ...touched, firstResponseAt: at } : m;
    case 'case.resolved':
      return { ...m, ...touched, resolutions: m.resolutions + 1, resolvedAt: m.resolvedAt ?? at };
    case 'case.reopened':
      return { ...m, ...touched, reopens: m.reopens + 1 };
    case 'case.appealed':
      return { ...m, ...touched, appeals: m.appeals + 1 };
    case 'case.transferred':
      return { ...m, ...touched, transfers: m.transfers + 1 };
    case 'case.escalated':
      return { ...m, ...touched, escalations: m.escalations + 1 };
    default:
      return { ...m, ...touched };
  }
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
// differs), because an average hides who waits longest.

export const SEGMENT_DIMENSIONS = ['family', 'sellerTier', 'channel', 'region'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];

/** What the scoreboard needs of a case: its segment values and its figures. */
export interface MetricsRow {
  readonly family: string;
  readonly sellerTier: string;
  readonly channel: string;
  readonly region: string;
  readonly metrics: CaseMetrics;
}

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
}

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;

export const distribution = (values: readonly number[]): Distribution => {
  if (values.length === 0) return { count: 0, medianHours: null, p90Hours: null, meanHours: null };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    medianHours: round(percentile(sorted, 0.5)),
    p90Hours: round(percentile(sorted, 0.9)),
    meanHours: round(sorted.reduce((s, v) => s + v, 0) / sorted.length),
  };
};

const share = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));

export const segmentFigures = (segment: string, rows: readonly MetricsRow[]): SegmentFigures => {
  const ms = rows.map((r) => r.metrics);
  const resolved = ms.filter((m) => m.resolutions > 0);
  const defined = (values: readonly (number | undefined)[]) => values.filter((v) => v !== undefined);
  const transfers = ms.reduce((s, m) => s + m.transfers, 0);
  return {
    segment,
    cases: ms.length,
    resolved: resolved.length,
    timeToResolution: distribution(defined(ms.map(resolutionHours))),
    firstResponse: distribution(defined(ms.map(firstResponseHours))),
    reopenRate: share(resolved.filter((m) => m.reopens > 0).length, resolved.length),
    transfersPerCase: ms.length === 0 ? null : round(transfers / ms.length),
    transferredShare: share(ms.filter((m) => m.transfers > 0).length, ms.length),
    escalationRate: share(ms.filter((m) => m.escalations > 0).length, ms.length),
    solvedWithoutTouchShare: share(resolved.filter(solvedWithoutTouch).length, resolved.length),
    manualTouchesPerResolved:
      resolved.length === 0
        ? null
        : round(resolved.reduce((s, m) => s + m.manualTouches, 0) / resolved.length),
  };
};

/** The scoreboard: all cases, then one line per value of the chosen dimension (largest segment first). */
export const scoreboard = (rows: readonly MetricsRow[], by: SegmentDimension) => {
  const groups = new Map<string, MetricsRow[]>();
  for (const row of rows) {
    const key = row[by];
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return {
    by,
    all: segmentFigures('all', rows),
    segments: [...groups.entries()]
      .map(([key, group]) => segmentFigures(key, group))
      .sort((a, b) => b.cases - a.cases || a.segment.localeCompare(b.segment)),
  };
};

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
