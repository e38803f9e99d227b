import { notFound, validationFailed } from '#commons/errors.ts';
import { type ApiEvent, type ApiResult, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody, validate } from '#commons/http/request.ts';
import { readReviewQueue, readReviewResults, submitReview } from '#domain/reviews.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';
import { reviewBody, reviewQueueQuery, reviewScoresQuery } from './contracts.ts';

/**
 * The quality-review routes (functions/domain/reviews.ts), served by one function: three thin handlers
 * and the route that picks one. One function rather than one a route, as the rest of the API has, because
 * each function costs the stack eight CloudFormation resources across its two HTTP APIs and the stack is
 * near CloudFormation's 500 (test/infra/alarms.test.ts); the three share their access and their code.
 */

/** A queue position (`<queuedAt>#<caseId>`) as the cursor carries it, and back; a forged one reads as none. */
const cursorOf = (position: string) => Buffer.from(position, 'utf8').toString('base64url');
const POSITION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z#case_[0-9a-z]{8,40}$/;
const positionOf = (cursor: string) => {
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  return POSITION.test(position) ? position : undefined;
};

/**
 * `GET /ops/reviews/queue[?family=&limit=&cursor=]`: resolved cases waiting for a quality review, oldest
 * first, one family's or every family's merged; each says why it is queued, the decision under review and
 * whether the caller may review it (not one of its deciders). Bounded: a page reads at most
 * families × (limit + 1) index items.
 */
export const getReviewQueue = async (event: ApiEvent) => {
  const viewer = requireOps(event);
  const { family, limit, cursor } = validate(event.queryStringParameters ?? {}, reviewQueueQuery);
  const after = cursor === undefined ? undefined : positionOf(cursor);
  if (cursor !== undefined && after === undefined)
    throw validationFailed([{ path: 'cursor', reason: 'not a cursor this queue gave out' }]);
  const page = await readReviewQueue(viewer, family ? [family] : FAMILY_IDS, after, limit);
  return json(200, { entries: page.entries, nextCursor: page.next ? cursorOf(page.next) : null });
};

/**
 * `POST /ops/reviews/{caseId}` `{ scores, comments? }`: a reviewer scores the decision of a case in the
 * review queue (decision correctness, explanation clarity, handoff completeness, policy adherence, 1–5).
 * 201 with the review and the segments it counts in; the decision's deciders get 403, a second review 409.
 */
export const postReview = async (event: ApiEvent) => {
  const reviewer = requireOps(event);
  const caseId = caseIdParam(event);
  const input = jsonBody(event, reviewBody);
  const review = await submitReview(caseId, reviewer, input);
  return json(201, { ...review, links: { case: `/ops/cases/${caseId}` } });
};

/**
 * `GET /ops/reviews/scores`: the quality-review results over every review, and by family, team, agent
 * (whose decision it was), template version (the last email to the seller before the decision) and reason.
 * It reads the totals each review added to at its commit, one item a segment: never the reviews.
 */
export const getReviewScores = async (event: ApiEvent) => {
  requireOps(event);
  validate(event.queryStringParameters ?? {}, reviewScoresQuery);
  return json(200, await readReviewResults());
};

/** The handler of each route this function serves, by API Gateway's route key. */
export const REVIEW_ROUTES: Readonly<Record<string, (event: ApiEvent) => Promise<ApiResult>>> = {
  'GET /ops/reviews/queue': getReviewQueue,
  'POST /ops/reviews/{caseId}': postReview,
  'GET /ops/reviews/scores': getReviewScores,
};

export const reviews = async (event: ApiEvent) => {
  const route = REVIEW_ROUTES[event.routeKey];
  if (!route) throw notFound(`no route ${event.routeKey}`);
  return route(event);
};

export const handler = apiHandler(reviews);
