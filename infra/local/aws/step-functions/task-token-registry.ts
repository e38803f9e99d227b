import { randomBytes } from 'node:crypto';
import type { JsonValue } from './engine-types.ts';
import { sfnErrors } from './sfn-errors.ts';
import { TaskFailure } from './task-failure.ts';

/** Largest `output` SendTaskSuccess accepts, as in AWS (256 KiB). */
const MAX_OUTPUT_BYTES = 256 * 1024;

interface PendingTask {
  readonly executionArn: string;
  resolve(output: JsonValue): void;
  reject(error: Error): void;
}

/** A token handed to a `.waitForTaskToken` task, and what the task learns through it. */
export interface IssuedTaskToken {
  readonly token: string;
  /** Settles with SendTaskSuccess's output, or rejects with a {@link TaskFailure} from SendTaskFailure. */
  readonly outcome: Promise<JsonValue>;
}

/**
 * The task tokens of `.waitForTaskToken` tasks that are waiting now. A token is fresh per task entry,
 * unguessable (256 random bits) and usable once: after SendTaskSuccess/Failure, a timeout or the end of its
 * execution it answers `TaskTimedOut`, and a token this service never issued answers `InvalidToken`, as in
 * AWS.
 *
 * The token carries its execution ARN so that a token outliving its task (even across a restart, which
 * aborts the execution) is still recognised as "timed out" rather than "invalid".
 */
export class TaskTokenRegistry {
  private readonly pending = new Map<string, PendingTask>();

  /** @param isKnownExecution Whether an execution ARN belongs to this service. */
  constructor(private readonly isKnownExecution: (executionArn: string) => boolean) {}

  /** Issues a fresh token for a task of `executionArn` that starts waiting now. */
  issue(executionArn: string): IssuedTaskToken {
    const token = `${Buffer.from(executionArn).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
    const outcome = new Promise<JsonValue>((resolve, reject) => {
      this.pending.set(token, { executionArn, resolve, reject });
    });
    // The task may stop waiting (timeout, abort) before anyone reads the outcome; that is not an error.
    outcome.catch(() => undefined);
    return { token, outcome };
  }

  /**
   * SendTaskSuccess: resumes the task with `output`.
   * @throws AwsServiceError `InvalidOutput`, `TaskTimedOut` or `InvalidToken`.
   */
  succeed(token: string, output: string): void {
    const value = parseOutput(output);
    this.take(token).resolve(value);
  }

  /**
   * SendTaskFailure: fails the task with `error` (matched by Retry/Catch) and `cause`.
   * @throws AwsServiceError `TaskTimedOut` or `InvalidToken`.
   */
  fail(token: string, error = '', cause = ''): void {
    this.take(token).reject(new TaskFailure(error, cause));
  }

  /**
   * SendTaskHeartbeat: only checks the token; the engine has no heartbeat timeout to extend.
   * @throws AwsServiceError `TaskTimedOut` or `InvalidToken`.
   */
  heartbeat(token: string): void {
    this.find(token);
  }

  /** The task stopped waiting (it timed out or its invocation failed): the token is dead from now on. */
  expire(token: string): void {
    this.pending.delete(token);
  }

  /**
   * The execution ended or was stopped: its tokens die, and the tasks still waiting are released with
   * `reason` so the engine can unwind them.
   */
  releaseExecution(executionArn: string, reason: Error): void {
    for (const [token, task] of this.pending) {
      if (task.executionArn === executionArn) {
        this.pending.delete(token);
        task.reject(reason);
      }
    }
  }

  private take(token: string): PendingTask {
    const task = this.find(token);
    this.pending.delete(token);
    return task;
  }

  private find(token: string): PendingTask {
    const task = this.pending.get(token);
    if (task) {
      return task;
    }
    const executionArn = TaskTokenRegistry.executionOf(token);
    if (executionArn !== undefined && this.isKnownExecution(executionArn)) {
      throw sfnErrors.taskTimedOut();
    }
    throw sfnErrors.invalidToken('the task token was not issued by this service');
  }

  private static executionOf(token: string): string | undefined {
    const [encodedArn, secret, ...rest] = token.split('.');
    if (encodedArn === undefined || secret === undefined || rest.length > 0) {
      return undefined;
    }
    return Buffer.from(encodedArn, 'base64url').toString();
  }
}

function parseOutput(output: string): JsonValue {
  if (Buffer.byteLength(output) > MAX_OUTPUT_BYTES) {
    throw sfnErrors.invalidOutput(`output exceeds ${MAX_OUTPUT_BYTES} bytes`);
  }
  try {
    return JSON.parse(output) as JsonValue;
  } catch {
    throw sfnErrors.invalidOutput('output is not valid JSON');
  }
}
