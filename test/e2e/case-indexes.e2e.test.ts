import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case.ts';
import { LOCAL } from '../../infra/local/local-config.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { scanCaseItems } from '../support/case-items.ts';

/**
 * The case table's read paths at scale against DynamoDB Local: the console's list merged from the shards
 * of the index its filters pick (every case, a family, a team in one status, a seller, open cases by SLA
 * risk), and the SLA board read by key range from the teamQueue index, each held equal to a recomputation
 * over every case in the table.
 */
let runtime: LocalRuntime;
let store: typeof import('../../functions/domain/case-store.ts');
let board: typeof import('../../functions/domain/sla-board.ts');
let sla: typeof import('../../functions/domain/sla.ts');
let lifecycle: typeof import('../../functions/domain/lifecycle.ts');
let list: typeof import('../../functions/domain/case-list.ts');
let cases: CaseRecord[];
const NOW = Date.parse('2026-12-06T12:00:00.000Z');

beforeAll(async () => {
  runtime = await startLocalRuntime({});
  // The case store reads its table name at import: load it once the runtime has set the environment.
  store = await import('../../functions/domain/case-store.ts');
  board = await import('../../functions/domain/sla-board.ts');
  sla = await import('../../functions/domain/sla.ts');
  lifecycle = await import('../../functions/domain/lifecycle.ts');
  list = await import('../../functions/domain/case-list.ts');
  const { seedCases } = await import('../../infra/local/seed-cases.ts');
  const db = localTableClient(runtime.dynamoDbEndpoint);
  await seedCases(db, LOCAL.tableName, 600, NOW);
  db.destroy();
  cases = await scanCaseItems(runtime.dynamoDbEndpoint);
}, 120_000);
afterAll(async () => {
  await runtime?.stop();
});

const newestFirst = (a: CaseRecord, b: CaseRecord) =>
  `${b.createdAt}#${b.caseId}`.localeCompare(`${a.createdAt}#${a.caseId}`);

/** Every page of the list, following each cursor to the end. */
const allPages = async (
  filters: Parameters<typeof store.pageCases>[0],
  limit: number,
  readBudget?: number,
) => {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  let partial = 0;
  const views = new Set<string>();
  do {
    const page = await store.pageCases(filters, {
      limit,
      cursor,
      at: new Date(NOW).toISOString(),
      teams: board.allTeams,
      select: (item) => item.caseId,
      ...(readBudget ? { readBudget } : {}),
    });
    views.add(page.view);
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    ids.push(...page.rows);
    if (page.partial) partial += 1;
    cursor = page.nextCursor ?? undefined;
    pages += 1;
    expect(pages).toBeLessThan(1_000);
  } while (cursor);
  return { ids, pages, partial, views: [...views] };
};

describe('the case list over sixteen index shards', () => {
  it('pages through every case newest first, each once, whatever the page size', async () => {
    const expected = [...cases].sort(newestFirst).map((c) => c.caseId);
    expect(expected).toHaveLength(600);

    for (const limit of [1, 37, 200]) {
      const { ids } = await allPages({}, limit);
      expect(ids).toEqual(expected);
    }
  }, 60_000);

  it('with a filter no key covers and a small read budget, answers partial pages whose cursors still reach every match, in order', async () => {
    const expected = cases
      .filter((c) => c.sellerTier === 'top_rated' && c.region === 'EU')
      .sort(newestFirst)
      .map((c) => c.caseId);
    expect(expected.length).toBeGreaterThan(5);

    const { ids, partial, views } = await allPages({ sellerTier: 'top_rated', region: 'EU' }, 10, 40);

    expect(views).toEqual(['all']);
    expect(ids).toEqual(expected);
    expect(partial).toBeGreaterThan(0);
  }, 60_000);
});

