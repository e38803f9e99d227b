import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { dynamoDb } from '#commons/clients/dynamodb.ts';
import { REGIONS, SELLER_TIERS } from '#policy/family-policy.ts';
import { DEFAULT_CHANNEL, INTAKE_CHANNELS } from '#policy/intake-fields.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';
import { CASE_STATUSES, type CaseRecord } from './case.ts';
import { ALL_CASES, getItem, TABLE } from './case-store.ts';
import type { CaseMetrics, MetricsRow } from './metrics.ts';
import { clockView, type SlaState, WARN_AT } from './sla.ts';
import { allTeams } from './sla-board.ts';

export const SLA_RISKS = ['breached', 'at_risk', 'on_track', 'stopped'] as const;
export type SlaRisk = (typeof SLA_RISKS)[number];

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `one of ${values.join(', ')}` }).optional();

/** The console's list query: filters, a case-id search, a page size and the cursor of the next page. */
export const caseListQuery = z
  .object({
    family: oneOf(FAMILY_IDS),
    status: oneOf(CASE_STATUSES),
    team: z.string().trim().min(1).max(64).optional(),
    tier: oneOf(SELLER_TIERS),
    region: oneOf(REGIONS),
    channel: oneOf(INTAKE_CHANNELS),
    sla: oneOf(SLA_RISKS),
    q: z.string().trim().max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(1024).optional(),
  })
  .strict();
export type CaseListQuery = z.infer<typeof caseListQuery>;

/** A case as the list shows it, with its resolution clock's risk computed at `at`. */
export interface CaseListRow {
  readonly caseId: string;
  readonly family: string;
  readonly status: string;
  readonly sellerId: string;
  readonly sellerTier: string;
  readonly region: string;
  readonly channel: string;
  readonly team: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly escalationLevel: number;
  readonly sla: { readonly risk: SlaRisk; readonly dueAt: string | null; readonly leftHours: number | null };
}

/** The index item the list reads (byCreated's projection): the case's own attributes and the copies
 * `caseItem` puts at the top level for the index. */
type ListItem = Pick<
  CaseRecord,
  'caseId' | 'family' | 'status' | 'sellerId' | 'sellerTier' | 'region' | 'createdAt' | 'updatedAt'
> &
  Partial<Pick<CaseRecord, 'escalationLevel' | 'sla' | 'metrics'>> & {
    readonly channel?: string;
    readonly team?: string;
  };

export const slaRisk = (sla: SlaState | undefined, at: number): CaseListRow['sla'] => {
  if (!sla?.resolution) return { risk: 'on_track', dueAt: null, leftHours: null };
  const view = clockView(sla.resolution, at);
  const risk: SlaRisk =
    view.state === 'stopped'
      ? 'stopped'
      : view.breached
        ? 'breached'
        : view.shareUsed >= WARN_AT
          ? 'at_risk'
          : 'on_track';
  return { risk, dueAt: view.dueAt, leftHours: view.leftHours };
};

const toRow = (item: ListItem, at: number): CaseListRow => ({
  caseId: item.caseId,
  family: item.family,
  status: item.status,
  sellerId: item.sellerId,
  sellerTier: item.sellerTier,
  region: item.region,
  channel: item.channel ?? DEFAULT_CHANNEL,
  team: item.team ?? null,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  escalationLevel: item.escalationLevel ?? 0,
  sla: slaRisk(item.sla, at),
});

// The cursor is the index key of the last row returned: opaque to the console, checked on the way back in.
const cursorKey = z.object({
  pk: z.string().startsWith('CASE#'),
  sk: z.literal('CASE'),
  gsi3pk: z.literal(ALL_CASES),
  gsi3sk: z.string(),
});
const encodeCursor = (key: z.infer<typeof cursorKey>) =>
  Buffer.from(JSON.stringify(key)).toString('base64url');
