import { type LocalStepFunctions, RUNTIME_RESTARTED } from './aws/index.ts';

const RESUMED = /^(.*)-resumed-(\d+)$/;

/**
 * The in-process engine cannot continue an execution after the runtime stopped; the store marks such an
 * execution ABORTED (`Local.RuntimeRestarted`) when it opens. This starts each one again, under a new
 * name (`<name>-resumed-<n>`), with the same input: the steps are idempotent per case (a triaged case is
 * not triaged again, a sent message is not re-sent, a wait re-binds to the new task token), so the case
 * picks up where it was — a seller's reply to the evidence request they already have still resumes it.
 * Returns the names of the executions started.
 */
export const resumeInterruptedExecutions = (
  sfn: LocalStepFunctions,
  stateMachineArns: readonly string[],
): string[] => {
  const started: string[] = [];
  for (const stateMachineArn of stateMachineArns) {
    const names = new Set<string>();
    const aborted: { executionArn: string; name: string }[] = [];
    let nextToken: string | undefined;
    do {
      const page = sfn.listExecutions({
        stateMachineArn,
        maxResults: 1000,
        ...(nextToken ? { nextToken } : {}),
      });
      for (const execution of page.executions ?? []) {
        names.add(execution.name ?? '');
        if (execution.status === 'ABORTED')
          aborted.push({ executionArn: execution.executionArn ?? '', name: execution.name ?? '' });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    for (const execution of aborted) {
      const described = sfn.describeExecution({ executionArn: execution.executionArn });
      if (described.error !== RUNTIME_RESTARTED.error) continue;
      const match = RESUMED.exec(execution.name);
      const name = `${match?.[1] ?? execution.name}-resumed-${Number(match?.[2] ?? 0) + 1}`;
      if (names.has(name)) continue;
      sfn.startExecution({ stateMachineArn, name, input: described.input ?? '{}' });
      started.push(name);
    }
  }
  return started;
};
