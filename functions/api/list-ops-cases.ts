import { nowMs } from '#commons/clock.ts';
import { validationFailed } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { validate } from '#commons/http/request.ts';
import { caseListQuery, listCases, listFilters } from '#domain/case-list.ts';
import { isCaseListCursor } from '#domain/case-store.ts';

/**
 * `GET /ops/cases?family=&status=&team=&tier=&region=&channel=&sla=&q=&limit=&cursor=`: the ops console's
 * case list, newest first, one page at a time, with the values each filter accepts.
 */
export const listOpsCases = async (event: ApiEvent) => {
  requireOps(event);
  const query = validate(event.queryStringParameters ?? {}, caseListQuery);
  if (query.cursor && !isCaseListCursor(query.cursor))
    throw validationFailed([{ path: 'cursor', reason: 'not a cursor this list gave out' }]);
  const page = await listCases(query, nowMs());
  return json(200, { ...page, filters: listFilters() });
};

export const handler = apiHandler(listOpsCases);
