import { describe, expect, it } from 'vitest';
import { emfRecord, METRICS_NAMESPACE } from '#domain/emf.ts';
import type { MetricPoint } from '#domain/metrics.ts';

const at = Date.parse('2026-11-22T10:00:00.000Z');
const dimensions = { Family: 'buyer-dispute', SellerTier: 'standard', Channel: 'portal', Region: 'EU' };
const resolved: MetricPoint[] = [
  { name: 'CasesResolved', unit: 'Count', value: 1 },
  { name: 'TimeToResolution', unit: 'Seconds', value: 7200 },
];

describe('embedded metric format records', () => {
  it('declare the namespace, one dimension set per dimension plus the empty set, and each metric with its unit', () => {
    const record = emfRecord(resolved, dimensions, at);

    expect(record._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: METRICS_NAMESPACE,
        Dimensions: [['Family'], ['SellerTier'], ['Channel'], ['Region'], []],
        Metrics: [
          { Name: 'CasesResolved', Unit: 'Count' },
          { Name: 'TimeToResolution', Unit: 'Seconds' },
        ],
      },
    ]);
  });

  it('carry the timestamp in epoch milliseconds and dimension values, properties and metric values at the root', () => {
    const record = emfRecord(resolved, dimensions, at, { caseId: 'case_1' });

    expect(record._aws.Timestamp).toBe(at);
    expect(record).toMatchObject({
      ...dimensions,
      caseId: 'case_1',
      CasesResolved: 1,
      TimeToResolution: 7200,
    });
  });

  it('survive a JSON round trip unchanged (what CloudWatch Logs parses is the logged line)', () => {
    const record = emfRecord(resolved, dimensions, at, { caseId: 'case_1' });

    const parsed = JSON.parse(JSON.stringify(record)) as unknown;

    expect(parsed).toEqual(record);
  });

  it('keep the property a dimension set does not name out of the dimension sets', () => {
    const record = emfRecord(resolved, dimensions, at, { caseId: 'case_1' });

    const named = record._aws.CloudWatchMetrics.flatMap((directive) => directive.Dimensions.flat());

    expect(named).not.toContain('caseId');
  });

  it('fold two points with the same name into one metric with a list of values', () => {
    const points: MetricPoint[] = [
      { name: 'Transfers', unit: 'Count', value: 1 },
      { name: 'Transfers', unit: 'Count', value: 2 },
    ];

    const record = emfRecord(points, dimensions, at);

    expect(record._aws.CloudWatchMetrics[0]?.Metrics).toEqual([{ Name: 'Transfers', Unit: 'Count' }]);
    expect(record.Transfers).toEqual([1, 2]);
  });

  it('refuse a property named like a metric, which CloudWatch would read as the metric value', () => {
    const build = () => emfRecord(resolved, dimensions, at, { CasesResolved: 'oops' });

    expect(build).toThrow(/EMF member CasesResolved is used twice/);
  });

  it('refuse one metric name with two units', () => {
    const points: MetricPoint[] = [
      { name: 'TimeToResolution', unit: 'Seconds', value: 1 },
      { name: 'TimeToResolution', unit: 'Count', value: 1 },
    ];

    expect(() => emfRecord(points, dimensions, at)).toThrow(/both Seconds and Count/);
  });

  it('refuse a timestamp that is not a number of milliseconds', () => {
    expect(() => emfRecord(resolved, dimensions, Date.parse('not a date'))).toThrow(RangeError);
  });
});
