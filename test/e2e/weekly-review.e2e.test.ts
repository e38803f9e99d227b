import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, StoredAuditEvent } from '../../functions/domain/case.ts';
import {
  caseReview,
  isoWeekOf,
  reviewAdded,
  reviewTotalsOf,
  type WeeklyReview,
  weeklyReviewOf,
} from '../../functions/domain/weekly-review.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { SellerWorksClient } from '../../scripts/lib/sellerworks-client.ts';

/**
 * The weekly review over cases driven end to end: a billing dispute transferred to another team and back,
 * escalated while nobody decides, resolved, reopened and resolved again; and a payout hold through the
 * seller's documents to its decision. Case time runs 50,000× faster (TIME_SCALE), so an SLA breaches within
 * seconds and the cases span several ISO weeks (a week is twelve seconds). The review must name their
 * delays and escalation reasons as their own timelines (`GET /ops/cases/{id}`) say.
 */
const TIME_SCALE = 50_000;
const root = new URL('../../', import.meta.url).pathname;
let runtime: LocalRuntime;
let client: SellerWorksClient;
let ops: string;

beforeAll(async () => {
  runtime = await startLocalRuntime({ timeScale: TIME_SCALE });
  client = new SellerWorksClient(runtime.apiUrl, runtime.smtpPort);
  ops = await client.opsToken();
}, 60_000);
afterAll(async () => {
  await runtime?.stop();
});

const sample = async (family: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(new URL(`../../events/intake/${family}.json`, import.meta.url), 'utf8'));

interface TimelineEntry {
  at: string;
  type: string;
  actor: string;
  detail: string;
  data?: Record<string, unknown>;
}
type OpsCase = Record<string, unknown> & {
  status: string;
  routing?: { team: string };
  allowedOutcomes?: { id: string }[];
  timeline: TimelineEntry[];
};

const opsCase = async (caseId: string) => (await client.getOpsCase(ops, caseId)).body as OpsCase;
const until = (caseId: string, what: string, check: (c: OpsCase) => boolean, timeoutMs = 30_000) =>
  client.untilOpsCase<OpsCase>(ops, caseId, what, check, timeoutMs);

/** The case's timeline as the ops API answers it, as the audit events it lists (oldest first). */
const timelineOf = async (caseId: string): Promise<StoredAuditEvent[]> =>
  (await opsCase(caseId)).timeline.map((e, version) => {
    const cut = e.actor.indexOf(':');
    const actor = { kind: e.actor.slice(0, cut), id: e.actor.slice(cut + 1) } as Actor;
    return { type: e.type, actor, detail: e.detail, at: e.at, version, ...(e.data ? { data: e.data } : {}) };
  });

const review = async (week: string) => {
  await runtime.tableStream.caughtUp();
  return client.request<WeeklyReview & { error?: { issues: { path: string; reason: string }[] } }>(
    'GET',
    `/ops/reviews/weekly?week=${week}`,
    { token: ops },
  );
};

const hoursBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;
const sum = (ns: readonly number[]) => ns.reduce((a, b) => a + b, 0);

const cases: { caseId: string; family: string }[] = [];

