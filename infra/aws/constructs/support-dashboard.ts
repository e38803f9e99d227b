import { Aws, Duration, Stack } from 'aws-cdk-lib';
import {
  Dashboard,
  GraphWidget,
  type IMetric,
  type IWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { METRIC_DIMENSIONS, METRICS_NAMESPACE, type MetricDimension } from '#domain/emf.ts';
import { REGIONS, SELLER_TIERS } from '#policy/family-policy.ts';
import { INTAKE_CHANNELS } from '#policy/intake-fields.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';

export interface SupportDashboardProps {
  /** @default `<stack name>-Support` */
  readonly dashboardName?: string;
  /** The length of one data point (counts are summed over it, rates divide those sums). @default one day */
  readonly period?: Duration;
}

/** One line of a widget: all cases, or one value of a segment dimension. */
interface Segment {
  /** Metric math ids must match ^[a-z][a-zA-Z0-9_]*$; this is the segment's part of them. */
  readonly key: string;
  readonly label: string;
  readonly dimensions: Readonly<Partial<Record<MetricDimension, string>>>;
}

/** A scoreboard figure: how to draw it for one segment. */
interface Figure {
  readonly title: string;
  readonly axis: string;
  readonly line: (segment: Segment, period: Duration) => IMetric;
}

const metric = (name: string, statistic: string, segment: Segment, period: Duration) =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { ...segment.dimensions },
    statistic,
    period,
  });

const count =
  (name: string): Figure['line'] =>
  (segment, period) =>
    metric(name, 'Sum', segment, period).with({ label: segment.label });

/** A duration percentile, logged in seconds, drawn in hours. */
const hours =
  (name: string, percentile: 'p50' | 'p90'): Figure['line'] =>
  (segment, period) => {
    const id = `${name.toLowerCase()}_${percentile}_${segment.key}`;
    return new MathExpression({
      expression: `${id} / 3600`,
      usingMetrics: { [id]: metric(name, percentile, segment, period) },
      label: segment.label,
      period,
    });
  };

/**
 * A rate from two counts over the same period. A period with cases but no reopens (escalations, …) logs no
 * numerator point; FILL makes that a 0 % rather than a gap. A period without a denominator stays a gap.
 */
const ratio =
  (numerator: string, denominator: string, scale: 1 | 100): Figure['line'] =>
  (segment, period) => {
    const n = `${numerator.toLowerCase()}_${segment.key}`;
    const d = `${denominator.toLowerCase()}_${segment.key}`;
    return new MathExpression({
      expression: `${scale === 100 ? '100 * ' : ''}FILL(${n}, 0) / ${d}`,
      usingMetrics: {
        [n]: metric(numerator, 'Sum', segment, period),
        [d]: metric(denominator, 'Sum', segment, period),
      },
      label: segment.label,
      period,
    });
  };

/** The seed's scoreboard, in the metric names functions/domain/metrics.ts (`metricPoints`) logs. */
const FIGURES: readonly Figure[] = [
  { title: 'Cases opened', axis: 'cases', line: count('CasesOpened') },
  { title: 'Cases resolved', axis: 'cases', line: count('CasesResolved') },
  { title: 'Time to resolution p50', axis: 'hours', line: hours('TimeToResolution', 'p50') },
  { title: 'Time to resolution p90', axis: 'hours', line: hours('TimeToResolution', 'p90') },
  { title: 'First response p50', axis: 'hours', line: hours('FirstResponseTime', 'p50') },
  { title: 'First response p90', axis: 'hours', line: hours('FirstResponseTime', 'p90') },
  { title: 'Reopen rate', axis: '% of resolved', line: ratio('CasesReopened', 'CasesResolved', 100) },
  { title: 'Escalation rate', axis: '% of opened', line: ratio('CasesEscalated', 'CasesOpened', 100) },
  { title: 'Transfers per case', axis: 'transfers', line: ratio('Transfers', 'CasesOpened', 1) },
  {
    title: 'Solved without a manual touch',
    axis: '% of resolved',
    line: ratio('SolvedWithoutTouch', 'CasesResolved', 100),
  },
  {
    title: 'Manual touches per resolved case',
    axis: 'touches',
    line: ratio('ManualTouches', 'CasesResolved', 1),
  },
];

