import { createHash } from 'node:crypto';
import type { BaseIntake, Family } from '#policy/family-policy.ts';
import type { AuditEvent, CaseRecord, StoredAuditEvent } from './case.ts';
import { addCounters, type Counters, foldMetrics, UNASSIGNED, UNROUTED } from './metrics.ts';

/**
 * Quality reviews (issue 16), the arithmetic without the table: which resolutions enter the review queue,
 * what a queued entry says about the decision it reviews, and the scores as sums that add up across reviews
 * (like the scoreboard's counters, metrics.ts), so the figures per team, agent and template version are
 * kept as they go (one update per segment when a review commits) and never recomputed over the reviews.
 */

/** What a reviewer scores, 1 (poor) to 5 (exemplary) each. */
export const REVIEW_CRITERIA = [
  'decisionCorrectness',
  'explanationClarity',
  'handoffCompleteness',
  'policyAdherence',
] as const;
export type ReviewCriterion = (typeof REVIEW_CRITERIA)[number];

/** A score at or below this asks the reviewer to say why (a comment on that criterion). */
export const LOW_SCORE = 2;

/**
 * Why a case is in the queue: its family's sample of first resolutions, or an appeal that overturned its
 * decision (always reviewed: the appeal found the decision wrong, which is what a review learns from).
 */
export type ReviewReason = 'sample' | 'appeal-overturned';

/** The segment of a decision that followed no email to the seller (none was sent before it). */
export const NO_TEMPLATE = 'none';

/**
 * Where a case id falls in [0, 1): the first four bytes of a SHA-256 of it. Deterministic, so a retried
 * or rebased resolution samples the same way, and spread evenly whatever the ids look like.
 */
export const sampleFraction = (caseId: string): number =>
  createHash('sha256').update(`review:${caseId}`).digest().readUInt32BE(0) / 2 ** 32;

/** Whether a family sampling `share` of its cases reviews this one. */
export const isSampled = (caseId: string, share: number): boolean => sampleFraction(caseId) < share;

/** A decision as the Resolve step records it. */
export interface ResolvingDecision {
  readonly outcome: string;
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly via: 'team' | 'mediation' | 'policy';
}

/**
 * A case in the review queue: the decision a reviewer scores, who made it (the people who may not review
 * it) and the segments its scores will count in. Written with the resolution that queues it.
 */
export interface ReviewEntry {
  readonly caseId: string;
  readonly family: string;
  readonly reason: ReviewReason;
  /** When the resolution that queued it committed; the queue is oldest first. */
  readonly queuedAt: string;
  /** The decision under review. */
  readonly outcome: string;
  readonly decidedBy: string;
  readonly decidedAt: string;
  /** The team that owned the case when it was decided (`unrouted` never, in practice: decided cases are routed). */
  readonly team: string;
  /** The agent the decision counts for: who held the case when it was decided, else the person who recorded it. */
  readonly agent: string;
  /** The template (id@version) of the last email to the seller before the decision; `none` if there was none. */
  readonly template: string;
  /**
   * Everyone who had a hand in the decision under review (and, for an overturned appeal, in the appeal's):
   * the agents who held the case and the people who recorded it. None of them may review it.
   */
  readonly deciders: readonly string[];
  /** For an overturned appeal: the decision that replaced the one under review. */
  readonly overturnedBy?: {
    readonly outcome: string;
    readonly decidedBy: string;
    readonly decidedAt: string;
  };
}

/** A reviewer's scores and comments. */
export interface ReviewInput {
  readonly scores: Readonly<Record<ReviewCriterion, number>>;
  readonly comments?: Readonly<Partial<Record<ReviewCriterion | 'overall', string>>>;
}

export interface Review extends ReviewInput {
  readonly reviewer: string;
  readonly reviewedAt: string;
}

/** The events that record a decision (as metrics.ts folds them). */
const DECISION_TYPES: ReadonlySet<string> = new Set(['case.decided', 'appeal.decided', 'mediation.accepted']);

const byVersion = (events: readonly StoredAuditEvent[]) => [...events].sort((a, b) => a.version - b.version);

