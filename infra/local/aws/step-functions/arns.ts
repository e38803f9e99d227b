import { sfnErrors } from './sfn-errors.ts';

const STATE_MACHINE_ARN = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):stateMachine:([^:]+)$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/;

/** The parts of a state machine ARN that an execution ARN repeats. */
export interface StateMachineArnParts {
  partition: string;
  region: string;
  account: string;
  name: string;
}

/**
 * Splits a state machine ARN.
 * @throws AwsServiceError `InvalidArn` when it is not one.
 */
export function parseStateMachineArn(arn: string): StateMachineArnParts {
  const match = STATE_MACHINE_ARN.exec(arn);
  if (!match) {
    throw sfnErrors.invalidArn(arn);
  }
  const [, partition = '', region = '', account = '', name = ''] = match;
  return { partition, region, account, name };
}

/** The ARN AWS gives an execution named `executionName` of the state machine `stateMachineArn`. */
export function executionArnOf(stateMachineArn: string, executionName: string): string {
  const { partition, region, account, name } = parseStateMachineArn(stateMachineArn);
  return `arn:${partition}:states:${region}:${account}:execution:${name}:${executionName}`;
}

/**
 * Checks the shape of an execution ARN, so a malformed one answers `InvalidArn` (as AWS does) rather than
 * `ExecutionDoesNotExist`.
 */
export function assertExecutionArn(arn: string): void {
  if (!EXECUTION_ARN.test(arn)) {
    throw sfnErrors.invalidArn(arn);
  }
}