export const decodeCursor = (cursor: string): z.infer<typeof cursorKey> | undefined => {
  try {
    const parsed = cursorKey.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

const equalityFilters = (query: CaseListQuery) => {
  const fields = [
    ['family', query.family],
    ['status', query.status],
    ['team', query.team],
    ['sellerTier', query.tier],
    ['region', query.region],
    ['channel', query.channel],
  ] as const;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const terms: string[] = [];
  for (const [field, value] of fields) {
    if (value === undefined) continue;
    names[`#${field}`] = field;
    values[`:${field}`] = value;
    // Cases filed before channels existed carry none: they came through the portal.
    terms.push(
      field === 'channel' && value === DEFAULT_CHANNEL
        ? '(attribute_not_exists(#channel) OR #channel = :channel)'
        : `#${field} = :${field}`,
    );
  }
  return terms.length ? { FilterExpression: terms.join(' AND '), names, values } : undefined;
};

/**
 * One page of the ops console's case list, newest first. Equality filters run in DynamoDB (they save the
 * transfer, not the read); the SLA risk depends on the time of asking, so it is applied here with the same
 * clock arithmetic as the SLA board. Reads pages of the index until the page is full or the index ends.
 */
export const listCases = async (
  query: CaseListQuery,
  at: number,
): Promise<{ cases: CaseListRow[]; nextCursor: string | null }> => {
  if (query.q) {
    // The stored item, not the record: it carries the index's copies (team, channel) the row shows.
    const item = await getItem(`CASE#${query.q}`, 'CASE');
    return { cases: item ? [toRow(item as ListItem, at)] : [], nextCursor: null };
  }
  const filter = equalityFilters(query);
  const rows: { row: CaseListRow; key: z.infer<typeof cursorKey> }[] = [];
  let startKey: Record<string, unknown> | undefined = query.cursor ? decodeCursor(query.cursor) : undefined;
  let more = true;
  while (rows.length < query.limit && more) {
    const out = await dynamoDb.send(
      new QueryCommand({
        TableName: TABLE.name,
        IndexName: 'byCreated',
        KeyConditionExpression: '#pk = :pk',
        ScanIndexForward: false,
        ExclusiveStartKey: startKey,
        Limit: Math.max(100, query.limit * 2),
        ...(filter ? { FilterExpression: filter.FilterExpression } : {}),
        ExpressionAttributeNames: { '#pk': 'gsi3pk', ...filter?.names },
        ExpressionAttributeValues: { ':pk': ALL_CASES, ...filter?.values },
      }),
    );
    const items = out.Items ?? [];
    startKey = out.LastEvaluatedKey;
    more = startKey !== undefined;
    for (const [i, item] of items.entries()) {
      const row = toRow(item as ListItem, at);
      if (query.sla && row.sla.risk !== query.sla) continue;
      rows.push({
        row,
        key: { pk: String(item.pk), sk: 'CASE', gsi3pk: ALL_CASES, gsi3sk: String(item.gsi3sk) },
      });
      if (rows.length === query.limit) {
        // Items left on this page (or pages left in the index) may match: there is a next page.
        more = more || i < items.length - 1;
        break;
      }
    }
  }
  const last = rows.at(-1);
  return {
    cases: rows.map((r) => r.row),
    nextCursor: more && last ? encodeCursor(last.key) : null,
  };
};

/** The values the console offers in its filters. */
export const listFilters = () => ({
  family: FAMILY_IDS,
  status: CASE_STATUSES,
  team: allTeams(),
  tier: SELLER_TIERS,
  region: REGIONS,
  channel: INTAKE_CHANNELS,
  sla: SLA_RISKS,
});

/** How many segments read the index at once for the scoreboard (DynamoDB's parallel scan). */
const SCOREBOARD_SEGMENTS = 8;

/**
 * Every case's scoreboard row (segments and figures), from the byCreated index: one item per case, never
 * the events themselves. The index holds only case items, so it is read whole by a parallel scan (eight
 * segments at once), which on DynamoDB Local took a third of the time one paginated query did over 10,000
 * cases. `since` keeps only cases opened from that instant.
 */
export const metricsRows = async (since?: string): Promise<MetricsRow[]> => {
  const segments = await Promise.all(
    Array.from({ length: SCOREBOARD_SEGMENTS }, async (_, segment) => {
      const rows: MetricsRow[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await dynamoDb.send(
          new ScanCommand({
            TableName: TABLE.name,
            IndexName: 'byCreated',
            Segment: segment,
            TotalSegments: SCOREBOARD_SEGMENTS,
            ProjectionExpression: '#family, #tier, #channel, #region, #metrics',
            ...(since ? { FilterExpression: '#sk >= :since' } : {}),
            ExpressionAttributeNames: {
              '#family': 'family',
              '#tier': 'sellerTier',
              '#channel': 'channel',
              '#region': 'region',
              '#metrics': 'metrics',
              ...(since ? { '#sk': 'gsi3sk' } : {}),
            },
            ...(since ? { ExpressionAttributeValues: { ':since': since } } : {}),
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of out.Items ?? []) {
          if (!item.metrics) continue;
          rows.push({
            family: String(item.family),
            sellerTier: String(item.sellerTier),
            channel: String(item.channel ?? DEFAULT_CHANNEL),
            region: String(item.region),
            metrics: item.metrics as CaseMetrics,
          });
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return rows;
    }),
  );
  return segments.flat();
};
