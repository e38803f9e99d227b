import { nowMs } from '#commons/clock.ts';
import { forbidden, validationFailed } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { validate } from '#commons/http/request.ts';
import { isCaseListCursor } from '#domain/case-store.ts';
import { pastCasesPage } from '#domain/replay-export.ts';
import { replayCasesQuery } from '#domain/replay-query.ts';

/**
 * `GET /ops/replay/cases?since=&family=&limit=&cursor=`: past cases' stored intakes and what the policy of
 * their day chose, a page at a time, for `sellerworks replay`. Supervisors only: it carries every team's
 * cases, intakes included. Reads only; the replay itself runs where the policy being tried is.
 */
export const listReplayCases = async (event: ApiEvent) => {
  const ops = requireOps(event);
  if (ops.team !== undefined) throw forbidden('only a supervisor reads past cases for replay');
  const query = validate(event.queryStringParameters ?? {}, replayCasesQuery);
  if (query.cursor && !isCaseListCursor(query.cursor))
    throw validationFailed([{ path: 'cursor', reason: 'not a cursor this route gave out' }]);
  return json(200, await pastCasesPage(query, nowMs()));
};

export const handler = apiHandler(listReplayCases);
