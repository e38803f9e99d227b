import { Aws, CfnCondition, Duration, Fn, Stack } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type CfnSubscription, Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SLA_BREACHES } from '#domain/emf.ts';
import type { FunctionSpec } from '../../../functions/registry.ts';

/** Where each alarm's description points: a section of docs/runbook.md (its GitHub heading anchor). */
export const RUNBOOK_SECTIONS = {
  emailDeadLetters: 'email-dead-letters',
  streamFailures: 'stream-failures',
  failedExecutions: 'failed-executions',
  timedOutExecutions: 'timed-out-executions',
  abortedExecutions: 'aborted-executions',
  lambdaErrors: 'lambda-errors',
  lambdaThrottles: 'lambda-throttles',
  api5xxRate: 'api-5xx-rate',
  apiLatency: 'api-p99-latency',
  schedulerTargetErrors: 'scheduler-target-errors',
  schedulerDropped: 'scheduler-dropped-invocations',
  sesBounceRate: 'ses-bounce-rate',
  sesComplaintRate: 'ses-complaint-rate',
  slaBreaches: 'sla-breaches',
} as const;
export type RunbookSection = (typeof RUNBOOK_SECTIONS)[keyof typeof RUNBOOK_SECTIONS];

/**
 * An alarm's metric math may read at most 10 metrics (PutMetricAlarm: up to 10 MetricStat queries). Sums
 * over more are split into alarms of at most this many.
 */
export const MAX_METRICS_PER_ALARM = 10;

/** A dead-letter queue and what parks messages in it (which decides how they are put back). */
export interface DeadLetterQueue {
  /** Who the queue belongs to, e.g. the function id; part of the alarm's name. */
  readonly owner: string;
  readonly queue: IQueue;
  /** `async-invocations`: events Lambda gave up on; `stream-batches`: stream batches that kept failing. */
  readonly holds: 'async-invocations' | 'stream-batches';
}

export interface AlarmedFunction {
  readonly id: string;
  readonly kind: FunctionSpec['kind'];
  readonly fn: IFunction;
}

/** The thresholds a team may want to tune; each default is argued in docs/runbook.md. */
export interface AlarmThresholds {
  /** 5xx responses as a percentage of requests, over 5 minutes. @default 1 */
  readonly api5xxPercent?: number;
  /** Fewer requests than this in 5 minutes never alarm on the rate (two 5xx of ten are noise). @default 50 */
  readonly apiMinimumRequests?: number;
  /** p99 of API latency, in milliseconds, held for 15 minutes. @default 2500 */
  readonly apiP99LatencyMs?: number;
  /** SLA breaches of one team in an hour. @default 5 */
  readonly slaBreachesPerHour?: number;
}

export interface AlarmsProps {
  /** Email address alarms notify (the `AlarmEmail` parameter); no subscription when it is empty. */
  readonly notifyEmail: string;
  readonly deadLetterQueues: readonly DeadLetterQueue[];
  readonly stateMachines: ReadonlyMap<string, IStateMachine>;
  readonly functions: readonly AlarmedFunction[];
  /** The HTTP API's stage (its metrics carry ApiId and Stage). */
  readonly apiStage: IHttpStage;
  /** The EventBridge Scheduler group the SLA timers are created in. */
  readonly scheduleGroup: string;
  /** The teams whose SLA breaches are watched, one alarm each. */
  readonly teams: readonly string[];
  readonly thresholds?: AlarmThresholds;
}

/** Lambda functions are watched in groups of the same part of the system, each split to fit an alarm. */
const FUNCTION_GROUPS: readonly { readonly name: string; readonly kinds: readonly FunctionSpec['kind'][] }[] =
  [
    { name: 'Api', kinds: ['api'] },
    { name: 'Steps', kinds: ['step'] },
    { name: 'Background', kinds: ['email', 'timer', 'stream', 'schedule'] },
  ];

const FIVE_MINUTES = Duration.minutes(5);

/** `items` in as few parts of at most `size` as fit, of even sizes (21 → 7, 7, 7 rather than 10, 10, 1). */
const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const count = Math.ceil(items.length / size);
  const result: T[][] = [];
  for (let part = 0; part < count; part++)
    result.push(
      items.slice(Math.floor((part * items.length) / count), Math.floor(((part + 1) * items.length) / count)),
    );
  return result;
};

/**
 * CloudWatch alarms on SellerWorks, all notifying one encrypted SNS topic (and back when they are OK): every
 * dead-letter queue, failed, timed-out and aborted executions, Lambda errors and throttles, the API's 5xx
 * rate and p99 latency, SLA timers the scheduler failed to deliver, SES bounce and complaint rates, and SLA
 * breaches per team. Each alarm's description says what it means and links its section of docs/runbook.md.
 *
 * Alarms are billed per metric they read (0.10 USD a month each at standard resolution), a metric math sum
 * included, so summing saves no money; what it saves is CloudFormation resources (a stack holds 500, this
 * one has some 300 before alarms) and pages: one incident that fails every function pages once per group,
 * not once per function. So execution outcomes are summed over the families (the status tells what to do;
 * `list-executions` per machine tells which), Lambda errors and throttles over groups of at most ten
 * functions, and queues, teams and the API, whose responses differ, get an alarm each.
 */
