import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEAMS } from '../../functions/policy/families.ts';
import { FUNCTIONS } from '../../functions/registry.ts';
import { MAX_METRICS_PER_ALARM, RUNBOOK_SECTIONS } from '../../infra/aws/constructs/alarms.ts';
import { fromRepoRoot } from '../../infra/aws/repo-root.ts';
import { FAMILY_IDS } from '../../state-machines/catalog.ts';
import { type CfnResource, type Synthesized, synthesize } from './synthesize.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize({ bundle: false });
});

interface MetricStat {
  readonly Metric: {
    readonly Namespace: string;
    readonly MetricName: string;
    readonly Dimensions?: { Name: string; Value: unknown }[];
  };
  readonly Stat: string;
  readonly Period: number;
}
interface MetricQuery {
  readonly Id: string;
  readonly Expression?: string;
  readonly MetricStat?: MetricStat;
  readonly ReturnData?: boolean;
}
interface AlarmProps {
  readonly AlarmName: string;
  readonly AlarmDescription: string;
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly Dimensions?: { Name: string; Value: unknown }[];
  readonly Statistic?: string;
  readonly ExtendedStatistic?: string;
  readonly Period?: number;
  readonly Metrics?: MetricQuery[];
  readonly Threshold: number;
  readonly ComparisonOperator: string;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm?: number;
  readonly TreatMissingData: string;
  readonly AlarmActions: unknown[];
  readonly OKActions: unknown[];
}

const alarms = (): AlarmProps[] =>
  Object.values(synth.json.Resources)
    .filter((r) => r.Type === 'AWS::CloudWatch::Alarm')
    .map((r) => r.Properties as unknown as AlarmProps);
const alarm = (name: string): AlarmProps => {
  const found = alarms().find((a) => a.AlarmName === `SellerWorks-${name}`);
  if (!found) throw new Error(`no alarm SellerWorks-${name}`);
  return found;
};
/** Alarms named `<prefix>` or `<prefix>-<n>` (a sum split to fit the 10-metric limit). */
const alarmsNamed = (prefix: string): AlarmProps[] =>
  alarms().filter((a) => new RegExp(`^SellerWorks-${prefix}(-\\d+)?$`).test(a.AlarmName));
const dimension = (dimensions: { Name: string; Value: unknown }[] | undefined, name: string) =>
  dimensions?.find((d) => d.Name === name)?.Value;
const statsOf = (a: AlarmProps): MetricStat[] =>
  (a.Metrics ?? []).flatMap((q) => (q.MetricStat ? [q.MetricStat] : []));
const topicRef = () => ({ Ref: synth.logicalId(synth.stack.alarms.topic) });
const resourceOf = (logicalId: string): CfnResource => synth.json.Resources[logicalId]!;

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const runbookAnchors = (): Set<string> =>
  new Set(
    readFileSync(fromRepoRoot('docs/runbook.md'), 'utf8')
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) =>
        line
          .replace(/^#+ /, '')
          .trim()
          .toLowerCase()
          .replace(/[^a-z0-9 _-]/g, '')
          .replace(/ /g, '-'),
      ),
  );

describe('alarm topic', () => {
  it('is encrypted with a rotated key CloudWatch may use, refuses plain HTTP and lets CloudWatch publish', () => {
    const topicId = synth.logicalId(synth.stack.alarms.topic);
    const keyId = synth.logicalId(synth.stack.alarms.key);
    expect(resourceOf(topicId).Properties).toMatchObject({
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    expect(resourceOf(keyId).Properties).toMatchObject({ EnableKeyRotation: true });
    synth.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      },
    });
  });

  it('emails the AlarmEmail parameter only when it is set', () => {
    synth.template.hasParameter('AlarmEmail', { Type: 'String', Default: '' });
    const subscriptions = Object.values(synth.json.Resources).filter(
      (r) =>
        r.Type === 'AWS::SNS::Subscription' &&
        JSON.stringify(r.Properties?.TopicArn) === JSON.stringify(topicRef()),
    ) as (CfnResource & { Condition?: string })[];
    expect(subscriptions).toHaveLength(1);
    const [subscription] = subscriptions;
    expect(subscription?.Properties).toMatchObject({ Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' } });
    const conditions = (synth.template.toJSON() as { Conditions: Record<string, unknown> }).Conditions;
    expect(conditions[subscription!.Condition!]).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmEmail' }, ''] }],
    });
  });
});

