import {
  Aws,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  Duration,
  Fn,
  Lazy,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { ENV } from '#commons/env-names.ts';
import { FAMILIES, TEAMS } from '#policy/families.ts';
import { FAMILY_IDS, type FamilyId } from '#state-machines/catalog.ts';
import { ROUTES } from '../../functions/api/routes.ts';
import { FUNCTIONS, type FunctionId } from '../../functions/registry.ts';
import { type AccessTargets, grantAccess } from './constructs/access-grants.ts';
import { AccessLogsBucket } from './constructs/access-logs-bucket.ts';
import { Alarms, type DeadLetterQueue } from './constructs/alarms.ts';
import { CaseTable } from './constructs/case-table.ts';
import { DomainEventBus } from './constructs/domain-event-bus.ts';
import { EscalationTopic } from './constructs/escalation-topic.ts';
import { FamilyStateMachine } from './constructs/family-state-machine.ts';
import { HardenedBucket } from './constructs/hardened-bucket.ts';
import { InboundMail } from './constructs/inbound-mail.ts';
import { API_THROTTLE, INTAKE_THROTTLE, IntakeApi } from './constructs/intake-api.ts';
import { OpsConsole } from './constructs/ops-console.ts';
import { OutboundMail } from './constructs/outbound-mail.ts';
import { ReplyTokenSecret } from './constructs/reply-token-secret.ts';
import { SellerWorksFunction } from './constructs/sellerworks-function.ts';
import { SupportDashboard } from './constructs/support-dashboard.ts';

/**
 * How long evidence stays in S3 Standard: the longest appeal or reopen window of any family, after 60 days
 * for the case to be worked and decided. Then it moves to Glacier Instant Retrieval until it expires.
 */
export const EVIDENCE_WORKING_DAYS =
  60 + Math.max(...Object.values(FAMILIES).map((f) => Math.max(f.windows.appealDays, f.windows.reopenDays)));

export interface SellerWorksStackProps extends StackProps {
  /**
   * What happens to the case table, buckets, secret and log groups when the stack is deleted.
   * @default RemovalPolicy.RETAIN (cases, evidence and audit trail are records, not scratch data)
   */
  readonly dataRemovalPolicy?: RemovalPolicy;
  /** @default one month for functions, three months for state machines and API access logs */
  readonly logRetention?: RetentionDays;
  /** How long evidence files are kept. @default 730 days */
  readonly evidenceRetention?: Duration;
}

/** `buyer-dispute` → `BuyerDispute`, for construct ids and output names. */
const pascalCase = (kebab: string): string =>
  kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

/**
 * SellerWorks on AWS: the case table, one Step Functions state machine per issue family, the Lambda
 * functions of functions/registry.ts, the HTTP intake API, SES sending and receiving, SNS escalations, and
 * the support scoreboard (metrics logged from the table's stream, and a CloudWatch dashboard).
 * This class only composes constructs; each lives in ./constructs/.
 *
 * Deploy-time parameters (CloudFormation keeps previous values on update):
 * `MailDomain`, `ReplyDomain`, `PortalUrl`, `JwtIssuer`, `JwtAudience`, and the optional `AlarmEmail`.
 */
export class SellerWorksStack extends Stack {
  readonly table: CaseTable;
  readonly functions: ReadonlyMap<FunctionId, SellerWorksFunction>;
  readonly stateMachines: ReadonlyMap<FamilyId, FamilyStateMachine>;
  readonly api: IntakeApi;
  readonly opsConsole: OpsConsole;
  readonly escalation: EscalationTopic;
  readonly domainEvents: DomainEventBus;
  readonly inboundMail: InboundMail;
  readonly evidenceBucket: HardenedBucket;
  readonly supportDashboard: SupportDashboard;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: SellerWorksStackProps = {}) {
    super(scope, id, props);
    const removalPolicy = props.dataRemovalPolicy ?? RemovalPolicy.RETAIN;
    const domainPattern = '^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$';

    const mailDomain = new CfnParameter(this, 'MailDomain', {
      description: 'Domain seller updates are sent from (SES identity, Easy DKIM), e.g. sellers.example.com',
      allowedPattern: domainPattern,
    }).valueAsString;
    const replyDomain = new CfnParameter(this, 'ReplyDomain', {
      description:
        'Domain sellers reply to; its MX points at SES inbound. Use MailDomain or a subdomain of it.',
      allowedPattern: domainPattern,
    }).valueAsString;
    const portalUrl = new CfnParameter(this, 'PortalUrl', {
      description: 'Seller portal base URL used in links inside messages, e.g. https://sellers.example.com',
      allowedPattern: '^https://\\S+$',
    }).valueAsString;
    const jwtIssuer = new CfnParameter(this, 'JwtIssuer', {
      description: 'OIDC issuer URL of the portal tokens (its /.well-known/openid-configuration is fetched)',
      allowedPattern: '^https://\\S+$',
    }).valueAsString;
    const jwtAudience = new CfnParameter(this, 'JwtAudience', {
      description: 'Audience (aud / client_id) the API accepts in those tokens',
      minLength: 1,
    }).valueAsString;

    const alarmEmail = new CfnParameter(this, 'AlarmEmail', {
      description:
        'Optional: an email address the alarm topic notifies (confirm the subscription email). Leave empty to ' +
        'subscribe other endpoints to the AlarmTopicArn output yourself.',
      default: '',
      allowedPattern: '^$|^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$',
    }).valueAsString;

    const throttleParameter = (id: string, description: string, value: number) =>
      new CfnParameter(this, id, {
        type: 'Number',
        description,
        default: value,
        minValue: 1,
        maxValue: 10_000,
      }).valueAsNumber;
    const apiThrottle = {
      rateLimit: throttleParameter(
        'ApiRateLimit',
        'Requests a second each API route takes, steady (sized for 1M cases a day: docs/scale.md)',
        API_THROTTLE.rateLimit,
      ),
      burstLimit: throttleParameter(
        'ApiBurstLimit',
        'Requests each API route takes in a burst',
        API_THROTTLE.burstLimit,
      ),
    };
    const intakeThrottle = {
      rateLimit: throttleParameter(
        'IntakeRateLimit',
        'New cases (POST /cases) a second, steady',
        INTAKE_THROTTLE.rateLimit,
      ),
      burstLimit: throttleParameter(
        'IntakeBurstLimit',
        'New cases (POST /cases) in a burst',
        INTAKE_THROTTLE.burstLimit,
      ),
    };

    const accessLogs = new AccessLogsBucket(this, 'AccessLogs', { removalPolicy });
    const table = new CaseTable(this, 'CaseTable', { removalPolicy });
    this.table = table;
    const escalation = new EscalationTopic(this, 'Escalation');
    this.escalation = escalation;
    const domainEvents = new DomainEventBus(this, 'DomainEvents');
    this.domainEvents = domainEvents;
    const replyTokenSecret = new ReplyTokenSecret(this, 'ReplyTokenSecret', { removalPolicy });
    const outboundMail = new OutboundMail(this, 'OutboundMail', { mailDomain });
    const inboundMail = new InboundMail(this, 'InboundMail', {
      replyDomain,
      alsoFor: [outboundMail.fromAddress],
      accessLogsBucket: accessLogs.asIBucket(),
      removalPolicy,
    });
    this.inboundMail = inboundMail;
    const evidenceBucket = new HardenedBucket(this, 'EvidenceBucket', {
      expireAfter: props.evidenceRetention ?? Duration.days(730),
      // Read while a case is worked, decided and can still be appealed or reopened; rarely after.
      coolAfter: Duration.days(EVIDENCE_WORKING_DAYS),
      versioned: true,
      serverAccessLogs: { bucket: accessLogs.asIBucket(), prefix: 'evidence/' },
      removalPolicy,
    });
    this.evidenceBucket = evidenceBucket;

    const functions = new Map<FunctionId, SellerWorksFunction>(
      FUNCTIONS.map((spec) => [
        spec.id,
        new SellerWorksFunction(this, spec.id, {
          spec,
          logRemovalPolicy: removalPolicy,
          ...(props.logRetention && { logRetention: props.logRetention }),
        }),
      ]),
    );
    this.functions = functions;

    const stateMachines = new Map<FamilyId, FamilyStateMachine>(
      FAMILY_IDS.map((family) => [
        family,
        new FamilyStateMachine(this, `${pascalCase(family)}StateMachine`, {
          family,
          functions,
          logRemovalPolicy: removalPolicy,
          ...(props.logRetention && { logRetention: props.logRetention }),
        }),
      ]),
    );
    this.stateMachines = stateMachines;

    // SLA timers: one-time EventBridge schedules that invoke the fire-timer function with this role.
    const fireTimer = functions.get('FireTimer');
    if (!fireTimer) throw new Error('SellerWorks synth: functions/registry.ts has no FireTimer function.');
    const schedulerRole = new Role(this, 'TimerSchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'Lets EventBridge Scheduler invoke the SellerWorks fire-timer function',
    });
    // Exactly the function, not its versions (grantInvoke would add `:*`).
    schedulerRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fireTimer.functionArn] }),
    );

    const targets: AccessTargets = {
      // The `as` casts: under exactOptionalPropertyTypes some aws-cdk-lib classes do not satisfy their own
      // interfaces (getters typed `T | undefined` against optional properties); the objects are the same.
      table: table as ITable,
      stateMachines: new Map([...stateMachines].map(([family, machine]) => [family, machine.stateMachine])),
      stepFunctionIds: new Set([...stateMachines.values()].flatMap((machine) => machine.invokedFunctionIds)),
      emailSender: outboundMail,
      escalation,
      inboundMail: { bucket: inboundMail.bucket.asIBucket(), prefix: inboundMail.prefix },
      evidenceBucket: evidenceBucket.asIBucket(),
      timers: { role: schedulerRole, fireTimerArn: fireTimer.functionArn },
      replyTokenSecret: replyTokenSecret as ISecret,
      eventBus: domainEvents.bus as IEventBus,
      configuration: {
        // Read-only functions load the case store too, which names the bus in the records a commit writes.
        [ENV.eventBusName]: domainEvents.bus.eventBusName,
        // SES names sent mail `<id>@email.amazonses.com` in us-east-1 and `<id>@<region>.amazonses.com` elsewhere.
        [ENV.sesMessageIdDomain]: Fn.conditionIf(
          new CfnCondition(this, 'InUsEast1', { expression: Fn.conditionEquals(Aws.REGION, 'us-east-1') })
            .logicalId,
          'email.amazonses.com',
          Fn.join('.', [Aws.REGION, 'amazonses.com']),
        ).toString(),
        [ENV.portalUrl]: portalUrl,
        // The intake API is built below, with the functions it serves; the follow-up's links name it.
        [ENV.apiUrl]: Lazy.string({ produce: (): string => api.url }),
        [ENV.replyDomain]: replyDomain,
        [ENV.s3ForcePathStyle]: 'false',
      },
    };
    for (const fn of functions.values()) grantAccess(fn, targets);
    // Stream functions (the scoreboard's metrics) read every change to a case from the table's stream.
    for (const fn of functions.values())
      if (fn.spec.kind === 'stream') fn.consumeTableStream(table as ITable);
    // The outbox sweep runs each minute: whatever the fast path after a commit did not send (throttled,
    // crashed, a retry due) goes out within a minute. A schedule rather than the table's stream: retries
    // wait for a due time, which a stream cannot express (it fires on writes only), and on the happy path
    // the writer has already sent the record, so a stream would invoke a function per record for nothing.
    for (const fn of functions.values()) if (fn.spec.kind === 'schedule') fn.runEvery(Duration.minutes(1));

    // The ops console: static files on CloudFront, staff signed in through a Cognito user pool. Staff tokens
    // are the pool's: the API's /ops routes trust the pool through a second JWT authorizer (an HTTP API JWT
    // authorizer takes one issuer, a route one authorizer), the sellers' routes the portal IdP. The console
    // and the API refer to each other (CSP and config name the API; the staff audience is the console's
    // client), hence Lazy.
    const opsConsole: OpsConsole = new OpsConsole(this, 'OpsConsole', {
      apiUrl: Lazy.string({ produce: (): string => api.url }),
      teams: TEAMS,
      accessLogsBucket: accessLogs.asIBucket(),
      removalPolicy,
    });
    this.opsConsole = opsConsole;
    const api: IntakeApi = new IntakeApi(this, 'IntakeApi', {
      routes: ROUTES,
      functions,
      jwtIssuer,
      jwtAudience: [jwtAudience],
      staffIssuer: {
        issuer: opsConsole.issuerUrl,
        audience: [opsConsole.client.userPoolClientId, opsConsole.cliClient.userPoolClientId],
      },
      throttle: apiThrottle,
      routeThrottles: { 'POST /cases': intakeThrottle },
      browserCors: true,
      logRemovalPolicy: removalPolicy,
      ...(props.logRetention && { accessLogRetention: props.logRetention }),
    });
    this.api = api;

    const supportDashboard = new SupportDashboard(this, 'SupportDashboard');
    this.supportDashboard = supportDashboard;

    const deadLetterQueues: DeadLetterQueue[] = [...functions.values()].flatMap((fn) => [
      ...(fn.deadLetterQueue
        ? [{ owner: fn.spec.id, queue: fn.deadLetterQueue, holds: 'async-invocations' as const }]
        : []),
      ...(fn.streamFailures
        ? [{ owner: fn.spec.id, queue: fn.streamFailures, holds: 'stream-batches' as const }]
        : []),
    ]);
    this.alarms = new Alarms(this, 'Alarms', {
      notifyEmail: alarmEmail,
      deadLetterQueues,
      stateMachines: new Map([...stateMachines].map(([family, machine]) => [family, machine.stateMachine])),
      functions: [...functions.values()].map((fn) => ({ id: fn.spec.id, kind: fn.spec.kind, fn })),
      apiStage: api.stage,
      scheduleGroup: 'default',
      // Escalations of a case no team owns yet go to support-ops (functions/domain/fire-timer.ts).
      teams: [...new Set([...TEAMS, 'support-ops'])].sort(),
    });

    const mailEventsHandler = functions.get('MailEvents');
    if (!mailEventsHandler)
      throw new Error('SellerWorks synth: functions/registry.ts has no MailEvents function.');
    outboundMail.mailEvents.addSubscription(new LambdaSubscription(mailEventsHandler));

    const inboundHandler = functions.get('InboundEmail');
    if (!inboundHandler) {
      throw new Error('SellerWorks synth: functions/registry.ts has no InboundEmail function.');
    }
    const ruleSet = inboundMail.deliverTo(inboundHandler);

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the intake API' });
    new CfnOutput(this, 'ConsoleUrl', {
      value: opsConsole.url,
      description: 'The ops console (sign in as a user of ConsoleUserPoolId; README: the first supervisor)',
    });
    new CfnOutput(this, 'ConsoleUserPoolId', {
      value: opsConsole.userPool.userPoolId,
      description:
        'Cognito user pool of the ops staff; groups supervisors and team-<team> give role and team',
    });
    new CfnOutput(this, 'ConsoleCliClientId', {
      value: opsConsole.cliClient.userPoolClientId,
      description: 'App client of the staff pool for the sellerworks CLI (README: a token for the CLI)',
    });
    new CfnOutput(this, 'CaseTableName', { value: table.tableName });
    for (const [family, machine] of stateMachines) {
      new CfnOutput(this, `${pascalCase(family)}StateMachineArn`, {
        value: machine.stateMachine.stateMachineArn,
        description: `State machine of the ${family} family`,
      });
    }
    new CfnOutput(this, 'EscalationTopicArn', { value: escalation.topic.topicArn });
    new CfnOutput(this, 'DomainEventBusName', { value: domainEvents.bus.eventBusName });
    new CfnOutput(this, 'DomainEventSchemaRegistry', { value: domainEvents.registry.attrRegistryName });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'Every CloudWatch alarm notifies this topic (docs/runbook.md says what each one means)',
    });
    new CfnOutput(this, 'SupportDashboardUrl', {
      value: supportDashboard.url,
      description: 'CloudWatch dashboard of the support scoreboard (by family, seller tier, channel, region)',
    });
    new CfnOutput(this, 'ReceiptRuleSetName', {
      value: ruleSet.receiptRuleSetName,
      description: 'Activate after deploy: aws ses set-active-receipt-rule-set --rule-set-name <this>',
    });
    outboundMail.identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `DkimRecord${index + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: 'Publish in DNS to verify the sending domain',
      });
    });
  }
}