/** The template (id@version) of the last email to the seller among `events` before `version` (all if absent). */
export const lastSellerTemplate = (
  events: readonly StoredAuditEvent[],
  version = Number.POSITIVE_INFINITY,
) => {
  const sent = byVersion(events).filter(
    (e) =>
      e.version < version &&
      e.type === 'message.sent' &&
      (e.data?.audience ?? 'seller') === 'seller' &&
      typeof e.data?.template === 'string',
  );
  return (sent.at(-1)?.data?.template as string | undefined) ?? NO_TEMPLATE;
};

/**
 * Who held the case when a decision is recorded on it now: what metrics.ts folds as its `decidedHolder`
 * (the agent holding it at the decision), worked out by the same fold.
 */
const holderAtDecision = (record: CaseRecord, at: string): string | undefined => {
  const decided: AuditEvent = { type: 'case.decided', actor: { kind: 'system', id: 'review' }, detail: '' };
  return record.metrics?.holding
    ? foldMetrics(record.metrics, decided, at).holding?.decidedHolder
    : undefined;
};

const people = (...ids: (string | undefined)[]) => [...new Set(ids.filter((id): id is string => !!id))];

/**
 * The review entry a resolution queues, or `undefined` when it queues none. `record` and `events` are the
 * case as it was before the resolving commit; `decision` the one the commit records; `appeal` whether it
 * decides an appeal. Sampled: a case's first resolution, when its id falls in its family's share. Always:
 * an appeal whose outcome differs from the decision appealed, reviewed as that decision (the one the
 * appeal found wrong), with the appeal's deciders kept out too.
 */
export const reviewEntryOf = (
  record: CaseRecord,
  family: Family<BaseIntake>,
  events: readonly StoredAuditEvent[],
  decision: ResolvingDecision,
  appeal: boolean,
  at: string,
): ReviewEntry | undefined => {
  const common = { caseId: record.caseId, family: record.family, queuedAt: at };
  const team = record.routing?.team ?? UNROUTED;
  const holder = holderAtDecision(record, at);
  const recorder = decision.via === 'team' ? decision.decidedBy : undefined;
  const appealed = record.appealOf;
  if (appeal && appealed) {
    if (appealed.outcome === decision.outcome) return undefined;
    // The decision appealed is the case's last one so far (an appeal is of the latest decision): its event
    // says how it was made, and the emails before it what the seller read.
    const original = byVersion(events).findLast((e) => DECISION_TYPES.has(e.type));
    const originalHolder = record.metrics?.holding?.decidedHolder;
    // A person recorded it when its event says so (not a seller's accepted offer, nor a policy closing);
    // a timeline without the event (kept from before it was recorded so) is taken at its word.
    const originalRecorder = !original || original.actor.kind === 'ops' ? appealed.decidedBy : undefined;
    return {
      ...common,
      reason: 'appeal-overturned',
      outcome: appealed.outcome,
      decidedBy: appealed.decidedBy,
      decidedAt: appealed.decidedAt,
      team,
      agent: originalHolder ?? originalRecorder ?? UNASSIGNED,
      template: lastSellerTemplate(events, original?.version),
      deciders: people(originalHolder, originalRecorder, holder, recorder),
      overturnedBy: {
        outcome: decision.outcome,
        decidedBy: decision.decidedBy,
        decidedAt: decision.decidedAt,
      },
    };
  }
  const firstResolution = (record.metrics?.resolutions ?? 0) === 0;
  if (!firstResolution || !isSampled(record.caseId, family.review.sampleShare)) return undefined;
  return {
    ...common,
    reason: 'sample',
    outcome: decision.outcome,
    decidedBy: decision.decidedBy,
    decidedAt: decision.decidedAt,
    team,
    agent: holder ?? recorder ?? UNASSIGNED,
    template: lastSellerTemplate(events),
    deciders: people(holder, recorder),
  };
};

