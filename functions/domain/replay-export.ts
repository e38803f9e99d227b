import { getCases, getReplayTrail, pageCases } from './case-store.ts';
import { type PastCase, pastCaseOf } from './replay.ts';
import type { ReplayCasesQuery } from './replay-query.ts';

/**
 * `GET /ops/replay/cases`: past cases as replay takes them (their stored intake and what the policy of
 * their day chose), a bounded page at a time, newest first. The policy is not run here: the CLI replays
 * the pages through the working tree's policy, in its own process, so a change is tried before it ships.
 */

export interface ReplayCasesPage {
  readonly cases: readonly PastCase[];
  readonly nextCursor: string | null;
  /** The page's read budget ran out before it filled: follow the cursor. */
  readonly partial: boolean;
}

/** How many cases' partitions a page reads at once. */
const CONCURRENCY = 16;

const inBatches = async <T, R>(items: readonly T[], each: (item: T) => Promise<R>): Promise<R[]> => {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += CONCURRENCY)
    results.push(...(await Promise.all(items.slice(i, i + CONCURRENCY).map(each))));
  return results;
};

/**
 * One page of past cases: the family's list (or every case's), newest first, from `since` on — each
 * partition of the index read by key, the bound in the key condition — then the page's case items by
 * BatchGet and each case's routing and handoff events and message templates by two queries of its own
 * partition. Bounded by `limit` whatever the table's size.
 */
export const pastCasesPage = async (query: ReplayCasesQuery, at: number): Promise<ReplayCasesPage> => {
  const page = await pageCases(
    { family: query.family, createdFrom: query.since },
    {
      limit: query.limit,
      cursor: query.cursor,
      at: new Date(at).toISOString(),
      // Only an SLA view reads by team, and this never asks for one.
      teams: () => [],
      select: (item) => item.caseId,
    },
  );
  const records = new Map((await getCases(page.rows)).map((r) => [r.caseId, r]));
  const found = page.rows.flatMap((id) => {
    const record = records.get(id);
    return record ? [record] : [];
  });
  const trails = await inBatches(found, (record) => getReplayTrail(record.caseId));
  return {
    cases: found.map((record, i) => pastCaseOf(record, trails[i]?.events ?? [], trails[i]?.templates ?? [])),
    nextCursor: page.nextCursor,
    partial: page.partial,
  };
};
