import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
} from '@aws-sdk/client-sfn';
import { sfn } from '#commons/clients/sfn.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import type { FamilyId } from '#state-machines/catalog.ts';
import type { CaseRecord } from './case.ts';

const stateMachineArns = () => JSON.parse(requireEnv(ENV.stateMachineArns)) as Record<FamilyId, string>;

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

const executionArnOf = (stateMachineArn: string, name: string) =>
  `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;

const describe = async (stateMachineArn: string, name: string): Promise<ExecutionSummary | undefined> => {
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

/** A run and, when it was stopped and started again under `<name>-resumed-<n>`, each restart of it. */
const runAndRestarts = async (stateMachineArn: string, name: string): Promise<ExecutionSummary[]> => {
  const runs: ExecutionSummary[] = [];
  let current = await describe(stateMachineArn, name);
  for (let n = 1; current; n++) {
    runs.push(current);
    current =
      current.status === 'ABORTED' ? await describe(stateMachineArn, `${name}-resumed-${n}`) : undefined;
  }
  return runs;
};

/**
 * Every run of a case's workflow, oldest first. Runs are named after the case and the entry (workflow.ts),
 * so they are found by name, without listing a state machine's executions (which grows with every case).
 */
export const caseExecutions = async (record: CaseRecord): Promise<ExecutionSummary[]> => {
  const stateMachineArn = stateMachineArns()[record.family];
  const names = [
    record.caseId,
    ...Array.from({ length: record.appealCount ?? 0 }, (_, i) => `${record.caseId}-appeal-${i + 1}`),
    ...Array.from({ length: record.reopenCount ?? 0 }, (_, i) => `${record.caseId}-reopen-${i + 1}`),
  ];
  const runs = (await Promise.all(names.map((name) => runAndRestarts(stateMachineArn, name)))).flat();
  return runs.sort((a, b) => (a.startDate ?? '').localeCompare(b.startDate ?? ''));
};

/** An execution's definition and history, as the Step Functions console shows them (without state data). */
export const executionDetail = async (execution: ExecutionSummary) => {
  const machine = await sfn.send(
    new DescribeStateMachineCommand({ stateMachineArn: execution.stateMachineArn }),
  );
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    // State input and output stay out: they can carry case data a viewer's team may not see.
    const page = await sfn.send(
      new GetExecutionHistoryCommand({
        executionArn: execution.executionArn,
        maxResults: 1000,
        includeExecutionData: false,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return {
    stateMachine: { name: machine.name ?? '', arn: machine.stateMachineArn ?? '' },
    definition: JSON.parse(machine.definition ?? '{}') as unknown,
    events: events.map((e) => ({ ...e, timestamp: e.timestamp?.toISOString() ?? null })),
  };
};
