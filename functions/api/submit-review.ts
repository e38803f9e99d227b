import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { submitReview } from '#domain/reviews.ts';
import { reviewBody } from './contracts.ts';

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

export const handler = apiHandler(postReview);