describe('the common views, read by key', () => {
  /** The value of `key` most cases share: the busiest seller, team and status, family. */
  const busiest = <T>(key: (c: CaseRecord) => T | undefined): T => {
    const counts = new Map<T, number>();
    for (const c of cases) {
      const value = key(c);
      if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  };

  it("a family's, a team's in one status, and a seller's cases: newest first from their own index, each once", async () => {
    const family = busiest((c) => c.family);
    const [team, status] = busiest((c) => (c.routing ? `${c.routing.team}|${c.status}` : undefined)).split(
      '|',
    ) as [string, string];
    const seller = busiest((c) => c.sellerId);
    const views: [Parameters<typeof store.pageCases>[0], string, (c: CaseRecord) => boolean][] = [
      [{ family }, 'family', (c) => c.family === family],
      [{ family, status: 'resolved' }, 'family', (c) => c.family === family && c.status === 'resolved'],
      [{ team, status }, 'teamStatus', (c) => c.routing?.team === team && c.status === status],
      [{ seller }, 'seller', (c) => c.sellerId === seller],
      [{ seller, family }, 'seller', (c) => c.sellerId === seller && c.family === family],
    ];
    for (const [filters, view, matches] of views) {
      const expected = cases
        .filter(matches)
        .sort(newestFirst)
        .map((c) => c.caseId);
      expect(expected.length, JSON.stringify(filters)).toBeGreaterThan(0);
      for (const limit of [3, 50]) {
        const got = await allPages(filters, limit);
        expect(got.views, JSON.stringify(filters)).toEqual([view]);
        expect(got.ids, JSON.stringify(filters)).toEqual(expected);
      }
    }
  }, 60_000);

  it('a view read by key reads only its own cases: a family of a ninth of them fills its pages without running out of budget', async () => {
    const family = busiest((c) => c.family);
    const expected = cases.filter((c) => c.family === family).length;
    // A budget just over the family's own cases: the list of every case would run out long before.
    const { ids, partial } = await allPages({ family }, 200, expected + 8);
    expect(ids).toHaveLength(expected);
    expect(partial).toBe(0);
    expect((await allPages({ channel: 'api' }, 200, expected + 8)).partial).toBeGreaterThan(0);
  }, 60_000);

  it('open cases by SLA risk from the team queues, most urgent first, as a recomputation over every case says', async () => {
    const at = NOW;
    // Two cases that started waiting on the seller late, their clocks paused past the warning (the queues'
    // `P#`): one still at risk, one breached. They stay so for as long as the seller takes.
    const waiting = cases.filter((c) => c.status === 'awaiting_seller' && c.routing).slice(0, 2);
    for (const [n, c] of waiting.entries()) {
      const current = (await store.getCase(c.caseId)) as CaseRecord;
      await store.commitChange(current, {
        set: {
          sla: {
            ...current.sla,
            resolution: {
              targetMs: (n === 0 ? 12 : 10) * 3_600_000,
              startedAt: new Date(NOW - 40 * 3_600_000).toISOString(),
              pausedMs: 0,
              pausedSince: new Date(NOW - 29 * 3_600_000).toISOString(),
            },
          } as NonNullable<CaseRecord['sla']>,
        },
        events: [{ type: 'test.clock', actor: { kind: 'system', id: 'test' }, detail: 'Clock set' }],
      });
    }
    cases = await scanCaseItems(runtime.dynamoDbEndpoint);
    const pausedPastWarning = cases.filter(
      (c) =>
        c.routing &&
        lifecycle.isOpen(c.status) &&
        c.sla?.resolution?.pausedSince &&
        sla.whenReached(c.sla.resolution, sla.WARN_AT) !== undefined,
    );
    expect(pausedPastWarning.length).toBeGreaterThan(0);
    for (const risk of ['breached', 'at_risk', 'on_track'] as const) {
      const expected = cases
        .filter((c) => c.routing && lifecycle.isOpen(c.status))
        .filter((c) => list.slaRisk(c.sla?.resolution, at).risk === risk)
        .map((c) => ({
          id: c.caseId,
          key: `${sla.whenReached(c.sla?.resolution, sla.WARN_AT) ?? '~'}#${c.caseId}`,
        }))
        .sort((a, b) => (a.key < b.key ? -1 : 1)) // byte order, as DynamoDB sorts keys
        .map((c) => c.id);
      expect(expected.length, risk).toBeGreaterThan(0);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await list.listCases(
          list.caseListQuery.parse({ sla: risk, limit: '7', ...(cursor ? { cursor } : {}) }),
          at,
        );
        expect(page.view).toBe('slaQueue');
        expect(page.order).toBe('most-urgent');
        expect(page.cases.every((row) => row.sla.risk === risk)).toBe(true);
        seen.push(...page.cases.map((row) => row.caseId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen, risk).toEqual(expected);
    }
    // One team's at-risk cases: the same, from its four queue shards alone.
    const team = busiest((c) => c.routing?.team);
    const page = await list.listCases(list.caseListQuery.parse({ sla: 'at_risk', team, limit: '200' }), at);
    expect(page.cases.map((row) => row.team)).toEqual(page.cases.map(() => team));
    expect(page.cases.map((row) => row.caseId).sort()).toEqual(
      cases
        .filter((c) => c.routing?.team === team && lifecycle.isOpen(c.status))
        .filter((c) => list.slaRisk(c.sla?.resolution, at).risk === 'at_risk')
        .map((c) => c.caseId)
        .sort(),
    );
  }, 60_000);
});

describe('the SLA board from the team queues', () => {
  it('lists exactly the open cases at risk or breached, per team and soonest due first, as recomputed over every case', async () => {
    // Per team: every open case at risk or breached, in the order it reached its warning share; the board
    // shows the first BOARD_CASES_PER_TEAM of them, soonest due first.
    const atRisk = new Map<string, { warnedAt: string; due: string }[]>();
    for (const c of cases) {
      const clock = c.sla?.resolution;
      if (!lifecycle.isOpen(c.status) || !clock || !c.routing) continue;
      const view = sla.clockView(clock, NOW);
      if (view.state === 'stopped' || (!view.breached && view.shareUsed < sla.WARN_AT)) continue;
      const warnedAt = `${sla.whenReached(clock, sla.WARN_AT)}#${c.caseId}`;
      atRisk.set(c.routing.team, [
        ...(atRisk.get(c.routing.team) ?? []),
        { warnedAt, due: `${view.dueAt}#${c.caseId}` },
      ]);
    }
    expect([...atRisk.values()].flat().length).toBeGreaterThan(10);

    const answer = await board.slaBoard(NOW);

    const got = new Map(answer.teams.map((t) => [t.team, t]));
    expect([...got.keys()].sort()).toEqual([...atRisk.keys()].sort());
    for (const [team, list] of atRisk) {
      const shown = [...list]
        .sort((a, b) => a.warnedAt.localeCompare(b.warnedAt))
        .slice(0, board.BOARD_CASES_PER_TEAM)
        .map((c) => c.due)
        .sort();
      expect(got.get(team)?.cases.map((c) => `${c.dueAt}#${c.caseId}`)).toEqual(shown);
      expect(got.get(team)?.more).toBe(list.length > board.BOARD_CASES_PER_TEAM);
    }
    // The bound itself, on the busiest team: the first few to reach their warning, and word of more.
    const [busiest, list] = [...atRisk.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
    expect(list.length).toBeGreaterThan(3);
    const firstThree = await store.atRiskTeamQueue(busiest, new Date(NOW).toISOString(), 3);
    expect(firstThree.more).toBe(true);
    expect(firstThree.cases.map((c) => c.caseId)).toEqual(
      [...list]
        .sort((a, b) => a.warnedAt.localeCompare(b.warnedAt))
        .slice(0, 3)
        .map((c) => c.warnedAt.split('#')[1]),
    );
  }, 60_000);

  it('takes a case off the board when it resolves, and keeps it in the list with its new status', async () => {
    const before = await board.slaBoard(NOW);
    const onBoard = before.teams[0]?.cases[0];
    expect(onBoard).toBeDefined();
    const record = cases.find((c) => c.caseId === onBoard?.caseId) as CaseRecord;
    const current = (await store.getCase(record.caseId)) as CaseRecord;

    await store.commitChange(current, {
      move: lifecycle.moveTo('resolved'),
      // As the Resolve step records it: with its outcome (the domain event `Case Resolved` requires it).
      events: [
        {
          type: 'case.resolved',
          actor: { kind: 'system', id: 'test' },
          detail: 'Resolved',
          data: { outcome: 'payout_released' },
        },
      ],
    });

    const after = await board.slaBoard(NOW);
    expect(after.teams.flatMap((t) => t.cases).map((c) => c.caseId)).not.toContain(record.caseId);
    const listed = await store.pageCases(
      { status: 'resolved' },
      {
        limit: 200,
        at: new Date(NOW).toISOString(),
        teams: board.allTeams,
        select: (item) => (item.caseId === record.caseId ? item : undefined),
      },
    );
    expect(listed.rows[0]).toMatchObject({ caseId: record.caseId, status: 'resolved' });
  }, 60_000);
});
