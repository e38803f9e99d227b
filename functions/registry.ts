import { ENV, type EnvName } from '#commons/env-names.ts';

/**
 * Every Lambda function of SellerWorks, in one list. The CDK stack builds one function per entry and the
 * local runtime hosts the same handler module in-process; the state machines reach step functions through
 * the `${<id>FunctionArn}` definition substitution.
 */
export interface FunctionSpec {
  /** PascalCase id: construct id, local function name, and ASL substitution prefix. */
  readonly id: string;
  /** Path of the handler module, relative to the repository root. */
  readonly entry: string;
  readonly kind: 'api' | 'step' | 'email' | 'timer' | 'stream' | 'schedule';
  /** The AWS permissions the function needs; the stack turns these into least-privilege grants. */
  readonly access: readonly Access[];
  /** Environment variables the handler reads (their values come from the stack or the local runtime). */
  readonly env: readonly EnvName[];
  /**
   * For a stream function: where its event source mapping starts reading. `trim-horizon` (every record the
   * stream still holds) for one that counts each change once whatever it is handed; `latest` otherwise.
   */
  readonly streamStart?: 'latest' | 'trim-horizon';
  /**
   * For a stream function: which of the stream's records it is handed (its event source mapping's filter,
   * and the local runtime's). `cases` (default): inserts and changes of case items. `folds`: those, and new
   * evidence and new `message.sent` audit events (FAQ grouping's statements and templates).
   */
  readonly streamItems?: 'cases' | 'folds';
}

export type Access =
  | 'table:read'
  | 'table:write'
  | 'sfn:start'
  | 'sfn:task-response'
  | 'ses:send'
  | 'sns:escalate'
  | 'inbound:read'
  | 'evidence:write'
  | 'evidence:uploads'
  | 'evidence:read'
  | 'sfn:read'
  | 'table:stream'
  | 'secret:reply-token'
  | 'timers:schedule'
  | 'timers:cancel'
  | 'events:put';

/**
 * Every function that reads the case store. A commit writes the domain events of its audit events as an
 * outbox record addressed to the bus (functions/domain/domain-events.ts), so whatever may commit needs the
 * bus's name; the name is plain configuration, and read-only functions share the one list.
 */
const common: EnvName[] = [ENV.tableName, ENV.eventBusName];
const timers: EnvName[] = [ENV.timerFunctionArn, ENV.schedulerRoleArn, ENV.scheduleGroup];
const messaging: EnvName[] = [ENV.emailFrom, ENV.sesConfigurationSet, ENV.sesMessageIdDomain, ENV.portalUrl];

