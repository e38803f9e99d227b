import type { EscalationReason } from '../functions/domain/escalation.ts';
import { type FunctionId, substitutionName } from '../functions/registry.ts';

/**
 * Shared building blocks for family workflows. Families compose these; no family writes ASL by hand, so
 * retry, catch and timeout policy is the same everywhere and changes in one place.
 */
export type State = Record<string, unknown>;
export type States = Record<string, State>;

const arn = (fn: FunctionId) => `\${${substitutionName(fn)}}`;

/**
 * Throttles and transient faults (of Lambda itself, or of a service a step calls: `TransientError`) delay a
 * case, never fail it: retried with exponential backoff and full jitter for about half an hour before the
 * step counts as failed and escalates. A lost optimistic-concurrency race is retried sooner and fewer
 * times: a fresh read settles it. Everything else is caught.
 */
const TRANSIENT = [
  'TransientError',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
const transientRetry = (errors: readonly string[]) => ({
  ErrorEquals: [...TRANSIENT, ...errors],
  IntervalSeconds: 2,
  BackoffRate: 2,
  MaxAttempts: 16,
  MaxDelaySeconds: 120,
  JitterStrategy: 'FULL',
});
const CONFLICT_RETRY = {
  ErrorEquals: ['ConflictError'],
  IntervalSeconds: 1,
  BackoffRate: 2,
  MaxAttempts: 6,
  MaxDelaySeconds: 10,
  JitterStrategy: 'FULL',
};
/** A step that timed out (an overloaded dependency) is tried again like a throttle. */
const STEP_RETRY = [transientRetry(['States.Timeout']), CONFLICT_RETRY];
/** A wait's own timeout is its hard cap: it is caught, never retried. */
const CALLBACK_RETRY = [transientRetry([]), CONFLICT_RETRY];

export const STEP_FAILED = 'EscalateStepFailure';
export const CASE_FAILED = 'CaseFailed';
export const ALERT_OPERATORS = 'AlertOperatorsDirectly';
export const ESCALATION_FAILED = 'EscalationFailed';

const catchAll = { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: STEP_FAILED };

/** A Lambda step that receives `{ caseId, ...extra }` and puts its result at `resultPath`. */
export const step = (
  fn: FunctionId,
  options: {
    next: string;
    resultPath?: string | null;
    parameters?: Record<string, unknown>;
    comment?: string;
  },
): State => ({
  Type: 'Task',
  ...(options.comment ? { Comment: options.comment } : {}),
  Resource: arn(fn),
  // The execution's ARN rides along so the step's log lines name the run they belong to.
  Parameters: { 'caseId.$': '$.caseId', 'execution.$': '$$.Execution.Id', ...options.parameters },
  ResultPath: options.resultPath === undefined ? null : options.resultPath,
  TimeoutSeconds: 30,
  Retry: STEP_RETRY,
  Catch: [catchAll],
  Next: options.next,
});

/**
 * A wait on someone outside the workflow (a seller's reply, a team's decision): the Lambda records the
 * wait and the task token; the reply or decision completes the token. The hard cap is explicit, never the
 * engine's default, and reaching it goes to `onTimeout`.
 */
export const callback = (
  fn: FunctionId,
  options: {
    next: string;
    timeoutSeconds: number;
    onTimeout: string;
    resultPath: string;
    comment: string;
    payload?: Record<string, unknown>;
  },
): State => ({
  Type: 'Task',
  Comment: options.comment,
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Parameters: {
    FunctionName: arn(fn),
    Payload: {
      'caseId.$': '$.caseId',
      'execution.$': '$$.Execution.Id',
      'taskToken.$': '$$.Task.Token',
      ...options.payload,
    },
  },
  ResultPath: options.resultPath,
  TimeoutSeconds: options.timeoutSeconds,
  Retry: CALLBACK_RETRY,
  Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: options.onTimeout }, catchAll],
  Next: options.next,
});

/** A Choice on a boolean the previous steps put in the state: `true` goes to `then`, anything else to `otherwise`. */
export const ifTrue = (variable: string, then: string, otherwise: string, comment: string): State => ({
  Type: 'Choice',
  Comment: comment,
  Choices: [{ Variable: variable, BooleanEquals: true, Next: then }],
  Default: otherwise,
});

/**
 * Publishes an escalation and records it on the case, then continues (or ends the run, for failures). If
 * the escalation itself fails past its retries, operators are alerted straight on the topic and the run
 * ends: no case is left without a live execution or an alert.
 */
export const escalation = (reason: EscalationReason, next: string): State => ({
  Type: 'Task',
  Comment: `Escalate: ${reason.replace('_', ' ')}`,
  Resource: arn('Escalate'),
  Parameters: { 'caseId.$': '$.caseId', 'execution.$': '$$.Execution.Id', reason, 'error.$': '$.error' },
  ResultPath: '$.escalation',
  TimeoutSeconds: 30,
  Retry: STEP_RETRY,
  Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.escalationError', Next: ALERT_OPERATORS }],
  Next: next,
});

/**
 * The states every family ends with: a step that fails for good escalates to an operator, then fails; an
 * escalation that cannot be recorded alerts operators without the table (`AlertOperators`), then fails.
 */
export const failureStates = (family: string): States => ({
  [STEP_FAILED]: escalation('step_failed', CASE_FAILED),
  [CASE_FAILED]: {
    Type: 'Fail',
    Error: 'CaseStepFailed',
    Cause: 'A workflow step failed after retries; the case is marked failed and an operator was alerted.',
  },
  [ALERT_OPERATORS]: {
    Type: 'Task',
    Comment: 'Last resort: the escalation could not be recorded; alert operators on the topic directly',
    Resource: arn('AlertOperators'),
    Parameters: {
      'caseId.$': '$.caseId',
      family,
      'execution.$': '$$.Execution.Id',
      'error.$': '$.error',
      'escalationError.$': '$.escalationError',
    },
    ResultPath: null,
    TimeoutSeconds: 30,
    Retry: [transientRetry(['States.Timeout'])],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.alertError', Next: ESCALATION_FAILED }],
    Next: ESCALATION_FAILED,
  },
  [ESCALATION_FAILED]: {
    Type: 'Fail',
    Error: 'CaseEscalationFailed',
    Cause:
      'Escalating the case failed after retries; operators were alerted on the escalation topic directly ' +
      '(unless that failed too: see the execution history). The case record was not updated.',
  },
});

export interface Workflow {
  readonly Comment: string;
  readonly StartAt: string;
  readonly States: States;
}
