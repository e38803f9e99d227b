/**
 * An error the local AWS endpoint answers in the calling protocol's error shape, so the AWS SDK raises the
 * exception class the real service would (`code` is the service's error name, e.g. `TaskTimedOut`).
 */
export class AwsServiceError extends Error {
  override readonly name = 'AwsServiceError';

  /**
   * @param code The service error name the SDK maps to an exception class (`ExecutionDoesNotExist`).
   * @param message Human-readable detail, shown as the exception's `message`.
   * @param statusCode HTTP status; 400 for caller mistakes, as the real services answer them.
   */
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }

  /** `Sender` for caller mistakes, `Receiver` for our own faults (the query and XML protocols carry it). */
  get fault(): 'Sender' | 'Receiver' {
    return this.statusCode < 500 ? 'Sender' : 'Receiver';
  }
}
