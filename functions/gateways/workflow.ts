import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { sfn } from '#commons/clients/sfn.ts';
import { backoffMs, isTransient, sleep } from '#commons/retry.ts';

/**
 * The one door to Step Functions: starting executions, reading them for the ops console, and answering a
 * waiting step (`.waitForTaskToken`). Provider errors that are facts for the caller (the execution exists
 * already, does not exist, the wait is over) come back as values; the rest are thrown.
 */

export interface ExecutionSummary {
  readonly name: string;
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly status: string;
  readonly startDate: string | null;
  readonly stopDate: string | null;
  readonly error?: string;
  readonly cause?: string;
}

/**
 * Starts an execution named `name`. `exists` when one of that name ran or runs already: names are chosen
 * so that it is this very run, started by an earlier attempt.
 */
export const startExecution = async (
  stateMachineArn: string,
  name: string,
  input: unknown,
): Promise<'started' | 'exists'> => {
  try {
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return 'started';
  } catch (error) {
    if ((error as Error).name === 'ExecutionAlreadyExists') return 'exists';
    throw error;
  }
};

const executionArnOf = (stateMachineArn: string, name: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

/** The execution of a state machine by its name; undefined when there is none. */
export const describeExecution = async (
  stateMachineArn: string,
  name: string,
): Promise<ExecutionSummary | undefined> => {
  try {
    const out = await sfn.send(
      new DescribeExecutionCommand({ executionArn: executionArnOf(stateMachineArn, name) }),
    );
    return {
      name,
      executionArn: out.executionArn ?? executionArnOf(stateMachineArn, name),
      stateMachineArn,
      status: out.status ?? 'UNKNOWN',
      startDate: out.startDate?.toISOString() ?? null,
      stopDate: out.stopDate?.toISOString() ?? null,
      ...(out.error ? { error: out.error } : {}),
      ...(out.cause ? { cause: out.cause } : {}),
    };
  } catch (error) {
    if (error instanceof ExecutionDoesNotExist || (error as Error).name === 'ExecutionDoesNotExist')
      return undefined;
    throw error;
  }
};

/** A state machine's name, ARN and definition (parsed ASL). */
export const describeStateMachine = async (stateMachineArn: string) => {
  const machine = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
  return {
    name: machine.name ?? '',
    arn: machine.stateMachineArn ?? '',
    definition: JSON.parse(machine.definition ?? '{}') as unknown,
  };
};

/** An execution's whole history, every page, without state input and output. */
export const executionHistory = async (
  executionArn: string,
): Promise<(Omit<HistoryEvent, 'timestamp'> & { timestamp: string | null })[]> => {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    // State input and output stay out: they can carry case data a viewer's team may not see.
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn,
        maxResults: 1000,
        includeExecutionData: false,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events.map((e) => ({ ...e, timestamp: e.timestamp?.toISOString() ?? null }));
};

/** `completed`: the wait took the answer. `closed`: it had already ended (answered, timed out, stopped). */
export type TaskAnswer = 'completed' | 'closed';

/** What Step Functions answers for a token whose wait is over: not an error for the caller, a fact. */
const CLOSED = new Set(['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist']);

/** Throttles and faults are retried with backoff (beyond the SDK's own retries): they delay, never fail. */
const ATTEMPTS = 5;

const answer = async (call: () => Promise<unknown>): Promise<TaskAnswer> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await call();
      return 'completed';
    } catch (error) {
      if (CLOSED.has((error as Error).name)) return 'closed';
      if (!isTransient(error) || attempt >= ATTEMPTS) throw error;
      await sleep(backoffMs(attempt, 100, 2_000));
    }
  }
};

/**
 * Resumes the waiting step with `output` (serialised as JSON). Callers commit their own change first, then
 * answer the wait.
 */
export const completeTask = (taskToken: string, output: unknown): Promise<TaskAnswer> =>
  answer(() => sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })));

/** Fails the waiting step with an error name the state machine can Catch, and a cause. */
export const failTask = (taskToken: string, error: string, cause: string): Promise<TaskAnswer> =>
  answer(() => sfn.send(new SendTaskFailureCommand({ taskToken, error, cause })));
