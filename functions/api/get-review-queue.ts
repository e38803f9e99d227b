import { validationFailed } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { validate } from '#commons/http/request.ts';
import { readReviewQueue } from '#domain/reviews.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';
import { reviewQueueQuery } from './contracts.ts';

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

export const handler = apiHandler(getReviewQueue);