const segmentsOf = (dimension: MetricDimension, values: readonly string[]): Segment[] =>
  values.map((value) => ({
    key: value.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
    label: value,
    dimensions: { [dimension]: value },
  }));

/** Family first (the main widgets, larger), then the other segments the seed asks the figures by. */
const SECTIONS = [
  {
    heading: 'By issue family',
    by: 'family',
    segments: segmentsOf(METRIC_DIMENSIONS.family, FAMILY_IDS),
    width: 8,
  },
  {
    heading: 'By seller tier',
    by: 'seller tier',
    segments: segmentsOf(METRIC_DIMENSIONS.sellerTier, SELLER_TIERS),
    width: 6,
  },
  {
    heading: 'By intake channel',
    by: 'channel',
    segments: segmentsOf(METRIC_DIMENSIONS.channel, INTAKE_CHANNELS),
    width: 6,
  },
  { heading: 'By region', by: 'region', segments: segmentsOf(METRIC_DIMENSIONS.region, REGIONS), width: 6 },
] as const;

/** Over all cases (the EMF record's empty dimension set); its widget labels each line with the figure. */
const ALL_CASES: Segment = { key: 'all', label: 'All cases', dimensions: {} };

const ABOUT = [
  '# SellerWorks support scoreboard',
  'Logged by the RecordMetrics function from every change to a case (embedded metric format, namespace ' +
    `\`${METRICS_NAMESPACE}\`). One point per day: counts are the day's sums; times are percentiles of the ` +
    'cases that got their first response or resolution that day, in hours; rates divide two counts of the ' +
    'same day (reopen rate = reopened ÷ resolved, escalation rate = escalated ÷ opened, transfers per case = ' +
    'transfers ÷ opened, solved without a manual touch = untouched ÷ resolved, manual touches per resolved ' +
    'case = touches ÷ resolved). The ops console computes the same figures per case cohort from the table.',
].join('\n\n');

/** Lays widgets out left to right, starting a new row whenever the 24-unit grid is full. */
const rows = (widgets: readonly IWidget[]): IWidget[][] => {
  const result: IWidget[][] = [];
  let row: IWidget[] = [];
  let used = 0;
  for (const widget of widgets) {
    const width = widget.width;
    if (used + width > 24) {
      result.push(row);
      row = [];
      used = 0;
    }
    row.push(widget);
    used += width;
  }
  if (row.length > 0) result.push(row);
  return result;
};

/**
 * The CloudWatch dashboard of the support scoreboard (seed 000 §6): cases opened and resolved, time to
 * resolution and first response (p50, p90), reopen and escalation rates, transfers per case, the share solved
 * without a manual touch and manual touches per resolved case; over all cases, then one line per issue
 * family, seller tier, intake channel and region.
 */
export class SupportDashboard extends Construct {
  readonly dashboard: Dashboard;
  /** Link to the dashboard in the CloudWatch console (aws partition). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: SupportDashboardProps = {}) {
    super(scope, id);
    const period = props.period ?? Duration.days(1);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? `${Stack.of(this).stackName}-Support`,
      defaultInterval: Duration.days(28),
    });

    this.dashboard.addWidgets(new TextWidget({ markdown: ABOUT, width: 24, height: 3 }));
    this.dashboard.addWidgets(
      new SingleValueWidget({
        title: 'All cases, over the time range',
        metrics: FIGURES.map((figure) => figure.line({ ...ALL_CASES, label: figure.title }, period)),
        setPeriodToTimeRange: true,
        width: 24,
        height: 4,
      }),
    );
    for (const section of SECTIONS) {
      this.dashboard.addWidgets(new TextWidget({ markdown: `## ${section.heading}`, width: 24, height: 1 }));
      const widgets = FIGURES.map(
        (figure) =>
          new GraphWidget({
            title: `${figure.title} by ${section.by}`,
            left: section.segments.map((segment) => figure.line(segment, period)),
            leftYAxis: { label: figure.axis, showUnits: false, min: 0 },
            period,
            width: section.width,
            height: 6,
          }),
      );
      for (const row of rows(widgets)) this.dashboard.addWidgets(...row);
    }

    this.url =
      `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}` +
      `#dashboards/dashboard/${this.dashboard.dashboardName}`;
  }
}
