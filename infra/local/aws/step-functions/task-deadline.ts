/**
 * The moment a Task state's `TimeoutSeconds` runs out, as seen by the task handler.
 *
 * The engine races every task against its own timer and fails the state with `States.Timeout`, but does
 * not tell the task. A handler arms this deadline synchronously when the engine calls it, just before the
 * engine arms its timer with the same delay; Node fires equal-delay timers in the order they were armed, in
 * the same timers phase, so the handler learns of the timeout (kills the token, records `TaskTimedOut`)
 * before the engine moves on and before any request can slip in between.
 */
export class TaskDeadline {
  private reached = false;
  private readonly timer: NodeJS.Timeout;

  /** @param onReached Called once if the deadline passes before {@link disarm}. */
  constructor(timeoutSeconds: number, onReached: () => void) {
    this.timer = setTimeout(() => {
      this.reached = true;
      onReached();
    }, timeoutSeconds * 1000);
  }

  /** Whether the engine has timed the task out (the task's result no longer matters). */
  get passed(): boolean {
    return this.reached;
  }

  /** The task settled in time. */
  disarm(): void {
    clearTimeout(this.timer);
  }
}
