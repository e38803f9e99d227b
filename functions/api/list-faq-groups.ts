import { validationFailed } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { validate } from '#commons/http/request.ts';
import { decodeCursor, readFaqGroups } from '#domain/faq/faq-groups.ts';
import { familyOf } from '#policy/families.ts';
import { faqQuery } from './contracts.ts';

/**
 * `GET /ops/faq?family=[&reason=][&candidates=true][&limit=][&cursor=]`: a family and reason's recurring
 * seller statements grouped by similarity, each with its size, weekly trend, example cases and the templates
 * that answered them; or only the groups marked as FAQ candidates. Reads one page of pre-aggregated groups.
 * The answer names the family's reasons, and without `reason` lists its first: the console's FAQ page and
 * `sellerworks faq export` learn the reasons from this /ops route (on AWS staff tokens are the pool's, which
 * only the /ops routes trust, so not `GET /families`).
 */
export const listFaqGroupsHandler = async (event: ApiEvent) => {
  requireOps(event);
  const query = validate(event.queryStringParameters ?? {}, faqQuery);
  const candidates = query.candidates === 'true';
  const after = query.cursor ? decodeCursor(query.cursor, candidates) : undefined;
  if (query.cursor && !after)
    throw validationFailed([{ path: 'cursor', reason: 'not a cursor this list gave' }]);
  const reasons = Object.entries(familyOf(query.family).reasons).map(([id, label]) => ({ id, label }));
  const page = await readFaqGroups({
    family: query.family,
    reason: query.reason ?? reasons[0]?.id ?? '',
    candidates,
    limit: Number(query.limit ?? 20),
    after,
  });
  return json(200, { ...page, reasons });
};

export const handler = apiHandler(listFaqGroupsHandler);
