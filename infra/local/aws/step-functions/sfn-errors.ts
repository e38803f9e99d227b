import { AwsServiceError } from '../aws-service-error.ts';

/**
 * The Step Functions API errors the local service answers, named as the real service names them so the SDK
 * raises e.g. `TaskTimedOut` or `ExecutionDoesNotExist`.
 */
export const sfnErrors = {
  invalidArn: (arn: string) => new AwsServiceError('InvalidArn', `Invalid Arn: '${arn}'`),
  invalidName: (name: string) => new AwsServiceError('InvalidName', `Invalid Name: '${name}'`),
  invalidExecutionInput: (why: string) =>
    new AwsServiceError('InvalidExecutionInput', `Invalid execution input: ${why}`),
  invalidOutput: (why: string) => new AwsServiceError('InvalidOutput', `Invalid output: ${why}`),
  invalidToken: (why: string) => new AwsServiceError('InvalidToken', `Invalid Token: ${why}`),
  taskTimedOut: () =>
    new AwsServiceError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'"),
  executionDoesNotExist: (arn: string) =>
    new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`),
  executionAlreadyExists: (arn: string) =>
    new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`),
  stateMachineDoesNotExist: (arn: string) =>
    new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`),
} as const;
