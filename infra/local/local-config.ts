import { ENV } from '../../functions/commons/env-names.ts';
import { FAMILY_IDS, type FamilyId } from '../../state-machines/catalog.ts';

/** Names the local runtime gives its resources; on AWS the stack names them. */
export const LOCAL = {
  region: 'us-east-1',
  account: '000000000000',
  tableName: 'sellerworks-cases',
  inboundBucket: 'sellerworks-inbound',
  inboundPrefix: 'inbound/',
  evidenceBucket: 'sellerworks-evidence',
  replyDomain: 'replies.sellerworks.local',
  emailFrom: 'SellerWorks Support <support@sellerworks.local>',
  supportAddress: 'support@sellerworks.local',
  replySecretName: 'sellerworks/reply-token-signing',
  escalationTopic: 'sellerworks-escalations',
} as const;

export const localStateMachineArn = (family: FamilyId) =>
  `arn:aws:states:${LOCAL.region}:${LOCAL.account}:stateMachine:sellerworks-${family}`;

/**
 * The environment the handlers read, pointing every AWS client at the local endpoints. This is the whole
 * difference between the local and the AWS run path: configuration, never a branch in handler code.
 */
export const localEnvironment = (options: {
  awsEndpoint: string;
  dynamoDbEndpoint: string;
  apiUrl: string;
  replySecretArn: string;
  timerFunctionArn: string;
}): Record<string, string> => ({
  AWS_REGION: LOCAL.region,
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: options.dynamoDbEndpoint,
  AWS_ENDPOINT_URL_SFN: options.awsEndpoint,
  AWS_ENDPOINT_URL_SESV2: options.awsEndpoint,
  AWS_ENDPOINT_URL_SNS: options.awsEndpoint,
  AWS_ENDPOINT_URL_S3: options.awsEndpoint,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: options.awsEndpoint,
  AWS_ENDPOINT_URL_SCHEDULER: options.awsEndpoint,
  AWS_ENDPOINT_URL_EVENTBRIDGE: options.awsEndpoint,
  [ENV.timerFunctionArn]: options.timerFunctionArn,
  [ENV.schedulerRoleArn]: `arn:aws:iam::${LOCAL.account}:role/sellerworks-timer-scheduler`,
  [ENV.scheduleGroup]: 'default',
  [ENV.s3ForcePathStyle]: 'true',
  [ENV.tableName]: LOCAL.tableName,
  [ENV.eventBusName]: 'sellerworks-cases',
  [ENV.stateMachineArns]: JSON.stringify(
    Object.fromEntries(FAMILY_IDS.map((f) => [f, localStateMachineArn(f)])),
  ),
  [ENV.emailFrom]: LOCAL.emailFrom,
  [ENV.replyDomain]: LOCAL.replyDomain,
  [ENV.replyTokenSecretArn]: options.replySecretArn,
  [ENV.sesConfigurationSet]: 'sellerworks-local',
  [ENV.sesMessageIdDomain]: 'ses.sellerworks.local',
  [ENV.escalationTopicArn]: `arn:aws:sns:${LOCAL.region}:${LOCAL.account}:${LOCAL.escalationTopic}`,
  [ENV.inboundBucket]: LOCAL.inboundBucket,
  [ENV.inboundPrefix]: LOCAL.inboundPrefix,
  [ENV.evidenceBucket]: LOCAL.evidenceBucket,
  [ENV.portalUrl]: options.apiUrl,
  [ENV.apiUrl]: options.apiUrl,
});
