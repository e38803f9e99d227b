import type { IncomingHttpHeaders } from 'node:http';
import type { AwsServiceError } from '../aws-service-error.ts';

/** An HTTP request to the local AWS endpoint, body read. */
export interface AwsRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Node's lower-cased headers. */
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Echoed in the response headers and error bodies, as AWS does. */
  readonly requestId: string;
}

/** What the server writes back. */
export interface AwsResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
}

/**
 * One AWS service behind the local endpoint, speaking that service's wire protocol. The server asks each
 * endpoint in turn whether a request is for it, using what the SDK puts in every request of the service.
 */
export interface Endpoint {
  /** Service name for logs. */
  readonly service: string;
  /** The largest request body the service accepts. */
  readonly maxBodyBytes: number;
  /** Whether the request is for this service (method, path and headers only; the body is not read yet). */
  matches(request: Omit<AwsRequest, 'body'>): boolean;
  /** Answers the request; an {@link AwsServiceError} thrown here goes to {@link renderError}. */
  handle(request: AwsRequest): Promise<AwsResponse> | AwsResponse;
  /** The service's error shape, so the SDK raises the exception the real service would cause. */
  renderError(error: AwsServiceError, request: Omit<AwsRequest, 'body'>): AwsResponse;
}

/** A header's single value (Node gives arrays for repeated headers). */
export function headerValue(request: Pick<AwsRequest, 'headers'>, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}
