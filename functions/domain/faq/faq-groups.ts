import { nowMs } from '#commons/clock.ts';
import { getFaqGroups, listFaqGroups, setFaqMark } from '../case-store.ts';
import { type FaqGroup, type FaqMark, isoWeek, parseGroupId } from './faq-model.ts';

/** Weeks of counts a group's trend shows, the current one last. */
export const TREND_WEEKS = 8;

/** A group as ops read it: counters, trend, examples and the templates that answered its cases. */
export interface FaqGroupView {
  readonly groupId: string;
  readonly family: string;
  readonly reason: string;
  readonly size: number;
  readonly cases: number;
  readonly representative: string;
  readonly sources: FaqGroup['sources'];
  readonly trend: {
    readonly direction: 'rising' | 'falling' | 'steady';
    readonly weeks: readonly { readonly week: string; readonly count: number }[];
  };
  readonly examples: readonly string[];
  readonly templates: readonly { readonly template: string; readonly cases: number }[];
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly candidate: FaqMark | null;
}

/** The last `TREND_WEEKS` ISO weeks up to the one holding `at`, oldest first. */
const recentWeeks = (at: number) =>
  Array.from({ length: TREND_WEEKS }, (_, i) => isoWeek(at - (TREND_WEEKS - 1 - i) * 7 * 86_400_000));

/**
 * Rising when the last four weeks hold at least two statements and a quarter more than the four before;
 * falling when they hold at least two fewer and a fifth less; steady otherwise.
 */
export const trendOf = (counts: readonly number[]): FaqGroupView['trend']['direction'] => {
  const half = Math.floor(counts.length / 2);
  const earlier = counts.slice(0, half).reduce((a, b) => a + b, 0);
  const recent = counts.slice(half).reduce((a, b) => a + b, 0);
  if (recent - earlier >= 2 && recent >= earlier * 1.25) return 'rising';
  if (earlier - recent >= 2 && recent <= earlier * 0.8) return 'falling';
  return 'steady';
};

export const viewOf = (group: FaqGroup, at = nowMs()): FaqGroupView => {
  const weeks = recentWeeks(at).map((week) => ({ week, count: group.weeks[week] ?? 0 }));
  return {
    groupId: group.groupId,
    family: group.family,
    reason: group.reason,
    size: group.statements,
    cases: group.cases,
    representative: group.representative,
    sources: group.sources,
    trend: { direction: trendOf(weeks.map((w) => w.count)), weeks },
    examples: group.examples,
    templates: Object.entries(group.templates)
      .map(([template, cases]) => ({ template, cases }))
      .sort((a, b) => b.cases - a.cases || a.template.localeCompare(b.template)),
    firstSeen: group.firstSeen,
    lastSeen: group.lastSeen,
    candidate: group.candidate ?? null,
  };
};

const encodeCursor = (sk: string) => Buffer.from(sk, 'utf8').toString('base64url');
/** The sort key a cursor names, or undefined when it names none of this list's entries (a forged one). */
export const decodeCursor = (cursor: string, candidates: boolean): string | undefined => {
  const sk = Buffer.from(cursor, 'base64url').toString('utf8');
  const entry = candidates ? /^M#(.+)$/.exec(sk) : /^R#\d\d#(.+)$/.exec(sk);
  return entry && parseGroupId(entry[1] as string) ? sk : undefined;
};

/**
 * A page of a family and reason's recurring groups (largest first: by size tier, exact size within the
 * page), or of its FAQ candidates. Reads one page of entries and their groups, never a case.
 */
export const readFaqGroups = async (query: {
  readonly family: string;
  readonly reason: string;
  readonly candidates: boolean;
  readonly limit: number;
  readonly after?: string | undefined;
}) => {
  const { groups, last } = await listFaqGroups(query.family, query.reason, query);
  const at = nowMs();
  return {
    family: query.family,
    reason: query.reason,
    candidates: query.candidates,
    groups: groups
      .map((group) => viewOf(group, at))
      .sort((a, b) => b.size - a.size || a.groupId.localeCompare(b.groupId)),
    nextCursor: last ? encodeCursor(last) : null,
  };
};

/** A group by id, or undefined when there is none. */
export const getFaqGroup = async (groupId: string): Promise<FaqGroup | undefined> => {
  const scope = parseGroupId(groupId);
  if (!scope) return undefined;
  const [group] = await getFaqGroups(scope.family, scope.reason, [groupId]);
  return group;
};

/**
 * Marks a group as an FAQ candidate, or clears the mark. Marking a marked group again changes nothing (its
 * first mark stays); clearing an unmarked one neither. Undefined when there is no such group.
 */
export const markFaqGroup = async (
  groupId: string,
  wanted: { readonly candidate: boolean; readonly note?: string | undefined },
  by: string,
  at: string,
): Promise<FaqGroup | undefined> => {
  for (let attempt = 0; attempt < 5; attempt++) {
    const group = await getFaqGroup(groupId);
    if (!group) return undefined;
    if (wanted.candidate === (group.candidate !== undefined)) return group;
    const mark: FaqMark | undefined = wanted.candidate
      ? { markedBy: by, markedAt: at, ...(wanted.note ? { note: wanted.note } : {}) }
      : undefined;
    if (await setFaqMark(group, mark)) {
      const { candidate: _old, ...rest } = group;
      return { ...rest, version: group.version + 1, ...(mark ? { candidate: mark } : {}) };
    }
  }
  throw new Error(`the FAQ group ${groupId} kept changing while it was marked`);
};
