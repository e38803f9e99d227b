import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { EnvName } from '#commons/env-names.ts';
import type { FamilyId } from '#state-machines/catalog.ts';
import type { Access, FunctionId } from '../../../functions/registry.ts';
import type { EmailSender, SellerWorksFunction } from './sellerworks-function.ts';

/** The resources an `access` entry of functions/registry.ts can refer to. */
export interface AccessTargets {
  readonly table: ITable;
  /** With their names, which execution ARNs are made of (`IStateMachine` alone has only the ARN). */
  readonly stateMachines: ReadonlyMap<FamilyId, IStateMachine & { readonly stateMachineName: string }>;
  /** Functions some state machine invokes; they cannot also be given Step Functions access (see below). */
  readonly stepFunctionIds: ReadonlySet<FunctionId>;
  readonly emailSender: EmailSender;
  readonly escalation: { readonly topic: ITopic; readonly key: IKey };
  readonly inboundMail: { readonly bucket: IBucket; readonly prefix: string };
  readonly evidenceBucket: IBucket;
  /** EventBridge Scheduler's role for SLA timers, and the function the schedules invoke. */
  readonly timers: { readonly role: IRole; readonly fireTimerArn: string };
  readonly replyTokenSecret: ISecret;
  /** The bus domain events are published on. */
  readonly eventBus: IEventBus;
  /** Plain configuration (portal URL, reply domain, …), set on the functions whose spec lists the name. */
  readonly configuration: Partial<Record<EnvName, string>>;
}

/**
 * Turns a function's `access` list into grants (and the environment variables that go with them), then
 * fails synth if the registry lists an environment variable that nothing provided.
 */
export const grantAccess = (fn: SellerWorksFunction, targets: AccessTargets): void => {
  const access = new Set<Access>(fn.spec.access);
  if (access.has('table:write')) fn.bindTable(targets.table, 'read-write');
  else if (access.has('table:read')) fn.bindTable(targets.table, 'read');

  for (const entry of access) {
    switch (entry) {
      case 'table:read':
      case 'table:write':
        break; // bound once above, read-write when either asks for writes
      case 'sfn:start':
        assertNotAStep(fn, entry, targets);
        fn.bindStateMachineStarts(targets.stateMachines);
        break;
      case 'sfn:task-response':
        assertNotAStep(fn, entry, targets);
        fn.bindTaskResponses(targets.stateMachines.values());
        break;
      case 'ses:send':
        fn.bindEmailSending(targets.emailSender);
        break;
      case 'sns:escalate':
        fn.bindEscalationTopic(targets.escalation.topic, targets.escalation.key);
        break;
      case 'inbound:read':
        fn.bindInboundMail(targets.inboundMail.bucket, targets.inboundMail.prefix);
        break;
      case 'evidence:write':
        fn.bindEvidenceBucket(targets.evidenceBucket);
        break;
      case 'evidence:uploads':
        fn.bindEvidenceUploads(targets.evidenceBucket);
        break;
      case 'timers:schedule':
        fn.bindTimerScheduling(targets.timers.role, targets.timers.fireTimerArn);
        break;
      case 'timers:cancel':
        fn.bindTimerCancelling(targets.timers.fireTimerArn);
        break;
      case 'evidence:read':
        fn.bindEvidenceDownloads(targets.evidenceBucket);
        break;
      case 'sfn:read':
        assertNotAStep(fn, entry, targets);
        fn.bindExecutionReads(targets.stateMachines);
        break;
      case 'table:stream':
        fn.bindTableStream(targets.table);
        break;
      case 'secret:reply-token':
        fn.bindReplyTokenSecret(targets.replyTokenSecret);
        break;
      case 'events:put':
        fn.bindEventPublishing(targets.eventBus);
        break;
      default: {
        const unknown: never = entry;
        throw new Error(
          `SellerWorks synth: ${fn.spec.id} asks for access "${String(unknown)}", which has no grant.`,
        );
      }
    }
  }

  fn.provideConfiguration(targets.configuration);
  fn.assertEnvironmentComplete();
};

/**
 * A state machine's definition refers to its step functions' ARNs; a step function whose role or
 * environment referred to the state machine would close a CloudFormation dependency cycle.
 */
const assertNotAStep = (fn: SellerWorksFunction, entry: Access, targets: AccessTargets): void => {
  if (targets.stepFunctionIds.has(fn.spec.id as FunctionId)) {
    throw new Error(
      `SellerWorks synth: ${fn.spec.id} is invoked by a state machine and also asks for "${entry}"; that ` +
        'would be a dependency cycle (state machine → function → state machine). Return the data to the ' +
        'state machine instead, or move the call into a function the state machine does not invoke.',
    );
  }
};
