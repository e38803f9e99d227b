import { describe, expect, it } from 'vitest';
import type { AuditEvent, StoredAuditEvent } from '../../functions/domain/case.ts';
import {
  type CaseMetrics,
  caseMetrics,
  distribution,
  foldCommit,
  type MetricsRow,
  metricPoints,
  scoreboard,
} from '../../functions/domain/metrics.ts';

const system = { kind: 'system', id: 'step' } as const;
const ops = { kind: 'ops', id: 'agent-1' } as const;
const seller = { kind: 'seller', id: 'seller-1' } as const;

const at = (hour: number) => new Date(Date.UTC(2026, 10, 1, 0, 0, 0) + hour * 3_600_000).toISOString();

/** A timeline as the store keeps it: each commit's events share a version and an instant. */
const timeline = (...commits: [hour: number, events: AuditEvent[]][]): StoredAuditEvent[] =>
  commits.flatMap(([hour, events], version) =>
    events.map((e) => ({ ...e, at: at(hour), version: version + 1 })),
  );

const received: AuditEvent = { type: 'case.received', actor: seller, detail: 'opened' };
const toSeller: AuditEvent = {
  type: 'message.sent',
  actor: system,
  detail: 'sent',
  data: { audience: 'seller' },
};
const toBuyer: AuditEvent = {
  type: 'message.sent',
  actor: system,
  detail: 'sent',
  data: { audience: 'buyer' },
};
const decided: AuditEvent = { type: 'case.decided', actor: ops, detail: 'decided' };
const byPolicy: AuditEvent = { type: 'case.decided', actor: system, detail: 'decided by policy' };
const resolved: AuditEvent = { type: 'case.resolved', actor: system, detail: 'resolved' };
const reopened: AuditEvent = { type: 'case.reopened', actor: seller, detail: 'reopened' };
const transferred: AuditEvent = { type: 'case.transferred', actor: ops, detail: 'transferred' };
const escalated: AuditEvent = { type: 'case.escalated', actor: system, detail: 'escalated' };

const row = (metrics: CaseMetrics, segment: Partial<MetricsRow> = {}): MetricsRow => ({
  family: 'buyer-dispute',
  sellerTier: 'standard',
  channel: 'portal',
  region: 'US',
  metrics,
  ...segment,
});

describe('case metrics folded from audit events', () => {
  it('times the first response from the first email to the seller, not to the buyer', () => {
    const events = timeline([0, [received]], [1, [toBuyer]], [3, [toSeller]], [5, [toSeller]]);

    const metrics = caseMetrics(events);

    expect(metrics?.firstResponseAt).toBe(at(3));
  });

  it('keeps the first resolution when a reopened case is resolved again, and counts both', () => {
    const events = timeline(
      [0, [received]],
      [10, [decided, toSeller, resolved]],
      [20, [reopened]],
      [30, [decided, toSeller, resolved]],
    );

    const metrics = caseMetrics(events);

    expect(metrics).toMatchObject({ resolvedAt: at(10), resolutions: 2, reopens: 1, manualTouches: 2 });
  });

  it('counts transfers, escalations and the actions people took', () => {
    const events = timeline(
      [0, [received]],
      [2, [transferred]],
      [3, [escalated]],
      [4, [escalated]],
      [5, [decided]],
    );

    expect(caseMetrics(events)).toMatchObject({ transfers: 1, escalations: 2, manualTouches: 2 });
  });

  it('gives the same figures folded commit by commit as recomputed from the whole timeline', () => {
    const commits: [number, AuditEvent[]][] = [
      [0, [received]],
      [1, [toSeller]],
      [6, [transferred]],
      [9, [escalated]],
      [12, [decided, toSeller, resolved]],
    ];
    const incremental = commits.reduce<CaseMetrics | undefined>(
      (m, [hour, events]) => foldCommit(m, events, at(hour)),
      undefined,
    );

    expect(incremental).toEqual(caseMetrics(timeline(...commits)));
  });
});

