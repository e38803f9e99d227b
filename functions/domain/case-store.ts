import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '#commons/clients/dynamodb.ts';
import { nowIso } from '#commons/clock.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { ConflictError } from '#commons/errors.ts';
import { channelOf } from '#policy/intake-fields.ts';
import type { AuditEvent, CaseRecord, EvidenceRecord, MessageRecord, StoredAuditEvent } from './case.ts';
import { foldCommit, foldMetrics } from './metrics.ts';
import { advanceSla } from './sla.ts';
import type { TimerRecord } from './timers.ts';

const tableName = requireEnv(ENV.tableName);

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });
const pad = (n: number) => String(n).padStart(8, '0');

/** Why a transaction's extra item was refused; `index` counts the caller's extra items from 0. */
export class TransactionRefused extends Error {
  override name = 'TransactionRefused';
  constructor(
    readonly index: number,
    readonly code: string,
  ) {
    super(`transaction refused: extra item ${index} failed with ${code}`);
  }
}

/**
 * Case attributes that index the case: the seller's list, the team's queue, and the ops console's list of
 * every case (newest first). `team` and `channel` are copied to the top level because an index can project
 * only top-level attributes.
 */
const indexAttributes = (record: CaseRecord) => ({
  gsi1pk: `SELLER#${record.sellerId}`,
  gsi1sk: `${record.createdAt}#${record.caseId}`,
  gsi3pk: ALL_CASES,
  gsi3sk: `${record.createdAt}#${record.caseId}`,
  channel: channelOf(record.intake),
  ...(record.routing
    ? {
        gsi2pk: `TEAM#${record.routing.team}`,
        gsi2sk: `${record.status}#${record.updatedAt}`,
        team: record.routing.team,
      }
    : {}),
});

/** The case item as stored: the record, its keys and the attributes its indexes read. */
export const caseItem = (record: CaseRecord) => ({
  ...caseKey(record.caseId),
  kind: 'case',
  ...record,
  ...indexAttributes(record),
});

/** An audit event item as stored (the n-th event appended at `version`). */
export const auditEventItem = (caseId: string, version: number, n: number, at: string, event: AuditEvent) =>
  eventItem(caseId, version, n, at, event).Put.Item;

/** The byCreated index's one partition: every case, newest first (see table-design.ts on its capacity). */
export const ALL_CASES = 'CASES';