// ---------------------------------------------------------------------------------------------------------
// Scores as sums. A review adds to each of its segments: `n` (one review), per criterion the sum of its
// scores (`<criterion>S`) and one to the count of its score (`<criterion>_<1..5>`), and `low` when any score
// is at or below LOW_SCORE. Every figure is read off those sums.

export const REVIEW_DIMENSIONS = ['family', 'team', 'agent', 'template', 'reason'] as const;
export type ReviewDimension = (typeof REVIEW_DIMENSIONS)[number];

/** The segments a review of `entry` counts in: `all`, and one per dimension (`team=verification`, …). */
export const reviewSegmentsOf = (entry: ReviewEntry): string[] => [
  'all',
  `family=${entry.family}`,
  `team=${entry.team}`,
  `agent=${entry.agent}`,
  `template=${entry.template}`,
  `reason=${entry.reason}`,
];

/** What one review adds to each segment it counts in. */
export const reviewCounters = (scores: ReviewInput['scores']): Counters => {
  const counters: Record<string, number> = { n: 1 };
  for (const criterion of REVIEW_CRITERIA) {
    const score = scores[criterion];
    counters[`${criterion}S`] = score;
    counters[`${criterion}_${score}`] = 1;
  }
  if (REVIEW_CRITERIA.some((c) => scores[c] <= LOW_SCORE)) counters.low = 1;
  return counters;
};

export interface CriterionFigures {
  readonly mean: number | null;
  /** How many reviews gave 1, 2, 3, 4 and 5. */
  readonly distribution: readonly [number, number, number, number, number];
}

export interface ReviewFigures {
  readonly segment: string;
  readonly reviews: number;
  /** The mean of the four criteria's means. */
  readonly overall: number | null;
  /** Reviews with any score at or below LOW_SCORE. */
  readonly lowScored: number;
  readonly criteria: Readonly<Record<ReviewCriterion, CriterionFigures>>;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** A segment's figures, read off its sums. */
export const reviewFiguresOf = (segment: string, c: Counters): ReviewFigures => {
  const reviews = c.n ?? 0;
  const criteria = Object.fromEntries(
    REVIEW_CRITERIA.map((criterion) => [
      criterion,
      {
        mean: reviews === 0 ? null : round2((c[`${criterion}S`] ?? 0) / reviews),
        distribution: [1, 2, 3, 4, 5].map((s) => c[`${criterion}_${s}`] ?? 0) as unknown as [
          number,
          number,
          number,
          number,
          number,
        ],
      },
    ]),
  ) as unknown as Record<ReviewCriterion, CriterionFigures>;
  const overall =
    reviews === 0
      ? null
      : round2(REVIEW_CRITERIA.reduce((sum, criterion) => sum + (c[`${criterion}S`] ?? 0), 0) / reviews / 4);
  return { segment, reviews, overall, lowScored: c.low ?? 0, criteria };
};

/** The results from sums kept per segment: all reviews, then per dimension each value's line, most reviewed first. */
export const reviewResultsOf = (totals: ReadonlyMap<string, Counters>) => ({
  all: reviewFiguresOf('all', totals.get('all') ?? {}),
  segments: Object.fromEntries(
    REVIEW_DIMENSIONS.map((by) => [
      by,
      [...totals.entries()]
        .filter(([segment, c]) => segment.startsWith(`${by}=`) && (c.n ?? 0) > 0)
        .map(([segment, c]) => reviewFiguresOf(segment.slice(by.length + 1), c))
        .sort((a, b) => b.reviews - a.reviews || a.segment.localeCompare(b.segment)),
    ]),
  ) as Record<ReviewDimension, ReviewFigures[]>,
});

/** The results recomputed over reviews themselves: what the sums kept at commit must equal (a test holds it). */
export const reviewResults = (reviews: readonly { entry: ReviewEntry; scores: ReviewInput['scores'] }[]) => {
  const totals = new Map<string, Counters>();
  for (const { entry, scores } of reviews)
    for (const segment of reviewSegmentsOf(entry))
      totals.set(segment, addCounters(totals.get(segment) ?? {}, reviewCounters(scores)));
  return reviewResultsOf(totals);
};
