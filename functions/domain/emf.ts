import type { MetricPoint } from './metrics.ts';

/**
 * CloudWatch embedded metric format (EMF): one JSON log line that CloudWatch Logs turns into metric data
 * points, with no PutMetricData call and no extra permission. The case-change stream writes the scoreboard
 * this way (functions/streams/record-metrics.ts), and the dashboard (infra/aws/constructs/support-dashboard.ts)
 * reads the same namespace and dimension names from here, so the two cannot drift.
 */
export const METRICS_NAMESPACE = 'SellerWorks';

/**
 * The scoreboard's segments as CloudWatch dimension names: those of SEGMENT_DIMENSIONS that never change.
 * Team and assignee stay off CloudWatch: a series per agent is paid for per agent, and a case's data point
 * cannot move to another series when its team or agent changes; the scoreboard's totals have them.
 */
export const METRIC_DIMENSIONS = {
  family: 'Family',
  sellerTier: 'SellerTier',
  channel: 'Channel',
  region: 'Region',
} as const;
export type MetricDimension = (typeof METRIC_DIMENSIONS)[keyof typeof METRIC_DIMENSIONS];

/**
 * The one exception: SLA breaches are logged by team (their own EMF line, `Team` its only dimension), since
 * the alarms watch each team's breaches. A breach belongs to the team it happened to and never moves, and a
 * series per team (the policy's handful) costs little. The empty dimension set counts them over all teams.
 */
export const SLA_BREACHES = { metric: 'SlaBreaches', teamDimension: 'Team' } as const;

export interface EmfDirective {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly { readonly Name: string; readonly Unit: MetricPoint['unit'] }[];
}

/** An EMF log event: the `_aws` metadata, then dimension values, properties and metric values at the root. */
export interface EmfRecord {
  readonly _aws: { readonly Timestamp: number; readonly CloudWatchMetrics: readonly EmfDirective[] };
  readonly [member: string]: unknown;
}

/**
 * One EMF record for `points`. Every dimension is its own dimension set, plus the empty set: a point is
 * counted once per segment (by family, by tier, …) and once over all cases, and no set combines two
 * dimensions, since 9 families × 3 tiers × 3 channels × 5 regions would be 405 metric series per metric.
 *
 * `timestamp` is epoch milliseconds (when the figure changed, not when it was logged); `properties` are
 * logged but not dimensions (searchable in Logs Insights, free of metric cost). Two points with the same
 * name become one metric with a list of values, which EMF allows.
 */
export const emfRecord = (
  points: readonly MetricPoint[],
  dimensions: Readonly<Record<string, string>>,
  timestamp: number,
  properties: Readonly<Record<string, string | number>> = {},
): EmfRecord => {
  if (!Number.isFinite(timestamp)) throw new RangeError('EMF timestamp must be epoch milliseconds');
  const values = new Map<string, { unit: MetricPoint['unit']; values: number[] }>();
  for (const point of points) {
    const metric = values.get(point.name);
    if (metric && metric.unit !== point.unit) {
      throw new Error(`EMF metric ${point.name} given as both ${metric.unit} and ${point.unit}`);
    }
    if (metric) metric.values.push(point.value);
    else values.set(point.name, { unit: point.unit, values: [point.value] });
  }
  // CloudWatch reads every root member by name, so a dimension, a property and a metric sharing a name would
  // silently turn one into the other.
  const names = [...Object.keys(dimensions), ...Object.keys(properties), ...values.keys()];
  const clash = names.find((name, index) => names.indexOf(name) !== index || name === '_aws');
  if (clash !== undefined) throw new Error(`EMF member ${clash} is used twice`);

  return {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: [...Object.keys(dimensions).map((name) => [name]), []],
          Metrics: [...values].map(([name, metric]) => ({ Name: name, Unit: metric.unit })),
        },
      ],
    },
    ...properties,
    ...dimensions,
    ...Object.fromEntries(
      [...values].map(([name, metric]) => [
        name,
        metric.values.length === 1 ? metric.values[0] : metric.values,
      ]),
    ),
  };
};
