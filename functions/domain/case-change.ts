import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { REGIONS, SELLER_TIERS } from '#policy/family-policy.ts';
import { DEFAULT_CHANNEL, INTAKE_CHANNELS } from '#policy/intake-fields.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';
import type { CaseMetrics } from './metrics.ts';

/**
 * A committed change to a case item as the table's stream carries it (NEW_AND_OLD_IMAGES): the case's
 * segments and figures after it, and its figures before. The stream functions (its CloudWatch metrics,
 * the scoreboard's totals) read changes through here, so both count the same changes.
 */
const instant = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();
// Teams and agents are checked for shape, not against today's policy and rosters: a team a policy change
// retired still owns its old cases, and a record refused here would leave every segment of the change out.
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const csat = z.object({
  responses: count,
  handled: count,
  ratings: z.array(z.number().int().min(1).max(5)),
});
const templateRef = z.string().regex(/^[A-Za-z0-9_.-]{1,120}@\d{1,6}$/);
const holding = z.object({
  holder: z.object({ agentId: id, since: instant }).exactOptional(),
  decidedHolder: id.exactOptional(),
  work: z.array(
    z.object({
      agentId: id,
      handleSeconds: z.array(z.number().int()),
      takenAway: count,
      csat: csat.exactOptional(),
    }),
  ),
});
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
  slaBreaches: z.record(id, count).exactOptional(),
  holding: holding.exactOptional(),
  templates: z
    .object({ last: templateRef.exactOptional(), resolved: templateRef.exactOptional() })
    .exactOptional(),
  csat: csat.exactOptional(),
}) satisfies z.ZodType<CaseMetrics>;
const routing = z.object({ team: id }).exactOptional();

// Dimension values are checked against the known segments: a stray value would start a new segment (on
// AWS a new metric series, paid for and on no dashboard line).
const caseAfter = z.object({
  caseId: z.string().min(1),
  version: z.number().int().nonnegative().exactOptional(),
  family: z.enum(FAMILY_IDS),
  sellerTier: z.enum(SELLER_TIERS),
  channel: z.enum(INTAKE_CHANNELS).default(DEFAULT_CHANNEL),
  region: z.enum(REGIONS),
  updatedAt: instant,
  routing,
  metrics: figures.exactOptional(),
});
const caseBefore = z.object({ routing, metrics: figures.exactOptional() });

export type CaseAfter = z.infer<typeof caseAfter> & { readonly metrics: CaseMetrics };

/** The case before the change, as far as it moves the scoreboard: its figures and the team that had it. */
export interface CaseBefore {
  readonly metrics: CaseMetrics;
  readonly team: string | undefined;
}

/** The stream record's change, in the shape both the Lambda event and DynamoDB Streams' API give it. */
export interface StreamChange {
  readonly Keys?: Record<string, unknown> | undefined;
  readonly NewImage?: Record<string, unknown> | undefined;
  readonly OldImage?: Record<string, unknown> | undefined;
}

/** Whether the record's keys are a case item's (other items' changes count for nothing). */
export const isCaseItemChange = (change: StreamChange | undefined): boolean => {
  const keys = change?.Keys as { pk?: { S?: unknown }; sk?: { S?: unknown } } | undefined;
  return typeof keys?.pk?.S === 'string' && keys.pk.S.startsWith('CASE#') && keys.sk?.S === 'CASE';
};

/**
 * The case's segments and figures after the change and its figures and team before (`undefined` for a new case);
 * `undefined` when the change counts for nothing: a case without figures, or one that existed before
 * figures were kept (it gets them at its next commit, counted from then: not a case opened now, and its
 * times would be wrong). Throws on a malformed image.
 */
export const figuresChange = (
  change: StreamChange,
): { readonly after: CaseAfter; readonly before: CaseBefore | undefined } | undefined => {
  // The stream's AttributeValue type (aws-lambda) and the SDK's describe the same wire shape.
  const image = (raw: Record<string, unknown> | undefined) =>
    unmarshall((raw ?? {}) as Record<string, AttributeValue>);
  const after = caseAfter.parse(image(change.NewImage));
  if (!after.metrics) return undefined;
  const old = change.OldImage ? caseBefore.parse(image(change.OldImage)) : undefined;
  if (old && !old.metrics) return undefined;
  return {
    after: after as CaseAfter,
    before: old?.metrics ? { metrics: old.metrics, team: old.routing?.team } : undefined,
  };
};

/** Why a record was skipped, without any of its values (images carry seller data, e.g. the email). */
export const unreadableReason = (error: unknown): string[] =>
  error instanceof z.ZodError
    ? error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.code}`)
    : [error instanceof Error ? error.name : 'unknown error'];
