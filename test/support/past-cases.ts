import { readFileSync } from 'node:fs';
import type { PastCase, ReplayPolicy } from '#domain/replay.ts';
import { firstMatch, route } from '#domain/routing.ts';
import { startClocks } from '#domain/sla.ts';
import { templateFor } from '#domain/templates.ts';
import { FAMILIES } from '#policy/families.ts';
import { REGIONS, SELLER_TIERS, type SellerTier } from '#policy/family-policy.ts';
import { PRIORITY } from '#policy/priority.ts';
import { FAMILY_IDS, type FamilyId } from '#state-machines/catalog.ts';

/** The working tree's policy, as replay takes it. */
export const CURRENT_POLICY: ReplayPolicy = { families: FAMILIES, priority: PRIORITY };

const root = new URL('../../', import.meta.url).pathname;
/** Each family's sample intake (events/intake/<family>.json): the base every synthetic case varies. */
export const SAMPLE_INTAKES: Readonly<Record<FamilyId, Record<string, unknown>>> = Object.fromEntries(
  FAMILY_IDS.map((id) => [id, JSON.parse(readFileSync(`${root}events/intake/${id}.json`, 'utf8'))]),
) as Record<FamilyId, Record<string, unknown>>;

/** A small deterministic generator (mulberry32), so a seed gives the same cases on every run. */
export const seeded = (seed: number) => {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  return { next, pick, int: (below: number) => Math.floor(next() * below) };
};

/**
 * A past case as the working tree's policy would have handled it — routed, queued, its clocks started and
 * its first response and resolution sent with the templates it chooses — so that replaying it through the
 * same policy changes nothing, and through a changed one changes exactly what the change moves.
 */
export const pastCaseFrom = (
  caseId: string,
  family: FamilyId,
  intake: Record<string, unknown>,
  tier: SellerTier,
  history: { priorCases90d: number; priorCases365d: number },
  createdAt = '2026-11-20T10:00:00.000Z',
): PastCase => {
  const policy = FAMILIES[family];
  const base = intake as unknown as Parameters<typeof policy.triage>[0];
  const facts = policy.triage(base, history, tier);
  const routing = route(policy.routing, facts);
  const clocks = startClocks(policy, tier, base, createdAt);
  const region = base.region;
  const ref = (t: { id: string; version: number }) => `${t.id}@${t.version}`;
  return {
    caseId,
    family,
    createdAt,
    sellerTier: tier,
    region,
    intake,
    triage: facts,
    happened: {
      team: routing.team,
      ruleId: routing.ruleId,
      priority: firstMatch(PRIORITY.rules, facts)?.rule.level,
      sla: {
        firstResponseHours: (clocks.firstResponse?.targetMs ?? 0) / 3_600_000,
        resolutionHours: (clocks.resolution?.targetMs ?? 0) / 3_600_000,
      },
      templates: [
        ref(templateFor(policy.templates.firstResponse, region)),
        ref(templateFor(policy.templates.resolution, region)),
      ],
    },
  };
};

/**
 * `count` synthetic past cases over every family: the sample intake with its reason, region and amount
 * varied, any seller tier, and a history from none to several earlier cases.
 */
export function* syntheticPastCases(count: number, seed = 16): Generator<PastCase> {
  const random = seeded(seed);
  for (let n = 0; n < count; n += 1) {
    const family = random.pick(FAMILY_IDS);
    const sample = SAMPLE_INTAKES[family];
    const intake: Record<string, unknown> = {
      ...sample,
      reason: random.pick(Object.keys(FAMILIES[family].reasons)),
      region: random.pick(REGIONS),
    };
    if (typeof sample.amount === 'number') intake.amount = Math.round(random.next() * 2_000_000) / 100;
    const priorCases90d = random.int(5);
    yield pastCaseFrom(`case_synthetic_${n}`, family, intake, random.pick(SELLER_TIERS), {
      priorCases90d,
      priorCases365d: priorCases90d + random.int(4),
    });
  }
}
