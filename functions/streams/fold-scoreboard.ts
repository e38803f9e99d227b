import type { DynamoDBStreamEvent } from 'aws-lambda';
import { loggedInvocation } from '#commons/logging.ts';
import { foldScoreboard } from '#domain/scoreboard-fold.ts';

/**
 * The case table's stream (NEW_AND_OLD_IMAGES, filtered to case items by the event source mapping): each
 * change to a case's figures is added to the scoreboard's totals per segment and day, exactly once (a
 * retried batch finds its changes folded already). A failed write throws: the batch is retried, bisected,
 * and in the end lands in the on-failure queue.
 */
export const handler = loggedInvocation(async (event: DynamoDBStreamEvent) => foldScoreboard(event.Records));