export class Alarms extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;
  private readonly prefix: string;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.prefix = stack.stackName;
    const thresholds = props.thresholds ?? {};

    // CloudWatch publishes to an encrypted topic only if the key lets it, as SES does for mail events.
    this.key = new Key(this, 'Key', { enableKeyRotation: true, description: 'SellerWorks alarm topic' });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'SellerWorks alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    // enforceSSL gives the topic a policy, which replaces SNS's default one: CloudWatch is let in by name.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm:*' }) },
        },
      }),
    );
    const hasEmail = new CfnCondition(this, 'HasAlarmEmail', {
      expression: Fn.conditionNot(Fn.conditionEquals(props.notifyEmail, '')),
    });
    const subscription = new Subscription(this, 'Email', {
      topic: this.topic,
      protocol: SubscriptionProtocol.EMAIL,
      endpoint: props.notifyEmail,
    });
    (subscription.node.defaultChild as CfnSubscription).cfnOptions.condition = hasEmail;
    this.action = new SnsAction(this.topic);

    for (const { owner, queue, holds } of props.deadLetterQueues) {
      const email = holds === 'async-invocations';
      this.add(`${email ? 'DeadLetters' : 'StreamFailures'}-${owner}`, {
        meaning: email
          ? `${owner} gave up on an event after Lambda's retries and parked it in its dead-letter queue: ` +
            'an email (or mail event) was not processed.'
          : `${owner} kept failing on a batch of case changes from the table's stream; the batch's position ` +
            'is parked in its on-failure queue and those changes were skipped.',
        section: email ? RUNBOOK_SECTIONS.emailDeadLetters : RUNBOOK_SECTIONS.streamFailures,
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: 0,
      });
    }

    const machines = [...props.stateMachines];
    const outcomes = [
      ['ExecutionsFailed', 'Failed', RUNBOOK_SECTIONS.failedExecutions, 'failed'],
      ['ExecutionsTimedOut', 'TimedOut', RUNBOOK_SECTIONS.timedOutExecutions, 'timed out'],
      ['ExecutionsAborted', 'Aborted', RUNBOOK_SECTIONS.abortedExecutions, 'were aborted (stopped)'],
    ] as const;
    for (const [metricName, name, section, what] of outcomes) {
      this.addSums(
        `Executions-${name}`,
        machines.map(
          ([family, machine]) =>
            [
              family,
              new Metric({
                namespace: 'AWS/States',
                metricName,
                dimensionsMap: { StateMachineArn: machine.stateMachineArn },
                statistic: 'Sum',
                period: FIVE_MINUTES,
              }),
            ] as const,
        ),
        {
          meaning: `Case workflow executions ${what} (${metricName}, summed over the family state machines): the cases they carried stopped moving.`,
          section,
          threshold: 0,
        },
      );
    }

    for (const group of FUNCTION_GROUPS) {
      const members = props.functions.filter((f) => group.kinds.includes(f.kind));
      for (const [metricName, section, what] of [
        ['Errors', RUNBOOK_SECTIONS.lambdaErrors, 'kept failing (an unhandled error or a timeout)'],
        ['Throttles', RUNBOOK_SECTIONS.lambdaThrottles, 'kept being throttled (concurrency exhausted)'],
      ] as const) {
        this.addSums(
          `Lambda-${metricName}-${group.name}`,
          members.map(
            ({ id: functionId, fn }) =>
              [functionId, fn.metric(metricName, { statistic: 'Sum', period: FIVE_MINUTES })] as const,
          ),
          {
            meaning: `${group.name} Lambda functions ${what}: ${metricName} in two of the last three 5-minute periods.`,
            section,
            threshold: 0,
            evaluationPeriods: 3,
            datapointsToAlarm: 2,
          },
        );
      }
    }

    const percent = thresholds.api5xxPercent ?? 1;
    const minimum = thresholds.apiMinimumRequests ?? 50;
    this.add('Api-5xxRate', {
      meaning: `More than ${percent} % of the intake API's responses in 5 minutes were 5xx (with at least ${minimum} requests).`,
      section: RUNBOOK_SECTIONS.api5xxRate,
      metric: new MathExpression({
        expression: `IF(requests >= ${minimum}, 100 * FILL(errors, 0) / requests, 0)`,
        usingMetrics: {
          errors: props.apiStage.metricServerError({ statistic: 'Sum', period: FIVE_MINUTES }),
          requests: props.apiStage.metricCount({ statistic: 'Sum', period: FIVE_MINUTES }),
        },
        label: '5xx % of requests',
        period: FIVE_MINUTES,
      }),
      threshold: percent,
    });
    const latency = thresholds.apiP99LatencyMs ?? 2500;
    this.add('Api-LatencyP99', {
      meaning: `The intake API's p99 latency stayed above ${latency} ms for 15 minutes.`,
      section: RUNBOOK_SECTIONS.apiLatency,
      metric: props.apiStage.metricLatency({ statistic: 'p99', period: FIVE_MINUTES }),
      threshold: latency,
      evaluationPeriods: 3,
    });

    const scheduler = (metricName: string) =>
      new Metric({
        namespace: 'AWS/Scheduler',
        metricName,
        dimensionsMap: { ScheduleGroup: props.scheduleGroup },
        statistic: 'Sum',
        period: FIVE_MINUTES,
      });
    this.add('Scheduler-TargetErrors', {
      meaning:
        'EventBridge Scheduler kept failing to invoke the fire-timer function (TargetErrorCount in two of the ' +
        'last three 5-minute periods): SLA reminders, warnings and breaches are late.',
      section: RUNBOOK_SECTIONS.schedulerTargetErrors,
      metric: scheduler('TargetErrorCount'),
      threshold: 0,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
    this.add('Scheduler-InvocationsDropped', {
      meaning:
        'EventBridge Scheduler gave up on SLA timers after its retries (InvocationDroppedCount): those ' +
        'reminders, warnings or breach escalations never fired.',
      section: RUNBOOK_SECTIONS.schedulerDropped,
      metric: scheduler('InvocationDroppedCount'),
      threshold: 0,
    });

    // Account-level reputation (what SES reviews and pauses sending on), as fractions: 0.05 is 5 %.
    const reputation = (metricName: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.minutes(15) });
    this.add('Ses-BounceRate', {
      meaning:
        "The account's SES bounce rate is above 5 %; SES puts an account under review at 5 % and may pause sending at 10 %.",
      section: RUNBOOK_SECTIONS.sesBounceRate,
      metric: reputation('Reputation.BounceRate'),
      threshold: 0.05,
      treatMissingData: TreatMissingData.IGNORE,
    });
    this.add('Ses-ComplaintRate', {
      meaning:
        "The account's SES complaint rate is above 0.1 %; SES puts an account under review at 0.1 % and may pause sending at 0.5 %.",
      section: RUNBOOK_SECTIONS.sesComplaintRate,
      metric: reputation('Reputation.ComplaintRate'),
      threshold: 0.001,
      treatMissingData: TreatMissingData.IGNORE,
    });

    const breaches = thresholds.slaBreachesPerHour ?? 5;
    for (const team of props.teams) {
      this.add(`SlaBreaches-${team}`, {
        meaning: `The ${team} team breached ${breaches} or more SLA targets in an hour (${METRICS_NAMESPACE} ${SLA_BREACHES.metric}, ${SLA_BREACHES.teamDimension}=${team}).`,
        section: RUNBOOK_SECTIONS.slaBreaches,
        metric: new Metric({
          namespace: METRICS_NAMESPACE,
          metricName: SLA_BREACHES.metric,
          dimensionsMap: { [SLA_BREACHES.teamDimension]: team },
          statistic: 'Sum',
          period: Duration.hours(1),
        }),
        threshold: breaches,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    }
  }

  /** One alarm, named `<stack>-<name>`, notifying the topic when it fires and when it is over. */
  private add(
    name: string,
    props: {
      readonly meaning: string;
      readonly section: RunbookSection;
      readonly metric: IMetric;
      readonly threshold: number;
      readonly comparisonOperator?: ComparisonOperator;
      readonly evaluationPeriods?: number;
      readonly datapointsToAlarm?: number;
      readonly treatMissingData?: TreatMissingData;
    },
  ): Alarm {
    const alarm = new Alarm(this, name, {
      metric: props.metric,
      alarmName: `${this.prefix}-${name}`,
      alarmDescription: `${props.meaning} Runbook: docs/runbook.md#${props.section}`,
      threshold: props.threshold,
      comparisonOperator: props.comparisonOperator ?? ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      ...(props.datapointsToAlarm !== undefined && { datapointsToAlarm: props.datapointsToAlarm }),
      // No data means nothing happened (no failures, no requests): not a reason to page.
      treatMissingData: props.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  /** A sum of metrics, as one alarm per at most {@link MAX_METRICS_PER_ALARM} of them (`-1`, `-2`, … when split). */
  private addSums(
    name: string,
    metrics: readonly (readonly [member: string, metric: Metric])[],
    props: Omit<Parameters<Alarms['add']>[1], 'metric'>,
  ): void {
    const parts = chunks(metrics, MAX_METRICS_PER_ALARM);
    parts.forEach((part, index) => {
      const ids = part.map((_, i) => `m${i}`);
      this.add(parts.length > 1 ? `${name}-${index + 1}` : name, {
        ...props,
        meaning: `${props.meaning} Covers ${part.map(([member]) => member).join(', ')}.`,
        metric: new MathExpression({
          expression: `SUM([${ids.join(', ')}])`,
          usingMetrics: Object.fromEntries(part.map(([, metric], i) => [ids[i]!, metric])),
          label: name,
          period: part[0]![1].period,
        }),
      });
    });
  }
}
