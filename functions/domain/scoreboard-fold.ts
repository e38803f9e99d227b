import { logger } from '#commons/logging.ts';
import { figuresChange, isCaseItemChange, type StreamChange, unreadableReason } from './case-change.ts';
import { foldScoreDeltas, type ScoreDelta } from './case-store.ts';
import { contributionChange, type MetricsRow } from './metrics.ts';

/**
 * The scoreboard kept as it goes: each committed change to a case adds the difference of its case's
 * contributions before and after (metrics.ts) to the totals of its segments on the day the case was opened
 * (case-store.ts): where the case's team or agent changed, its counters leave the old segment and join the
 * new one in the same transaction. On AWS the changes come from the table's stream (the FoldCaseChanges function); locally
 * the runtime reads DynamoDB Local's stream of the same table and calls the same function.
 */

/** What a change adds to the scoreboard; `undefined` when it adds nothing. Throws on a malformed image. */
export const scoreDeltaOf = (change: StreamChange): ScoreDelta | undefined => {
  const read = figuresChange(change);
  const version = read?.after.version;
  if (!read || version === undefined) return undefined;
  const { after, before } = read;
  // Family, tier, channel and region never change: the case before has the same ones.
  const row = (metrics: MetricsRow['metrics'], team: string | undefined): MetricsRow => ({
    family: after.family,
    sellerTier: after.sellerTier,
    channel: after.channel,
    region: after.region,
    team,
    metrics,
  });
  const segments = contributionChange(
    row(after.metrics, after.routing?.team),
    before ? row(before.metrics, before.team) : undefined,
  );
  if (segments.length === 0) return undefined;
  return { caseId: after.caseId, version, day: after.metrics.receivedAt.slice(0, 10), segments };
};

/** One record of the stream, as the Lambda event and DynamoDB Streams' GetRecords both give it. */
export interface StreamRecord {
  readonly eventID?: string | undefined;
  readonly eventName?: string | undefined;
  readonly dynamodb?: StreamChange | undefined;
}

/**
 * Folds a batch of the stream into the scoreboard's totals. Records of other items and removals add
 * nothing; an unreadable record is skipped with a warning naming its key (it would fail every time, and
 * must not hold up its shard). A failed write throws, and the batch comes again: each change folds once.
 */
export const foldScoreboard = async (records: readonly StreamRecord[]): Promise<{ folded: number }> => {
  const deltas: ScoreDelta[] = [];
  for (const record of records) {
    const change = record.dynamodb;
    if (!change || !isCaseItemChange(change) || record.eventName === 'REMOVE') continue;
    try {
      const delta = scoreDeltaOf(change);
      if (delta) deltas.push(delta);
    } catch (error) {
      const keys = change.Keys as { pk?: { S?: string }; sk?: { S?: string } } | undefined;
      logger.warn('case change not folded into the scoreboard: unreadable stream record', {
        pk: keys?.pk?.S,
        sk: keys?.sk?.S,
        eventID: record.eventID,
        reason: unreadableReason(error),
      });
    }
  }
  return { folded: deltas.length === 0 ? 0 : await foldScoreDeltas(deltas) };
};
