import { notFound } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { logCaseKeys } from '#domain/case-loader.ts';
import { getCase } from '#domain/case-store.ts';
import { sendReply } from '#domain/replies.ts';
import { familyOf } from '#policy/families.ts';
import { replyBody } from './contracts.ts';

/**
 * `POST /ops/cases/{caseId}/replies` `{ snippet, text?, evidence? }`: the case's owner (or a supervisor)
 * writes to the seller from one of the family's approved snippets. 202 with the template's id@version;
 * a snippet that asks for evidence also opens a new evidence wait with a fresh reply address.
 */
export const replyToSeller = async (event: ApiEvent) => {
  const ops = requireOps(event);
  const caseId = caseIdParam(event);
  const input = jsonBody(event, replyBody);
  const record = await getCase(caseId);
  if (!record) throw notFound(`no case ${caseId}`);
  logCaseKeys(record);
  const reply = await sendReply(caseId, familyOf(record.family), input, ops);
  return json(202, { caseId, ...reply, links: { case: `/ops/cases/${caseId}` } });
};

export const handler = apiHandler(replyToSeller);
