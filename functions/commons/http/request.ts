import type { z } from 'zod';
import { badRequest, notFound, unsupportedMediaType, validationFailed } from '../errors.ts';
import { toIssues } from '../validation.ts';
import type { ApiEvent } from './api-handler.ts';

/** Parses and validates a JSON body: 400 when it is absent or not JSON, 422 with field paths when invalid. */
export const jsonBody = <S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> =>
  validate(rawJsonBody(event), schema);

/** `application/json` or any `+json` type, with or without parameters (charset). */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

/**
 * DynamoDB stores numbers from 1e-130 to 9.9e125 (38 digits); a body number outside a far narrower range
 * than that is never a real amount, count or id, and is refused here rather than by the store.
 */
const NUMBER_RANGE = { min: 1e-100, max: 1e100 };

export const rawJsonBody = (event: ApiEvent): unknown => {
  if (event.body === undefined || event.body === '') throw badRequest('a JSON request body is required');
  const contentType = header(event, 'content-type') ?? '';
  if (!JSON_MEDIA_TYPE.test(contentType)) {
    throw unsupportedMediaType(`the request body must be application/json, not ${contentType || 'untyped'}`, [
      { path: 'headers.content-type', reason: 'must be application/json' },
    ]);
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`the request body is not valid JSON: ${(error as Error).message}`, [
      { path: '(body)', reason: 'malformed JSON' },
    ]);
  }
  const outOfRange = numberOutOfRange(value, '');
  if (outOfRange !== undefined) {
    throw validationFailed([
      { path: outOfRange || '(body)', reason: 'number out of range (zero, or 1e-100 to 1e100 in size)' },
    ]);
  }
  return value;
};

/** The path of the first number in `value` that no field could mean (denormal, huge, or not finite). */
function numberOutOfRange(value: unknown, path: string): string | undefined {
  if (typeof value === 'number') {
    const size = Math.abs(value);
    return size !== 0 && (size < NUMBER_RANGE.min || size > NUMBER_RANGE.max) ? path : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = numberOutOfRange(item, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

export const validate = <S extends z.ZodType>(value: unknown, schema: S): z.infer<S> => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationFailed(toIssues(parsed.error));
  return parsed.data;
};

/** What a case id looks like; the `{caseId}` path parameter of the API's routes. */
export const CASE_ID = /^case_[0-9a-z]{8,40}$/;

/** The `{caseId}` path parameter; anything that cannot be a case id is simply not found. */
export const caseIdParam = (event: ApiEvent): string => {
  const caseId = event.pathParameters?.caseId ?? '';
  if (!CASE_ID.test(caseId)) throw notFound(`no case ${JSON.stringify(caseId)}`);
  return caseId;
};

/** Header lookup; API Gateway lower-cases header names in the v2 payload. */
export const header = (event: ApiEvent, name: string): string | undefined =>
  event.headers?.[name.toLowerCase()];

/** What a caller's correlation id may look like: short, visible, no spaces (it is logged and echoed). */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The request's correlation id: the caller's `X-Correlation-Id` when it is well formed, else API Gateway's
 * requestId. create-case stores it on the case, and every step, email and timer of the case logs it.
 */
export const correlationIdOf = (event: ApiEvent): string | undefined => {
  const given = header(event, 'x-correlation-id');
  return given !== undefined && CORRELATION_ID.test(given) ? given : event.requestContext?.requestId;
};

/** What an agent id looks like; the `{agentId}` path parameter of the API's routes. */
export const AGENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The `{agentId}` path parameter; anything that cannot be an agent id is simply not found. */
export const agentIdParam = (event: ApiEvent): string => {
  const agentId = event.pathParameters?.agentId ?? '';
  if (!AGENT_ID.test(agentId)) throw notFound(`no agent ${JSON.stringify(agentId)}`);
  return agentId;
};
