/** One problem with an input: where it is (a dotted field path) and what is wrong. */
export interface Issue {
  readonly path: string;
  readonly reason: string;
}

/**
 * An error the caller can act on. `expose` follows Middy's convention: only 4xx messages reach callers,
 * unless a 5xx is deliberately written for them (a 503 that says how to retry safely); anything else is
 * logged and answered with a generic 500.
 */
export class HttpError extends Error {
  readonly expose: boolean;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly Issue[] = [],
    options?: ErrorOptions & { readonly expose?: boolean },
  ) {
    super(message, options);
    this.name = 'HttpError';
    this.expose = options?.expose ?? status < 500;
  }
}

export const badRequest = (message: string, issues: readonly Issue[] = []): HttpError =>
  new HttpError(400, 'bad_request', message, issues);
export const validationFailed = (issues: readonly Issue[]): HttpError =>
  new HttpError(
    422,
    'validation_failed',
    `invalid input: ${issues.map((i) => `${i.path}: ${i.reason}`).join('; ')}`,
    issues,
  );
export const unauthorized = (message = 'a valid bearer token is required'): HttpError =>
  new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string): HttpError => new HttpError(403, 'forbidden', message);
export const notFound = (message: string): HttpError => new HttpError(404, 'not_found', message);
export const conflict = (message: string): HttpError => new HttpError(409, 'conflict', message);
export const unsupportedMediaType = (message: string, issues: readonly Issue[] = []): HttpError =>
  new HttpError(415, 'unsupported_media_type', message, issues);

/**
 * A case changed between read and write (optimistic concurrency). Step Functions retries it by name.
 */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

/** A domain rule refused an operation (a handoff whose payload does not validate, a step out of order). */
export class DomainRuleError extends Error {
  override name = 'DomainRuleError';
  constructor(
    message: string,
    readonly issues: readonly Issue[] = [],
  ) {
    super(message);
  }
}

/**
 * A throttle or a transient fault (a 5xx, a timeout, a transaction still in progress) that outlived the SDK's
 * own retries: it delays a case, it must never fail it. The state machine retries it for minutes, with
 * backoff and jitter, by this name.
 */
export class TransientError extends Error {
  override name = 'TransientError';
}
