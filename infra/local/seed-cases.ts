import { readFile } from 'node:fs/promises';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AuditEvent, CaseRecord, CaseStatus, StoredAuditEvent } from '../../functions/domain/case.ts';
import { addScoreTotals, auditEventItem, caseItem } from '../../functions/domain/case-store.ts';
import { addCounters, type Counters, caseMetrics } from '../../functions/domain/metrics.ts';
import { scoreDeltaOf } from '../../functions/domain/scoreboard-fold.ts';
import { type SlaClock, startClocks } from '../../functions/domain/sla.ts';
import { FAMILIES } from '../../functions/policy/families.ts';
import { type BaseIntake, REGIONS, SELLER_TIERS } from '../../functions/policy/family-policy.ts';
import { INTAKE_CHANNELS } from '../../functions/policy/intake-fields.ts';
import { FAMILY_IDS } from '../../state-machines/catalog.ts';

const HOUR = 3_600_000;

/** A small deterministic generator, so two bench runs seed the same store. */
const random = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

const system = (id: string) => ({ kind: 'system', id }) as const;

/**
 * A store of `count` cases for measuring the ops console at scale: every family, tier, region and channel,
 * cases at every stage (open and waiting, with a team, resolved, reopened), some transferred or escalated,
 * opened over the last 60 days. Items are written as the case store writes them (`caseItem`,
 * `auditEventItem`), and each case's figures are folded from its own timeline, so the console reads them
 * as it reads real cases. A bench fixture: it writes items directly, not through the workflow.
 *
 * With `summed`, the scoreboard's totals for them are added here, summed per segment and day over all the
 * seeded cases (the fold's own `scoreDeltaOf` and row updates: `addScoreTotals`), rather than by the
 * stream a change at a time, which costs each case its segments' updates (~85 ms a case here: hours at
 * 100,000). The caller then has the stream skip the seeded items (`TableStream.skipWrites`), and FAQ
 * groups do not count their statements.
 */
