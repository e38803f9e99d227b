import { z } from 'zod';
import { notFound } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { getCase } from '#domain/case-store.ts';
import { sendReply } from '#domain/replies.ts';
import { familyOf } from '#policy/families.ts';

const body = z
  .object({
    snippet: z.string().min(1).max(64),
    text: z.string().max(4000).optional(),
    evidence: z.array(z.string().min(1).max(64)).max(20).optional(),
  })
  .strict();

/**
 * `POST /ops/cases/{caseId}/replies` `{ snippet, text?, evidence? }`: the case's owner (or a supervisor)
 * writes to the seller from one of the family's approved snippets. 202 with the template's id@version;
 * a snippet that asks for evidence also opens a new evidence wait with a fresh reply address.
 */
export const replyToSeller = async (event: ApiEvent) => {
  const ops = requireOps(event);
  const caseId = caseIdParam(event);
  const input = jsonBody(event, body);
  const record = await getCase(caseId);
  if (!record) throw notFound(`no case ${caseId}`);
  const reply = await sendReply(caseId, familyOf(record.family), input, ops);
  return json(202, { caseId, ...reply, links: { case: `/ops/cases/${caseId}` } });
};

export const handler = apiHandler(replyToSeller);
