import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import {
  describeExecution,
  describeStateMachine,
  type ExecutionSummary,
  executionHistory,
} from '#gateways/workflow.ts';
import type { FamilyId } from '#state-machines/catalog.ts';
import type { CaseRecord } from './case.ts';

const stateMachineArns = () => JSON.parse(requireEnv(ENV.stateMachineArns)) as Record<FamilyId, string>;

export type { ExecutionSummary };

/**
 * A run and, for runs kept from versions before the durable local engine (which aborted a run at each
 * restart and started it again as `<name>-resumed-<n>`), each restart of it. Today's runs have none.
 */
const runAndRestarts = async (stateMachineArn: string, name: string): Promise<ExecutionSummary[]> => {
  const runs: ExecutionSummary[] = [];
  let current = await describeExecution(stateMachineArn, name);
  for (let n = 1; current; n++) {
    runs.push(current);
    current =
      current.status === 'ABORTED'
        ? await describeExecution(stateMachineArn, `${name}-resumed-${n}`)
        : undefined;
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
  const { definition, ...stateMachine } = await describeStateMachine(execution.stateMachineArn);
  return { stateMachine, definition, events: await executionHistory(execution.executionArn) };
};
