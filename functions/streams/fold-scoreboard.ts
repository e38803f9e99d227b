import type { DynamoDBStreamEvent } from 'aws-lambda';
import { loggedInvocation } from '#commons/logging.ts';
import { foldScoreboard } from '#domain/scoreboard-fold.ts';
import { foldWeeklyReview } from '#domain/weekly-review-fold.ts';

/**
 * The case table's stream (NEW_AND_OLD_IMAGES, filtered to case items by the event source mapping): each
 * change to a case's figures is added to the scoreboard's totals per segment and day, and each commit's
 * part of the weekly review to the rows of its weeks, each exactly once (a retried batch finds its changes
 * folded already, by the fold's own markers). One function for both: a stream shard takes at most two
 * readers at once, and RecordMetrics is the other. A failed write throws: the batch is retried, bisected,
 * and in the end lands in the on-failure queue.
 */
export const handler = loggedInvocation(async (event: DynamoDBStreamEvent) => ({
  ...(await foldScoreboard(event.Records)),
  ...(await foldWeeklyReview(event.Records)),
}));
