import { notFound } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { principalOf } from '#commons/http/principal.ts';
import { caseIdParam } from '#commons/http/request.ts';
import { logCaseKeys } from '#domain/case-loader.ts';
import { getCaseBundle } from '#domain/case-store.ts';
import { sellerView } from '#domain/case-view.ts';
import { familyOf } from '#policy/families.ts';

/** `GET /cases/{caseId}`: the case as its seller sees it. Another seller's case does not exist (404). */
export const getCase = async (event: ApiEvent) => {
  const principal = principalOf(event);
  const caseId = caseIdParam(event);
  const bundle = await getCaseBundle(caseId);
  if (!bundle || (principal.kind === 'seller' && bundle.record.sellerId !== principal.sellerId)) {
    throw notFound(`no case ${caseId}`);
  }
  logCaseKeys(bundle.record);
  return json(200, sellerView(bundle, familyOf(bundle.record.family)));
};

export const handler = apiHandler(getCase);
