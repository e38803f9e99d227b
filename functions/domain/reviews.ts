import { nowIso } from '#commons/clock.ts';
import { conflict, forbidden, notFound } from '#commons/errors.ts';
import type { Principal } from '#commons/http/principal.ts';
import type { BaseIntake, Family } from '#policy/family-policy.ts';
import type { CaseRecord, StoredAuditEvent } from './case.ts';
import {
  commitReview,
  getCase,
  latestReviewEntry,
  reviewEntryItem,
  reviewQueuePage,
  reviewTotals,
  type TransactItem,
} from './case-store.ts';
import {
  type ResolvingDecision,
  type Review,
  type ReviewEntry,
  type ReviewInput,
  reviewCounters,
  reviewEntryOf,
  reviewResultsOf,
  reviewSegmentsOf,
} from './review-scores.ts';

/**
 * Quality reviews (issue 16): resolved cases enter a review queue — a share of each family's first
 * resolutions, sampled by a hash of the case id, and every appeal that overturned a decision — in the
 * transaction of the resolution itself (the Resolve step), so no side effect of its own can double. A
 * reviewer who had no hand in the decision scores it; the scores add to totals kept per team, agent,
 * template version, family and reason in the review's own transaction, which the results read.
 *
 * Who may review: anyone with the ops role — a supervisor, or an agent of any team — except the decision's
 * deciders (the agent who held the case when it was decided, and whoever recorded the decision; for an
 * overturned appeal also the appeal's). The roles have no reviewer of their own, and keeping reviews to
 * supervisors would make a handful of people the bottleneck of every family's sample; what a review needs
 * is independence from the decision, which the deciders check gives, and peers across teams calibrate
 * each other. The API says why when it refuses (403), and a case is reviewed once (409).
 */

type Ops = Extract<Principal, { kind: 'ops' }>;

/** The items that queue a review, for the resolving commit (version `current.version + 1`); none if it queues none. */
export const reviewItemsOf = (
  current: CaseRecord,
  family: Family<BaseIntake>,
  events: readonly StoredAuditEvent[],
  decision: ResolvingDecision,
  appeal: boolean,
): TransactItem[] => {
  const entry = reviewEntryOf(current, family, events, decision, appeal, nowIso());
  return entry ? [reviewEntryItem(current.version + 1, entry)] : [];
};

/** A queued entry as the queue answers it: the entry, and whether the caller may review it. */
export interface QueueLine extends ReviewEntry {
  readonly mayReview: boolean;
}

/** One page of the review queue (oldest first), of one family or all; `next` is the position to go on from. */
export const readReviewQueue = async (
  viewer: Ops,
  families: readonly string[],
  after: string | undefined,
  limit: number,
): Promise<{ readonly entries: readonly QueueLine[]; readonly next: string | undefined }> => {
  const page = await reviewQueuePage(families, after, limit);
  return {
    entries: page.entries.map(({ entry }) => ({
      ...entry,
      mayReview: !entry.deciders.includes(viewer.userId),
    })),
    next: page.more ? page.entries.at(-1)?.position : undefined,
  };
};

/**
 * Records a review of the case's queued entry by `reviewer`. 404 when the case or its entry does not
 * exist, 403 for one of its deciders, 409 when it was reviewed already (first or meanwhile).
 */
export const submitReview = async (caseId: string, reviewer: Ops, input: ReviewInput) => {
  const stored = await latestReviewEntry(caseId);
  if (!stored) {
    if (!(await getCase(caseId))) throw notFound(`no case ${caseId}`);
    throw notFound(
      `case ${caseId} is not in the review queue: its resolution was not sampled and no appeal overturned it`,
    );
  }
  if (stored.deciders.includes(reviewer.userId))
    throw forbidden(
      `you had a hand in the decision under review (${stored.outcome}, ${stored.decidedAt}); a reviewer other than its deciders (${stored.deciders.join(', ')}) must review it`,
    );
  const already = () => conflict(`case ${caseId} was already reviewed; a decision is reviewed once`);
  if (stored.status === 'reviewed') throw already();
  const review: Review = {
    reviewer: reviewer.userId,
    reviewedAt: nowIso(),
    scores: input.scores,
    ...(input.comments ? { comments: input.comments } : {}),
  };
  const counters = reviewCounters(input.scores);
  const segments = reviewSegmentsOf(stored).map((segment) => ({ segment, counters }));
  const catalog = Object.fromEntries(
    reviewSegmentsOf(stored)
      .filter((segment) => segment !== 'all')
      .map((segment) => segment.split(/=(.*)/s).slice(0, 2) as [string, string]),
  );
  if ((await commitReview(stored, review, segments, catalog)) === 'already-reviewed') throw already();
  return {
    caseId,
    reason: stored.reason,
    decision: { outcome: stored.outcome, decidedBy: stored.decidedBy, decidedAt: stored.decidedAt },
    counted: { family: stored.family, team: stored.team, agent: stored.agent, template: stored.template },
    ...review,
  };
};

/** The review results: all reviews, and by family, team, agent, template version and reason. */
export const readReviewResults = async () => reviewResultsOf(await reviewTotals());
