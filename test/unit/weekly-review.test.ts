import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor, AuditEvent, StoredAuditEvent } from '../../functions/domain/case.ts';
import { addCounters, type Counters } from '../../functions/domain/metrics.ts';
import {
  type CaseReview,
  caseReview,
  EXAMPLE_CASES,
  foldReviewCommit,
  implausibleWeek,
  isoWeekOf,
  type KeptRow,
  reviewAdded,
  reviewTotalsOf,
  startReview,
  weeklyReviewOf,
  weekSpan,
  weeksInYear,
} from '../../functions/domain/weekly-review.ts';

const system: Actor = { kind: 'system', id: 'step' };
const ops: Actor = { kind: 'ops', id: 'lead-1' };
const seller: Actor = { kind: 'seller', id: 'seller-1' };

/** Monday 30 November 2026, 00:00 UTC: the start of ISO week 2026-W49. */
const W49 = Date.UTC(2026, 10, 30);
const at = (hours: number) => new Date(W49 + hours * 3_600_000).toISOString();

const ev = (type: string, data?: Record<string, unknown>, actor: Actor = system): AuditEvent => ({
  type,
  actor,
  detail: type,
  ...(data ? { data } : {}),
});

/** A timeline as the store keeps it: each commit's events share a version and an instant. */
const timeline = (...commits: [hours: number, events: AuditEvent[]][]): StoredAuditEvent[] =>
  commits.flatMap(([hours, events], version) => events.map((e) => ({ ...e, at: at(hours), version })));

const received = ev('case.received', { family: 'buyer-dispute', reason: 'item_defective' }, seller);
const routed = (team: string) => ev('case.routed', { team });
const handedOff = (team: string) => ev('case.handed_off', { team });
const assigned = (agentId: string) => ev('case.assigned', { agentId });
const transfer = (from: string, to: string) => ev('case.transferred', { from, to, reason: 'r' }, ops);
const email = (template: string) => ev('message.sent', { template, audience: 'seller' });
const resolved = ev('case.resolved', { outcome: 'seller_favoured' });

/**
 * A buyer dispute through most of what the review counts: triage 1 h, 10 h waiting on the seller, 1 h
 * of the workflow, 2 h queued for disputes, 3 h with an agent, an overdue decision escalated, 4 h more
 * with disputes, a transfer to finance and straight back (a bounce), 5 h with disputes again, resolved
 * (26 h) with template buyer-dispute.decided@2; reopened 20 h later, 6 h queued, resolved again.
 */
const journey = timeline(
  [0, [received]],
  [1, [ev('case.triaged'), routed('disputes')]],
  [1, [ev('evidence.requested', { party: 'seller' }), email('buyer-dispute.evidence@1')]],
  [11, [ev('evidence.received', { resumed: true }, seller)]],
  [12, [handedOff('disputes')]],
  [14, [assigned('agent-7')]],
  [17, [ev('case.escalated', { reason: 'decision_overdue', level: 1, team: 'disputes' })]],
  [21, [transfer('disputes', 'finance')]],
  [21, [transfer('finance', 'disputes')]],
  [26, [ev('case.decided', {}, ops), email('buyer-dispute.decided@2'), resolved]],
  [46, [ev('case.reopened', { reopenCount: 1 }, seller)]],
  [46, [handedOff('disputes')]],
  [52, [email('buyer-dispute.decided@2'), resolved]],
);

const wholeWeek = (review: CaseReview | undefined, week = '2026-W49') => review?.weeks[week] ?? {};

describe('ISO weeks', () => {
  it('names the week an instant falls in, across year ends', () => {
    expect(isoWeekOf('2026-12-06T23:59:59.000Z')).toBe('2026-W49');
    expect(isoWeekOf('2026-11-30T00:00:00.000Z')).toBe('2026-W49');
    expect(isoWeekOf('2026-11-29T23:59:59.999Z')).toBe('2026-W48');
    expect(isoWeekOf('2027-01-01T12:00:00.000Z')).toBe('2026-W53');
    expect(isoWeekOf('2025-12-29T00:00:00.000Z')).toBe('2026-W01');
    expect(weekSpan('2026-W49')).toEqual({
      from: '2026-11-30T00:00:00.000Z',
      to: '2026-12-07T00:00:00.000Z',
    });
    expect([weeksInYear(2026), weeksInYear(2025), weeksInYear(2020)]).toEqual([53, 52, 53]);
  });

  it('refuses a malformed or implausible week with the reason', () => {
    const now = Date.parse('2026-12-06T12:00:00.000Z');
    expect(implausibleWeek('2026-W49', now)).toBeUndefined();
    expect(implausibleWeek('2026-W53', Date.parse('2027-01-02T00:00:00.000Z'))).toBeUndefined();
    expect(implausibleWeek('2026-49', now)).toMatch(/YYYY-Www/);
    expect(implausibleWeek('2026-W5', now)).toMatch(/YYYY-Www/);
    expect(implausibleWeek('2025-W53', now)).toMatch(/2025 has 52 ISO weeks/);
    expect(implausibleWeek('2026-W00', now)).toMatch(/from 01 to 53/);
    expect(implausibleWeek('1999-W10', now)).toMatch(/year from 2000/);
    expect(implausibleWeek('2026-W50', now)).toMatch(/has begun \(2026-W49 is the current one\)/);
  });
});

