import { weeklyReviewRows } from './case-store.ts';
import { weeklyReviewOf } from './weekly-review.ts';

/**
 * The weekly review as `GET /ops/reviews/weekly` answers it: the rows kept for the week (one query per
 * writer; rows are bounded by policy — phases, teams, reasons, templates — never by the cases), read off
 * into its figures. Its cost follows the figures, however many cases the week had.
 */
export const readWeeklyReview = async (week: string) => weeklyReviewOf(week, await weeklyReviewRows(week));
