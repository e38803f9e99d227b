/**
 * Environment variable names shared by the constructs that set them (infra/aws) and the handlers that
 * read them (functions/). One list, so a rename cannot leave one side behind.
 */
export const ENV = {
  tableName: 'TABLE_NAME',
  /** JSON object: family id → state machine ARN. */
  stateMachineArns: 'STATE_MACHINE_ARNS',
  emailFrom: 'EMAIL_FROM',
  replyDomain: 'REPLY_DOMAIN',
  replyTokenSecretArn: 'REPLY_TOKEN_SECRET_ARN',
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** The domain of the Message-ID SES gives sent mail (`email.amazonses.com` in us-east-1, else `<region>.amazonses.com`). */
  sesMessageIdDomain: 'SES_MESSAGE_ID_DOMAIN',
  escalationTopicArn: 'ESCALATION_TOPIC_ARN',
  inboundBucket: 'INBOUND_BUCKET',
  inboundPrefix: 'INBOUND_PREFIX',
  evidenceBucket: 'EVIDENCE_BUCKET',
  portalUrl: 'PORTAL_URL',
  /** The seller API's public base URL: links in emails that the API answers itself (the follow-up page). */
  apiUrl: 'API_URL',
  /** The function EventBridge Scheduler invokes when an SLA timer is due, and the role it uses. */
  timerFunctionArn: 'TIMER_FUNCTION_ARN',
  schedulerRoleArn: 'SCHEDULER_ROLE_ARN',
  scheduleGroup: 'SCHEDULE_GROUP',
  /**
   * Local only: case time runs TIME_SCALE times faster than the wall clock; at the wall clock's TIME_ORIGIN
   * (epoch ms) it was TIME_CASE_ORIGIN.
   */
  timeScale: 'TIME_SCALE',
  timeOrigin: 'TIME_ORIGIN',
  timeCaseOrigin: 'TIME_CASE_ORIGIN',
  s3ForcePathStyle: 'S3_FORCE_PATH_STYLE',
  /** The EventBridge bus domain events are published on (functions/domain/domain-events.ts). */
  eventBusName: 'EVENT_BUS_NAME',
  /** The functions' log level (debug, info, warn, error, silent; default info). Locally, debug also prints the handlers' lines. */
  logLevel: 'LOG_LEVEL',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