describe('the scoreboard', () => {
  const touched = caseMetrics(timeline([0, [received]], [2, [toSeller]], [10, [decided, resolved]]))!;
  const automatic = caseMetrics(timeline([0, [received]], [1, [toSeller]], [4, [byPolicy, resolved]]))!;
  const reopenedCase = caseMetrics(
    timeline([0, [received]], [1, [toSeller]], [20, [decided, resolved]], [30, [reopened]]),
  )!;
  const open = caseMetrics(timeline([0, [received]], [1, [escalated]]))!;

  it('gives each headline figure over all cases', () => {
    const board = scoreboard([row(touched), row(automatic), row(reopenedCase), row(open)], 'family');

    // Medians and p90s come from 5 %-wide buckets: within 2.5 % of the exact hours; means are exact.
    const { timeToResolution: ttr, firstResponse: frt } = board.all;
    for (const [got, exact] of [
      [ttr.medianHours, 10],
      [ttr.p90Hours, 20],
      [frt.medianHours, 1],
      [frt.p90Hours, 2],
    ] as const)
      expect(Math.abs(Number(got) - exact)).toBeLessThanOrEqual(0.025 * exact);
    expect(board.all).toMatchObject({
      cases: 4,
      resolved: 3,
      timeToResolution: { count: 3, meanHours: 11.33 },
      firstResponse: { count: 3, meanHours: 1.33 },
      reopenRate: 0.3333,
      escalationRate: 0.25,
      transfersPerCase: 0,
      solvedWithoutTouchShare: 0.3333,
      manualTouchesPerResolved: 0.67,
    });
  });

  it('segments by seller tier, largest segment first, so a slower tier shows', () => {
    const rows = [
      row(touched, { sellerTier: 'new' }),
      row(reopenedCase, { sellerTier: 'new' }),
      row(automatic, { sellerTier: 'top_rated' }),
    ];

    const board = scoreboard(rows, 'sellerTier');

    expect(board.segments.map((s) => [s.segment, s.cases, s.timeToResolution.medianHours])).toEqual([
      ['new', 2, 10.23],
      ['top_rated', 1, 4.05],
    ]);
  });

  it('says a rate is unknown, not zero, where no case was resolved', () => {
    expect(scoreboard([row(open)], 'family').all).toMatchObject({
      reopenRate: null,
      solvedWithoutTouchShare: null,
    });
    expect(distribution([])).toEqual({ count: 0, medianHours: null, p90Hours: null, meanHours: null });
  });
});

describe('metric points for CloudWatch', () => {
  it('emits opened on the first commit and resolution figures once, at the first resolution', () => {
    const opened = foldCommit(undefined, [received], at(0))!;
    const answered = foldCommit(opened, [toSeller], at(2))!;
    const done = foldCommit(answered, [decided, toSeller, resolved], at(10))!;
    const again = foldCommit(foldCommit(done, [reopened], at(12)), [decided, resolved], at(14))!;

    expect(metricPoints(undefined, opened)).toEqual([{ name: 'CasesOpened', unit: 'Count', value: 1 }]);
    expect(metricPoints(opened, answered)).toEqual([
      { name: 'FirstResponseTime', unit: 'Seconds', value: 7200 },
    ]);
    expect(metricPoints(answered, done).map((p) => [p.name, p.value])).toEqual([
      ['CasesResolved', 1],
      ['TimeToResolution', 36_000],
      ['SolvedWithoutTouch', 0],
      ['ManualTouches', 1],
    ]);
    expect(metricPoints(done, again).map((p) => p.name)).toEqual(['CasesReopened']);
  });

  it('emits nothing for a commit that moves no figure', () => {
    const before = foldCommit(undefined, [received], at(0))!;
    const after = foldCommit(
      before,
      [{ type: 'evidence.requested', actor: system, detail: 'asked' }],
      at(1),
    )!;

    expect(metricPoints(before, after)).toEqual([]);
  });
});