export const seedCases = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  count: number,
  now = Date.now(),
  /** The first case's number: a store grown in steps gets new cases, not the same ones again. */
  first = 0,
  options: { readonly summed?: boolean } = {},
): Promise<string[]> => {
  const rand = random(42 + first);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)] as T;
  const samples = Object.fromEntries(
    await Promise.all(
      FAMILY_IDS.map(async (family) => [
        family,
        JSON.parse(await readFile(new URL(`../../events/intake/${family}.json`, import.meta.url), 'utf8')),
      ]),
    ),
  ) as Record<string, BaseIntake>;

  let items: Record<string, unknown>[] = [];
  const caseIds: string[] = [];
  /** The seeded cases' scoreboard changes, summed per day and segment as they are made. */
  const days = new Map<string, Map<string, Counters>>();
  const score = (item: Record<string, unknown>) => {
    const delta = scoreDeltaOf({
      Keys: marshall({ pk: item.pk, sk: item.sk }),
      NewImage: marshall(item, { removeUndefinedValues: true }),
    });
    if (!delta) return;
    const day = days.get(delta.day) ?? new Map<string, Counters>();
    days.set(delta.day, day);
    for (const { segment, counters } of delta.segments)
      day.set(segment, addCounters(day.get(segment) ?? {}, counters));
  };
  for (let i = first; i < first + count; i++) {
    const family = FAMILY_IDS[i % FAMILY_IDS.length]!;
    const policy = FAMILIES[family];
    const tier = pick(SELLER_TIERS);
    const region = pick(REGIONS);
    const channel = pick(INTAKE_CHANNELS);
    const reason = pick(Object.keys(policy.reasons));
    const team = pick(policy.routing.rules.map((r) => r.team));
    const caseId = `case_seed${String(i).padStart(7, '0')}`;
    const createdMs = now - Math.floor(rand() * 60 * 24) * HOUR - Math.floor(rand() * HOUR);
    const iso = (offsetHours: number) => new Date(createdMs + offsetHours * HOUR).toISOString();
    const intake = {
      ...samples[family],
      reason,
      region,
      channel,
      sellerEmail: `seed-${i}@example.com`,
    } as BaseIntake;

    const stage = rand();
    const firstResponse = 0.05 + rand() * 20;
    const commits: [hours: number, events: AuditEvent[]][] = [
      [
        0,
        [
          {
            type: 'case.received',
            actor: { kind: 'seller', id: `seed-seller-${i % 2000}` },
            detail: 'opened',
          },
        ],
      ],
      [
        0.01,
        [
          { type: 'case.triaged', actor: system('triage'), detail: 'Case reviewed and prioritised' },
          { type: 'case.routed', actor: system('routing'), detail: `Assigned to the ${team} team` },
        ],
      ],
      [
        firstResponse,
        [
          {
            type: 'evidence.requested',
            actor: system('evidence'),
            detail: 'Evidence requested from the seller',
          },
          {
            type: 'message.sent',
            actor: system('messaging'),
            detail: 'Email sent to the seller',
            data: { audience: 'seller' },
          },
        ],
      ],
    ];
    let status: CaseStatus = 'awaiting_seller';
    let hours = firstResponse;
    if (stage > 0.2) {
      hours += 2 + rand() * 48;
      commits.push([
        hours,
        [{ type: 'evidence.received', actor: { kind: 'seller', id: 'seed' }, detail: 'Evidence received' }],
      ]);
      if (rand() < 0.1) {
        hours += 1;
        commits.push([
          hours,
          [{ type: 'case.transferred', actor: { kind: 'ops', id: `${team}-agent` }, detail: 'Transferred' }],
        ]);
      }
      if (rand() < 0.08) {
        hours += 4;
        commits.push([hours, [{ type: 'case.escalated', actor: system('escalation'), detail: 'Escalated' }]]);
      }
      hours += 0.1;
      commits.push([
        hours,
        [{ type: 'case.handed_off', actor: system('handoff'), detail: `Handed to ${team}` }],
      ]);
      status = 'handed_off';
    }
    if (stage > 0.4) {
      hours += 1 + rand() * 72;
      const automatic = rand() < 0.12;
      commits.push([
        hours,
        [
          {
            type: 'case.decided',
            actor: automatic ? system('policy') : { kind: 'ops', id: `${team}-agent` },
            detail: 'Decision',
          },
          {
            type: 'message.sent',
            actor: system('messaging'),
            detail: 'Decision sent',
            data: { audience: 'seller' },
          },
          { type: 'case.resolved', actor: system('resolution'), detail: 'Case resolved' },
        ],
      ]);
      status = 'resolved';
      if (rand() < 0.06) {
        hours += 24;
        commits.push([
          hours,
          [{ type: 'case.reopened', actor: { kind: 'seller', id: 'seed' }, detail: 'Reopened' }],
        ]);
        status = 'reopened';
      }
    }
    // A case cannot have moved past the present.
    const past = commits.filter(([h]) => createdMs + h * HOUR <= now);
    const stored = past.flatMap(([h, list], v) =>
      list.map((e, n) => ({ n, event: { ...e, at: iso(h), version: v + 1 } as StoredAuditEvent })),
    );
    const events = stored.map((s) => s.event);
    if (past.length < commits.length) status = past.length > 3 ? 'handed_off' : 'awaiting_seller';

    const clocks = startClocks(policy, tier, intake, iso(0));
    const stopAt = (clock: SlaClock | undefined, at: string | undefined) =>
      clock && at ? { ...clock, stoppedAt: at } : clock;
    const metrics = caseMetrics(events);
    const record: CaseRecord = {
      caseId,
      family,
      sellerId: `seed-seller-${i % 2000}`,
      sellerTier: tier,
      sellerEmail: intake.sellerEmail,
      region,
      status,
      version: past.length,
      createdAt: iso(0),
      updatedAt: events.at(-1)?.at ?? iso(0),
      statusSince: events.at(-1)?.at ?? iso(0),
      intake,
      routing: { team, ruleId: 'seed', reason: 'seeded for the bench', matched: {}, rulesetVersion: 'seed' },
      sla: {
        ...clocks,
        firstResponse: stopAt(clocks.firstResponse, metrics?.firstResponseAt)!,
        // Waiting on the seller pauses the resolution clock, from when the wait began, as the product does.
        resolution:
          status === 'awaiting_seller'
            ? { ...(clocks.resolution as SlaClock), pausedSince: events.at(-1)?.at ?? iso(0) }
            : stopAt(clocks.resolution, status === 'resolved' ? metrics?.resolvedAt : undefined)!,
      },
      ...(metrics ? { metrics } : {}),
      ...(metrics?.transfers ? { transferCount: metrics.transfers } : {}),
      ...(metrics?.escalations ? { escalationLevel: metrics.escalations } : {}),
      ...(metrics?.reopens ? { reopenCount: metrics.reopens } : {}),
    };
    const item = caseItem(record);
    if (options.summed) score(item);
    items.push(item);
    for (const { n, event } of stored) {
      const { at, version, ...audit } = event;
      items.push(auditEventItem(caseId, version, n, at, audit));
    }
    caseIds.push(caseId);
    // Written a thousand cases at a time: a store of 100,000 is never held in memory whole.
    if (caseIds.length % 1_000 === 0 || i === first + count - 1) {
      await writeItems(db, tableName, items);
      items = [];
    }
  }
  const sums = [...days].map(([day, segments]) => ({
    day,
    segments: [...segments].map(([segment, counters]) => ({ segment, counters })),
  }));
  if (sums.length > 0) await addScoreTotals(sums);
  return caseIds;
};

/** BatchWriteItem takes 25 puts; eight requests in flight, each retrying what the table left unprocessed. */
const writeItems = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
) => {
  let next = 0;
  const batches = Math.ceil(items.length / 25);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches) {
        const b = next++;
        let requests = items.slice(b * 25, b * 25 + 25).map((Item) => ({ PutRequest: { Item } }));
        while (requests.length > 0) {
          const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
          requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
        }
      }
    }),
  );
};
