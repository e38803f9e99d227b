import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { loggedInvocation, logger } from '#commons/logging.ts';
import { figuresChange, isCaseItemChange, unreadableReason } from '#domain/case-change.ts';
import { emfRecord, METRIC_DIMENSIONS, SLA_BREACHES } from '#domain/emf.ts';
import { metricPoints, slaBreachPoints } from '#domain/metrics.ts';

/**
 * The EMF lines a case change produces (none when it changes no figure): the scoreboard's points by segment,
 * then its SLA breaches by team. Throws on a malformed image.
 */
const metricsLines = (change: NonNullable<DynamoDBRecord['dynamodb']>): string[] => {
  const read = figuresChange(change);
  if (!read) return [];
  const { after, before } = read;
  const timestamp = Date.parse(after.updatedAt);
  const breaches = slaBreachPoints(before?.metrics, after.metrics).map(({ team, point }) =>
    JSON.stringify(
      emfRecord([point], { [SLA_BREACHES.teamDimension]: team }, timestamp, { caseId: after.caseId }),
    ),
  );
  const points = metricPoints(before?.metrics, after.metrics);
  if (points.length === 0) return breaches;
  const record = emfRecord(
    points,
    {
      [METRIC_DIMENSIONS.family]: after.family,
      [METRIC_DIMENSIONS.sellerTier]: after.sellerTier,
      [METRIC_DIMENSIONS.channel]: after.channel,
      [METRIC_DIMENSIONS.region]: after.region,
    },
    timestamp,
    { caseId: after.caseId },
  );
  return [JSON.stringify(record), ...breaches];
};

/**
 * The case table's stream (NEW_AND_OLD_IMAGES, filtered to case items by the event source mapping): each
 * change to a case's figures becomes one embedded-metric-format line, from which CloudWatch makes the
 * scoreboard's metrics.
 *
 * The line is written to stdout directly, not with console.log: the functions log in Lambda's JSON format,
 * which wraps console output in `{ timestamp, level, message }`, and CloudWatch extracts metrics only from a
 * log event whose root holds `_aws`.
 *
 * No ReportBatchItemFailures: nothing here calls another service, so a record that fails once fails every
 * time. Such a record is skipped with a warning that names its key, so a poison record cannot hold up its
 * shard; a thrown error (only an unexpected crash) retries the batch, bisected, and then lands in the
 * on-failure queue. A retried batch can log a change twice: the stream is at-least-once.
 */
export const handler = loggedInvocation(async (event: DynamoDBStreamEvent): Promise<void> => {
  for (const record of event.Records) {
    const change = record.dynamodb;
    const keys = { pk: change?.Keys?.pk?.S, sk: change?.Keys?.sk?.S };
    // REMOVE changes no figure; other items are filtered out on AWS already (checked again for the tests).
    if (!change || !isCaseItemChange(change) || record.eventName === 'REMOVE') continue;
    try {
      for (const line of metricsLines(change)) process.stdout.write(`${line}\n`);
    } catch (error) {
      logger.warn('case change skipped: unreadable stream record', {
        pk: keys.pk,
        sk: keys.sk,
        eventID: record.eventID,
        reason: unreadableReason(error),
      });
    }
  }
});