describe("a case's part in the weekly review", () => {
  it('splits time to resolution by phase and by the team holding the case, stretch by stretch', () => {
    const c = wholeWeek(caseReview(journey));

    // Two stretches: intake to the first resolution (26 h), the reopen to the second (6 h).
    expect(c['stretch|all|n']).toBe(2);
    expect(c['stretch|all|s']).toBe(32 * 3600);
    expect(c['phase|triage|s']).toBe(3600);
    expect(c['phase|awaiting_seller|s']).toBe(10 * 3600);
    expect(c['phase|processing|s']).toBe(3600);
    expect(c['phase|queued|s']).toBe((2 + 6) * 3600);
    expect(c['phase|with_agent|s']).toBe(3 * 3600);
    // Escalated at 17 h: from then on, with disputes (4 h) and with finance (0 h) and back (5 h).
    expect(c['phase|escalated|s']).toBe(9 * 3600);
    expect(c['team|disputes|s']).toBe((2 + 3 + 9 + 6) * 3600);
    expect(c['team|disputes|q']).toBe(8 * 3600);
    expect(c['team|disputes|a']).toBe(3 * 3600);
    expect(c['team|disputes|e']).toBe(9 * 3600);
    expect(c['team|disputes|n']).toBe(2);
    expect(c['team|finance|s']).toBeUndefined();
  });

  it('counts escalation reasons, the bounced transfer, the reopen by family and reason, and the template', () => {
    const c = wholeWeek(caseReview(journey));

    expect(c['escalation|decision_overdue|n']).toBe(1);
    expect(c['bounce|disputes>finance>disputes|n']).toBe(1);
    expect(c['reopen|buyer-dispute|n']).toBe(1);
    expect(c['reopenReason|buyer-dispute/item_defective|n']).toBe(1);
    // Two resolutions with the same template; the first was reopened.
    expect(c['template|buyer-dispute.decided@2|res']).toBe(2);
    expect(c['template|buyer-dispute.decided@2|reo']).toBe(1);
    expect(c['template|buyer-dispute.evidence@1|res']).toBeUndefined();
  });

  it('counts a team that held the case for less than a second as one of its holders', () => {
    const review = caseReview(
      timeline(
        [0, [received, routed('disputes')]],
        [1, [handedOff('disputes')]],
        [1, [email('t@1'), resolved]],
      ),
    );
    expect(wholeWeek(review)).toMatchObject({ 'team|disputes|n': 1, 'stretch|all|n': 1 });
    expect(wholeWeek(review)['team|disputes|s']).toBeUndefined();
  });

  it('counts a transfer passed on to a third team as a bounce onward, and a first transfer as none', () => {
    const review = caseReview(
      timeline(
        [0, [received, routed('disputes')]],
        [1, [handedOff('disputes')]],
        [2, [transfer('disputes', 'finance')]],
        [3, [transfer('finance', 'trust-and-safety')]],
        [4, [transfer('trust-and-safety', 'compliance')]],
      ),
    );
    expect(Object.entries(wholeWeek(review)).filter(([key]) => key.startsWith('bounce|'))).toEqual([
      ['bounce|disputes>finance>trust-and-safety|n', 1],
      ['bounce|finance>trust-and-safety>compliance|n', 1],
    ]);
  });

  it('counts SLA breaches by the team that owned the clock (first level only) and as escalation reasons', () => {
    const breach = (level: number) =>
      ev('sla.breached', { reason: 'sla_breach', level, team: 'disputes', target: { clock: 'resolution' } });
    const c = wholeWeek(
      caseReview(
        timeline(
          [0, [received, routed('disputes')]],
          [1, [handedOff('disputes')]],
          [5, [breach(1)]],
          [9, [breach(2)]],
        ),
      ),
    );
    expect(c['breach|disputes|n']).toBe(1);
    expect(c['escalation|sla_breach:resolution|n']).toBe(2);
  });

  it("puts each fact in its own ISO week: a stretch in its resolution's, a reopen in its own", () => {
    // Resolved on Sunday of W49, reopened on Monday of W50, resolved again on Tuesday.
    const review = caseReview(
      timeline(
        [150, [received, routed('disputes')]],
        [151, [handedOff('disputes')]],
        [160, [email('t.decided@1'), resolved]],
        [170, [ev('case.reopened', {}, seller)]],
        [171, [handedOff('disputes')]],
        [190, [email('t.decided@1'), resolved]],
      ),
    );
    expect(wholeWeek(review, '2026-W49')).toMatchObject({
      'stretch|all|n': 1,
      'stretch|all|s': 10 * 3600,
      // The reopen of a W49 resolution counts against W49's template, whenever it came.
      'template|t.decided@1|res': 1,
      'template|t.decided@1|reo': 1,
    });
    expect(wholeWeek(review, '2026-W50')).toMatchObject({
      'stretch|all|n': 1,
      'stretch|all|s': 20 * 3600,
      'reopen|buyer-dispute|n': 1,
      'template|t.decided@1|res': 1,
    });
    expect(wholeWeek(review, '2026-W50')['template|t.decided@1|reo']).toBeUndefined();
  });

  it('folds csat.recorded as the follow-up contract says, for the template and week of the resolution', () => {
    // The follow-up answered a week after the resolution; the template is the one the event names.
    const csat = (data: Record<string, unknown>) => ev('csat.recorded', data, seller);
    const resolvedWith = (template: string, hours: number): [number, AuditEvent[]][] => [
      [hours, [received, routed('disputes')]],
      [hours + 1, [email(template), resolved]],
    ];
    const poor = caseReview(
      timeline(...resolvedWith('t.decided@3', 0), [
        200,
        [csat({ handled: true, rating: 2, template: 't.decided@3' })],
      ]),
    );
    const unhandled = caseReview(
      timeline(...resolvedWith('t.decided@3', 2), [201, [csat({ handled: false, template: 't.decided@3' })]]),
    );
    const happy = caseReview(
      timeline(...resolvedWith('t.settled@1', 3), [
        202,
        [csat({ handled: true, rating: 5, template: 't.settled@1' })],
      ]),
    );
    expect(wholeWeek(poor)).toMatchObject({
      'template|t.decided@3|csr': 1,
      'template|t.decided@3|csn': 1,
      'template|t.decided@3|css': 2,
      'template|t.decided@3|n': 1,
    });
    expect(wholeWeek(poor, '2026-W50')).toEqual({});

    const review = weeklyReviewOf(
      '2026-W49',
      kept({ 'case-poor': poor, 'case-unhandled': unhandled, 'case-happy': happy }),
    );
    expect(review.templates.worstCsat).toEqual([
      {
        template: 't.decided@3',
        resolved: 2,
        reopened: 0,
        reopenRate: 0,
        csat: { responses: 2, ratings: 1, meanRating: 2, notHandled: 1 },
        cases: ['case-poor', 'case-unhandled'],
      },
      {
        template: 't.settled@1',
        resolved: 1,
        reopened: 0,
        reopenRate: 0,
        csat: { responses: 1, ratings: 1, meanRating: 5, notHandled: 0 },
        cases: [],
      },
    ]);
  });

  it('adds, commit by commit, exactly what the whole timeline folds to', () => {
    const pool: AuditEvent[] = [
      routed('disputes'),
      ev('evidence.requested', { party: 'seller' }),
      ev('evidence.requested', { party: 'buyer' }),
      ev('evidence.received', { resumed: true }),
      ev('mediation.offered'),
      ev('mediation.declined'),
      handedOff('disputes'),
      handedOff('finance'),
      assigned('a-1'),
      ev('case.unassigned', { agentId: 'a-1' }),
      transfer('disputes', 'finance'),
      transfer('finance', 'disputes'),
      ev('case.escalated', { reason: 'decision_overdue' }),
      ev('case.escalated', { reason: 'evidence_timeout' }),
      ev('sla.breached', { level: 1, team: 'finance', target: { clock: 'handoff' } }),
      email('t.a@1'),
      email('t.b@2'),
      resolved,
      ev('case.reopened'),
      ev('case.appealed'),
      ev('csat.recorded', { handled: false, template: 't.a@1' }),
      ev('csat.recorded', { handled: true, rating: 4, template: 't.b@2' }),
    ];
    const commits = fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.constantFrom(...pool), { minLength: 0, maxLength: 3 }),
      ),
      { maxLength: 25 },
    );
    fc.assert(
      fc.property(commits, (steps) => {
        let hours = 0;
        const list: [number, AuditEvent[]][] = [[0, [received]]];
        for (const [gap, events] of steps) {
          hours += gap;
          list.push([hours, events]);
        }
        const events = timeline(...list);
        // As the case store does it: the intake's part, then each commit's on the case before it.
        let stored = startReview(received, at(0), 0);
        let summed: Record<string, Counters> = { ...stored?.weeks };
        list.slice(1).forEach(([h, commitEvents], i) => {
          stored = foldReviewCommit(stored, commitEvents, at(h), i + 1);
          for (const { week, row, counters } of stored ? reviewAdded(stored, i + 1) : []) {
            const prefixed = Object.fromEntries(Object.entries(counters).map(([m, n]) => [`${row}|${m}`, n]));
            summed = { ...summed, [week]: addCounters(summed[week] ?? {}, prefixed) };
          }
        });
        const whole = caseReview(events)?.weeks ?? {};
        expect(
          Object.fromEntries(Object.entries(summed).filter(([, c]) => Object.keys(c).length > 0)),
        ).toEqual(Object.fromEntries(Object.entries(whole).filter(([, c]) => Object.keys(c).length > 0)));
      }),
      { numRuns: 300 },
    );
  });

  it('adds nothing for a commit whose version did not add the part the case item holds', () => {
    const stored = foldReviewCommit(startReview(received, at(0), 0), [routed('disputes')], at(1), 1);
    expect(stored && reviewAdded(stored, 2)).toEqual([]);
    expect(foldReviewCommit(undefined, [received], at(0), 0)).toBeUndefined();
  });
});

