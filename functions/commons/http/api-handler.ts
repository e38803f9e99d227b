import middy, { type MiddlewareObj } from '@middy/core';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import { ConflictError, HttpError } from '../errors.ts';
import { currentLogKeys, loggedInvocation, logger } from '../logging.ts';
import { isTransient } from '../retry.ts';
import { correlationIdOf } from './request.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});

/**
 * Maps errors to JSON responses: `{ error: { status, code, message, issues[] } }`. Only exposable (4xx)
 * errors say what went wrong; anything else is logged and answered with a generic 500, so internals
 * never leak to a seller portal.
 */
export const httpErrorHandler = (): MiddlewareObj<ApiEvent, ApiResult> => ({
  onError: async (request) => {
    const error = request.error;
    if (error instanceof ConflictError) {
      // Another request changed the case between this one's read and its write: nothing was written, and
      // the same request may simply be sent again.
      request.response = json(
        409,
        {
          error: {
            status: 409,
            code: 'conflict',
            message: 'the case changed while this request was being applied; nothing was written, retry it',
            issues: [],
          },
        },
        { 'retry-after': '1' },
      );
      return;
    }
    if (isTransient(error)) {
      // A throttle or a fault of a service this request needed, past the SDK's own retries (or the function's
      // time running out): nothing the caller did wrong, and the same request is safe to send again.
      request.response = json(
        503,
        {
          error: {
            status: 503,
            code: 'unavailable',
            message: 'a service this request needs is busy; nothing was lost, retry it shortly',
            issues: [],
          },
        },
        { 'retry-after': '2' },
      );
      return;
    }
    if (error instanceof HttpError && error.expose) {
      request.response = json(error.status, {
        error: { status: error.status, code: error.code, message: error.message, issues: error.issues },
      });
      return;
    }
    logger.error('unhandled error', { error: String(error), stack: error?.stack });
    request.response = json(500, {
      error: { status: 500, code: 'internal_error', message: 'internal error; retry later', issues: [] },
    });
  },
});

/**
 * Each request is one logged invocation: its requestId, its correlation id (an incoming `X-Correlation-Id`,
 * else the requestId; create-case keeps it on the case, and a request that reads a case adopts the case's),
 * the case its path names, and its status code. The response carries the correlation id back, so a portal
 * can quote it.
 */
const requestKeys = (event: ApiEvent) => ({
  requestId: event.requestContext?.requestId,
  correlationId: correlationIdOf(event),
  caseId: event.pathParameters?.caseId,
});

/**
 * The response with the correlation id the request was logged under (the case's, once the handler read a
 * case; else the request's own), errors' responses too (they skip middy's `after`).
 */
const withCorrelationHeader = (event: ApiEvent, result: ApiResult): ApiResult => {
  const id = currentLogKeys().correlationId ?? correlationIdOf(event);
  return id && result ? { ...result, headers: { ...result.headers, 'x-correlation-id': id } } : result;
};

/** Wraps a raw API handler (exported beside it, for tests that skip middleware) with the shared middleware. */
export const apiHandler = (raw: (event: ApiEvent) => Promise<ApiResult>) => {
  const wrapped = middy<ApiEvent, ApiResult>(raw).use(httpErrorHandler());
  return loggedInvocation(
    async (event: ApiEvent, context?: Context): Promise<ApiResult> =>
      withCorrelationHeader(event, await wrapped(event, context as Context)),
    requestKeys,
    (result) => ({ statusCode: result?.statusCode }),
  );
};
