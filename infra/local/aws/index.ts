/**
 * Local, in-process emulation of the AWS APIs SellerWorks' Lambda handlers call (Step Functions, SES v2,
 * SNS, S3, Secrets Manager, EventBridge Scheduler), served over their real wire protocols by one HTTP server.
 */
export { AwsServiceError } from './aws-service-error.ts';
export { FaultInjector, type FaultRule, type FaultRuleInput, faultRuleInput } from './faults.ts';
export { type LocalAwsServer, type LocalAwsServerOptions, startLocalAwsServer } from './local-aws-server.ts';
export { Outbox, type OutboxEntry, type OutboxListener } from './outbox.ts';
export { LocalObjectStore, type ObjectHead, type StoredObject } from './s3/object-store.ts';
export {
  LocalScheduler,
  type LocalSchedulerOptions,
  type LocalSchedulerSettings,
  REAL_TIME_CLOCK,
  SCHEDULER_RESTARTED,
  type SchedulerClock,
} from './scheduler/local-scheduler.ts';
export type { InvocationStatus, ScheduleRecord } from './scheduler/schedule-record.ts';
export { LOCAL_ACCOUNT_ID, LocalSecrets, type SecretValue } from './secrets.ts';
export {
  MAX_TIMEOUT_SECONDS,
  StateMachineDefinitionError,
} from './step-functions/check-definition.ts';
export type { ExecutionRecord } from './step-functions/execution-record.ts';
export type { InvokeFunction } from './step-functions/execution-runner.ts';
export {
  type ExecutionEventListener,
  type ExecutionEventNotice,
  ExecutionStore,
} from './step-functions/execution-store.ts';
export {
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
  type StateMachineSpec,
} from './step-functions/local-step-functions.ts';
