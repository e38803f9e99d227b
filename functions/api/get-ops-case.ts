import { notFound } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { caseIdParam } from '#commons/http/request.ts';
import { getCaseBundle } from '#domain/case-store.ts';
import { opsView } from '#domain/case-view.ts';
import { familyOf } from '#policy/families.ts';

/** `GET /ops/cases/{caseId}`: the ops view, with routing and, while a decision is awaited, allowed outcomes. */
export const getOpsCase = async (event: ApiEvent) => {
  requireOps(event);
  const caseId = caseIdParam(event);
  const bundle = await getCaseBundle(caseId);
  if (!bundle) throw notFound(`no case ${caseId}`);
  return json(200, opsView(bundle, familyOf(bundle.record.family)));
};

export const handler = apiHandler(getOpsCase);
