import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { validate } from '#commons/http/request.ts';
import { readReviewResults } from '#domain/reviews.ts';
import { reviewScoresQuery } from './contracts.ts';

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

export const handler = apiHandler(getReviewScores);
