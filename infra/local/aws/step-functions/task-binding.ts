/** How a Task state's `Resource` is run locally. */
export type TaskIntegration =
  /** `arn:aws:lambda:…:function:…`: the state's effective input is the event, the result is the output. */
  | 'lambda-function'
  /** `arn:aws:states:::lambda:invoke`: invokes `FunctionName` with `Payload`, answers `{ Payload, StatusCode }`. */
  | 'lambda-invoke'
  /** `arn:aws:states:::lambda:invoke.waitForTaskToken`: invokes, then waits for SendTaskSuccess/Failure. */
  | 'lambda-invoke-callback';

/** One Task state of a registered state machine and how the local engine runs it. */
export interface TaskBinding {
  readonly stateName: string;
  readonly integration: TaskIntegration;
  readonly resource: string;
}

const LAMBDA_FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/;
const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke$/;
const LAMBDA_INVOKE_CALLBACK = /^arn:aws[a-z-]*:states:::lambda:invoke\.waitForTaskToken$/;

/** The integration a `Resource` names, or `undefined` when the local engine cannot run it. */
export function integrationOf(resource: string): TaskIntegration | undefined {
  if (LAMBDA_FUNCTION_ARN.test(resource)) {
    return 'lambda-function';
  }
  if (LAMBDA_INVOKE.test(resource)) {
    return 'lambda-invoke';
  }
  if (LAMBDA_INVOKE_CALLBACK.test(resource)) {
    return 'lambda-invoke-callback';
  }
  return undefined;
}