export const FUNCTIONS = [
  {
    id: 'CreateCase',
    entry: 'functions/api/create-case.ts',
    kind: 'api',
    access: ['table:read', 'table:write', 'events:put', 'sfn:start'],
    env: [...common, ENV.stateMachineArns],
  },
  {
    id: 'GetCase',
    entry: 'functions/api/get-case.ts',
    kind: 'api',
    access: ['table:read'],
    env: common,
  },
  {
    id: 'GetOpsCase',
    entry: 'functions/api/get-ops-case.ts',
    kind: 'api',
    // Presigned downloads of evidence attachments, for viewers with the right to see them.
    access: ['table:read', 'evidence:read'],
    env: [...common, ENV.evidenceBucket, ENV.s3ForcePathStyle],
  },
  {
    id: 'ListOpsCases',
    entry: 'functions/api/list-ops-cases.ts',
    kind: 'api',
    access: ['table:read'],
    env: common,
  },
  {
    id: 'ListReplayCases',
    entry: 'functions/api/list-replay-cases.ts',
    kind: 'api',
    access: ['table:read'],
    env: common,
  },
  {
    id: 'GetCaseExecution',
    entry: 'functions/api/get-case-execution.ts',
    kind: 'api',
    access: ['table:read', 'sfn:read'],
    env: [...common, ENV.stateMachineArns],
  },
  {
    id: 'GetMetrics',
    entry: 'functions/api/get-metrics.ts',
    kind: 'api',
    access: ['table:read'],
    env: common,
  },
  {
    id: 'GetWeeklyReview',
    entry: 'functions/api/get-weekly-review.ts',
    kind: 'api',
    access: ['table:read'],
    env: common,
  },
  {
    id: 'GetSlaBoard',
    entry: 'functions/api/get-sla-board.ts',
    kind: 'api',
    access: ['table:read'],
    env: common,
  },
  {
    id: 'RecordDecision',
    entry: 'functions/api/record-decision.ts',
    kind: 'api',
    access: ['table:read', 'table:write', 'events:put', 'sfn:task-response'],
    env: common,
  },
  {
    id: 'AppealCase',
    entry: 'functions/api/appeal-case.ts',
    kind: 'api',
    access: ['table:read', 'table:write', 'events:put', 'sfn:start'],
    env: [...common, ENV.stateMachineArns],
  },
  {
    id: 'AddEvidence',
    entry: 'functions/api/add-evidence.ts',
    kind: 'api',
    // sns:escalate: evidence that answered a wait in the instant it closed alerts the owning team.
    access: [
      'table:read',
      'table:write',
      'events:put',
      'sfn:task-response',
      'evidence:uploads',
      'sns:escalate',
    ],
    env: [...common, ENV.evidenceBucket, ENV.s3ForcePathStyle, ENV.escalationTopicArn, ENV.portalUrl],
  },
  {
    id: 'CreateUpload',
    entry: 'functions/api/create-upload.ts',
    kind: 'api',
    access: ['table:read', 'evidence:uploads'],
    env: [...common, ENV.evidenceBucket, ENV.s3ForcePathStyle],
  },
  {
    id: 'ReopenCase',
    entry: 'functions/api/reopen-case.ts',
    kind: 'api',
    access: ['table:read', 'table:write', 'events:put', 'sfn:start'],
    env: [...common, ENV.stateMachineArns],
  },
  {
    // The follow-up's three routes (routes.ts): the portal's answer, and the email link's page and answer.
    id: 'FollowUp',
    entry: 'functions/api/follow-up.ts',
    kind: 'api',
    access: ['table:read', 'table:write', 'events:put', 'sfn:start', 'secret:reply-token'],
    env: [...common, ENV.stateMachineArns, ENV.replyTokenSecretArn],
  },
  {
    id: 'RespondToMediation',
    entry: 'functions/api/respond-to-mediation.ts',
    kind: 'api',
    access: ['table:read', 'table:write', 'events:put', 'sfn:task-response'],
    env: common,
  },
  {
    id: 'TransferCase',
    entry: 'functions/api/transfer-case.ts',
    kind: 'api',
    access: ['table:read', 'table:write', 'events:put'],
    env: common,
  },
  {
    id: 'AssignCase',
    entry: 'functions/api/assign-case.ts',
    kind: 'api',
    access: ['table:read', 'table:write', 'events:put'],
    env: common,
  },
  {
    id: 'AddCaseNote',
    entry: 'functions/api/add-case-note.ts',
    kind: 'api',
    access: ['table:read', 'table:write', 'events:put'],
    env: common,
  },
  {
    id: 'ReplyToSeller',
    entry: 'functions/api/reply-to-seller.ts',
    kind: 'api',
    // ses:send: a plain reply leaves right after its commit; sfn:task-response: one that asks for
    // evidence hands the request to the waiting workflow.
    access: ['table:read', 'table:write', 'events:put', 'ses:send', 'sfn:task-response'],
    env: [...common, ...messaging],
  },
  {
    id: 'TakeNextCase',
    entry: 'functions/api/take-next-case.ts',
    kind: 'api',
    access: ['table:read', 'table:write', 'events:put'],
    env: common,
  },
  // Quality reviews (functions/domain/reviews.ts): the queue, a review (its entry and the totals it adds
  // to, one transaction) and the results, in one function (functions/api/reviews.ts says why). A review
  // changes no case, so publishes nothing today; every table writer may publish (the stack test holds
  // it), so a case change added here later cannot lose its domain events.
  {
    id: 'Reviews',
    entry: 'functions/api/reviews.ts',
    kind: 'api',
    access: ['table:read', 'table:write', 'events:put'],
    env: common,
  },
  {
    id: 'ListFaqGroups',
    entry: 'functions/api/list-faq-groups.ts',
    kind: 'api',
    access: ['table:read'],
    env: common,
  },
  {
    id: 'MarkFaqGroup',
    entry: 'functions/api/mark-faq-group.ts',
    kind: 'api',
    access: ['table:read', 'table:write'],
    env: common,
  },
  {
    id: 'ListAgents',
    entry: 'functions/api/list-agents.ts',
    kind: 'api',
    access: ['table:read'],
    env: common,
  },
  {
    id: 'PutAgent',
    entry: 'functions/api/put-agent.ts',
    kind: 'api',
    access: ['table:read', 'table:write', 'events:put'],
    env: common,
  },
  {
    id: 'SetAgentStatus',
    entry: 'functions/api/set-agent-status.ts',
    kind: 'api',
    access: ['table:read', 'table:write', 'events:put'],
    env: common,
  },
  {
    id: 'ListFamilies',
    entry: 'functions/api/list-families.ts',
    kind: 'api',
    access: [],
    env: [],
  },
  {
    id: 'Triage',
    entry: 'functions/steps/triage.ts',
    kind: 'step',
    access: ['table:read', 'table:write', 'events:put', 'timers:schedule'],
    env: [...common, ...timers],
  },
  {
    id: 'NotifySeller',
    entry: 'functions/steps/notify-seller.ts',
    kind: 'step',
    access: ['table:read', 'table:write', 'events:put', 'ses:send'],
    env: [...common, ...messaging],
  },
  {
    id: 'RequestEvidence',
    entry: 'functions/steps/request-evidence.ts',
    kind: 'step',
    access: ['table:read', 'table:write', 'events:put', 'ses:send', 'secret:reply-token', 'timers:schedule'],
    env: [...common, ...messaging, ...timers, ENV.replyDomain, ENV.replyTokenSecretArn],
  },
  {
    id: 'OfferMediation',
    entry: 'functions/steps/offer-mediation.ts',
    kind: 'step',
    access: ['table:read', 'table:write', 'events:put', 'ses:send'],
    env: [...common, ...messaging],
  },
  {
    id: 'HandOff',
    entry: 'functions/steps/hand-off.ts',
    kind: 'step',
    access: ['table:read', 'table:write', 'events:put', 'timers:schedule'],
    env: [...common, ...timers],
  },
  {
    id: 'Resolve',
    entry: 'functions/steps/resolve.ts',
    kind: 'step',
    // Resolving deletes the case's alarm schedule (functions/domain/alarm.ts), and writes the follow-up's
    // deferred outbox record, which names the fire-timer function for the sweep to schedule (follow-up.ts).
    access: ['table:read', 'table:write', 'events:put', 'ses:send', 'timers:cancel'],
    env: [...common, ...messaging, ENV.scheduleGroup, ENV.timerFunctionArn],
  },
  {
    id: 'Escalate',
    entry: 'functions/steps/escalate.ts',
    kind: 'step',
    // A case that fails for good deletes its alarm schedule (functions/domain/alarm.ts).
    access: ['table:read', 'table:write', 'events:put', 'sns:escalate', 'timers:cancel'],
    env: [...common, ENV.escalationTopicArn, ENV.portalUrl, ENV.scheduleGroup],
  },
  {
    // The last resort when Escalate fails for good: publishes without the table, so it needs none.
    id: 'AlertOperators',
    entry: 'functions/steps/alert-operators.ts',
    kind: 'step',
    access: ['sns:escalate'],
    env: [ENV.escalationTopicArn, ENV.portalUrl],
  },
  {
    id: 'InboundEmail',
    entry: 'functions/email/inbound-email.ts',
    kind: 'email',
    access: [
      'table:read',
      'table:write',
      'events:put',
      'sfn:task-response',
      'inbound:read',
      'evidence:write',
      'secret:reply-token',
      'sns:escalate',
    ],
    env: [
      ...common,
      ENV.inboundBucket,
      ENV.inboundPrefix,
      ENV.evidenceBucket,
      ENV.replyTokenSecretArn,
      ENV.s3ForcePathStyle,
      ENV.escalationTopicArn,
      ENV.portalUrl,
    ],
  },
  {
    id: 'FireTimer',
    entry: 'functions/timers/fire-timer.ts',
    kind: 'timer',
    access: [
      'table:read',
      'table:write',
      'events:put',
      'ses:send',
      'sns:escalate',
      'timers:schedule',
      'secret:reply-token',
    ],
    env: [
      ...common,
      ...messaging,
      ENV.schedulerRoleArn,
      ENV.scheduleGroup,
      ENV.escalationTopicArn,
      // The follow-up's signed links: the API that answers them, and the key that signs them.
      ENV.apiUrl,
      ENV.replyTokenSecretArn,
    ],
  },
  {
    id: 'MailEvents',
    entry: 'functions/email/mail-events.ts',
    kind: 'email',
    access: ['table:read', 'table:write', 'events:put', 'sns:escalate'],
    env: [...common, ENV.escalationTopicArn, ENV.portalUrl],
  },
  {
    id: 'SweepOutbox',
    entry: 'functions/outbox/sweep-outbox.ts',
    kind: 'schedule',
    // Sends outbox records through SES, SNS and EventBridge Scheduler. Each record carries its own sender,
    // configuration set, topic or schedule target; EMAIL_FROM and SES_CONFIGURATION_SET come with the
    // ses:send grant (its condition names the sending address), ESCALATION_TOPIC_ARN with sns:escalate, the
    // scheduler's role and group with timers:schedule.
    access: ['table:read', 'table:write', 'events:put', 'ses:send', 'sns:escalate', 'timers:schedule'],
    env: [
      ...common,
      ENV.emailFrom,
      ENV.sesConfigurationSet,
      ENV.escalationTopicArn,
      ENV.schedulerRoleArn,
      ENV.scheduleGroup,
    ],
  },
  {
    id: 'DispatchQueues',
    entry: 'functions/timers/dispatch-queues.ts',
    kind: 'schedule',
    // Reads rosters and backlogs, and assigns (a case and its agent's item in one transaction).
    access: ['table:read', 'table:write', 'events:put'],
    env: common,
  },
  {
    id: 'FoldCaseChanges',
    entry: 'functions/streams/fold-case-changes.ts',
    kind: 'stream',
    // Adds each case change to the scoreboard's totals (SCORE# items) and the weekly review's rows (WEEKLY#),
    // and each seller statement to its FAQ group (FAQ#): one reader of the stream for the three folds.
    access: ['table:stream', 'table:read', 'table:write'],
    env: common,
    streamStart: 'trim-horizon',
    streamItems: 'folds',
  },
  {
    id: 'RecordMetrics',
    entry: 'functions/streams/record-metrics.ts',
    kind: 'stream',
    // Reads case changes from the table's stream and logs the scoreboard in embedded metric format.
    access: ['table:stream'],
    env: [],
  },
] as const satisfies readonly FunctionSpec[];

export type FunctionId = (typeof FUNCTIONS)[number]['id'];

/** The ASL placeholder a step function is bound to, e.g. `TriageFunctionArn`. */
export const substitutionName = (id: FunctionId): string => `${id}FunctionArn`;
