import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import type { CaseMetrics } from '../../functions/domain/metrics.ts';
import { handler } from '../../functions/streams/record-metrics.ts';

const caseId = 'case_mi0abc123456';
const receivedAt = '2026-11-22T08:00:00.000Z';
const opened: CaseMetrics = {
  receivedAt,
  resolutions: 0,
  reopens: 0,
  appeals: 0,
  transfers: 0,
  escalations: 0,
  manualTouches: 0,
};

/** A case item as the store writes it (only what the handler reads, plus the seller's email). */
const caseItem = (
  metrics: CaseMetrics | undefined,
  updatedAt: string,
  extra: Record<string, unknown> = {},
) => ({
  pk: `CASE#${caseId}`,
  sk: 'CASE',
  caseId,
  family: 'buyer-dispute',
  sellerTier: 'top_rated',
  region: 'EU',
  sellerEmail: 'seller@example.com',
  status: 'received',
  updatedAt,
  ...(metrics ? { metrics } : {}),
  ...extra,
});

type Item = Record<string, unknown>;
const image = (item: Item) =>
  marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue>;

const change = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', after: Item | undefined, before?: Item) => {
  const keys = after ?? before ?? {};
  return {
    eventID: `event-${Math.random().toString(36).slice(2)}`,
    eventName,
    dynamodb: {
      Keys: image({ pk: keys.pk, sk: keys.sk }),
      ...(after ? { NewImage: image(after) } : {}),
      ...(before ? { OldImage: image(before) } : {}),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  } satisfies DynamoDBRecord;
};

const run = (...records: DynamoDBRecord[]) => handler({ Records: records } satisfies DynamoDBStreamEvent);

