/**
 * An error as the Amazon States Language sees it: `error` is what Retry and Catch match (`States.Timeout`,
 * `ConflictError`, a SendTaskFailure error), `cause` the text recorded with it.
 */
export class StatesError extends Error {
  override readonly name = 'StatesError';
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
  }

  /**
   * What an invoked Lambda function threw, as Lambda reports it to Step Functions: the error's name is the
   * ASL error, and the cause is the JSON the Node.js runtime writes (`errorType`, `errorMessage`, `trace`).
   */
  static fromFunctionError(thrown: unknown): StatesError {
    if (thrown instanceof StatesError) return thrown;
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    const errorType = error.name || 'Error';
    const trace = error.stack?.split('\n') ?? [];
    return new StatesError(errorType, JSON.stringify({ errorType, errorMessage: error.message, trace }));
  }
}

/** Errors `States.ALL` does not match: terminal ones, as in Step Functions. */
export const NOT_MATCHED_BY_ALL = new Set(['States.DataLimitExceeded', 'States.Runtime']);
