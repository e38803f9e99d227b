import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { z } from 'zod';
import { emfRecord, METRIC_DIMENSIONS } from '#domain/emf.ts';
import { type CaseMetrics, metricPoints } from '#domain/metrics.ts';
import { REGIONS, SELLER_TIERS } from '#policy/family-policy.ts';
import { DEFAULT_CHANNEL, INTAKE_CHANNELS } from '#policy/intake-fields.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';

const instant = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();
const figures = z.object({
  receivedAt: instant,
  firstResponseAt: instant.exactOptional(),
  resolvedAt: instant.exactOptional(),
  resolutions: count,
  reopens: count,
  appeals: count,
  transfers: count,
  escalations: count,
  manualTouches: count,
}) satisfies z.ZodType<CaseMetrics>;

// Dimension values are checked against the known segments: a stray value would start a new metric series
// (paid for, and on no dashboard line).
const caseAfter = z.object({
  caseId: z.string().min(1),
  family: z.enum(FAMILY_IDS),
  sellerTier: z.enum(SELLER_TIERS),
  channel: z.enum(INTAKE_CHANNELS).default(DEFAULT_CHANNEL),
  region: z.enum(REGIONS),
  updatedAt: instant,
  metrics: figures.exactOptional(),
});
const caseBefore = z.object({ metrics: figures.exactOptional() });

const isCaseItem = (keys: { pk?: unknown; sk?: unknown }) =>
  typeof keys.pk === 'string' && keys.pk.startsWith('CASE#') && keys.sk === 'CASE';

/** The EMF line a case change produces, or undefined when it changes no figure. Throws on a malformed image. */
const metricsLine = (change: NonNullable<DynamoDBRecord['dynamodb']>): string | undefined => {
  // The stream's AttributeValue type (aws-lambda) and the SDK's describe the same wire shape.
  const image = (raw: typeof change.NewImage) => unmarshall((raw ?? {}) as Record<string, AttributeValue>);
  const after = caseAfter.parse(image(change.NewImage));
  if (!after.metrics) return undefined; // a case written before figures were kept
  const before = change.OldImage ? caseBefore.parse(image(change.OldImage)).metrics : undefined;
  // A case that existed before figures were kept gets them at its next commit, counted from then: that is
  // not a case opened now, and its times would be wrong, so it stays off the scoreboard.
  if (change.OldImage && !before) return undefined;
  const points = metricPoints(before, after.metrics);
  if (points.length === 0) return undefined;
  const record = emfRecord(
    points,
    {
      [METRIC_DIMENSIONS.family]: after.family,
      [METRIC_DIMENSIONS.sellerTier]: after.sellerTier,
      [METRIC_DIMENSIONS.channel]: after.channel,
      [METRIC_DIMENSIONS.region]: after.region,
    },
    Date.parse(after.updatedAt),
    { caseId: after.caseId },
  );
  return JSON.stringify(record);
};

/** Why a record was skipped, without any of its values (images carry seller data, e.g. the email). */
const reasonOf = (error: unknown) =>
  error instanceof z.ZodError
    ? error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.code}`)
    : [error instanceof Error ? error.name : 'unknown error'];

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
export const handler = async (event: DynamoDBStreamEvent): Promise<void> => {
  for (const record of event.Records) {
    const change = record.dynamodb;
    const keys = { pk: change?.Keys?.pk?.S, sk: change?.Keys?.sk?.S };
    // REMOVE changes no figure; other items are filtered out on AWS already (checked again for the tests).
    if (!change || !isCaseItem(keys) || record.eventName === 'REMOVE') continue;
    try {
      const line = metricsLine(change);
      if (line) process.stdout.write(`${line}\n`);
    } catch (error) {
      console.warn(
        JSON.stringify({
          level: 'WARN',
          message: 'case change skipped: unreadable stream record',
          pk: keys.pk,
          sk: keys.sk,
          eventID: record.eventID,
          reason: reasonOf(error),
        }),
      );
    }
  }
};
