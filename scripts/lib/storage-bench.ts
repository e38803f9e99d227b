import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE_KEYS } from '../../functions/domain/table-design.ts';

/**
 * What a case leaves behind for a year: its DynamoDB items (and their index copies), its objects in S3, and
 * the log bytes its execution writes. The bench prices these beside the per-request costs.
 */

/** DynamoDB's size of a value, by its documented rules (names and strings in UTF-8 bytes). */
const valueBytes = (value: unknown): number => {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    // About one byte per two significant digits, plus one.
    const digits =
      String(value)
        .replace(/^-|\.|e.*$/gi, '')
        .replace(/^0+|0+$/g, '').length || 1;
    return Math.ceil(digits / 2) + 1;
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + valueBytes(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + valueBytes(v), 0);
  return (
    3 +
    Object.entries(value as Record<string, unknown>).reduce(
      (n, [k, v]) => n + 1 + Buffer.byteLength(k) + valueBytes(v),
      0,
    )
  );
};

/** Bytes DynamoDB stores (and bills) for an item: its attributes, plus 100 bytes of per-item overhead. */
export const itemBytes = (item: Record<string, unknown>, only?: readonly string[]): number =>
  100 +
  Object.entries(item)
    .filter(([name]) => !only || only.includes(name))
    .reduce((n, [name, value]) => n + Buffer.byteLength(name) + valueBytes(value), 0);

/** Bytes an item's copies in the indexes take: each index it is in holds its keys and projected attributes. */
const indexBytes = (item: Record<string, unknown>): number => {
  let bytes = 0;
  for (const index of TABLE_KEYS.indexes) {
    if (item[index.partitionKey] === undefined || item[index.sortKey] === undefined) continue;
    bytes += itemBytes(item, [
      TABLE_KEYS.partitionKey,
      TABLE_KEYS.sortKey,
      index.partitionKey,
      index.sortKey,
      ...index.projection,
    ]);
  }
  return bytes;
};

const YEAR_SECONDS = 365 * 86_400;

/**
 * The table as it stands, in byte-years: every item (and its index copies) weighted by the share of a year
 * it will still be kept. An item without an expiry is kept the whole year; one with `expiresAtEpoch` until
 * then (DynamoDB's TTL deletes it). Items the product keeps for itself (the scoreboard's totals, the local
 * runtime's checkpoints) are left out: they do not grow with cases.
 */
export const tableByteYears = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  nowEpoch: number,
): Promise<{ byteYears: number; items: number }> => {
  let byteYears = 0;
  let items = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    for (const item of page.Items ?? []) {
      const pk = String(item.pk);
      if (pk.startsWith('SCORE#') || pk.startsWith('LOCAL#')) continue;
      const expires = typeof item.expiresAtEpoch === 'number' ? item.expiresAtEpoch : undefined;
      const share = expires === undefined ? 1 : Math.min(1, Math.max(0, expires - nowEpoch) / YEAR_SECONDS);
      byteYears += (itemBytes(item) + indexBytes(item)) * share;
      items += 1;
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return { byteYears, items };
};

/** The local S3's objects written since `sinceMs`, by bucket: sizes, one entry per object (one PUT each). */
export const objectsSince = async (s3Root: string, sinceMs: number): Promise<Map<string, number[]>> => {
  const byBucket = new Map<string, number[]>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        // `.meta` holds each object's sidecar, not an object.
        if (folder === s3Root && entry.name.startsWith('.')) continue;
        await walk(path);
        continue;
      }
      const info = await stat(path);
      if (info.mtimeMs < sinceMs) continue;
      const bucket = relative(s3Root, path).split(sep)[0] ?? '';
      byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), info.size]);
    }
  };
  await walk(s3Root);
  return byBucket;
};

/** Keys of an event's details that carry execution data, which the state machines' logs leave out. */
const EXECUTION_DATA = new Set(['input', 'output', 'parameters', 'result', 'inputDetails', 'outputDetails']);

/**
 * The bytes Step Functions writes to CloudWatch Logs for an execution logged at level ALL without
 * execution data (as infra/aws/constructs/family-state-machine.ts configures it): one JSON record per
 * history event, its details stripped of input and output.
 */
export const executionLogBytes = (executionArn: string, events: readonly HistoryEvent[]): number =>
  events.reduce((bytes, event) => {
    const details = Object.entries(event).find(([key]) => key.endsWith('EventDetails'))?.[1] as
      | Record<string, unknown>
      | undefined;
    const record = {
      id: String(event.id),
      type: event.type,
      details: Object.fromEntries(Object.entries(details ?? {}).filter(([key]) => !EXECUTION_DATA.has(key))),
      previous_event_id: String(event.previousEventId ?? 0),
      event_timestamp: String(event.timestamp instanceof Date ? event.timestamp.getTime() : 0),
      execution_arn: executionArn,
      redrive_count: '0',
    };
    return bytes + Buffer.byteLength(JSON.stringify(record));
  }, 0);
