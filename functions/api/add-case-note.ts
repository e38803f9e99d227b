import { notFound } from '#commons/errors.ts';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireOps } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { logCaseKeys } from '#domain/case-loader.ts';
import { getCase } from '#domain/case-store.ts';
import { addNote } from '#domain/notes.ts';
import { caseNoteBody } from './contracts.ts';

/**
 * `POST /ops/cases/{caseId}/notes` `{ text }`: an internal note on the case's timeline, for ops only —
 * never in the seller's view, and redacted for teams without the family's protected access when it quotes
 * protected evidence.
 */
export const addCaseNote = async (event: ApiEvent) => {
  const ops = requireOps(event);
  const caseId = caseIdParam(event);
  const { text } = jsonBody(event, caseNoteBody);
  const record = await getCase(caseId);
  if (!record) throw notFound(`no case ${caseId}`);
  logCaseKeys(record);
  const note = await addNote(record, text, ops);
  return json(201, { caseId, ...note, links: { case: `/ops/cases/${caseId}` } });
};

export const handler = apiHandler(addCaseNote);
