import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import {
  Architecture,
  FilterCriteria,
  FilterRule,
  LoggingFormat,
  Runtime,
  StartingPosition,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ENV, type EnvName } from '#commons/env-names.ts';
import type { FamilyId } from '#state-machines/catalog.ts';
import { DOMAIN_EVENT_SOURCE } from '../../../functions/domain/domain-events.ts';
import type { FunctionSpec } from '../../../functions/registry.ts';
import { fromRepoRoot, requireRepoFile } from '../repo-root.ts';
import { acknowledge, acknowledgeWildcardResource } from './nag-acknowledgements.ts';

/** What a function needs to know to send mail through SES v2 with the stack's identity and configuration set. */
export interface EmailSender {
  /** Bare address (no display name): it is also the `ses:FromAddress` the grant is conditioned on. */
  readonly fromAddress: string;
  readonly identityArn: string;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
}

export interface SellerWorksFunctionProps {
  /** The registry entry this function is built from (entry, kind, access, env). */
  readonly spec: FunctionSpec;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.RETAIN (the log group outlives the function, as CloudWatch Logs would by default) */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** @default 256 */
  readonly memorySize?: number;
  /**
   * @default by kind: api 10 s (API Gateway gives up at 30 s), step 30 s, email 60 s, timer 30 s, stream
   * 30 s, schedule 60 s. None may exceed the outbox lease (functions/domain/outbox-dispatch.ts, 120 s): every
   * kind may send outbox records.
   */
  readonly timeout?: Duration;
}

const TIMEOUT_BY_KIND: Record<FunctionSpec['kind'], Duration> = {
  api: Duration.seconds(10),
  step: Duration.seconds(30),
  email: Duration.seconds(60),
  timer: Duration.seconds(30),
  // A batch of up to 100 stream records: RecordMetrics only logs; FoldCaseChanges writes a few transactions
  // of totals and FAQ groups, seconds at most.
  stream: Duration.seconds(30),
  // The outbox sweep: it stops claiming records 10 s before its end, within one minute's schedule.
  schedule: Duration.seconds(60),
};

/** Where evidence files live in the evidence bucket (see functions/domain/inbound-email.ts and uploads.ts). */
const EVIDENCE_PREFIXES = ['cases/', 'uploads/'] as const;

/**
 * ESM bundles still contain CommonJS dependencies that call `require`; ESM has no `require`, so the bundle
 * creates one. The import is aliased so it cannot clash with a bundled module's own top-level names.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as sellerWorksCreateRequire } from 'node:module'; const require = sellerWorksCreateRequire(import.meta.url);";

/**
 * How every handler is bundled: an ESM bundle for Node 22 (module fields first, so ESM builds of
 * dependencies are used), minified, with external source maps, and with the AWS SDK bundled in: the versions
 * the lockfile pins (and the tests ran against), not whichever the Lambda runtime ships.
 * Exported so test/infra/bundling.test.ts can bundle all handlers with the same options in one esbuild run.
 */
export const SELLERWORKS_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  bundleAwsSDK: true,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
} as const satisfies BundlingOptions;

/**
 * A SellerWorks Lambda function: Node 22 on arm64, an ESM bundle with source maps, X-Ray tracing, JSON logs
 * into its own log group with a retention, and a role that starts with nothing but that log group.
 *
 * Access is added with the `bind*` methods, each of which grants the narrowest IAM permission the handler
 * needs and sets the environment variable the handler reads to find the resource, so the two cannot drift.
 * After binding, {@link assertEnvironmentComplete} fails synth if the registry lists a variable that nobody set.
 */
export class SellerWorksFunction extends NodejsFunction {
  readonly spec: FunctionSpec;
  readonly functionLogGroup: LogGroup;
  /** For a stream function: the queue its failed batches are recorded in (see {@link consumeTableStream}). */
  streamFailures: Queue | undefined;
  private readonly provided = new Map<string, string>();