describe('the weekly review over cases driven end to end', () => {
  it('drives a transfer and back, an escalation and a reopen, and a plain case, to resolution', async () => {
    // A billing dispute: with its team, to another team and straight back, then nobody decides.
    const billing = await sample('billing-dispute');
    const seller = await client.sellerToken('seller-weekly-1');
    const { caseId: bounced } = (await client.openCase(seller, billing)).body;
    const held = (await client.answerUntilTeam(seller, ops, bounced, {
      seller: String(billing.sellerEmail),
    })) as OpsCase;
    const from = held.routing?.team ?? '';
    const to = from === 'finance' ? 'finance-senior' : 'finance';
    expect((await client.transfer(ops, bounced, { team: to, reason: 'Needs a senior look' })).status).toBe(
      200,
    );
    expect(
      (
        await client.transfer(ops, bounced, {
          team: from,
          reason: 'Back where it belongs',
          returnReason: 'Chargeback evidence is owned by the first team.',
        })
      ).status,
    ).toBe(200);
    await until(
      bounced,
      'an escalation',
      (c) => c.timeline.some((e) => e.type === 'case.escalated' || e.type === 'sla.breached'),
      40_000,
    );
    const outcome = held.allowedOutcomes?.[0]?.id ?? '';
    expect((await client.decide(ops, bounced, outcome, 'Decided after the escalation.')).status).toBe(202);
    await client.waitForStatus(seller, bounced, 'resolved', 30_000);
    // The seller reopens it; the team decides again.
    expect((await client.reopen(seller, bounced, 'The charge came back.')).status).toBe(202);
    await until(bounced, 'the reopened case with its team', (c) => c.status === 'handed_off');
    expect((await client.decide(ops, bounced, outcome, 'Decided again.')).status).toBe(202);
    await client.waitForStatus(seller, bounced, 'resolved', 30_000);
    cases.push({ caseId: bounced, family: 'billing-dispute' });

    // A payout hold: the seller's documents by email, then a decision.
    const payout = await sample('payout-hold');
    const other = await client.sellerToken('seller-weekly-2');
    const { caseId: plain } = (await client.openCase(other, payout)).body;
    const team = (await client.answerUntilTeam(other, ops, plain, {
      seller: String(payout.sellerEmail),
    })) as OpsCase;
    expect(
      (await client.decide(ops, plain, team.allowedOutcomes?.[0]?.id ?? '', 'Documents verified.')).status,
    ).toBe(202);
    await client.waitForStatus(other, plain, 'resolved', 30_000);
    cases.push({ caseId: plain, family: 'payout-hold' });
  }, 180_000);

  it('names their delays and escalation reasons as their timelines say', async () => {
    expect(cases).toHaveLength(2);
    const timelines = new Map(
      await Promise.all(cases.map(async (c) => [c.caseId, await timelineOf(c.caseId)] as const)),
    );
    const all = [...timelines.values()].flat();
    const weeks = [...new Set(all.map((e) => isoWeekOf(e.at)))].sort();
    const reviews = new Map<string, WeeklyReview>();
    for (const week of weeks) {
      const { status, body } = await review(week);
      expect(status).toBe(200);
      reviews.set(week, body);
    }
    const everyWeek = [...reviews.values()];

    // Time to resolution: intake to the first resolution, and the reopen to the second, in all.
    const stretches = [...timelines.values()].flatMap((events) => {
      const starts = events.filter((e) =>
        ['case.received', 'case.reopened', 'case.appealed'].includes(e.type),
      );
      const ends = events.filter((e) => e.type === 'case.resolved');
      return ends.map((end, i) => hoursBetween(starts[i]?.at ?? end.at, end.at));
    });
    expect(stretches).toHaveLength(3);
    expect(sum(everyWeek.map((r) => r.timeToResolution.stretches))).toBe(3);
    expect(sum(everyWeek.map((r) => r.timeToResolution.hours))).toBeCloseTo(sum(stretches), 0);

    // Waiting on the seller: from each evidence request to the evidence that answered it.
    const sellerWaits = [...timelines.values()].flatMap((events) =>
      events
        .filter((e) => e.type === 'evidence.requested' && e.data?.party !== 'buyer')
        .map((request) => {
          const answer = events.find(
            (e) => e.version > request.version && e.type === 'evidence.received' && e.data?.resumed === true,
          );
          return answer ? hoursBetween(request.at, answer.at) : 0;
        }),
    );
    expect(sellerWaits.length).toBeGreaterThanOrEqual(2);
    const phaseHours = (phase: string) =>
      sum(
        everyWeek.flatMap((r) =>
          r.timeToResolution.phases.filter((p) => p.phase === phase).map((p) => p.hours),
        ),
      );
    expect(phaseHours('awaiting_seller')).toBeCloseTo(sum(sellerWaits), 0);

    // With a team: from the first handoff of each stretch to its resolution (transfers pass it between
    // teams meanwhile), with each case listed.
    const teamHours = sum(
      [...timelines.values()].flatMap((events) =>
        events
          .filter((e) => e.type === 'case.resolved')
          .map((resolved, i, all) => {
            const after = all[i - 1]?.version ?? -1;
            const handoff = events.find(
              (e) => e.version > after && e.version < resolved.version && e.type === 'case.handed_off',
            );
            return handoff ? hoursBetween(handoff.at, resolved.at) : 0;
          }),
      ),
    );
    expect(phaseHours('queued') + phaseHours('with_agent') + phaseHours('escalated')).toBeCloseTo(
      teamHours,
      0,
    );
    const teamLines = everyWeek.flatMap((r) => r.timeToResolution.teams);
    expect(sum(teamLines.map((t) => t.hours))).toBeCloseTo(teamHours, 0);
    const bouncedId = cases[0]?.caseId ?? '';
    const bouncedEvents = timelines.get(bouncedId) ?? [];
    const routedTeam = String(bouncedEvents.find((e) => e.type === 'case.routed')?.data?.team);
    expect(teamLines.filter((t) => t.team === routedTeam).flatMap((t) => t.cases)).toContain(bouncedId);
    expect(phaseHours('escalated')).toBeGreaterThan(0);

    // Escalation reasons: each escalation on the timelines, by reason and the week it happened.
    for (const [week, body] of reviews) {
      const expected = new Map<string, string[]>();
      for (const [caseId, events] of timelines)
        for (const e of events.filter((x) => isoWeekOf(x.at) === week)) {
          const reason =
            e.type === 'case.escalated'
              ? String(e.data?.reason)
              : e.type === 'sla.breached'
                ? `sla_breach:${String((e.data?.target as { clock?: string } | undefined)?.clock)}`
                : undefined;
          if (reason) expected.set(reason, [...(expected.get(reason) ?? []), caseId]);
        }
      expect(
        Object.fromEntries(body.escalationReasons.map((l) => [l.reason, { count: l.count, cases: l.cases }])),
      ).toEqual(
        Object.fromEntries(
          [...expected].map(([reason, ids]) => [
            reason,
            { count: ids.length, cases: [...new Set(ids)].sort() },
          ]),
        ),
      );
    }
    expect(sum(everyWeek.map((r) => r.escalationReasons.length))).toBeGreaterThan(0);

    // The transfer there and back, and the reopen, in the weeks they happened.
    const transfers = bouncedEvents.filter((e) => e.type === 'case.transferred');
    expect(transfers).toHaveLength(2);
    const back = transfers[1] as StoredAuditEvent;
    expect(reviews.get(isoWeekOf(back.at))?.bouncedTransfers).toEqual([
      {
        path: [String(transfers[0]?.data?.from), String(transfers[0]?.data?.to), String(back.data?.to)],
        kind: 'back',
        count: 1,
        cases: [bouncedId],
      },
    ]);
    const reopen = bouncedEvents.find((e) => e.type === 'case.reopened') as StoredAuditEvent;
    expect(reviews.get(isoWeekOf(reopen.at))?.reopens).toMatchObject({
      total: 1,
      families: [{ family: 'billing-dispute', count: 1, cases: [bouncedId] }],
      reasons: [{ family: 'billing-dispute', reason: 'chargeback', count: 1, cases: [bouncedId] }],
    });
    // The first resolution's email template, reopened once.
    const firstResolution = bouncedEvents.find((e) => e.type === 'case.resolved') as StoredAuditEvent;
    const template = bouncedEvents.findLast(
      (e) =>
        e.version <= firstResolution.version && e.type === 'message.sent' && e.data?.audience !== 'buyer',
    )?.data?.template;
    expect(reviews.get(isoWeekOf(firstResolution.at))?.templates.worstReopenRate).toContainEqual(
      expect.objectContaining({ template, reopened: 1, cases: [bouncedId] }),
    );

    // And the whole of each week's review is what the cases' own timelines fold to.
    const recomputed = [...timelines].map(([caseId, events]) => ({
      caseId,
      review: caseReview(events) ?? { weeks: {} },
    }));
    for (const [week, body] of reviews)
      expect(body).toEqual(weeklyReviewOf(week, reviewTotalsOf(recomputed, week)));
  }, 60_000);

  it('adds nothing when the stream delivers the same changes again', async () => {
    const week = isoWeekOf((await timelineOf(cases[0]?.caseId ?? '')).at(-1)?.at ?? '');
    const before = (await review(week)).body;
    // The cases' items as they are now, delivered again as a retried stream batch would be.
    const { scanCaseItems } = await import('../support/case-items.ts');
    const { marshall } = await import('@aws-sdk/util-dynamodb');
    const items = await scanCaseItems(runtime.dynamoDbEndpoint);
    // At least one of them carries its last commit's part of the review (the resolution's), folded already.
    expect(items.some((item) => item.review && reviewAdded(item.review, item.version).length > 0)).toBe(true);
    const again = items.map((item) => ({
      eventName: 'MODIFY',
      dynamodb: {
        Keys: marshall({ pk: `CASE#${item.caseId}`, sk: 'CASE' }),
        NewImage: marshall(item, { removeUndefinedValues: true }),
      },
    }));

    const redelivered = (await runtime.functions.invoke('FoldCaseChanges', { Records: again })) as {
      reviewed: number;
    };

    expect(redelivered.reviewed).toBe(0);
    expect((await review(week)).body).toEqual(before);
  });

  it('prints the week of the reopen as Markdown from the CLI, naming the case', async () => {
    const bouncedId = cases[0]?.caseId ?? '';
    const reopen = (await timelineOf(bouncedId)).find((e) => e.type === 'case.reopened') as StoredAuditEvent;
    const week = isoWeekOf(reopen.at);
    await runtime.tableStream.caughtUp();
    const { SELLERWORKS_TOKEN: _t, ...env } = process.env;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['bin/sellerworks.mjs', 'reviews', 'weekly', '--week', week, '--api-url', runtime.apiUrl],
      { cwd: root, env },
    );
    expect(stdout).toContain(`# Weekly review ${week}`);
    expect(stdout).toContain(`| billing-dispute | chargeback | 1 | \`${bouncedId}\` |`);
  }, 30_000);

  it('refuses a malformed or implausible week with 422 naming it', async () => {
    for (const week of ['2026-49', '2025-W53', '2026-W00', '2099-W01']) {
      const { status, body } = await review(week);
      expect(status).toBe(422);
      expect(body.error?.issues.map((i) => i.path)).toEqual(['week']);
    }
    const { status } = await client.request('GET', '/ops/reviews/weekly?week=2026-W49&team=x', {
      token: ops,
    });
    expect(status).toBe(422);
    const seller = await client.sellerToken('seller-weekly-1');
    expect((await client.request('GET', '/ops/reviews/weekly', { token: seller })).status).toBe(403);
  });
});
