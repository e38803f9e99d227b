import { notFound } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { caseIdParam } from '#commons/http/request.ts';
import { logCaseKeys } from '#domain/case-loader.ts';
import { backlogPosition, getCaseBundle } from '#domain/case-store.ts';
import { openableEvidence, opsView } from '#domain/case-view.ts';
import { attachmentLinks } from '#domain/uploads.ts';
import { familyOf } from '#policy/families.ts';

/**
 * `GET /ops/cases/{caseId}`: the ops view, with routing and, while a decision is awaited, allowed outcomes,
 * the assignee, or the case's place in its team's queue.
 * Protected evidence is redacted for a team without the right, and only what the viewer may open gets a
 * download link.
 */
export const getOpsCase = async (event: ApiEvent) => {
  const ops = requireOps(event);
  const caseId = caseIdParam(event);
  const bundle = await getCaseBundle(caseId);
  if (!bundle) throw notFound(`no case ${caseId}`);
  logCaseKeys(bundle.record);
  const family = familyOf(bundle.record.family);
  const viewer = { team: ops.team };
  const [links, queue] = await Promise.all([
    attachmentLinks(openableEvidence(bundle.evidence, family, viewer)),
    backlogPosition(bundle.record),
  ]);
  return json(200, opsView(bundle, family, { ...viewer, links }, queue));
};

export const handler = apiHandler(getOpsCase);
