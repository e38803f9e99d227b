import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseRecord, StoredAuditEvent } from '../../functions/domain/case.ts';
import { caseMetrics } from '../../functions/domain/metrics.ts';
import {
  isSampled,
  lastSellerTemplate,
  REVIEW_CRITERIA,
  type ReviewEntry,
  type ReviewInput,
  reviewCounters,
  reviewEntryOf,
  reviewFiguresOf,
  reviewResults,
  reviewSegmentsOf,
  sampleFraction,
} from '../../functions/domain/review-scores.ts';
import { defineFamily, familyViolations } from '../../functions/policy/define-family.ts';
import type { BaseIntake, Family } from '../../functions/policy/family-policy.ts';
import { payoutHold } from '../../functions/policy/payout-hold/index.ts';

/**
 * Quality reviews without the table: which resolutions are sampled (a hash of the case id against the
 * family's share), what a queued entry says about the decision it reviews and who may not review it, and
 * the scores kept as sums per segment, held equal to a plain recomputation over the reviews.
 */

const family = payoutHold as unknown as Family<BaseIntake>;
const ids = (n: number, prefix = 'case_') =>
  Array.from({ length: n }, (_, i) => `${prefix}${i.toString(36).padStart(10, '0')}`);

describe('sampling', () => {
  it('samples by the case id alone, so a retried resolution samples the same way', () => {
    for (const id of ids(200)) {
      expect(isSampled(id, 0.3)).toBe(isSampled(id, 0.3));
      expect(sampleFraction(id)).toBe(sampleFraction(id));
    }
  });

  it('takes none at share 0, every case at share 1, and about the share in between', () => {
    const all = ids(20_000);
    expect(all.filter((id) => isSampled(id, 0))).toEqual([]);
    expect(all.filter((id) => isSampled(id, 1))).toHaveLength(all.length);
    for (const share of [0.05, 0.1, 0.2, 0.5]) {
      const taken = all.filter((id) => isSampled(id, share)).length / all.length;
      // Binomial: 20,000 draws put the share within ±0.011 at four standard deviations.
      expect(Math.abs(taken - share)).toBeLessThan(0.011);
    }
  });

  it('keeps every case a smaller share samples when the share grows', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (id, share) => {
          if (isSampled(id, share)) expect(isSampled(id, Math.min(1, share + 0.1))).toBe(true);
        },
      ),
    );
  });

  it('is declared by every family as a share from 0 to 1, and a share outside it breaks the family', () => {
    expect(payoutHold.review.sampleShare).toBeGreaterThan(0);
    const broken = { ...payoutHold, review: { sampleShare: 1.5 } };
    expect(familyViolations(broken)).toEqual([
      { family: 'payout-hold', where: 'review.sampleShare', what: 'must be a share from 0 to 1, not 1.5' },
    ]);
    expect(() => defineFamily({ ...payoutHold, review: { sampleShare: Number.NaN } })).toThrow(
      /review.sampleShare/,
    );
  });
});

// A payout hold's timeline up to its decision: the document request to the seller, Rita assigned.
let version = 0;
const event = (type: string, extra: Partial<StoredAuditEvent> = {}): StoredAuditEvent => {
  version += 1;
  return {
    type,
    actor: { kind: 'system', id: 'test' },
    detail: type,
    at: new Date(Date.UTC(2026, 11, 1, 0, version)).toISOString(),
    version,
    ...extra,
  };
};
const sent = (template: string, audience = 'seller') =>
  event('message.sent', { data: { template, audience, outboxId: `o${version}` } });

const timelineToDecision = () => {
  version = 0;
  return [
    event('case.received'),
    sent('payout-hold.first-response@2'),
    sent('payout-hold.evidence-request@3'),
    event('case.handed_off', { data: { team: 'verification' } }),
    event('case.assigned', { data: { agentId: 'rita', team: 'verification' } }),
    // An email to someone else is not what the seller read.
    sent('payout-hold.internal-note@1', 'buyer'),
  ];
};

const recordOf = (caseId: string, events: StoredAuditEvent[], extra: Partial<CaseRecord> = {}): CaseRecord =>
  ({
    caseId,
    family: 'payout-hold',
    status: 'handed_off',
    version: events.at(-1)?.version ?? 0,
    routing: { team: 'verification', ruleId: 'r', reason: 'r', matched: {}, rulesetVersion: '1' },
    metrics: caseMetrics(events),
    ...extra,
  }) as CaseRecord;

