/**
 * The error a Task state fails with. The engine matches Retry and Catch `ErrorEquals` against `name`, so the
 * name is the ASL error (`ConflictError`, `States.Runtime`, a SendTaskFailure `error`) and the message is the
 * ASL cause.
 *
 * It deliberately sets no `cause` property: the engine reports `error.cause ?? error.message` as the Cause.
 */
export class TaskFailure extends Error {
  constructor(error: string, cause: string) {
    super(cause);
    this.name = error;
  }

  /**
   * Wraps what an invoked function threw as Lambda reports it: the error's name is the ASL error, and the
   * cause is the JSON the Node.js Lambda runtime writes (`errorType`, `errorMessage`, `trace`).
   */
  static fromFunctionError(thrown: unknown): TaskFailure {
    if (thrown instanceof TaskFailure) {
      return thrown;
    }
    const error = thrown instanceof Error ? thrown : new Error(String(thrown));
    const errorType = error.name || 'Error';
    const trace = error.stack?.split('\n') ?? [];
    return new TaskFailure(errorType, JSON.stringify({ errorType, errorMessage: error.message, trace }));
  }
}
