import type { z } from 'zod';
import { badRequest, notFound, validationFailed } from '../errors.ts';
import { toIssues } from '../validation.ts';
import type { ApiEvent } from './api-handler.ts';

/** Parses and validates a JSON body: 400 when it is absent or not JSON, 422 with field paths when invalid. */
export const jsonBody = <S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> =>
  validate(rawJsonBody(event), schema);

export const rawJsonBody = (event: ApiEvent): unknown => {
  if (event.body === undefined || event.body === '') throw badRequest('a JSON request body is required');
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the request body is not valid JSON: ${(error as Error).message}`, [
      { path: '(body)', reason: 'malformed JSON' },
    ]);
  }
};

export const validate = <S extends z.ZodType>(value: unknown, schema: S): z.infer<S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed(toIssues(parsed.error));
  return parsed.data;
};

const CASE_ID = /^case_[0-9a-z]{8,40}$/;

/** The `{caseId}` path parameter; anything that cannot be a case id is simply not found. */
export const caseIdParam = (event: ApiEvent): string => {
  const caseId = event.pathParameters?.caseId ?? '';
  if (!CASE_ID.test(caseId)) throw notFound(`no case ${JSON.stringify(caseId)}`);
  return caseId;
};

/** Header lookup; API Gateway lower-cases header names in the v2 payload. */
export const header = (event: ApiEvent, name: string): string | undefined =>
  event.headers?.[name.toLowerCase()];
