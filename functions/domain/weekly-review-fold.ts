import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { logger } from '#commons/logging.ts';
import { isCaseItemChange, type StreamChange, unreadableReason } from './case-change.ts';
import { foldReviewDeltas, type ReviewDelta } from './case-store.ts';
import type { StreamRecord } from './scoreboard-fold.ts';
import { ISO_WEEK, reviewAdded } from './weekly-review.ts';

/**
 * The weekly review kept as it goes: each committed change to a case adds what its commit added to the
 * review (the case item's `review.weeks`, marked with the version that added it: weekly-review.ts) to the
 * rows of its weeks, exactly once (case-store.ts `foldReviewDeltas`). It runs beside the scoreboard's fold
 * on the same stream batches (functions/streams/fold-case-changes.ts): a DynamoDB stream shard serves at
 * most two readers at once, and the table's stream has two already.
 */

// Row keys come from policy ids (families, reasons, teams, templates) and are checked for shape: a stray
// value would start a row of its own. Measures are short names; counts are whole numbers.
const rowKey = z.string().regex(/^[A-Za-z]+\|[A-Za-z0-9_.@:/>-]{1,200}\|[a-z]{1,4}$/);
const reviewImage = z.object({
  caseId: z.string().min(1),
  version: z.number().int().nonnegative(),
  review: z
    .object({
      addedIn: z.number().int().nonnegative().optional(),
      weeks: z.record(z.string().regex(ISO_WEEK), z.record(rowKey, z.number().int())),
    })
    .optional(),
});

/** What a change adds to the weekly review; `undefined` when it adds nothing. Throws on a malformed image. */
export const reviewDeltaOf = (change: StreamChange): ReviewDelta | undefined => {
  const image = unmarshall((change.NewImage ?? {}) as Record<string, AttributeValue>);
  const after = reviewImage.parse(image);
  if (!after.review || after.review.addedIn === undefined) return undefined;
  const rows = reviewAdded(
    { weeks: after.review.weeks, addedIn: after.review.addedIn },
    after.version,
  ).filter((r) => Object.keys(r.counters).length > 0);
  return rows.length === 0 ? undefined : { caseId: after.caseId, version: after.version, rows };
};

/**
 * Folds a batch of the stream into the weekly review's rows. Records of other items and removals add
 * nothing; an unreadable record is skipped with a warning naming its key. A failed write throws, and the
 * batch comes again: each change folds once (its marker).
 */
export const foldWeeklyReview = async (records: readonly StreamRecord[]): Promise<{ reviewed: number }> => {
  const deltas: ReviewDelta[] = [];
  for (const record of records) {
    const change = record.dynamodb;
    if (!change || !isCaseItemChange(change) || record.eventName === 'REMOVE') continue;
    try {
      const delta = reviewDeltaOf(change);
      if (delta) deltas.push(delta);
    } catch (error) {
      const keys = change.Keys as { pk?: { S?: string }; sk?: { S?: string } } | undefined;
      logger.warn('case change not folded into the weekly review: unreadable stream record', {
        pk: keys?.pk?.S,
        sk: keys?.sk?.S,
        eventID: record.eventID,
        reason: unreadableReason(error),
      });
    }
  }
  return { reviewed: deltas.length === 0 ? 0 : await foldReviewDeltas(deltas) };
};
