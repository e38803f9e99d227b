import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../functions/domain/case.ts';
import { LOCAL } from '../../infra/local/local-config.ts';
import { localTableClient } from '../../infra/local/local-table-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { scanCaseItems } from '../support/case-items.ts';

/**
 * The case table's read paths at scale against DynamoDB Local: the console's list merged from the caseList
 * index's shards, and the SLA board read by key range from the teamQueue index, each held equal to a
 * recomputation over every case in the table.
 */
let runtime: LocalRuntime;
let store: typeof import('../../functions/domain/case-store.ts');
let board: typeof import('../../functions/domain/sla-board.ts');
let sla: typeof import('../../functions/domain/sla.ts');
let lifecycle: typeof import('../../functions/domain/lifecycle.ts');
let cases: CaseRecord[];
const NOW = Date.parse('2026-12-06T12:00:00.000Z');

beforeAll(async () => {
  runtime = await startLocalRuntime({});
  // The case store reads its table name at import: load it once the runtime has set the environment.
  store = await import('../../functions/domain/case-store.ts');
  board = await import('../../functions/domain/sla-board.ts');
  sla = await import('../../functions/domain/sla.ts');
  lifecycle = await import('../../functions/domain/lifecycle.ts');
  const { seedCases } = await import('../../scripts/lib/seed-cases.ts');
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
  filters: Parameters<typeof store.pageCasesNewestFirst>[0],
  limit: number,
  readBudget?: number,
) => {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  let partial = 0;
  do {
    const page = await store.pageCasesNewestFirst(filters, {
      limit,
      cursor,
      select: (item) => item.caseId,
      ...(readBudget ? { readBudget } : {}),
    });
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    ids.push(...page.rows);
    if (page.partial) partial += 1;
    cursor = page.nextCursor ?? undefined;
    pages += 1;
    expect(pages).toBeLessThan(1_000);
  } while (cursor);
  return { ids, pages, partial };
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

  it('with a filter and a small read budget, answers partial pages whose cursors still reach every match, in order', async () => {
    const family = 'account-recovery';
    const expected = cases
      .filter((c) => c.family === family && c.status === 'resolved')
      .sort(newestFirst)
      .map((c) => c.caseId);
    expect(expected.length).toBeGreaterThan(5);

    const { ids, partial } = await allPages({ family, status: 'resolved' }, 10, 40);

    expect(ids).toEqual(expected);
    expect(partial).toBeGreaterThan(0);
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
      events: [{ type: 'case.resolved', actor: { kind: 'system', id: 'test' }, detail: 'Resolved' }],
    });

    const after = await board.slaBoard(NOW);
    expect(after.teams.flatMap((t) => t.cases).map((c) => c.caseId)).not.toContain(record.caseId);
    const listed = await store.pageCasesNewestFirst(
      { status: 'resolved' },
      {
        limit: 200,
        select: (item) => (item.caseId === record.caseId ? item : undefined),
      },
    );
    expect(listed.rows[0]).toMatchObject({ caseId: record.caseId, status: 'resolved' });
  }, 60_000);
});