const eventItem = (caseId: string, version: number, index: number, at: string, event: AuditEvent) => ({
  Put: {
    TableName: tableName,
    Item: {
      pk: `CASE#${caseId}`,
      sk: `EVENT#${pad(version)}#${pad(index)}`,
      kind: 'event',
      at,
      version,
      ...event,
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** An item in the case's partition (evidence, a message), put with the change that adds it. */
const childPut = (caseId: string, sk: string, kind: string, attributes: object): TransactItem => ({
  Put: { TableName: tableName, Item: { pk: `CASE#${caseId}`, sk, kind, ...attributes } },
});

/** Runs a transaction, turning cancellation reasons into a version conflict or a refused extra item. */
const transact = async (items: TransactItem[], extraOffset: number): Promise<void> => {
  try {
    await dynamoDb.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((r) => r.Code !== undefined && r.Code !== 'None');
      if (failed >= extraOffset)
        throw new TransactionRefused(failed - extraOffset, reasons[failed]?.Code ?? '');
      throw new ConflictError('the case changed while this step was writing; retry with a fresh read', {
        cause: error,
      });
    }
    throw error;
  }
};

/**
 * Creates a case together with its first audit event and the seller's idempotency record, in one
 * transaction. Returns `false` when the idempotency record already exists (nothing is written).
 */
export const insertCase = async (
  record: CaseRecord,
  event: AuditEvent,
  idempotency: { readonly sellerId: string; readonly key: string; readonly bodyHash: string },
): Promise<boolean> => {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName,
        Item: {
          pk: `IDEMPOTENCY#${idempotency.sellerId}#${idempotency.key}`,
          sk: 'IDEMPOTENCY',
          kind: 'idempotency',
          caseId: record.caseId,
          bodyHash: idempotency.bodyHash,
          createdAt: record.createdAt,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: caseItem({ ...record, metrics: foldMetrics(undefined, event, record.createdAt) }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    eventItem(record.caseId, record.version, 0, record.createdAt, event),
  ];
  try {
    await transact(items, items.length);
    return true;
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
};

export const findIdempotencyRecord = async (
  sellerId: string,
  key: string,
): Promise<{ caseId: string; bodyHash: string } | undefined> => {
  const out = await dynamoDb.send(
    new GetCommand({
      TableName: tableName,
      Key: { pk: `IDEMPOTENCY#${sellerId}#${key}`, sk: 'IDEMPOTENCY' },
      ConsistentRead: true,
    }),
  );
  return out.Item ? { caseId: String(out.Item.caseId), bodyHash: String(out.Item.bodyHash) } : undefined;
};

const stripKeys = <T>(item: Record<string, unknown>): T => {
  const {
    pk: _pk,
    sk: _sk,
    kind: _kind,
    gsi1pk: _a,
    gsi1sk: _b,
    gsi2pk: _c,
    gsi2sk: _d,
    gsi3pk: _e,
    gsi3sk: _f,
    team: _team,
    channel: _channel,
    ...rest
  } = item;
  return rest as T;
};

export const getCase = async (caseId: string): Promise<CaseRecord | undefined> => {
  const out = await dynamoDb.send(
    new GetCommand({ TableName: tableName, Key: caseKey(caseId), ConsistentRead: true }),
  );
  return out.Item ? stripKeys<CaseRecord>(out.Item) : undefined;
};

export interface CaseBundle {
  readonly record: CaseRecord;
  readonly events: readonly StoredAuditEvent[];
  readonly evidence: readonly EvidenceRecord[];
  readonly messages: readonly MessageRecord[];
  readonly timers: readonly TimerRecord[];
}

/** The case with its timeline, evidence and messages: one partition, read in one paginated query. */
export const getCaseBundle = async (caseId: string): Promise<CaseBundle | undefined> => {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamoDb.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `CASE#${caseId}` },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  const byKind = (kind: string) => items.filter((i) => i.kind === kind).map((i) => stripKeys<never>(i));
  const [record] = byKind('case') as CaseRecord[];
  if (!record) return undefined;
  return {
    record,
    events: byKind('event') as StoredAuditEvent[],
    evidence: byKind('evidence') as EvidenceRecord[],
    messages: byKind('message') as MessageRecord[],
    timers: byKind('timer') as TimerRecord[],
  };
};

/** How many cases of a family the seller opened since `sinceIso` (their recent history, for triage). */
export const countSellerCases = async (
  sellerId: string,
  family: string,
  sinceIso: string,
): Promise<number> => {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamoDb.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'bySeller',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :since',
        FilterExpression: '#family = :family',
        ExpressionAttributeNames: { '#family': 'family' },
        ExpressionAttributeValues: { ':pk': `SELLER#${sellerId}`, ':since': sinceIso, ':family': family },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return count;
};

export type CasePatch = Partial<Omit<CaseRecord, 'caseId' | 'version' | 'createdAt' | 'sellerId' | 'family'>>;

export interface Change {
  readonly set?: CasePatch;
  readonly remove?: readonly (keyof CaseRecord)[];
  readonly events: readonly AuditEvent[];
  readonly evidence?: readonly EvidenceRecord[];
  readonly messages?: readonly MessageRecord[];
  /** Further items (tokens, inbound records) that must succeed or fail with the change. */
  readonly extra?: readonly TransactItem[];
}

/**
 * Applies a change to a case and appends its audit events in one transaction, guarded by the version the
 * caller read (optimistic concurrency). Throws ConflictError when the case moved on in between.
 */
export const commitChange = async (
  current: CaseRecord,
  change: Change,
  /** `rebase`: how many times to re-apply the change on a fresh read after a version conflict (default 0). */
  options: { readonly rebase?: number } = {},
): Promise<CaseRecord> => {
  const now = nowIso();
  const moved: CaseRecord = { ...current, ...change.set, version: current.version + 1, updatedAt: now };
  for (const key of change.remove ?? []) delete (moved as unknown as Record<string, unknown>)[key];
  // The SLA clocks follow every change (pause while waiting on the seller, stop on resolution, …).
  const sla = advanceSla(current, moved, change.messages ?? [], now);
  const metrics = foldCommit(current.metrics, change.events, now);
  const next: CaseRecord = { ...moved, ...(sla ? { sla } : {}), ...(metrics ? { metrics } : {}) };
  const attributes: Record<string, unknown> = {
    ...change.set,
    ...(sla ? { sla } : {}),
    ...(metrics ? { metrics } : {}),
    version: next.version,
    updatedAt: now,
  };
  // The seller index key never changes after insert; the team queue's key only when the team or status does.
  const index = indexAttributes(next);
  const queueMoved = next.status !== current.status || next.routing?.team !== current.routing?.team;
  if ('gsi2pk' in index && queueMoved)
    Object.assign(attributes, { gsi2pk: index.gsi2pk, gsi2sk: index.gsi2sk, team: index.team });

  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': current.version };
  const sets = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value], i) => {
      names[`#s${i}`] = key;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
  const removes = (change.remove ?? []).map((key, i) => {
    names[`#r${i}`] = key;
    return `#r${i}`;
  });
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName,
        Key: caseKey(current.caseId),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: 'version = :expected',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    ...change.events.map((event, i) => eventItem(current.caseId, next.version, i, now, event)),
    ...(change.evidence ?? []).map((e) =>
      childPut(current.caseId, `EVIDENCE#${e.receivedAt}#${e.evidenceId}`, 'evidence', e),
    ),
    ...(change.messages ?? []).map((m) =>
      childPut(current.caseId, `MESSAGE#${m.sentAt}#${m.messageId}`, 'message', m),
    ),
  ];
  try {
    await transact([...items, ...(change.extra ?? [])], items.length);
  } catch (error) {
    // A step that already sent an email must not fail (and be retried, sending it again) because a timer
    // added an event meanwhile: with `rebase`, the same change is applied again on the case as it is now.
    const attempts = options.rebase ?? 0;
    if (!(attempts > 0 && error instanceof ConflictError)) throw error;
    const fresh = await getCase(current.caseId);
    if (!fresh || fresh.version <= current.version) throw error;
    return commitChange(fresh, change, { rebase: attempts - 1 });
  }
  return next;
};

/** Puts an item only if its key is new; `false` when it already existed (duplicates change nothing). */
export const putIfAbsent = async (item: Record<string, unknown>): Promise<boolean> => {
  try {
    await dynamoDb.send(
      new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
};

export const getItem = async (pk: string, sk: string): Promise<Record<string, unknown> | undefined> => {
  const out = await dynamoDb.send(
    new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }),
  );
  return out.Item;
};

export const TABLE = { name: tableName } as const;
