import type { DynamoDBStreamEvent } from 'aws-lambda';
import { loggedInvocation } from '#commons/logging.ts';
import { foldFaq } from '#domain/faq/faq-fold.ts';

/**
 * The case table's stream, filtered to new cases, new evidence and new `message.sent` audit events: each
 * seller statement joins its FAQ group and each template sent counts on its case's groups, exactly once
 * (a retried batch finds them folded). A failed write throws: the batch is retried, bisected, and in the
 * end lands in the on-failure queue.
 */
export const handler = loggedInvocation(async (event: DynamoDBStreamEvent) => foldFaq(event.Records));