const sampledId = ids(500).find((id) => isSampled(id, payoutHold.review.sampleShare)) ?? '';
const unsampledId = ids(500).find((id) => !isSampled(id, payoutHold.review.sampleShare)) ?? '';
const AT = '2026-12-02T00:00:00.000Z';
const byRita = { outcome: 'payout_released', decidedBy: 'rita', decidedAt: AT, via: 'team' } as const;

describe('the review entry a resolution queues', () => {
  it('queues a sampled first resolution, counted for the agent who held it and the last email the seller read', () => {
    const events = timelineToDecision();
    const entry = reviewEntryOf(recordOf(sampledId, events), family, events, byRita, false, AT);
    expect(entry).toEqual({
      caseId: sampledId,
      family: 'payout-hold',
      reason: 'sample',
      queuedAt: AT,
      outcome: 'payout_released',
      decidedBy: 'rita',
      decidedAt: AT,
      team: 'verification',
      agent: 'rita',
      template: 'payout-hold.evidence-request@3',
      deciders: ['rita'],
    });
  });

  it('keeps both the holder and a supervisor who recorded the decision out of its review', () => {
    const events = timelineToDecision();
    const bySupervisor = { ...byRita, decidedBy: 'ops-supervisor' };
    const entry = reviewEntryOf(recordOf(sampledId, events), family, events, bySupervisor, false, AT);
    expect(entry?.agent).toBe('rita');
    expect(entry?.deciders).toEqual(['rita', 'ops-supervisor']);
  });

  it('counts a settlement the seller accepted for nobody, with no decider to keep out', () => {
    const events = timelineToDecision().filter((e) => e.type !== 'case.assigned');
    const settled = {
      outcome: 'payout_released',
      decidedBy: 'seller-1',
      decidedAt: AT,
      via: 'mediation',
    } as const;
    const entry = reviewEntryOf(recordOf(sampledId, events), family, events, settled, false, AT);
    expect(entry).toMatchObject({ agent: 'unassigned', deciders: [] });
  });

  it('queues nothing for a case outside the sample, nor for a later resolution of a sampled one', () => {
    const events = timelineToDecision();
    expect(reviewEntryOf(recordOf(unsampledId, events), family, events, byRita, false, AT)).toBeUndefined();
    const reopened = [...events, event('case.decided'), event('case.resolved'), event('case.reopened')];
    expect(reviewEntryOf(recordOf(sampledId, reopened), family, reopened, byRita, false, AT)).toBeUndefined();
  });

  it('queues an appeal that overturned the decision, as a review of the decision it overturned', () => {
    const events = [
      ...timelineToDecision(),
      event('case.decided', { actor: { kind: 'ops', id: 'rita' }, data: { outcome: 'payout_released' } }),
      sent('payout-hold.resolution@4'),
      event('case.resolved'),
      event('case.appealed'),
      event('case.assigned', { data: { agentId: 'sam', team: 'verification' } }),
    ];
    const appealOf = {
      outcome: 'payout_released',
      rationale: 'Documents match',
      decidedBy: 'rita',
      decidedAt: '2026-12-01T01:00:00.000Z',
    };
    const record = recordOf(unsampledId, events, { status: 'appealed', appealOf });
    const overturn = { outcome: 'hold_extended', decidedBy: 'sam', decidedAt: AT, via: 'team' } as const;
    expect(reviewEntryOf(record, family, events, overturn, true, AT)).toEqual({
      caseId: unsampledId,
      family: 'payout-hold',
      reason: 'appeal-overturned',
      queuedAt: AT,
      outcome: 'payout_released',
      decidedBy: 'rita',
      decidedAt: appealOf.decidedAt,
      team: 'verification',
      agent: 'rita',
      // What the seller read before the decision appealed: not its own resolution email.
      template: 'payout-hold.evidence-request@3',
      deciders: ['rita', 'sam'],
      overturnedBy: { outcome: 'hold_extended', decidedBy: 'sam', decidedAt: AT },
    });
    const upheld = { ...overturn, outcome: 'payout_released' };
    expect(reviewEntryOf(record, family, events, upheld, true, AT)).toBeUndefined();
  });

  it('counts an overturned settlement for nobody: the seller who accepted it is no decider to keep out', () => {
    const events = [
      ...timelineToDecision().filter((e) => e.type !== 'case.assigned'),
      event('mediation.accepted', { actor: { kind: 'seller', id: 'seller-1' } }),
      event('case.resolved'),
      event('case.appealed'),
    ];
    const appealOf = {
      outcome: 'payout_released',
      rationale: 'Accepted',
      decidedBy: 'seller-1',
      decidedAt: AT,
    };
    const record = recordOf(unsampledId, events, { status: 'appealed', appealOf });
    const overturn = { outcome: 'hold_extended', decidedBy: 'sam', decidedAt: AT, via: 'team' } as const;
    expect(reviewEntryOf(record, family, events, overturn, true, AT)).toMatchObject({
      reason: 'appeal-overturned',
      agent: 'unassigned',
      deciders: ['sam'],
    });
  });

  it('names no template when nothing was sent to the seller before the decision', () => {
    expect(lastSellerTemplate([event('case.received')])).toBe('none');
  });
});