  constructor(scope: Construct, id: string, props: SellerWorksFunctionProps) {
    const { spec } = props;
    // Created beside the function (not inside it) because they must exist before `super` is called.
    const logGroup = new LogGroup(scope, `${id}LogGroup`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // An own role instead of the default one: the default attaches AWSLambdaBasicExecutionRole, which may
    // create and write any log group in the account; this one may only write to the function's log group.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `SellerWorks ${spec.id} function`,
    });
    // Email functions are invoked asynchronously (SES Event invocation): after Lambda's two retries an event
    // would be dropped silently, so it is parked in a queue instead, where ops can inspect and redrive it.
    const deadLetterQueue =
      spec.kind === 'email'
        ? new Queue(scope, `${id}DeadLetters`, {
            encryption: QueueEncryption.SQS_MANAGED,
            enforceSSL: true,
            retentionPeriod: Duration.days(14),
          })
        : undefined;

    super(scope, id, {
      entry: requireRepoFile(spec.entry, `handler of function ${spec.id} (functions/registry.ts)`),
      handler: 'handler',
      projectRoot: fromRepoRoot('.'),
      depsLockFilePath: fromRepoRoot('package-lock.json'),
      description: `SellerWorks ${spec.id} (${spec.kind}) from ${spec.entry}`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? TIMEOUT_BY_KIND[spec.kind],
      tracing: Tracing.ACTIVE,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      role,
      environment: { NODE_OPTIONS: '--enable-source-maps' },
      ...(deadLetterQueue && { deadLetterQueue, retryAttempts: 2 }),
      bundling: { ...SELLERWORKS_BUNDLING, tsconfig: fromRepoRoot('tsconfig.json') },
    });
    this.spec = spec;
    this.functionLogGroup = logGroup;

    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions.',
    );
    acknowledge(
      this,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime the project pins (engines, the node@22 devDependency the tests and local ' +
        'runtime run on); moving to a newer Lambda runtime is a deliberate, tested upgrade of both together.',
    );
  }

  /** Sets an environment variable the handler reads and records that it has been provided. */
  provide(name: EnvName, value: string): this {
    const previous = this.provided.get(name);
    if (previous !== undefined && previous !== value) {
      throw new Error(`SellerWorks synth: ${this.spec.id} got two values for ${name}.`);
    }
    this.provided.set(name, value);
    this.addEnvironment(name, value);
    return this;
  }

  /**
   * Sets plain configuration values (portal URL, reply domain, …), but only those the registry says this
   * function reads and no binding has set already.
   */
  provideConfiguration(values: Partial<Record<EnvName, string>>): this {
    for (const name of this.spec.env) {
      const value = values[name];
      if (value !== undefined && !this.provided.has(name)) this.provide(name, value);
    }
    return this;
  }

  /** Environment variables the registry lists for this function that nothing has provided. */
  missingEnvironment(): EnvName[] {
    return this.spec.env.filter((name) => !this.provided.has(name));
  }

  /** Fails synth, naming the function and the variables, when the registry lists a variable nobody set. */
  assertEnvironmentComplete(): void {
    const missing = this.missingEnvironment();
    if (missing.length > 0) {
      throw new Error(
        `SellerWorks synth: function ${this.spec.id} (${this.spec.entry}) reads ${missing.join(', ')} ` +
          'according to functions/registry.ts, but nothing in the stack provides a value. Bind the resource ' +
          'or add the value to the stack configuration.',
      );
    }
  }

  /** `table:read` → query/get (including the GSIs); `table:write` → also put/update/delete. Sets TABLE_NAME. */
  bindTable(table: ITable, mode: 'read' | 'read-write'): this {
    if (mode === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    acknowledgeWildcardResource(
      this.role!,
      `${table.tableArn}/index/*`,
      'Queries use the case table’s GSIs (bySeller, teamQueue, caseList, outboxDue); `index/*` covers only that one table’s indexes.',
    );
    return this.provide(ENV.tableName, table.tableName);
  }

  /** `sfn:start` → StartExecution on each family's state machine. Sets STATE_MACHINE_ARNS = {familyId: arn}. */
  bindStateMachineStarts(machines: ReadonlyMap<FamilyId, IStateMachine>): this {
    for (const machine of machines.values()) machine.grantStartExecution(this);
    return this.provideStateMachineArns(machines);
  }

  /** STATE_MACHINE_ARNS = {familyId: arn}, once (a function may both start and read executions). */
  private provideStateMachineArns(machines: ReadonlyMap<FamilyId, IStateMachine>): this {
    if (this.provided.has(ENV.stateMachineArns)) return this;
    const arns: Record<string, string> = {};
    for (const [family, machine] of machines) arns[family] = machine.stateMachineArn;
    return this.provide(ENV.stateMachineArns, Stack.of(this).toJsonString(arns));
  }

  /** `sfn:task-response` → SendTaskSuccess/Failure/Heartbeat, scoped to each family's state machine. */
  bindTaskResponses(machines: Iterable<IStateMachine>): this {
    for (const machine of machines) machine.grantTaskResponse(this);
    return this;
  }

  /**
   * `ses:send` → ses:SendEmail on the sending identity and the configuration set, from the one address.
   * Sets EMAIL_FROM and SES_CONFIGURATION_SET. (While the account is in the SES sandbox, SES also checks the
   * permission against the verified recipient identities; production access removes that.)
   */
  bindEmailSending(sender: EmailSender): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [sender.identityArn, sender.configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': sender.fromAddress } },
      }),
    );
    this.provide(ENV.emailFrom, sender.fromAddress);
    return this.provide(ENV.sesConfigurationSet, sender.configurationSetName);
  }

  /**
   * `sns:escalate` → sns:Publish on the escalation topic and the two KMS calls SNS makes on the publisher's
   * behalf for an encrypted topic. Sets ESCALATION_TOPIC_ARN.
   */
  bindEscalationTopic(topic: ITopic, key: IKey): this {
    this.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }),
    );
    return this.provide(ENV.escalationTopicArn, topic.topicArn);
  }

  /** `inbound:read` → s3:GetObject under the inbound prefix only. Sets INBOUND_BUCKET and INBOUND_PREFIX. */
  bindInboundMail(bucket: IBucket, prefix: string): this {
    const objects = bucket.arnForObjects(`${prefix}*`);
    this.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }));
    acknowledgeWildcardResource(
      this.role!,
      objects,
      'SES names each stored message by its message id, so reads are granted on the inbound prefix (read only).',
    );
    this.provide(ENV.inboundBucket, bucket.bucketName);
    return this.provide(ENV.inboundPrefix, prefix);
  }

  /** `evidence:write` → s3:PutObject into the evidence bucket (no read, no delete). Sets EVIDENCE_BUCKET. */
  bindEvidenceBucket(bucket: IBucket): this {
    const objects = bucket.arnForObjects('*');
    this.addToRolePolicy(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
    acknowledgeWildcardResource(
      this.role!,
      objects,
      'Evidence object keys are generated per case and attachment; the grant is put-only, on one bucket.',
    );
    return this.provide(ENV.evidenceBucket, bucket.bucketName);
  }

  /**
   * `evidence:uploads` → s3:PutObject (to sign upload URLs) and s3:GetObject on the portal-upload prefix
   * only. Sets EVIDENCE_BUCKET.
   */
  bindEvidenceUploads(bucket: IBucket): this {
    const uploads = bucket.arnForObjects('uploads/*');
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [uploads] }),
    );
    acknowledgeWildcardResource(
      this.role!,
      uploads,
      'Portal uploads are keyed per case and upload id under uploads/; the function signs uploads there and reads them back to checksum them.',
    );
    return this.provide(ENV.evidenceBucket, bucket.bucketName);
  }

  /**
   * `timers:schedule` → scheduler:CreateSchedule and DeleteSchedule in the default group (a case's alarm is
   * replaced by an earlier one; see functions/domain/alarm.ts) and iam:PassRole on the scheduler's role (so
   * the schedules can invoke the fire-timer function). Sets SCHEDULER_ROLE_ARN, SCHEDULE_GROUP and, for
   * functions other than the fire-timer function itself, TIMER_FUNCTION_ARN.
   */
  bindTimerScheduling(role: IRole, fireTimerArn: string): this {
    const schedules = this.scheduleArns();
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule'],
        resources: [schedules],
      }),
    );
    this.addToRolePolicy(new PolicyStatement({ actions: ['iam:PassRole'], resources: [role.roleArn] }));
    acknowledgeWildcardResource(
      this.role!,
      schedules,
      'Each open case holds one alarm schedule, and a resolved case one for its follow-up from minutes before it is due, named per case, due time and version; the grant creates and deletes them in the default group.',
    );
    this.provide(ENV.schedulerRoleArn, role.roleArn);
    this.provide(ENV.scheduleGroup, 'default');
    return this.spec.env.includes(ENV.timerFunctionArn)
      ? this.provide(ENV.timerFunctionArn, fireTimerArn)
      : this;
  }

  /**
   * `events:put` → events:PutEvents on the domain event bus only, and only with the SellerWorks source
   * (a function cannot publish as another system). Sets EVENT_BUS_NAME.
   */
  bindEventPublishing(bus: IEventBus): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [bus.eventBusArn],
        conditions: { StringEquals: { 'events:source': DOMAIN_EVENT_SOURCE } },
      }),
    );
    return this.provide(ENV.eventBusName, bus.eventBusName);
  }

  /**
   * `timers:cancel` → scheduler:DeleteSchedule in the default group: a change that closes a case deletes
   * its alarm. Sets SCHEDULE_GROUP, and TIMER_FUNCTION_ARN where the function reads it.
   */
  bindTimerCancelling(fireTimerArn: string): this {
    const schedules = this.scheduleArns();
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['scheduler:DeleteSchedule'], resources: [schedules] }),
    );
    acknowledgeWildcardResource(
      this.role!,
      schedules,
      'A case that closes deletes its one alarm schedule, named per case; the grant is delete-only, in the default group.',
    );
    this.provide(ENV.scheduleGroup, 'default');
    // A resolution names the fire-timer function in its follow-up's deferred outbox record, which the
    // outbox sweep schedules (functions/domain/follow-up.ts): the name only, no grant.
    return this.spec.env.includes(ENV.timerFunctionArn)
      ? this.provide(ENV.timerFunctionArn, fireTimerArn)
      : this;
  }

  private scheduleArns(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: 'default/*',
    });
  }

  /**
   * `evidence:read` → s3:GetObject on the evidence prefixes (email attachments under cases/, portal uploads
   * under uploads/), to sign download URLs for viewers allowed to see the file. Sets EVIDENCE_BUCKET.
   */
  bindEvidenceDownloads(bucket: IBucket): this {
    const objects = EVIDENCE_PREFIXES.map((prefix) => bucket.arnForObjects(`${prefix}*`));
    this.addToRolePolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: objects }));
    for (const resource of objects) {
      acknowledgeWildcardResource(
        this.role!,
        resource,
        'Evidence object keys are generated per case and attachment; the grant is read-only, on the two ' +
          'evidence prefixes of one bucket, and the handler signs downloads only for attachments of a case ' +
          'the viewer may see.',
      );
    }
    return this.provide(ENV.evidenceBucket, bucket.bucketName);
  }

  /**
   * `sfn:read` → DescribeStateMachine on each family's state machine, and DescribeExecution and
   * GetExecutionHistory on that state machine's executions (the ops
   * console's view of a case's run, found by execution name). No start, stop or task actions. Sets
   * STATE_MACHINE_ARNS = {familyId: arn}.
   */
  bindExecutionReads(
    machines: ReadonlyMap<FamilyId, IStateMachine & { readonly stateMachineName: string }>,
  ): this {
    const stack = Stack.of(this);
    for (const machine of machines.values()) {
      const executions = stack.formatArn({
        service: 'states',
        resource: 'execution',
        resourceName: `${machine.stateMachineName}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['states:DescribeStateMachine'],
          resources: [machine.stateMachineArn],
        }),
      );
      this.addToRolePolicy(
        new PolicyStatement({
          actions: ['states:DescribeExecution', 'states:GetExecutionHistory'],
          resources: [executions],
        }),
      );
      acknowledgeWildcardResource(
        this.role!,
        executions,
        'Execution names are generated per case, so reads are granted on the executions of one state ' +
          'machine (describe and history only).',
      );
    }
    return this.provideStateMachineArns(machines);
  }

  /**
   * `table:stream` → read the case table's stream: DescribeStream, GetShardIterator and GetRecords on the
   * stream, and ListStreams, which Lambda's stream poller also calls, on the table's streams. Granted here
   * rather than by `DynamoEventSource`, whose grant allows ListStreams on every resource ("*").
   */
  bindTableStream(table: ITable): this {
    const streamArn = requireStream(table);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetShardIterator', 'dynamodb:GetRecords'],
        resources: [streamArn],
      }),
    );
    const streams = `${table.tableArn}/stream/*`;
    this.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: [streams] }));
    acknowledgeWildcardResource(
      this.role!,
      streams,
      'The stream ARN ends in its creation time, which is known only after deploy; ListStreams is granted on ' +
        'the streams of the one case table (the other stream actions on the exact stream).',
    );
    return this;
  }

  /**
   * For a `stream` function: invokes it with the case table's stream, filtered to case items (`sk` = CASE,
   * inserts and modifications), in batches of up to 100 from the latest position. A batch that throws is
   * retried (split in halves to isolate a bad record) up to three times; what still fails is recorded in an
   * encrypted queue (shard and sequence numbers, from which the records can be re-read within the stream's
   * 24 hours), so the shard moves on.
   *
   * The mapping is an `EventSourceMapping` (what `DynamoEventSource` creates) so that `bindTableStream`'s
   * narrower grant is the only one; the function must list `table:stream` in its access.
   */
  consumeTableStream(table: ITable): this {
    if (this.spec.kind !== 'stream' || !this.spec.access.includes('table:stream')) {
      throw new Error(
        `SellerWorks synth: ${this.spec.id} consumes the case table stream, so functions/registry.ts must ` +
          `give it kind 'stream' and access 'table:stream'.`,
      );
    }
    const failures = new Queue(this, 'StreamFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      failures,
      'AwsSolutions-SQS3',
      'This queue is the on-failure destination of the stream event source mapping (a dead-letter queue for ' +
        'failed batches); it is not fed by another queue, so cdk-nag does not recognise it as one.',
    );
    this.streamFailures = failures;
    this.addEventSourceMapping('CaseTableStream', {
      eventSourceArn: requireStream(table),
      startingPosition:
        this.spec.streamStart === 'trim-horizon' ? StartingPosition.TRIM_HORIZON : StartingPosition.LATEST,
      batchSize: 100,
      maxBatchingWindow: Duration.seconds(5),
      bisectBatchOnError: true,
      retryAttempts: 3,
      maxRecordAge: Duration.hours(6),
      onFailure: new SqsDlq(failures),
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.or('INSERT', 'MODIFY'),
          dynamodb: {
            Keys: { pk: { S: FilterRule.beginsWith('CASE#') }, sk: { S: FilterRule.isEqual('CASE') } },
          },
        }),
        ...(this.spec.streamItems === 'folds'
          ? [
              // New evidence (seller emails) and new `message.sent` events, for FAQ grouping.
              FilterCriteria.filter({
                eventName: FilterRule.isEqual('INSERT'),
                dynamodb: {
                  Keys: {
                    pk: { S: FilterRule.beginsWith('CASE#') },
                    sk: { S: FilterRule.beginsWith('EVIDENCE#') },
                  },
                },
              }),
              FilterCriteria.filter({
                eventName: FilterRule.isEqual('INSERT'),
                dynamodb: {
                  Keys: {
                    pk: { S: FilterRule.beginsWith('CASE#') },
                    sk: { S: FilterRule.beginsWith('EVENT#') },
                  },
                  NewImage: { type: { S: FilterRule.isEqual('message.sent') } },
                },
              }),
            ]
          : []),
      ],
    });
    return this;
  }

  /**
   * For a `schedule` function: an EventBridge rule invokes it every `every` (the outbox sweep: each minute).
   * A failed run is not retried: the next one comes within the minute and picks up the same records.
   */
  runEvery(every: Duration): this {
    if (this.spec.kind !== 'schedule') {
      throw new Error(
        `SellerWorks synth: ${this.spec.id} runs on a schedule, so functions/registry.ts must give it kind 'schedule'.`,
      );
    }
    new Rule(this, 'Schedule', {
      description: `Invokes SellerWorks ${this.spec.id} every ${every.toHumanString()}`,
      schedule: Schedule.rate(every),
      targets: [new LambdaFunction(this, { retryAttempts: 0 })],
    });
    return this;
  }

  /** `secret:reply-token` → GetSecretValue/DescribeSecret on the signing secret. Sets REPLY_TOKEN_SECRET_ARN. */
  bindReplyTokenSecret(secret: ISecret): this {
    secret.grantRead(this);
    return this.provide(ENV.replyTokenSecretArn, secret.secretArn);
  }
}

const requireStream = (table: ITable): string => {
  if (!table.tableStreamArn) {
    throw new Error(
      'SellerWorks synth: the case table has no stream; CaseTable must enable NEW_AND_OLD_IMAGES.',
    );
  }
  return table.tableStreamArn;
};