describe('alarms', () => {
  it('each notifies the alarm topic when it fires and when it is over', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const a of alarms()) {
      expect(a.AlarmActions, a.AlarmName).toEqual([topicRef()]);
      expect(a.OKActions, a.AlarmName).toEqual([topicRef()]);
    }
  });

  it('each says what it means and links a section of docs/runbook.md that exists', () => {
    const anchors = runbookAnchors();
    for (const section of Object.values(RUNBOOK_SECTIONS)) expect(anchors, section).toContain(section);
    for (const a of alarms()) {
      expect(a.AlarmDescription.length, a.AlarmName).toBeLessThanOrEqual(1024); // CloudFormation's limit
      const link = /Runbook: docs\/runbook\.md#([a-z0-9-]+)$/.exec(a.AlarmDescription);
      expect(link, a.AlarmName).not.toBeNull();
      expect(anchors, a.AlarmName).toContain(link![1]);
    }
  });

  it('watches every SQS queue of the stack (all are dead-letter queues) for a visible message', () => {
    const queues = Object.entries(synth.json.Resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
    // Two email functions' dead letters and the two stream readers' failed batches.
    expect(queues).toHaveLength(4);
    for (const [queueId] of queues) {
      const watching = alarms().filter(
        (a) =>
          JSON.stringify(dimension(a.Dimensions, 'QueueName')) ===
          JSON.stringify({ 'Fn::GetAtt': [queueId, 'QueueName'] }),
      );
      expect(watching, queueId).toHaveLength(1);
      expect(watching[0]).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Statistic: 'Maximum',
        Period: 300,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
    }
    expect(alarm('DeadLetters-InboundEmail').AlarmDescription).toMatch(/#email-dead-letters$/);
    expect(alarm('StreamFailures-RecordMetrics').AlarmDescription).toMatch(/#stream-failures$/);
  });

  it.each([
    ['Failed', 'ExecutionsFailed'],
    ['TimedOut', 'ExecutionsTimedOut'],
    ['Aborted', 'ExecutionsAborted'],
  ])('sums %s executions of every family state machine, alarming on one', (name, metricName) => {
    const found = alarmsNamed(`Executions-${name}`);
    const machines = new Set<string>();
    for (const a of found) {
      expect(a).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      expect(a.Metrics?.find((q) => q.ReturnData !== false)?.Expression).toMatch(/^SUM\(\[/);
      for (const stat of statsOf(a)) {
        expect(stat).toMatchObject({
          Metric: { Namespace: 'AWS/States', MetricName: metricName },
          Stat: 'Sum',
          Period: 300,
        });
        machines.add(JSON.stringify(dimension(stat.Metric.Dimensions, 'StateMachineArn')));
      }
    }
    const expected = [...synth.stack.stateMachines.values()].map((m) =>
      JSON.stringify({ Ref: synth.logicalId(m.stateMachine) }),
    );
    expect(expected).toHaveLength(FAMILY_IDS.length);
    expect([...machines].sort()).toEqual(expected.sort());
  });

  it.each(['Errors', 'Throttles'])(
    'sums Lambda %s of every function, in alarms of at most ten metrics',
    (metricName) => {
      const found = alarmsNamed(`Lambda-${metricName}-(Api|Steps|Background)`);
      const covered: string[] = [];
      for (const a of found) {
        expect(a).toMatchObject({
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 3,
          DatapointsToAlarm: 2,
          TreatMissingData: 'notBreaching',
        });
        const stats = statsOf(a);
        expect(stats.length).toBeLessThanOrEqual(MAX_METRICS_PER_ALARM);
        for (const stat of stats) {
          expect(stat).toMatchObject({
            Metric: { Namespace: 'AWS/Lambda', MetricName: metricName },
            Stat: 'Sum',
          });
          covered.push(JSON.stringify(dimension(stat.Metric.Dimensions, 'FunctionName')));
        }
      }
      const apiParts = alarmsNamed(`Lambda-${metricName}-Api`).map((a) => statsOf(a).length);
      expect(apiParts.length).toBeGreaterThan(1);
      expect(Math.max(...apiParts) - Math.min(...apiParts)).toBeLessThanOrEqual(1);
      const expected = FUNCTIONS.map((spec) =>
        JSON.stringify({ Ref: synth.logicalId(synth.stack.functions.get(spec.id)!) }),
      );
      expect(covered.sort()).toEqual(expected.sort());
    },
  );

  it('alarms when over 1 % of API responses in 5 minutes are 5xx, given at least 50 requests', () => {
    const a = alarm('Api-5xxRate');
    expect(a).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
    });
    expect(a.Metrics?.find((q) => q.ReturnData !== false)?.Expression).toBe(
      'IF(requests >= 50, 100 * FILL(errors, 0) / requests, 0)',
    );
    const stats = Object.fromEntries((a.Metrics ?? []).map((q) => [q.Id, q.MetricStat]));
    const apiId = { Ref: synth.logicalId(synth.stack.api.api) };
    for (const [id, metricName] of [
      ['errors', '5xx'],
      ['requests', 'Count'],
    ] as const) {
      expect(stats[id]).toMatchObject({
        Metric: { Namespace: 'AWS/ApiGateway', MetricName: metricName },
        Stat: 'Sum',
        Period: 300,
      });
      expect(dimension(stats[id]?.Metric.Dimensions, 'ApiId')).toEqual(apiId);
      expect(dimension(stats[id]?.Metric.Dimensions, 'Stage')).toBe('$default');
    }
  });

  it('alarms when the API’s p99 latency stays over 2.5 s for 15 minutes', () => {
    expect(alarm('Api-LatencyP99')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Period: 300,
      Threshold: 2500,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
    });
    expect(dimension(alarm('Api-LatencyP99').Dimensions, 'Stage')).toBe('$default');
  });

  it.each([
    ['Scheduler-TargetErrors', 'TargetErrorCount', 3, 2],
    ['Scheduler-InvocationsDropped', 'InvocationDroppedCount', 1, undefined],
  ])('alarms on %s (%s) of the SLA timers’ schedule group', (name, metricName, periods, datapoints) => {
    const a = alarm(name);
    expect(a).toMatchObject({
      Namespace: 'AWS/Scheduler',
      MetricName: metricName,
      Dimensions: [{ Name: 'ScheduleGroup', Value: 'default' }],
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: periods,
    });
    expect(a.DatapointsToAlarm).toBe(datapoints);
  });

  it.each([
    ['Ses-BounceRate', 'Reputation.BounceRate', 0.05],
    ['Ses-ComplaintRate', 'Reputation.ComplaintRate', 0.001],
  ])('alarms on the account’s %s (%s over %s)', (name, metricName, threshold) => {
    const a = alarm(name);
    expect(a).toMatchObject({
      Namespace: 'AWS/SES',
      MetricName: metricName,
      Statistic: 'Maximum',
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'ignore',
    });
    expect(a.Dimensions).toBeUndefined();
  });

  it('alarms per team on five SLA breaches in an hour, from the metric RecordMetrics logs', () => {
    const teams = [...new Set([...TEAMS, 'support-ops'])];
    expect(
      alarmsNamed('SlaBreaches-[a-z-]+')
        .map((a) => a.AlarmName)
        .sort(),
    ).toEqual(teams.map((team) => `SellerWorks-SlaBreaches-${team}`).sort());
    for (const team of teams) {
      expect(alarm(`SlaBreaches-${team}`)).toMatchObject({
        Namespace: 'SellerWorks',
        MetricName: 'SlaBreaches',
        Dimensions: [{ Name: 'Team', Value: team }],
        Statistic: 'Sum',
        Period: 3600,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('keeps the stack under CloudFormation’s 500 resources, with room for a few more functions', () => {
    // 452 with 45 functions and one API (its /ops routes behind the staff pool's authorizer, one invoke
    // permission per function rather than per route). A function costs some eight resources (function,
    // role, policy, log group, permission, integration, routes): room for five or six more; past that, the
    // alarms and the dashboard (47 resources) move to a nested stack rather than this bound moving up.
    expect(Object.keys(synth.json.Resources).length).toBeLessThan(470);
  });
});