let stdout: MockInstance<typeof process.stdout.write>;
let stderr: MockInstance<typeof process.stderr.write>;
/** The EMF lines the handler wrote (it writes them to stdout directly; see the handler's comment). */
const emfLines = () =>
  stdout.mock.calls
    .map(([chunk]) => String(chunk))
    .filter((line) => line.startsWith('{"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { _aws: Record<string, unknown> });
/** The warnings it logged (JSON lines of the functions' log: Powertools writes WARN and ERROR to stderr). */
const warnings = () =>
  stderr.mock.calls.map(([chunk]) => String(chunk)).filter((line) => line.startsWith('{"level":"WARN"'));
const metricNames = (line: { _aws: Record<string, unknown> }) =>
  (line._aws.CloudWatchMetrics as { Metrics: { Name: string }[] }[])[0]?.Metrics.map((m) => m.Name);

beforeEach(() => {
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('RecordMetrics (case table stream)', () => {
  it('logs CasesOpened once, by family, tier, channel and region, when a case is inserted', async () => {
    const inserted = caseItem(opened, receivedAt);

    await run(change('INSERT', inserted));

    const lines = emfLines();
    expect(lines).toHaveLength(1);
    expect(metricNames(lines[0]!)).toEqual(['CasesOpened']);
    expect(lines[0]).toMatchObject({
      _aws: {
        Timestamp: Date.parse(receivedAt),
        CloudWatchMetrics: [
          { Namespace: 'SellerWorks', Dimensions: [['Family'], ['SellerTier'], ['Channel'], ['Region'], []] },
        ],
      },
      Family: 'buyer-dispute',
      SellerTier: 'top_rated',
      Channel: 'portal',
      Region: 'EU',
      caseId,
      CasesOpened: 1,
    });
  });

  it('logs an SLA breach by the team it happened to, on its own line with Team as the only dimension', async () => {
    const breachedAt = '2026-11-23T08:00:00.000Z';
    const before = caseItem({ ...opened, slaBreaches: { finance: 1 } }, '2026-11-22T09:00:00.000Z');
    const after = caseItem({ ...opened, slaBreaches: { finance: 1, 'trust-safety': 1 } }, breachedAt);

    await run(change('MODIFY', after, before));

    const lines = emfLines();
    expect(lines).toHaveLength(1);
    expect(metricNames(lines[0]!)).toEqual(['SlaBreaches']);
    expect(lines[0]).toMatchObject({
      _aws: {
        Timestamp: Date.parse(breachedAt),
        CloudWatchMetrics: [{ Namespace: 'SellerWorks', Dimensions: [['Team'], []] }],
      },
      Team: 'trust-safety',
      SlaBreaches: 1,
    });
    expect(lines[0]).not.toHaveProperty('Family');
  });

  it('logs the case’s intake channel when the item has one', async () => {
    const inserted = caseItem(opened, receivedAt, { channel: 'api' });

    await run(change('INSERT', inserted));

    expect(emfLines()[0]?.Channel).toBe('api');
  });

  it('logs CasesResolved, TimeToResolution and the touch figures when resolvedAt first appears', async () => {
    const resolvedAt = '2026-11-22T11:00:00.000Z';
    const before = caseItem(opened, '2026-11-22T09:00:00.000Z');
    const after = caseItem({ ...opened, resolvedAt, resolutions: 1 }, resolvedAt, { status: 'resolved' });

    await run(change('MODIFY', after, before));

    const [line] = emfLines();
    expect(metricNames(line!)).toEqual([
      'CasesResolved',
      'TimeToResolution',
      'SolvedWithoutTouch',
      'ManualTouches',
    ]);
    expect(line).toMatchObject({
      _aws: { Timestamp: Date.parse(resolvedAt) },
      CasesResolved: 1,
      TimeToResolution: 3 * 3600,
      SolvedWithoutTouch: 1,
      ManualTouches: 0,
    });
  });

  it('logs nothing for a change that moves no figure (a status change)', async () => {
    const before = caseItem(opened, '2026-11-22T09:00:00.000Z');
    const after = caseItem(opened, '2026-11-22T09:05:00.000Z', { status: 'routed' });

    await run(change('MODIFY', after, before));

    expect(emfLines()).toEqual([]);
    expect(warnings()).toEqual([]);
  });

  it('ignores audit events, removals and cases written before figures were kept', async () => {
    const event = { pk: `CASE#${caseId}`, sk: 'EVENT#1#0', type: 'case.received' };
    const legacy = caseItem(undefined, receivedAt);

    await run(
      change('INSERT', event),
      change('REMOVE', undefined, caseItem(opened, receivedAt)),
      change('INSERT', legacy),
    );

    expect(emfLines()).toEqual([]);
    expect(warnings()).toEqual([]);
  });

  it('does not count a case that existed before figures were kept as opened when it first gets them', async () => {
    const before = caseItem(undefined, '2026-11-22T09:00:00.000Z');
    const after = caseItem({ ...opened, receivedAt: '2026-11-22T09:05:00.000Z' }, '2026-11-22T09:05:00.000Z');

    await run(change('MODIFY', after, before));

    expect(emfLines()).toEqual([]);
  });

  it('skips a malformed record with a warning naming its key, and still logs the rest of the batch', async () => {
    const broken = caseItem({ ...opened, receivedAt: 'yesterday' }, receivedAt, {
      pk: 'CASE#case_broken',
      caseId: 'case_broken',
    });
    const good = caseItem(opened, receivedAt);

    await expect(run(change('INSERT', broken), change('INSERT', good))).resolves.toBeUndefined();

    expect(emfLines().map((line) => line.caseId)).toEqual([caseId]);
    expect(warnings()).toHaveLength(1);
    const warning = String(warnings()[0]);
    expect(JSON.parse(warning)).toMatchObject({
      level: 'WARN',
      pk: 'CASE#case_broken',
      sk: 'CASE',
      reason: ['metrics.receivedAt: invalid_format'],
    });
    expect(warning).not.toContain('seller@example.com');
  });

  it('skips a case whose segment is unknown rather than start a metric series for it', async () => {
    const stray = caseItem(opened, receivedAt, { region: 'Atlantis' });

    await run(change('INSERT', stray));

    expect(emfLines()).toEqual([]);
    expect(JSON.parse(String(warnings()[0])).reason).toEqual(['region: invalid_value']);
  });
});
