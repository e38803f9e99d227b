import type { DynamoDBStreamEvent } from 'aws-lambda';
import { loggedInvocation } from '#commons/logging.ts';
import { foldFaq } from '#domain/faq/faq-fold.ts';
import { foldScoreboard } from '#domain/scoreboard-fold.ts';
import { foldWeeklyReview } from '#domain/weekly-review-fold.ts';

/**
 * The case table's stream (NEW_AND_OLD_IMAGES), filtered by the event source mapping to what the folds
 * read: case items (inserts and changes), new evidence and new `message.sent` audit events. Each change to a
 * case's figures is added to the scoreboard's totals per segment and day, each commit's part of the weekly
 * review to the rows of its weeks, and each seller statement and template sent to the FAQ groups — each
 * exactly once (a retried batch finds what it folded already, by each fold's own markers; each fold skips
 * the records it does not read).
 *
 * One function for the three: a stream shard takes at most two readers at once (DynamoDB Streams throttles
 * GetRecords beyond that), and RecordMetrics is the other. The price is that a batch one fold cannot write
 * holds up the others on that shard until it goes through. A failed write throws: the batch is retried,
 * bisected, and in the end lands in the on-failure queue.
 */
export const handler = loggedInvocation(async (event: DynamoDBStreamEvent) => ({
  scored: (await foldScoreboard(event.Records)).folded,
  reviewed: (await foldWeeklyReview(event.Records)).reviewed,
  faq: (await foldFaq(event.Records)).folded,
}));