/** The rows of a week summed over whole cases, as the store keeps them. */
const kept = (cases: Record<string, CaseReview | undefined>, week = '2026-W49'): Map<string, KeptRow> =>
  reviewTotalsOf(
    Object.entries(cases).map(([caseId, review]) => ({ caseId, review: review ?? { weeks: {} } })),
    week,
  );

describe('the review of a week', () => {
  it('ranks where the time went, the reasons, the reopens, the bounces, the breaches and the worst templates', () => {
    const quick = caseReview(
      timeline(
        [0, [received, routed('finance')]],
        [1, [handedOff('finance')]],
        [3, [email('t.quick@1'), resolved]],
      ),
    );
    const review = weeklyReviewOf(
      '2026-W49',
      kept({ 'case-journey': caseReview(journey), 'case-quick': quick }),
    );

    expect(review).toMatchObject({ week: '2026-W49', from: '2026-11-30T00:00:00.000Z' });
    expect(review.timeToResolution).toMatchObject({ stretches: 3, hours: 35, meanHours: 11.6667 });
    expect(review.timeToResolution.phases.map((p) => [p.phase, p.hours])).toEqual([
      ['awaiting_seller', 10],
      ['queued', 10],
      ['escalated', 9],
      ['with_agent', 3],
      ['triage', 2],
      ['processing', 1],
    ]);
    expect(review.timeToResolution.phases[0]).toMatchObject({
      share: 0.2857,
      cases: ['case-journey'],
    });
    expect(review.timeToResolution.teams).toMatchObject([
      {
        team: 'disputes',
        hours: 20,
        share: 0.5714,
        queuedHours: 8,
        escalatedHours: 9,
        cases: ['case-journey'],
      },
      // The journey's finance held it for no time at all (straight back), and still counts as a holder.
      { team: 'finance', hours: 2, queuedHours: 2, cases: ['case-journey', 'case-quick'] },
    ]);
    expect(review.escalationReasons).toEqual([
      { reason: 'decision_overdue', count: 1, cases: ['case-journey'] },
    ]);
    expect(review.reopens).toEqual({
      total: 1,
      families: [{ family: 'buyer-dispute', count: 1, cases: ['case-journey'] }],
      reasons: [{ family: 'buyer-dispute', reason: 'item_defective', count: 1, cases: ['case-journey'] }],
    });
    expect(review.bouncedTransfers).toEqual([
      { path: ['disputes', 'finance', 'disputes'], kind: 'back', count: 1, cases: ['case-journey'] },
    ]);
    expect(review.templates.worstReopenRate).toEqual([
      {
        template: 'buyer-dispute.decided@2',
        resolved: 2,
        reopened: 1,
        reopenRate: 0.5,
        csat: { responses: 0, ratings: 0, meanRating: null, notHandled: 0 },
        cases: ['case-journey'],
      },
    ]);
  });

  it(`lists at most ${EXAMPLE_CASES} example cases a figure, however many it counts`, () => {
    const many = Object.fromEntries(
      Array.from({ length: 25 }, (_, i) => [
        `case-${String(i).padStart(2, '0')}`,
        caseReview(timeline([0, [received, ev('case.escalated', { reason: 'decision_overdue' })]])),
      ]),
    );
    const [line] = weeklyReviewOf('2026-W49', kept(many)).escalationReasons;
    expect(line?.count).toBe(25);
    expect(line?.cases).toHaveLength(EXAMPLE_CASES);
  });
});
