import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AuditEvent, StoredAuditEvent } from '../../functions/domain/case.ts';
import {
  addCounters,
  type CaseMetrics,
  type Counters,
  caseMetrics,
  contributionChange,
  distribution,
  foldCommit,
  type MetricsRow,
  metricPoints,
  scoreboard,
  scoreboardOf,
  segmentsOf,
  slaBreachPoints,
  totalsOf,
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
const csatRecorded = (handled: boolean, rating?: number): AuditEvent => ({
  type: 'csat.recorded',
  actor: seller,
  detail: 'answered',
  data: { handled, ...(rating === undefined ? {} : { rating }), template: 'x@1' },
});
const sent = (template: string): AuditEvent => ({ ...toSeller, data: { audience: 'seller', template } });

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

  it('counts an SLA breach once, for the team that owned the clock, not again at each further level', () => {
    const breached = (team: string, level: number): AuditEvent => ({
      type: 'sla.breached',
      actor: { kind: 'system', id: 'sla' },
      detail: 'breached',
      data: { team, level },
    });
    const opened = foldCommit(undefined, [received], at(0))!;
    const first = foldCommit(opened, [breached('finance', 1)], at(5))!;
    const climbed = foldCommit(first, [breached('finance', 2)], at(9))!;
    const other = foldCommit(climbed, [breached('trust-safety', 1)], at(10))!;

    expect(slaBreachPoints(opened, first)).toEqual([
      { team: 'finance', point: { name: 'SlaBreaches', unit: 'Count', value: 1 } },
    ]);
    expect(slaBreachPoints(first, climbed)).toEqual([]);
    expect(slaBreachPoints(climbed, other).map((b) => b.team)).toEqual(['trust-safety']);
    expect(other.slaBreaches).toEqual({ finance: 1, 'trust-safety': 1 });
    expect(metricPoints(opened, first)).toEqual([]);
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

const assigned = (agentId: string): AuditEvent => ({
  type: 'case.assigned',
  actor: system,
  detail: `assigned to ${agentId}`,
  data: { agentId, team: 'verification' },
});
const reassigned = (agentId: string, from: string): AuditEvent => ({
  type: 'case.reassigned',
  actor: { kind: 'ops', id: 'supervisor' },
  detail: `reassigned to ${agentId}`,
  data: { agentId, from, team: 'verification' },
});
const unassigned = (agentId: string): AuditEvent => ({
  type: 'case.unassigned',
  actor: system,
  detail: 'back in the queue',
  data: { agentId, team: 'verification', reason: 'the agent is away' },
});
const decidedBy = (agentId: string): AuditEvent => ({
  type: 'case.decided',
  actor: { kind: 'ops', id: agentId },
  detail: 'decided',
});

describe('who held a case, folded from its assignment events', () => {
  it('times a decision from when its holder got the case, and counts the cases taken from agents', () => {
    const events = timeline(
      [0, [received]],
      [1, [assigned('ana')]],
      [2, [reassigned('ben', 'ana')]],
      [3, [unassigned('ben')]],
      [4, [assigned('ana')]],
      [6.5, [decidedBy('ana'), toSeller, resolved]],
    );

    const { holding } = caseMetrics(events)!;

    expect(holding).toEqual({
      decidedHolder: 'ana',
      work: [
        { agentId: 'ana', handleSeconds: [9000], takenAway: 1 },
        { agentId: 'ben', handleSeconds: [], takenAway: 1 },
      ],
    });
  });

  it('frees the holder on a transfer without counting it against them', () => {
    const events = timeline([0, [received]], [1, [assigned('ana')]], [2, [transferred]]);

    expect(caseMetrics(events)?.holding).toEqual({
      work: [{ agentId: 'ana', handleSeconds: [], takenAway: 0 }],
    });
  });

  it('frees the holder who asks the seller for more, and times their decision from the answer’s return', () => {
    const asked: AuditEvent = {
      type: 'reply.sent',
      actor: { kind: 'ops', id: 'ana' },
      detail: 'ana wrote to the seller',
      data: { snippet: 'more-information', asked: ['bank_statement'] },
    };
    const update: AuditEvent = { ...asked, data: { snippet: 'status-update' } };
    const events = timeline(
      [0, [received]],
      [1, [assigned('ana')]],
      [1.5, [update]],
      [2, [asked]],
      [5, [{ ...assigned('ana'), data: { agentId: 'ana', rule: 'returning-owner' } }]],
      [6, [decidedBy('ana'), toSeller, resolved]],
    );

    expect(caseMetrics(events)?.holding).toEqual({
      decidedHolder: 'ana',
      work: [{ agentId: 'ana', handleSeconds: [3600], takenAway: 0 }],
    });
    const waiting = caseMetrics(events.slice(0, 4))!;
    expect(waiting.holding?.holder).toBeUndefined();
  });

  it('credits a supervisor’s decision on an agent’s case to the agent who held it', () => {
    const bySupervisor: AuditEvent = { type: 'case.decided', actor: { kind: 'ops', id: 'sup' }, detail: 'd' };
    const events = timeline([0, [received]], [1, [assigned('ana')]], [3, [bySupervisor, resolved]]);

    expect(caseMetrics(events)?.holding?.work).toEqual([
      { agentId: 'ana', handleSeconds: [7200], takenAway: 0 },
    ]);
  });

  it('keeps the decider until the next decision, and forgets them at a decision nobody held', () => {
    const events = timeline(
      [0, [received]],
      [1, [assigned('ana')]],
      [2, [decidedBy('ana'), resolved]],
      [3, [reopened]],
    );
    const reopenedCase = caseMetrics(events)!;
    expect(reopenedCase.holding?.decidedHolder).toBe('ana');

    const decidedQueued = foldCommit(reopenedCase, [decided, resolved], at(5))!;
    expect(decidedQueued.holding?.decidedHolder).toBeUndefined();
  });

  it('leaves figures kept before holders were folded without them, outside team and assignee segments', () => {
    const { holding: _, templates: __, ...legacy } = caseMetrics(timeline([0, [received]]))!;

    const after = foldCommit(legacy, [assigned('ana')], at(1))!;

    expect(after.holding).toBeUndefined();
    expect(segmentsOf(row(after, { team: 'verification' }))).toEqual([
      'all',
      'family=buyer-dispute',
      'sellerTier=standard',
      'channel=portal',
      'region=US',
    ]);
  });
});

describe('team and assignee segments', () => {
  const held = caseMetrics(timeline([0, [received]], [1, [assigned('ana')]]))!;
  const handled = caseMetrics(
    timeline([0, [received]], [1, [assigned('ben')]], [3, [decidedBy('ben'), toSeller, resolved]]),
  )!;
  const movedOn = caseMetrics(
    timeline(
      [0, [received]],
      [1, [assigned('ana')]],
      [5, [decidedBy('ana'), resolved]],
      [6, [reopened]],
      [7, [assigned('ben')]],
    ),
  )!;
  const queued = caseMetrics(timeline([0, [received]]))!;

  it('puts a case with the agent holding it, else its last decider, else unassigned', () => {
    expect(segmentsOf(row(held, { team: 'verification' })).slice(-3, -1)).toEqual([
      'team=verification',
      'assignee=ana',
    ]);
    expect(segmentsOf(row(handled, { team: 'verification' })).at(-2)).toBe('assignee=ben');
    expect(segmentsOf(row(queued)).slice(-3, -1)).toEqual(['team=unrouted', 'assignee=unassigned']);
  });

  it('gives each agent their handled cases, median handle time and cases taken away, wherever the case counts now', () => {
    const taken = caseMetrics(
      timeline([0, [received]], [1, [assigned('ana')]], [2, [reassigned('ben', 'ana')]]),
    )!;
    const rows = [held, handled, movedOn, queued, taken].map((m) => row(m, { team: 'verification' }));

    const board = scoreboard(rows, 'assignee');

    // Handle times go in the same 5 %-wide buckets as the other durations: Ben's 2 h, Ana's 4 h.
    expect(board.segments.map((s) => [s.segment, s.cases, s.agent])).toMatchObject([
      ['ben', 3, { handled: 1, medianHandleHours: distribution([2]).medianHours, reassignedAway: 0 }],
      ['ana', 1, { handled: 1, medianHandleHours: distribution([4]).medianHours, reassignedAway: 1 }],
      ['unassigned', 1, { handled: 0, medianHandleHours: null, reassignedAway: 0 }],
    ]);
    expect(scoreboard(rows, 'team').segments.map((s) => [s.segment, s.cases])).toEqual([['verification', 5]]);
  });

  it('moves a case’s counters from its old segments to its new ones, so running totals equal a recomputation', () => {
    type Step = { readonly team?: string; readonly events: readonly AuditEvent[] };
    const agent = fc.constantFrom('ana', 'ben', 'cy');
    const step: fc.Arbitrary<Step> = fc.oneof(
      agent.map((a) => ({ events: [assigned(a)] })),
      fc.tuple(agent, agent).map(([a, from]) => ({ events: [reassigned(a, from)] })),
      agent.map((a) => ({ events: [unassigned(a)] })),
      fc.constantFrom('verification', 'risk-operations').map((team) => ({ team, events: [transferred] })),
      agent.map((a) => ({ events: [decidedBy(a), toSeller, resolved] })),
      fc.constant({ events: [decided, resolved] }),
      fc.constant({ events: [reopened] }),
      fc.constant({ events: [escalated] }),
      fc
        .tuple(fc.boolean(), fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }))
        .map(([handled, rating]) => ({ events: [csatRecorded(handled, rating)] })),
      fc.constantFrom('a.resolution@1', 'a.snippet.x@2').map((template) => ({
        events: [{ ...toSeller, data: { audience: 'seller', template } }],
      })),
    );
    fc.assert(
      fc.property(fc.array(fc.array(step, { maxLength: 12 }), { minLength: 1, maxLength: 4 }), (cases) => {
        let running = new Map<string, Counters>();
        const finals: MetricsRow[] = [];
        cases.forEach((steps) => {
          let current: MetricsRow = row(foldCommit(undefined, [received], at(0))!);
          const add = (segments: ReturnType<typeof contributionChange>) => {
            const next = new Map(running);
            for (const { segment, counters } of segments)
              next.set(segment, addCounters(next.get(segment) ?? {}, counters));
            running = next;
          };
          add(contributionChange(current, undefined));
          steps.forEach((s, i) => {
            const next = row(foldCommit(current.metrics, s.events, at(i + 1))!, {
              team: s.team ?? current.team ?? 'verification',
            });
            add(contributionChange(next, current));
            current = next;
          });
          finals.push(current);
        });
        const clean = (m: Map<string, Counters>) =>
          new Map([...m].filter(([, c]) => Object.keys(c).length > 0));
        expect(clean(running)).toEqual(clean(totalsOf(finals)));
        expect(scoreboardOf(running, 'assignee')).toEqual(scoreboard(finals, 'assignee'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('follow-up answers (CSAT) and the template segment', () => {
  const answered = caseMetrics(
    timeline(
      [0, [received, sent('bd.first-response@1')]],
      [1, [assigned('ana')]],
      [2, [decidedBy('ana'), sent('bd.resolution@2'), resolved]],
      [50, [sent('bd.follow-up@1')]],
      [60, [csatRecorded(true, 4)]],
    ),
  )!;

  it('counts a case in the template of the last seller email before its resolution, not the follow-up after', () => {
    expect(segmentsOf(row(answered, { team: 'disputes' })).at(-1)).toBe('template=bd.resolution@2');
    const open = caseMetrics(timeline([0, [received, sent('bd.evidence-request@1')]]))!;
    expect(segmentsOf(row(open)).at(-1)).toBe('template=bd.evidence-request@1');
    expect(segmentsOf(row(caseMetrics(timeline([0, [received]]))!)).at(-1)).toBe('template=none');
  });

  it('shows answers by segment, by template version and on the deciding agent’s line', () => {
    const notHandled = caseMetrics(
      timeline(
        [0, [received, sent('bd.resolution@2')]],
        [1, [decided, resolved]],
        [2, [csatRecorded(false)]],
      ),
    )!;
    const rows = [answered, notHandled].map((m) => row(m, { team: 'disputes' }));

    const byTemplate = scoreboard(rows, 'template');
    expect(byTemplate.segments.map((s) => [s.segment, s.csat])).toEqual([
      [
        'bd.resolution@2',
        { responses: 2, handledShare: 0.5, rated: 1, meanRating: 4, ratings: [0, 0, 0, 1, 0] },
      ],
    ]);
    const ana = scoreboard(rows, 'assignee').segments.find((s) => s.segment === 'ana');
    expect(ana?.agent?.csat).toMatchObject({ responses: 1, handledShare: 1, meanRating: 4 });
    expect(ana?.csat.responses).toBe(1);
  });

  it('ignores a csat event without its facts, and never an out-of-range rating', () => {
    const odd = foldCommit(
      answered,
      [
        { type: 'csat.recorded', actor: seller, detail: 'x', data: {} },
        { type: 'csat.recorded', actor: seller, detail: 'x', data: { handled: true, rating: 9 } },
      ],
      at(70),
    )!;
    expect(odd.csat).toEqual({ responses: 2, handled: 2, ratings: [4] });
  });
});
