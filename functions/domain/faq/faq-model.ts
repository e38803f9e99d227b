import type { TermProfile } from './statement-text.ts';

/**
 * FAQ candidates and dispute patterns: seller statements (intake statements, the words of their emails)
 * grouped by similarity within family and reason, kept as they are committed (faq-fold.ts) so reading the
 * groups never reads a case.
 */

/** Where a statement came from. */
export type StatementSource = 'intake' | 'email';

/** An ops member's mark on a group: an FAQ candidate. */
export interface FaqMark {
  readonly markedBy: string;
  readonly markedAt: string;
  readonly note?: string;
}

/** A group of like statements of one family and reason, with its counters. */
export interface FaqGroup {
  readonly groupId: string;
  readonly family: string;
  readonly reason: string;
  /** Optimistic concurrency: every change to the group is conditioned on the version it read. */
  readonly version: number;
  /** Statements in the group (a case may bring several: its intake, its emails). */
  readonly statements: number;
  /** Distinct cases whose statements are in the group. */
  readonly cases: number;
  /** Statements by ISO week of when they were made (`2026-W48`). */
  readonly weeks: Readonly<Record<string, number>>;
  readonly sources: Readonly<Partial<Record<StatementSource, number>>>;
  /** Seller emails sent on the group's cases, by template id@version: how many cases got each. */
  readonly templates: Readonly<Record<string, number>>;
  /** The latest cases first, at most EXAMPLE_CASES. */
  readonly examples: readonly string[];
  /**
   * The statement that started the group, shortened (statement-text.ts): ops-facing data kept in the table
   * as evidence is, never logged nor put in a domain event.
   */
  readonly representative: string;
  readonly profile: TermProfile;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly candidate?: FaqMark;
}

/** What FAQ grouping knows of one case: statements folded, the groups they went to, templates it got. */
export interface FaqCase {
  readonly caseId: string;
  readonly family: string;
  readonly reason: string;
  readonly version: number;
  /** Statement keys already folded (`intake`, `email:<evidenceId>`): each folds once. */
  readonly folded: readonly string[];
  readonly groups: readonly string[];
  readonly templates: readonly string[];
}

export const EXAMPLE_CASES = 5;
/** Statements of one case grouped at most: the intake and the first emails (bounds the fan-out per email). */
export const STATEMENTS_PER_CASE = 8;

/**
 * A group's id: `<family>.<reason>.<12 hex>` (hex from the case and statement that started it), so a route
 * knows from the id alone which family and reason's partition holds it.
 */
export const GROUP_ID = /^([a-z][a-z0-9-]{0,63})\.([a-z][a-z0-9_]{0,63})\.([0-9a-f]{12})$/;
export const parseGroupId = (groupId: string) => {
  const match = GROUP_ID.exec(groupId);
  return match ? { family: match[1] as string, reason: match[2] as string } : undefined;
};

/** The ISO 8601 week of a moment (UTC), as `YYYY-Www`. */
export const isoWeek = (at: string | number): string => {
  const date = new Date(at);
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
};

/**
 * Size tiers of recurring groups (two statements or more): a group's rank entry moves when its size crosses
 * one, so the list reads the largest groups first without an index keyed by a size that every statement
 * changes. Within a tier (a page) the list sorts by exact size.
 */
const TIERS = [2, 3, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000];
/** 0 for a singleton (no rank entry); otherwise 1 + the highest tier reached. */
export const tierOf = (statements: number): number => TIERS.filter((t) => statements >= t).length;
