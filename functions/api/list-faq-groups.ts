import { validationFailed } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { validate } from '#commons/http/request.ts';
import { decodeCursor, readFaqGroups } from '#domain/faq/faq-groups.ts';
import { faqQuery } from './contracts.ts';

/**
 * `GET /ops/faq?family=&reason=[&candidates=true][&limit=][&cursor=]`: a family and reason's recurring
 * seller statements grouped by similarity, each with its size, weekly trend, example cases and the templates
 * that answered them; or only the groups marked as FAQ candidates. Reads one page of pre-aggregated groups.
 */
export const listFaqGroupsHandler = async (event: ApiEvent) => {
  requireOps(event);
  const query = validate(event.queryStringParameters ?? {}, faqQuery);
  const candidates = query.candidates === 'true';
  const after = query.cursor ? decodeCursor(query.cursor, candidates) : undefined;
  if (query.cursor && !after)
    throw validationFailed([{ path: 'cursor', reason: 'not a cursor this list gave' }]);
  return json(
    200,
    await readFaqGroups({
      family: query.family,
      reason: query.reason,
      candidates,
      limit: Number(query.limit ?? 20),
      after,
    }),
  );
};

export const handler = apiHandler(listFaqGroupsHandler);