// -------------------------------------------------------------------------------------------- aggregation

const entry = (team: string, agent: string, template: string): ReviewEntry => ({
  caseId: 'case_x',
  family: 'payout-hold',
  reason: 'sample',
  queuedAt: AT,
  outcome: 'payout_released',
  decidedBy: agent,
  decidedAt: AT,
  team,
  agent,
  template,
  deciders: [agent],
});

const scoreArb = fc.integer({ min: 1, max: 5 });
const reviewArb = fc.record({
  team: fc.constantFrom('verification', 'risk-operations'),
  agent: fc.constantFrom('rita', 'sam', 'ana'),
  template: fc.constantFrom('payout-hold.evidence-request@3', 'payout-hold.evidence-request@4', 'none'),
  scores: fc.record({
    decisionCorrectness: scoreArb,
    explanationClarity: scoreArb,
    handoffCompleteness: scoreArb,
    policyAdherence: scoreArb,
  }),
});

const mean = (xs: number[]) =>
  xs.length === 0 ? null : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;

describe('review scores kept as sums', () => {
  it('reads the means and distributions off one review', () => {
    const scores = {
      decisionCorrectness: 5,
      explanationClarity: 2,
      handoffCompleteness: 4,
      policyAdherence: 4,
    };
    expect(reviewFiguresOf('all', reviewCounters(scores))).toEqual({
      segment: 'all',
      reviews: 1,
      overall: 3.75,
      lowScored: 1,
      criteria: {
        decisionCorrectness: { mean: 5, distribution: [0, 0, 0, 0, 1] },
        explanationClarity: { mean: 2, distribution: [0, 1, 0, 0, 0] },
        handoffCompleteness: { mean: 4, distribution: [0, 0, 0, 1, 0] },
        policyAdherence: { mean: 4, distribution: [0, 0, 0, 1, 0] },
      },
    });
  });

  it('counts a review in all, and by family, team, agent, template version and reason', () => {
    expect(reviewSegmentsOf(entry('verification', 'rita', 'payout-hold.evidence-request@3'))).toEqual([
      'all',
      'family=payout-hold',
      'team=verification',
      'agent=rita',
      'template=payout-hold.evidence-request@3',
      'reason=sample',
    ]);
  });

  it('gives by team, agent and template version what a plain count over the reviews gives', () => {
    fc.assert(
      fc.property(fc.array(reviewArb, { maxLength: 40 }), (reviews) => {
        const results = reviewResults(
          reviews.map((r) => ({
            entry: entry(r.team, r.agent, r.template),
            scores: r.scores as ReviewInput['scores'],
          })),
        );
        expect(results.all.reviews).toBe(reviews.length);
        for (const [by, key] of [
          ['team', 'team'],
          ['agent', 'agent'],
          ['template', 'template'],
        ] as const) {
          const values = [...new Set(reviews.map((r) => r[key]))].sort();
          expect(results.segments[by].map((l) => l.segment).sort()).toEqual(values);
          for (const value of values) {
            const mine = reviews.filter((r) => r[key] === value);
            const line = results.segments[by].find((l) => l.segment === value);
            expect(line?.reviews).toBe(mine.length);
            expect(line?.lowScored).toBe(
              mine.filter((r) => Object.values(r.scores).some((s) => s <= 2)).length,
            );
            for (const criterion of REVIEW_CRITERIA) {
              expect(line?.criteria[criterion].mean).toBe(mean(mine.map((r) => r.scores[criterion])));
              expect(line?.criteria[criterion].distribution).toEqual(
                [1, 2, 3, 4, 5].map((s) => mine.filter((r) => r.scores[criterion] === s).length),
              );
            }
          }
        }
      }),
    );
  });

  it('shows no line for a segment nobody reviewed, and nulls over no reviews', () => {
    const results = reviewResults([]);
    expect(results.all).toMatchObject({ reviews: 0, overall: null });
    expect(results.segments.team).toEqual([]);
  });
});
