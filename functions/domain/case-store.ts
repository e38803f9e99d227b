import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { dynamoDb } from '#commons/clients/dynamodb.ts';
import { nowIso } from '#commons/clock.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { ConflictError, TransientError } from '#commons/errors.ts';
import { channelOf, DEFAULT_CHANNEL } from '#policy/intake-fields.ts';
import { type AlarmChange, alarmAfter, holdsFollowUpAlarm } from './alarm.ts';
import { type Agent, type AgentSpec, type CaseNeeds, needsOf } from './assignment-policy.ts';
import type {
  AuditEvent,
  CaseAlarm,
  CaseRecord,
  EvidenceRecord,
  MessageRecord,
  StoredAuditEvent,
} from './case.ts';
import { DOMAIN_EVENT_SOURCE, domainEventsOf } from './domain-events.ts';
import type { FaqCase, FaqGroup, FaqMark } from './faq/faq-model.ts';
import { applyMove, isOpen, type StatusMove } from './lifecycle.ts';
import { addCounters, type Counters, foldCommit, foldMetrics } from './metrics.ts';
import {
  eventRecords,
  isDeferred,
  mergeSchedules,
  type OutboxMessage,
  type OutboxRecord,
  outboxShardOf,
} from './outbox.ts';
import type { ReplayEvent } from './replay.ts';
import type { ReplyTokenRecord } from './reply-token.ts';
import type { Review, ReviewEntry } from './review-scores.ts';
import { advanceSla, type SlaClock, WARN_AT, whenReached } from './sla.ts';
import {
  CASE_LIST_SHARDS,
  FAMILY_LIST_SHARDS,
  LIST_PROJECTION,
  RETENTION_DAYS,
  type TABLE_KEYS,
  TEAM_QUEUE_SHARDS,
  WEEKLY_EXAMPLES,
  WEEKLY_WRITERS,
  weeklyFoldMarkerKey,
  weeklyRowKey,
} from './table-design.ts';
import type { TimerRecord } from './timers.ts';
import { foldReviewCommit, startReview } from './weekly-review.ts';

const tableName = requireEnv(ENV.tableName);
const eventBusName = requireEnv(ENV.eventBusName);

/**
 * The outbox records that publish a commit's domain events (domain-events.ts): written in the commit's
 * transaction, so an event leaves exactly when its change commits (DESIGN.md decision 8). `record` is the
 * case as the commit leaves it; `at` the commit's time.
 */
const domainEventRecords = (record: CaseRecord, events: readonly AuditEvent[], at: string): OutboxMessage[] =>
  eventRecords(
    record.caseId,
    { eventBusName, source: DOMAIN_EVENT_SOURCE },
    domainEventsOf(record, events, at),
  );

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The case an intake opens: its id is the seller's Idempotency-Key, hashed with the seller (length-prefixed:
 * both may hold `#`, and seller `v#pre` with key `k` must never open the case of seller `v` and key `pre#k`).
 * So the key needs no record of its own: the case's own `attribute_not_exists` refuses a second one.
 */
export const intakeCaseId = (sellerId: string, key: string): string =>
  `case_${sha256(`${sellerId.length}:${sellerId}#${key}`).slice(0, 32)}`;

const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });
const messageKey = (caseId: string, sentAt: string, messageId: string) => ({
  pk: `CASE#${caseId}`,
  sk: `MESSAGE#${sentAt}#${messageId}`,
});
const tokenKey = (tokenId: string) => ({ pk: `TOKEN#${tokenId}`, sk: 'TOKEN' });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const waitKey = (taskToken: string) => ({ pk: `WAIT#${sha256(taskToken)}`, sk: 'WAIT' });
const OUTBOX_PREFIX = 'OUTBOX#';
const outboxKey = (outboxId: string) => ({ pk: `${OUTBOX_PREFIX}${outboxId}`, sk: 'OUTBOX' });
const outboxPending = (shard: number) => `OUTBOX_PENDING#${shard}`;
const reviewOf = (review: CaseRecord['review']) => (review ? { review } : {});
const pad = (n: number) => String(n).padStart(8, '0');
const DAY_S = 86_400;
const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
/** The TTL of a record that should go `days` after `iso` (RETENTION_DAYS). */
const expiresAfter = (iso: string, days: number) => epochSeconds(iso) + days * DAY_S;
const timerKey = (caseId: string, timerId: string) => ({ pk: `CASE#${caseId}`, sk: `TIMER#${timerId}` });
const inboundKey = (headerMessageId: string) => ({ pk: `INBOUND#${sha256(headerMessageId)}`, sk: 'INBOUND' });
const sellerCases = (sellerId: string) => `SELLER#${sellerId}`;
/** A team's queue, spread over TEAM_QUEUE_SHARDS keys by a hash of the case id (see table-design.ts). */
const teamQueueKey = (team: string, shard: number) => `TEAM#${team}#${shard}`;
/** A team's cases in one status, over TEAM_QUEUE_SHARDS keys (`#` cannot appear in a status). */
const teamStatusKey = (team: string, status: string, shard: number) => `TEAM#${team}#${status}#${shard}`;
/** A team's unassigned cases waiting for its decision (teamBacklog, see table-design.ts). */
const backlogKey = (team: string) => `BACKLOG#${team}`;
/** A team's agents: one partition per team. */
const rosterKey = (team: string) => `AGENTS#${team}`;
const agentKey = (team: string, agentId: string) => ({ pk: rosterKey(team), sk: `AGENT#${agentId}` });
/** Which team an agent is on. */
const agentTeamKey = (agentId: string) => ({ pk: `AGENT#${agentId}`, sk: 'AGENT' });
/** A family's cases, over FAMILY_LIST_SHARDS keys. */
const familyListKey = (family: string, shard: number) => `FAMILY#${family}#${shard}`;
const hashShard = (caseId: string, shards: number) =>
  createHash('sha256').update(caseId).digest().readUInt32BE(0) % shards;
/** An index by the name table-design.ts gives it: a name it does not declare does not compile. */
const index = (name: (typeof TABLE_KEYS.indexes)[number]['name']) => name;

/** The item that maps an email's Message-ID back to its case (threading of replies, bounce events). */
export const mailRefKey = (headerMessageId: string) => ({
  pk: `MAILREF#${sha256(headerMessageId.trim().toLowerCase())}`,
  sk: 'MAILREF',
});

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

/** The caseList shard of a case: a stable hash of its id (see table-design.ts). */
const listShardOf = (caseId: string) => hashShard(caseId, CASE_LIST_SHARDS);
const caseListKey = (shard: number) => `CASES#${shard}`;

/** Sorts after every instant: an open case whose clock will not reach its warning share as it stands. */
const NEVER = '~';

/**
 * Where an open case sits in its team's queue: by when its resolution clock reaches the warning share, so
 * the SLA board reads the at-risk and breached cases (`O#` up to now) by key. A clock paused past its
 * warning (the case waits on the seller) sits apart, under `P#` by when it paused: a running clock is at
 * risk only for the last quarter of its target after its warning, so the list's "at risk" view reads a
 * bounded slice of `O#`, and the paused ones, which stay at risk as long as they wait, whole. A closed case
 * moves to `C#`, out of both.
 */
const queueSortKey = (record: CaseRecord) => {
  if (!isOpen(record.status)) return `C#${record.statusSince ?? record.updatedAt}#${record.caseId}`;
  const clock = record.sla?.resolution;
  const reached = whenReached(clock, WARN_AT);
  return reached && clock?.pausedSince
    ? `P#${reached}#${record.caseId}`
    : `O#${reached ?? NEVER}#${record.caseId}`;
};

/**
 * Case attributes that index the case: the seller's list, the team's queue, and the ops console's list of
 * every case (newest first). `team`, `channel` and `resolutionClock` are copied to the top level because
 * an index can project only top-level attributes. See table-design.ts for what each index costs.
 */
const indexAttributes = (record: CaseRecord): Record<string, unknown> => ({
  gsi1pk: sellerCases(record.sellerId),
  gsi1sk: `${record.createdAt}#${record.caseId}`,
  listPk: caseListKey(listShardOf(record.caseId)),
  listSk: `${record.createdAt}#${record.caseId}`,
  familyPk: familyListKey(record.family, hashShard(record.caseId, FAMILY_LIST_SHARDS)),
  channel: channelOf(record.intake),
  ...(record.sla?.resolution ? { resolutionClock: record.sla.resolution } : {}),
  ...(record.routing
    ? {
        queuePk: teamQueueKey(record.routing.team, hashShard(record.caseId, TEAM_QUEUE_SHARDS)),
        queueSk: queueSortKey(record),
        teamStatusPk: teamStatusKey(
          record.routing.team,
          record.status,
          hashShard(record.caseId, TEAM_QUEUE_SHARDS),
        ),
        team: record.routing.team,
      }
    : {}),
  ...backlogAttributes(record),
});

/**
 * A case waiting for its team's decision with no agent is in the team's backlog (the sparse teamBacklog
 * index), by priority level, then when its resolution falls due, with what matching it to an agent needs.
 */
const backlogAttributes = (record: CaseRecord): Record<string, unknown> => {
  const waiting = record.waiting;
  if (record.status !== 'handed_off' || waiting?.step !== 'decision' || record.assignee) return {};
  const team = waiting.team ?? record.routing?.team;
  if (!team) return {};
  return {
    backlogPk: backlogKey(team),
    backlogSk: `${record.priority?.level ?? 9}#${record.priority?.dueAt ?? NEVER}#${record.caseId}`,
    backlogNeeds: needsOf(record),
  };
};

/** Index attributes the case had and no longer has (it left a sparse index): removed by the commit. */
const droppedIndexAttributes = (current: CaseRecord, next: CaseRecord) => {
  const after = indexAttributes(next);
  return Object.keys(indexAttributes(current)).filter((key) => !(key in after));
};

/** Index attributes whose value a change alters: only those are written, so an index changes only then. */
const changedIndexAttributes = (current: CaseRecord, next: CaseRecord) => {
  const before = indexAttributes(current);
  return Object.fromEntries(
    Object.entries(indexAttributes(next)).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(before[key]),
    ),
  );
};

/** The case item as stored: the record, its keys and the attributes its indexes read. */
export const caseItem = (record: CaseRecord) => ({
  ...caseKey(record.caseId),
  kind: 'case',
  ...record,
  ...indexAttributes(record),
  indexLayout: INDEX_LAYOUT,
});

/**
 * The layout of the index keys `caseItem` writes; a case item of an earlier layout (a local store kept
 * from before) is rewritten with the current keys (infra/local/upgrade-local-cases.ts).
 */
export const INDEX_LAYOUT = 5;

/** An audit event item as stored (the n-th event appended at `version`). */
export const auditEventItem = (caseId: string, version: number, n: number, at: string, event: AuditEvent) =>
  eventItem(caseId, version, n, at, event).Put.Item;

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

/** Every page a query reads, in order (each page's `LastEvaluatedKey` starts the next). */
async function* queryPages(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>) {
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await dynamoDb.send(
      new QueryCommand({ TableName: tableName, ...input, ExclusiveStartKey: startKey }),
    );
    yield out;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}

/** Cancellation reasons that say "not now" rather than "not so". */
const THROTTLE_CODES = new Set([
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
  'TransactionConflict',
]);

/** Runs a transaction, turning cancellation reasons into a version conflict or a refused extra item. */
const transact = async (items: TransactItem[], extraOffset: number): Promise<void> => {
  try {
    await dynamoDb.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      // A throttle (or a concurrent transaction on an item) is not a version conflict: nothing was
      // compared, so re-reading changes nothing; the step must just try again later.
      const throttled = reasons.find((r) => r.Code !== undefined && THROTTLE_CODES.has(r.Code));
      if (throttled) {
        throw new TransientError(`the table refused the transaction for now (${throttled.Code})`, {
          cause: error,
        });
      }
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
 * Creates a case together with its first audit event, in one transaction of two items (one partition).
 * `false` when the case exists already — its id is derived from the seller's Idempotency-Key
 * (`intakeCaseId`), so that is the key used before — and nothing is written. `intakeHash` (of the validated
 * body) stays on the case, for a later request with the key to be told apart from a replay.
 *
 * Its domain event, `Case Opened`, is not in this transaction: the case's first commit after it publishes
 * it, ahead of its own events (`openedEventRecords`). This is the write the seller's request waits on, and a
 * DynamoDB transaction costs by its items (two write units each on AWS; on DynamoDB Local, time: each item
 * re-reads the table's description, docs/scale.md). It wrote five items once: an idempotency record, the
 * case, the event, an outbox record and the update marking it sent.
 */
export const insertCase = async (
  record: CaseRecord & { readonly intakeHash: string },
  event: AuditEvent,
): Promise<boolean> => {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName,
        Item: caseItem({
          ...record,
          statusSince: record.createdAt,
          metrics: foldMetrics(undefined, event, record.createdAt),
          ...reviewOf(startReview(event, record.createdAt, record.version)),
        }),
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

/**
 * The case a seller's Idempotency-Key opened, with the hash of the body it was opened with: the item at the
 * derived id (`intakeCaseId`) is that case, or, for a key used before the id was derived from it, an alias
 * naming the case it opened (infra/local/upgrade-local-cases.ts writes them from the old records).
 */
export const findIntake = async (
  sellerId: string,
  key: string,
): Promise<{ caseId: string; intakeHash: string | undefined } | undefined> => {
  const { Item: item } = await dynamoDb.send(
    new GetCommand({ TableName: tableName, Key: caseKey(intakeCaseId(sellerId, key)), ConsistentRead: true }),
  );
  if (item?.kind !== 'case' && item?.kind !== INTAKE_ALIAS) return undefined;
  return {
    caseId: String(item.caseId),
    intakeHash: typeof item.intakeHash === 'string' ? item.intakeHash : undefined,
  };
};

/**
 * The kind of the item that stands at a derived case id (`intakeCaseId`) for a key a version before it
 * recorded on its own (`IDEMPOTENCY#…` items, kept 7 days): it names the case the key opened, and expires
 * with the old record. Nothing reads it as a case (`getCase` passes it over).
 */
export const INTAKE_ALIAS = 'intake-alias';

/** The version intake gives a new case: the commit that moves it on from there publishes `Case Opened`. */
export const OPENED_VERSION = 1;

/**
 * `Case Opened`, for a commit on a case as intake left it: the case's first commit after intake carries it
 * in its outbox, ahead of that commit's own events, with the facts and version of the case as opened.
 * Exactly once: one commit moves a case from version 1 (a commit that loses the race is rebased on the
 * case after the winner, and publishes nothing of it).
 */
const openedEventRecords = (current: CaseRecord): OutboxMessage[] =>
  current.version === OPENED_VERSION
    ? domainEventRecords(
        current,
        [{ type: 'case.received', actor: { kind: 'seller', id: current.sellerId }, detail: 'opened' }],
        current.createdAt,
      )
    : [];

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
    listPk: _g,
    listSk: _h,
    queuePk: _i,
    queueSk: _j,
    familyPk: _k,
    teamStatusPk: _l,
    backlogPk: _m,
    backlogSk: _n,
    backlogNeeds: _o,
    resolutionClock: _clock,
    indexLayout: _layout,
    team: _team,
    channel: _channel,
    expiresAtEpoch: _ttl,
    ...rest
  } = item;
  return rest as T;
};

export const getCase = async (caseId: string): Promise<CaseRecord | undefined> => {
  const out = await dynamoDb.send(
    new GetCommand({ TableName: tableName, Key: caseKey(caseId), ConsistentRead: true }),
  );
  // An alias at a derived id (`INTAKE_ALIAS`) names a case; it is not one.
  return out.Item && out.Item.kind !== INTAKE_ALIAS ? stripKeys<CaseRecord>(out.Item) : undefined;
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
  for await (const page of queryPages({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}` },
    ConsistentRead: true,
  }))
    items.push(...(page.Items ?? []));
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

/**
 * How many cases of a family the seller opened since each of `sinces` (their recent history, for triage):
 * one read of the seller's index from the earliest, counted per bound.
 */
export const countSellerCases = async (
  sellerId: string,
  family: string,
  sinces: readonly string[],
): Promise<number[]> => {
  const counts = sinces.map(() => 0);
  const earliest = [...sinces].sort()[0];
  if (earliest === undefined) return counts;
  for await (const page of queryPages({
    IndexName: index('bySeller'),
    KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk >= :since',
    FilterExpression: '#family = :family',
    ProjectionExpression: 'gsi1sk',
    ExpressionAttributeNames: { '#family': 'family' },
    ExpressionAttributeValues: { ':pk': sellerCases(sellerId), ':since': earliest, ':family': family },
  })) {
    for (const item of page.Items ?? []) {
      const created = String(item.gsi1sk);
      sinces.forEach((since, i) => {
        if (created >= since) counts[i] = (counts[i] ?? 0) + 1;
      });
    }
  }
  return counts;
};

/**
 * What a change may set on the case; never its status, which only a lifecycle move changes, nor its alarm,
 * which the store works out (alarm.ts).
 */
export type CasePatch = Partial<
  Omit<CaseRecord, 'caseId' | 'version' | 'createdAt' | 'sellerId' | 'family' | 'status' | 'alarm'>
>;

export interface Change {
  /** Where the case's status goes (lifecycle.ts), checked against its status when the change commits. */
  readonly move?: StatusMove;
  readonly set?: CasePatch;
  readonly remove?: readonly (keyof CaseRecord)[];
  readonly events: readonly AuditEvent[];
  readonly evidence?: readonly EvidenceRecord[];
  readonly messages?: readonly MessageRecord[];
  /** Messages the change implies (emails, SNS publications): outbox records, sent after the commit. */
  readonly outbox?: readonly OutboxMessage[];
  /** Further items (tokens, inbound records) that must succeed or fail with the change. */
  readonly extra?: readonly TransactItem[];
  /**
   * Further items that depend on the case as it is when the change commits (the release of its agent):
   * worked out again if the change is re-applied on a fresh read (`rebase`). After `extra`.
   */
  readonly extraOf?: (current: CaseRecord) => readonly TransactItem[];
  /** Timers the change arms, or an alarm that rang: the case's alarm follows (alarm.ts). */
  readonly alarm?: AlarmChange | undefined;
}

/**
 * Applies a change to a case and appends its audit events in one transaction, guarded by the version the
 * caller read (optimistic concurrency). Throws ConflictError when the case moved on in between.
 */
export const commitChange = async (
  current: CaseRecord,
  change: Change,
  options: CommitOptions = {},
): Promise<CaseRecord> => (await commitChangeWithOutbox(current, change, options)).record;

interface CommitOptions {
  /** How many times to re-apply the change on a fresh read after a version conflict (default 0). */
  readonly rebase?: number;
  /** Write the change's outbox records already claimed by the caller, who sends them next. */
  readonly lease?: OutboxLease;
}

/**
 * {@link commitChange}, answering also the outbox records the commit wrote: the change's, and those of its
 * alarm (alarm.ts), for a caller holding the lease to send.
 */
export const commitChangeWithOutbox = async (
  current: CaseRecord,
  change: Change,
  options: CommitOptions = {},
): Promise<{ readonly record: CaseRecord; readonly outbox: readonly OutboxMessage[] }> => {
  const now = nowIso();
  const status = applyMove(current, change.move);
  // A change that only moves the alarm is bookkeeping: the case's last activity stays where it was.
  const touched = change.events.length > 0 || !!change.move || !!change.set || !!change.remove?.length;
  // An open case holds one alarm; a closed one none, but for a follow-up alarm from before (alarm.ts).
  const followUp = change.remove?.includes('followUp')
    ? undefined
    : (change.set?.followUp ?? current.followUp);
  // Resolved before this commit (the resolving commit lets the open case's alarm go).
  const keepsFollowUp = current.status === 'resolved' && holdsFollowUpAlarm(status, current.alarm, followUp);
  const alarm = alarmAfter(
    current,
    current.version + 1,
    isOpen(status) || keepsFollowUp,
    keepsFollowUp ? { ...change.alarm, earliest: followUp?.dueAt } : change.alarm,
    now,
  );
  const moved: CaseRecord = {
    ...current,
    ...change.set,
    status,
    ...(status !== current.status ? { statusSince: now } : {}),
    version: current.version + 1,
    updatedAt: touched ? now : current.updatedAt,
    ...(alarm?.alarm ? { alarm: alarm.alarm } : {}),
  };
  for (const key of change.remove ?? []) delete (moved as unknown as Record<string, unknown>)[key];
  if (alarm?.alarm === null) delete (moved as { alarm?: CaseAlarm }).alarm;
  // The SLA clocks follow every change (pause while waiting on the seller, stop on resolution, …).
  const sla = advanceSla(current, moved, change.messages ?? [], now);
  const metrics = foldCommit(current.metrics, change.events, now);
  // The weekly review's state, and what this commit adds to the weeks (weekly-review.ts).
  const review = foldReviewCommit(current.review, change.events, now, current.version + 1);
  const next: CaseRecord = {
    ...moved,
    ...(sla ? { sla } : {}),
    ...(metrics ? { metrics } : {}),
    ...reviewOf(review),
  };
  const attributes: Record<string, unknown> = {
    ...change.set,
    ...(status !== current.status ? { status, statusSince: now } : {}),
    ...(sla ? { sla } : {}),
    ...(metrics ? { metrics } : {}),
    ...(review && review !== current.review ? { review } : {}),
    ...(alarm?.alarm ? { alarm: alarm.alarm } : {}),
    version: next.version,
    ...(touched ? { updatedAt: now } : {}),
  };
  // Index keys and copies are written only when they change, so a commit that changes nothing an index
  // keys or projects writes nothing to it (table-design.ts).
  Object.assign(attributes, changedIndexAttributes(current, next));

  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':expected': current.version };
  const sets = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value], i) => {
      names[`#s${i}`] = key;
      values[`:s${i}`] = value;
      return `#s${i} = :s${i}`;
    });
  const removes = [
    ...(change.remove ?? []),
    ...(alarm?.alarm === null ? ['alarm'] : []),
    ...droppedIndexAttributes(current, next),
  ].map((key, i) => {
    names[`#r${i}`] = key;
    return `#r${i}`;
  });
  const outbox = mergeSchedules([
    ...(change.outbox ?? []),
    ...(alarm?.outbox ?? []),
    ...openedEventRecords(current),
    ...domainEventRecords(next, change.events, now),
  ]);
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
    ...(change.messages ?? []).map((m) => ({
      Put: {
        TableName: tableName,
        Item: { ...messageKey(current.caseId, m.sentAt, m.messageId), kind: 'message', ...m },
      },
    })),
    // Wall-clock time: leases and retries of the outbox are operational, never case time (TIME_SCALE).
    ...outbox.map((m) => outboxItem(m, new Date().toISOString(), options.lease)),
  ];
  try {
    await transact([...items, ...(change.extra ?? []), ...(change.extraOf?.(current) ?? [])], items.length);
  } catch (error) {
    // A step whose commit lost to another writer (a timer added an event meanwhile) need not fail and be
    // retried by the state machine: with `rebase`, the same change is applied again on the case as it is now.
    const attempts = options.rebase ?? 0;
    if (!(attempts > 0 && error instanceof ConflictError)) throw error;
    const fresh = await getCase(current.caseId);
    if (!fresh || fresh.version <= current.version) throw error;
    return commitChangeWithOutbox(fresh, change, { ...options, rebase: attempts - 1 });
  }
  // What the writer's lease holds: a deferred record waits for the sweep.
  return { record: next, outbox: outbox.filter((m) => !isDeferred(m)) };
};

/** Puts an item only if its key is new; `false` when it already existed (duplicates change nothing). */
const putIfAbsent = async (item: Record<string, unknown>): Promise<boolean> => {
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

const getItem = async (pk: string, sk: string): Promise<Record<string, unknown> | undefined> => {
  const out = await dynamoDb.send(
    new GetCommand({ TableName: tableName, Key: { pk, sk }, ConsistentRead: true }),
  );
  return out.Item;
};

export const TABLE = { name: tableName } as const;

// ---------------------------------------------------------------------------------------------------------
// Reply tokens: an evidence wait's signed Reply-To, the task token it resumes, and whether it was used.

/** A new reply token, written in the transaction that records its wait (so it exists before its email). */
export const replyTokenItem = (token: ReplyTokenRecord, expiresAtEpoch: number): TransactItem => {
  const { tokenId, ...attributes } = token;
  return {
    Put: {
      TableName: tableName,
      Item: { ...tokenKey(tokenId), kind: 'reply-token', ...attributes, expiresAtEpoch },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
};

export const getReplyToken = async (tokenId: string): Promise<ReplyTokenRecord | undefined> => {
  const item = await getItem(tokenKey(tokenId).pk, 'TOKEN');
  if (!item || typeof item.caseId !== 'string') return undefined;
  const { pk: _pk, sk: _sk, kind: _kind, expiresAtEpoch: _ttl, ...rest } = item;
  return { ...(rest as Omit<ReplyTokenRecord, 'tokenId'>), tokenId };
};

/**
 * Marks an evidence wait's reply token used, inside the transaction that records the evidence: whichever
 * answer (an email, a portal upload) commits first resumes the wait; any later one is refused.
 */
export const consumeReplyTokenItem = (tokenId: string, usedBy: string, at: string): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: tokenKey(tokenId),
    UpdateExpression: 'SET #status = :used, usedAt = :now, usedBy = :by',
    ConditionExpression: '#status = :open',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':used': 'used', ':open': 'open', ':now': at, ':by': usedBy },
  },
});

/** Points a still-open reply token at a new wait's task token (the workflow was restarted). */
export const rebindReplyTokenItem = (tokenId: string, taskToken: string): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: tokenKey(tokenId),
    UpdateExpression: 'SET taskToken = :taskToken',
    ConditionExpression: '#status = :open',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: { ':taskToken': taskToken, ':open': 'open' },
  },
});

// ---------------------------------------------------------------------------------------------------------
// Callback waits: which task tokens already have their wait recorded (see table-design.ts).

/**
 * Records that the wait for `taskToken` is written, in the transaction that writes it. Refused when it
 * exists: the same invocation ran twice, and the other run recorded the wait. Expires a month after the
 * wait's deadline.
 */
export const waitItem = (
  taskToken: string,
  wait: { readonly caseId: string; readonly step: string; readonly deadline: string },
): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: {
      ...waitKey(taskToken),
      kind: 'wait',
      caseId: wait.caseId,
      step: wait.step,
      deadline: wait.deadline,
      createdAt: nowIso(),
      expiresAtEpoch: expiresAfter(wait.deadline, RETENTION_DAYS.spentWait),
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/** Whether a wait was already recorded for this very task token. */
export const waitRecorded = async (taskToken: string): Promise<boolean> =>
  (await getItem(waitKey(taskToken).pk, 'WAIT')) !== undefined;

// ---------------------------------------------------------------------------------------------------------
// Mail references: an email's Message-ID → its case, written once SES has named the message.

export const findMailRef = async (
  headerMessageId: string,
): Promise<{ caseId: string; audience: 'seller' | 'buyer' } | undefined> => {
  const item = await getItem(mailRefKey(headerMessageId).pk, 'MAILREF');
  if (!item || typeof item.caseId !== 'string') return undefined;
  return { caseId: item.caseId, audience: item.audience === 'buyer' ? 'buyer' : 'seller' };
};

// ---------------------------------------------------------------------------------------------------------
// Outbox records (see outbox.ts and outbox-dispatch.ts; the outboxDue index in table-design.ts).

/**
 * A claim on outbox records taken by the writer that commits them: the records are written already
 * `sending` under it, so the writer sends them right after its commit without a separate claim (one write
 * fewer per record). Should the writer die before marking them, the lease runs out and the sweep takes them.
 */
export interface OutboxLease {
  readonly claimId: string;
  /** When the lease ends (ISO, wall clock). */
  readonly until: string;
}

const outboxItem = (message: OutboxMessage, at: string, lease?: OutboxLease): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: {
      ...outboxKey(message.outboxId),
      kind: 'outbox',
      ...message,
      ...(message.notBefore !== undefined
        ? { status: 'pending', attempts: 0, dueAt: message.notBefore }
        : lease
          ? { status: 'sending', attempts: 1, claimId: lease.claimId, dueAt: lease.until }
          : { status: 'pending', attempts: 0, dueAt: at }),
      createdAt: at,
      outboxPending: outboxPending(outboxShardOf(message.outboxId)),
    },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

const toOutboxRecord = (item: Record<string, unknown>): OutboxRecord => {
  const { pk: _pk, sk: _sk, kind: _kind, outboxPending: _p, expiresAtEpoch: _ttl, ...rest } = item;
  return rest as unknown as OutboxRecord;
};

const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * A conditional update of an outbox record: its new attributes, or undefined when the condition failed
 * (another claimant holds or finished the record: it is theirs, nothing is written).
 */
const updateOutboxIf = async (
  input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
): Promise<Record<string, unknown> | undefined> => {
  try {
    const out = await dynamoDb.send(new UpdateCommand({ TableName: tableName, ...input }));
    return out.Attributes ?? {};
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
};

/**
 * Claims a record for sending: pending and due, or `sending` under a lease that expired (its sender
 * crashed). The claim moves `dueAt` to the lease's end, so the record stays findable by the sweep should
 * this claimant die too. Undefined when the record is sent, failed, held by a live lease, or not due yet.
 */
export const claimOutbox = async (
  outboxId: string,
  claimId: string,
  now: string,
  leaseUntil: string,
  /** Also take a record under a live lease (its holder is known to be gone). */
  reclaimLease = false,
): Promise<OutboxRecord | undefined> => {
  const claimed = await updateOutboxIf({
    Key: outboxKey(outboxId),
    UpdateExpression: 'SET #status = :sending, claimId = :claim, dueAt = :lease ADD attempts :one',
    ConditionExpression: reclaimLease
      ? '(#status = :pending AND dueAt <= :now) OR #status = :sending'
      : '#status IN (:pending, :sending) AND dueAt <= :now',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':sending': 'sending',
      ':pending': 'pending',
      ':claim': claimId,
      ':lease': leaseUntil,
      ':now': now,
      ':one': 1,
    },
    ReturnValues: 'ALL_NEW',
  });
  return claimed ? toOutboxRecord(claimed) : undefined;
};

/** Gives a claimed record back for a later attempt at `dueAt` (the send failed, transiently). */
export const releaseOutbox = async (
  outboxId: string,
  claimId: string,
  dueAt: string,
  lastError: string,
): Promise<void> => {
  // A failed condition: another claimant took it over (this claim's lease ran out); it is theirs now.
  await updateOutboxIf({
    Key: outboxKey(outboxId),
    UpdateExpression: 'SET #status = :pending, dueAt = :due, lastError = :error REMOVE claimId',
    ConditionExpression: '#status = :sending AND claimId = :claim',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':pending': 'pending',
      ':sending': 'sending',
      ':due': dueAt,
      ':error': lastError.slice(0, 500),
      ':claim': claimId,
    },
  });
};

/** Gives up on a record the provider keeps refusing: kept (90 days) for an operator, out of the index. */
export const failOutbox = async (
  outboxId: string,
  claimId: string,
  lastError: string,
  at: string,
): Promise<void> => {
  await updateOutboxIf({
    Key: outboxKey(outboxId),
    UpdateExpression:
      'SET #status = :failed, lastError = :error, failedAt = :at, expiresAtEpoch = :ttl REMOVE claimId, outboxPending, dueAt',
    ConditionExpression: '#status = :sending AND claimId = :claim',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':failed': 'failed',
      ':sending': 'sending',
      ':error': lastError.slice(0, 500),
      ':at': at,
      ':ttl': expiresAfter(at, RETENTION_DAYS.failedOutbox),
      ':claim': claimId,
    },
  });
};

/**
 * Marks a record sent, in one transaction with what depends on the provider's message id: for an email of
 * a case, its message item gets SES's message id and Message-ID header, and the `MAILREF` item maps that
 * header back to the case (replies that quote it thread to the case). `false` when the record was already
 * marked (another claimant, after this one's lease ran out, finished first).
 */
export const markOutboxSent = async (
  record: OutboxRecord,
  sent: { readonly providerMessageId: string; readonly headerMessageId?: string; readonly at: string },
): Promise<boolean> => {
  const markSent = {
    Key: outboxKey(record.outboxId),
    UpdateExpression:
      'SET #status = :sent, providerMessageId = :id, sentAt = :at, expiresAtEpoch = :ttl REMOVE claimId, outboxPending, dueAt',
    ConditionExpression: '#status = :sending',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':sent': 'sent',
      ':sending': 'sending',
      ':id': sent.providerMessageId,
      ':at': sent.at,
      ':ttl': expiresAfter(sent.at, RETENTION_DAYS.sentOutbox),
    },
  };
  const link = record.channel === 'email' ? record.message : undefined;
  if (!link || !sent.headerMessageId) {
    // Nothing depends on the provider's id: one conditional update (a transaction would cost twice the units).
    return (await updateOutboxIf(markSent)) !== undefined;
  }
  const items: TransactItem[] = [
    { Update: { TableName: tableName, ...markSent } },
    {
      Update: {
        TableName: tableName,
        Key: messageKey(record.caseId, link.sentAt, record.outboxId),
        UpdateExpression: 'SET messageId = :id, headerMessageId = :header',
        ExpressionAttributeValues: { ':id': sent.providerMessageId, ':header': sent.headerMessageId },
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: {
          ...mailRefKey(sent.headerMessageId),
          kind: 'mail-ref',
          caseId: record.caseId,
          audience: link.audience,
          to: link.to,
          sesMessageId: sent.providerMessageId,
          sentAt: sent.at,
          expiresAtEpoch: expiresAfter(sent.at, RETENTION_DAYS.mailRef),
        },
      },
    },
  ];
  try {
    await dynamoDb.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (
      error instanceof TransactionCanceledException &&
      error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
    )
      return false;
    throw error;
  }
};

/** Ids of one shard's records due by `now` (pending, or under an expired lease), soonest first. */
export const dueOutboxIds = async (shard: number, now: string, limit: number): Promise<string[]> => {
  const out = await dynamoDb.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index('outboxDue'),
      KeyConditionExpression: 'outboxPending = :shard AND dueAt <= :now',
      ExpressionAttributeValues: { ':shard': outboxPending(shard), ':now': now },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map((item) => String(item.pk).slice(OUTBOX_PREFIX.length));
};

// ---------------------------------------------------------------------------------------------------------
// The ops console's case list (its views read caseList, familyList, teamStatus, bySeller and teamQueue)
// and the SLA board (teamQueue); see table-design.ts.

/**
 * A case as the caseList index holds it: the attributes the list reads, with the copies `caseItem` puts at
 * the top level for the index (`team`, `channel`, `resolutionClock`).
 */
export type CaseIndexItem = Pick<
  CaseRecord,
  'caseId' | 'family' | 'status' | 'sellerId' | 'sellerTier' | 'region' | 'createdAt'
> &
  Partial<Pick<CaseRecord, 'escalationLevel' | 'statusSince' | 'updatedAt'>> & {
    readonly channel?: string;
    readonly team?: string;
    readonly resolutionClock?: SlaClock;
    readonly listSk?: string;
  };

/** One case as the list shows it, by its id (the console's case-id search). */
export const getCaseIndexItem = async (caseId: string): Promise<CaseIndexItem | undefined> =>
  // The stored item, not the record: it carries the index's copies (team, channel) the row shows.
  (await getItem(caseKey(caseId).pk, 'CASE')) as CaseIndexItem | undefined;

// A page continues past the last key the previous one handed on, in its view's order. Opaque to callers,
// checked on the way back in.
const listCursor = z.object({ upTo: z.string().min(1).max(300) }).strict();
const encodeListCursor = (upTo: string) => Buffer.from(JSON.stringify({ upTo })).toString('base64url');
const decodeListCursor = (cursor: string): string | undefined => {
  try {
    const parsed = listCursor.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data.upTo : undefined;
  } catch {
    return undefined;
  }
};

/** Whether `cursor` is one the case list gave out. */
export const isCaseListCursor = (cursor: string): boolean => decodeListCursor(cursor) !== undefined;

/**
 * Where a resolution clock stands against its warning share, as the team queues' keys order it:
 * `reached` (at risk or breached by now; with `since`, running clocks only if they reached it since then),
 * `ahead` (not yet, or paused short of it). The list works out the exact risk from each case's clock; the
 * range only decides which keys to read.
 */
export interface SlaRange {
  readonly range: 'reached' | 'ahead';
  readonly since?: string;
}

/**
 * The case list's filters. `seller`, `team` with `status`, `sla` and `family` are read by key, in that
 * order of preference (the first one given picks the view); the others filter what that view reads.
 */
export interface CaseIndexFilters {
  readonly seller?: string | undefined;
  readonly family?: string | undefined;
  readonly status?: string | undefined;
  readonly team?: string | undefined;
  readonly sellerTier?: string | undefined;
  readonly region?: string | undefined;
  readonly channel?: string | undefined;
  readonly sla?: SlaRange | undefined;
  /**
   * Cases created at or after this instant (or day): a bound on the sort key of the views read newest first
   * (their keys begin with the creation time), so the read stops where the span does. Not for an SLA view.
   */
  readonly createdFrom?: string | undefined;
}

/** Which index a page reads and how: see `listView`. */
export type CaseListViewName = 'seller' | 'teamStatus' | 'slaQueue' | 'family' | 'all';

interface KeyRange {
  readonly pk: string;
  readonly prefix: string;
  readonly from?: string;
  readonly to?: string;
}

interface ListView {
  readonly name: CaseListViewName;
  readonly index: (typeof TABLE_KEYS.indexes)[number]['name'];
  readonly pkName: string;
  readonly skName: string;
  /**
   * The key ranges it merges: a partition each, or (an SLA view) a partition and a sort-key prefix with
   * inclusive bounds after it. The merge orders by the sort key less its prefix.
   */
  readonly ranges: readonly KeyRange[];
  /** `newest`: descending creation (`<createdAt>#<caseId>`); `urgent`: ascending warning time. */
  readonly order: 'newest' | 'urgent';
  /** The filters the view's key already satisfies. */
  readonly keyed: readonly (keyof CaseIndexFilters)[];
  /** Its index projects too little for a row: rows are read from the case items by key. */
  readonly hydrate: boolean;
}

/**
 * The view a page reads for `filters` (table-design.ts has the keys): a seller's cases from `bySeller`; a
 * team's cases in one status from `teamStatus`; open cases by SLA risk from the team queues, most urgent
 * first (one team's, or every team's); a family's from `familyList`; anything else from `caseList`.
 */
const listView = (filters: CaseIndexFilters, at: string, teams: () => readonly string[]): ListView => {
  const newest = { order: 'newest', skName: 'listSk' } as const;
  if (filters.seller !== undefined)
    return {
      ...newest,
      name: 'seller',
      index: index('bySeller'),
      pkName: 'gsi1pk',
      skName: 'gsi1sk',
      ranges: [{ pk: sellerCases(filters.seller), prefix: '' }],
      keyed: ['seller'],
      hydrate: true,
    };
  if (filters.team !== undefined && filters.status !== undefined) {
    const { team, status } = filters;
    return {
      ...newest,
      name: 'teamStatus',
      index: index('teamStatus'),
      pkName: 'teamStatusPk',
      ranges: shardKeys(TEAM_QUEUE_SHARDS, (n) => teamStatusKey(team, status, n)),
      keyed: ['team', 'status'],
      hydrate: false,
    };
  }
  if (filters.sla !== undefined) {
    const { sla } = filters;
    const onTeams = filters.team !== undefined ? [filters.team] : teams();
    // Running clocks by when they reach their warning (`O#`); paused ones past it, all of them (`P#`).
    const slices: Omit<KeyRange, 'pk'>[] =
      sla.range === 'ahead'
        ? // Reaching it later, and after them those that never will as they stand (`O#~#…`: paused short
          // of it, or no clock).
          [{ prefix: 'O#', from: at, to: `${NEVER}${NEVER}` }]
        : [
            { prefix: 'O#', from: sla.since ?? '', to: `${at}${NEVER}` },
            { prefix: 'P#', from: '', to: NEVER },
          ];
    return {
      name: 'slaQueue',
      index: index('teamQueue'),
      pkName: 'queuePk',
      skName: 'queueSk',
      ranges: onTeams.flatMap((team) =>
        Array.from({ length: TEAM_QUEUE_SHARDS }, (_, n) =>
          slices.map((slice) => ({ ...slice, pk: teamQueueKey(team, n) })),
        ).flat(),
      ),
      order: 'urgent',
      keyed: ['sla', 'team'],
      hydrate: true,
    };
  }
  if (filters.family !== undefined) {
    const { family } = filters;
    return {
      ...newest,
      name: 'family',
      index: index('familyList'),
      pkName: 'familyPk',
      ranges: shardKeys(FAMILY_LIST_SHARDS, (n) => familyListKey(family, n)),
      keyed: ['family'],
      hydrate: false,
    };
  }
  return {
    ...newest,
    name: 'all',
    index: index('caseList'),
    pkName: 'listPk',
    ranges: shardKeys(CASE_LIST_SHARDS, caseListKey),
    keyed: [],
    hydrate: false,
  };
};

const shardKeys = (shards: number, key: (shard: number) => string): KeyRange[] =>
  Array.from({ length: shards }, (_, n) => ({ pk: key(n), prefix: '' }));

/** The filters a view leaves to DynamoDB's filter expression (or, for a hydrated view, to this process). */
const unkeyedFilters = (filters: CaseIndexFilters, view: ListView) =>
  Object.fromEntries(
    Object.entries(filters).filter(
      ([name, value]) =>
        value !== undefined &&
        name !== 'sla' &&
        name !== 'createdFrom' &&
        !view.keyed.includes(name as keyof CaseIndexFilters),
    ),
  ) as Record<string, string>;

/** Cases filed before channels existed carry none: they came through the portal. */
const matchesChannel = (item: { channel?: string }, channel: string) =>
  (item.channel ?? DEFAULT_CHANNEL) === channel;

const filterExpression = (filters: Record<string, string>) => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const terms: string[] = [];
  for (const [field, value] of Object.entries(filters)) {
    const name = field === 'seller' ? 'sellerId' : field;
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    terms.push(
      name === 'channel' && value === DEFAULT_CHANNEL
        ? '(attribute_not_exists(#channel) OR #channel = :channel)'
        : `#${name} = :${name}`,
    );
  }
  return terms.length ? { FilterExpression: terms.join(' AND '), names, values } : undefined;
};

/** The attributes a list row reads from a case item: what the list indexes project, and the list key. */
const LIST_ATTRIBUTES = [...LIST_PROJECTION, 'listSk'] as const;

/** The case items of `caseIds` as the list reads them (a hundred per BatchGet), in no particular order. */
const getListItems = async (caseIds: readonly string[]): Promise<CaseIndexItem[]> => {
  const items: CaseIndexItem[] = [];
  const names = Object.fromEntries(LIST_ATTRIBUTES.map((name) => [`#${name}`, name]));
  for (let i = 0; i < caseIds.length; i += 100) {
    let keys: Record<string, unknown>[] = caseIds.slice(i, i + 100).map(caseKey);
    while (keys.length > 0) {
      const out = await dynamoDb.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: keys,
              ProjectionExpression: Object.keys(names).join(', '),
              ExpressionAttributeNames: names,
            },
          },
        }),
      );
      items.push(...((out.Responses?.[tableName] ?? []) as CaseIndexItem[]));
      keys = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
};

/** Index items one list request reads at most: a filter that matches little never reads the index whole. */
export const LIST_READ_BUDGET = 2_000;

/** One partition of a view as a page reads it: what it read and has not handed on, and how far it has read. */
interface PartitionReader {
  readonly range: KeyRange;
  readonly buffer: (CaseIndexItem & { readonly viewKey: string })[];
  startKey?: Record<string, unknown> | undefined;
  /** Every key of the partition up to this one, in the view's order, has been read. */
  frontier?: string | undefined;
  done: boolean;
}

/**
 * One page of cases for `filters` that `select` turns into a row (it returns undefined for a case the page
 * leaves out), in the order of the view the filters pick (`listView`): newest first, or, by SLA risk,
 * most urgent first. A view spreads its cases over several partitions (hash shards, or teams); a page
 * reads each in order and merges them, handing a case on only once every partition still open has shown
 * what it holds before it. Filters the view's key does not cover run in DynamoDB (they save the transfer,
 * not the read); after `readBudget` index items the page stops and is `partial` (maybe short, even empty),
 * with a cursor that goes on from where the reading stopped: a rare filter costs a bounded read per request
 * however large the table.
 */
export const pageCases = async <Row>(
  filters: CaseIndexFilters,
  page: {
    readonly limit: number;
    readonly cursor?: string | undefined;
    readonly select: (item: CaseIndexItem) => Row | undefined;
    readonly readBudget?: number;
    /** Now, for the SLA view's key range. */
    readonly at: string;
    /** Every team there is, for an SLA view across teams. */
    readonly teams: () => readonly string[];
  },
): Promise<{ rows: Row[]; nextCursor: string | null; partial: boolean; view: CaseListViewName }> => {
  const view = listView(filters, page.at, page.teams);
  const rest = unkeyedFilters(filters, view);
  const filter = view.hydrate ? undefined : filterExpression(rest);
  const matches = (item: CaseIndexItem) =>
    Object.entries(rest).every(([name, value]) =>
      name === 'channel'
        ? matchesChannel(item, value)
        : item[(name === 'seller' ? 'sellerId' : name) as keyof CaseIndexItem] === value,
    );
  const newest = view.order === 'newest';
  /** Whether key `a` comes before key `b` in the view's order. */
  const before = (a: string, b: string) => (newest ? a > b : a < b);
  const after = page.cursor ? decodeListCursor(page.cursor) : undefined;
  const budget = page.readBudget ?? LIST_READ_BUDGET;
  const readers: PartitionReader[] = view.ranges.map((range) => ({ range, buffer: [], done: false }));
  let read = 0;
  const keyCondition = ({
    prefix,
    from,
    to,
  }: KeyRange): { expression: string; values: Record<string, string> } => {
    if (newest) {
      const since = filters.createdFrom;
      // With a lower bound and a cursor, BETWEEN takes the cursor's own key too: it is dropped when read.
      if (since !== undefined && after)
        return {
          expression: '#pk = :pk AND #sk BETWEEN :since AND :after',
          values: { ':since': since, ':after': after },
        };
      if (since !== undefined)
        return { expression: '#pk = :pk AND #sk >= :since', values: { ':since': since } };
      return after
        ? { expression: '#pk = :pk AND #sk < :after', values: { ':after': after } }
        : { expression: '#pk = :pk', values: {} };
    }
    // Strictly after the cursor (a space sorts below every character a key's case id holds), and never
    // before the range's own start.
    const start = after !== undefined && `${after} ` > (from ?? '') ? `${after} ` : (from ?? '');
    return {
      expression: '#pk = :pk AND #sk BETWEEN :from AND :to',
      values: { ':from': `${prefix}${start}`, ':to': `${prefix}${to ?? NEVER}` },
    };
  };
  const refill = async (reader: PartitionReader, limit: number) => {
    const condition = keyCondition(reader.range);
    // A cursor past the range's end (the range is read to its end, or the cursor was made up): nothing
    // to read, and DynamoDB refuses a BETWEEN whose bounds are reversed.
    const { ':from': from, ':to': to, ':since': since, ':after': upTo } = condition.values;
    if (
      (from !== undefined && String(from) > String(to)) ||
      (since !== undefined && upTo !== undefined && String(since) > String(upTo))
    ) {
      reader.done = true;
      return;
    }
    const out = await dynamoDb.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: view.index,
        KeyConditionExpression: condition.expression,
        ScanIndexForward: !newest,
        ExclusiveStartKey: reader.startKey,
        Limit: limit,
        ...(filter ? { FilterExpression: filter.FilterExpression } : {}),
        ExpressionAttributeNames: {
          '#pk': view.pkName,
          ...(condition.expression.includes('#sk') ? { '#sk': view.skName } : {}),
          ...filter?.names,
        },
        ExpressionAttributeValues: { ':pk': reader.range.pk, ...condition.values, ...filter?.values },
      }),
    );
    read += out.ScannedCount ?? out.Items?.length ?? 0;
    const items = ((out.Items ?? []) as (CaseIndexItem & Record<string, unknown>)[]).filter(
      // The cursor's own case, which a BETWEEN bounded by it reads again.
      (item) => !(newest && after !== undefined && item[view.skName] === after),
    );
    const viewKey = (key: unknown) => String(key).slice(reader.range.prefix.length);
    reader.buffer.push(...items.map((item) => ({ ...item, viewKey: viewKey(item[view.skName]) })));
    reader.startKey = out.LastEvaluatedKey;
    reader.frontier = out.LastEvaluatedKey ? viewKey(out.LastEvaluatedKey[view.skName]) : undefined;
    reader.done = out.LastEvaluatedKey === undefined;
  };
  const rows: Row[] = [];
  let last: string | undefined;
  /** The next case read, in the view's order, if it comes no later than `bound`. */
  const next = (bound?: string) => {
    let first: PartitionReader | undefined;
    for (const reader of readers) {
      const head = reader.buffer[0];
      if (head && (!first || before(head.viewKey, first.buffer[0]?.viewKey ?? ''))) first = reader;
    }
    const head = first?.buffer[0];
    if (!first || !head || (bound !== undefined && before(bound, head.viewKey))) return undefined;
    first.buffer.shift();
    return head;
  };
  // Cases taken off the merge, in order, not yet turned into rows. A view whose index projects too little
  // reads the cases' items for them a batch at a time: only those the page hands on, never all it read.
  const taken: PartitionReader['buffer'] = [];
  let leftOver = false;
  const handOn = async () => {
    const full = view.hydrate
      ? new Map((await getListItems(taken.map((i) => i.caseId))).map((i) => [i.caseId, i]))
      : undefined;
    if (full) read += taken.length;
    while (taken.length > 0 && rows.length < page.limit) {
      const { viewKey, ...indexed } = taken.shift() as PartitionReader['buffer'][number];
      last = viewKey;
      const item = full ? full.get(indexed.caseId) : indexed;
      // A case gone from the table since its index entry was read, or one an unkeyed filter leaves out.
      if (!item || (full && !matches(item))) continue;
      const row = page.select(item);
      if (row !== undefined) rows.push(row);
    }
    // Cases taken but not reached (the page filled first) come after `last`: the next page reads them again.
    leftOver = taken.length > 0;
    taken.length = 0;
  };
  /** Takes cases off the merge (up to `bound`) until a page's worth is waiting, then hands them on. */
  const take = async (bound?: string) => {
    for (;;) {
      const item = next(bound);
      if (item) taken.push(item);
      if (!item || taken.length >= page.limit - rows.length) {
        await handOn();
        return item !== undefined;
      }
    }
  };
  while (rows.length < page.limit) {
    const empty = readers.filter((r) => r.buffer.length === 0 && !r.done);
    if (empty.length === 0) {
      // Every partition has something buffered or is read to its end: the next case is known.
      const item = next();
      if (!item) break;
      taken.push(item);
      if (taken.length >= page.limit - rows.length) await handOn();
      continue;
    }
    if (read < budget) {
      const share = Math.ceil((budget - read) / empty.length);
      await Promise.all(empty.map((r) => refill(r, Math.max(1, Math.min(share, page.limit + 1, 100)))));
      continue;
    }
    // Out of budget with the page not full. Every open partition has been read up to its frontier, so
    // every case before the earliest frontier has been read: hand those on, and go on from there next time.
    const frontiers = readers.filter((r) => !r.done).map((r) => String(r.frontier));
    const resume = frontiers.reduce((a, b) => (before(a, b) ? a : b));
    await handOn();
    while (rows.length < page.limit && (await take(resume)));
    if (rows.length === page.limit) break;
    return { rows, nextCursor: encodeListCursor(resume), partial: true, view: view.name };
  }
  if (taken.length > 0) await handOn();
  const more = leftOver || readers.some((r) => r.buffer.length > 0 || !r.done);
  return { rows, nextCursor: more && last ? encodeListCursor(last) : null, partial: false, view: view.name };
};

// ---------------------------------------------------------------------------------------------------------
// The scoreboard's aggregates: counters per segment and creation day (metrics.ts), folded from the table's
// stream (functions/domain/scoreboard-fold.ts), so the scoreboard reads a few items a segment and day,
// never the cases.
//
// | item            | pk                            | sk           |
// |-----------------|-------------------------------|--------------|
// | day totals      | SCORE#<segment>#<writer 0-3>  | <yyyy-mm-dd> |
// | all-time totals | SCORE#<segment>#<writer 0-3>  | TOTAL        |
// | fold marker     | CASE#<caseId>                 | SCORED#<version> |
//
// A segment's items take one update per folded batch (not per change) for its day and one for all time.
// The writer, picked at random per batch, spreads them over four partition keys: the `all` segment's
// items are updated by every batch, and a saturated all-time item (a few KB, its histograms full) costs
// several write units a transactional update. Each change folds once: its marker is put, if absent, in
// the transaction that adds its counters, so a redelivered stream record adds nothing.

const SCORE_WRITERS = 4;
/**
 * The bucket that holds a segment's totals over all time, kept beside its days in the same transaction:
 * the scoreboard without `since` reads four items a segment whatever the span of days or the cases.
 */
const ALL_TIME = 'TOTAL';
const scoreKey = (segment: string, day: string, writer: number) => ({
  pk: `SCORE#${segment}#${writer}`,
  sk: day,
});

/**
 * What one committed change adds to the scoreboard: per segment, its case's contributions after, less
 * those before (negative where the case left the segment).
 */
export interface ScoreDelta {
  readonly caseId: string;
  readonly version: number;
  /** The case's creation day (UTC), the time bucket it counts in. */
  readonly day: string;
  readonly segments: readonly { readonly segment: string; readonly counters: Counters }[];
}

/** Transaction items: a marker per change, an update per segment and day touched; DynamoDB takes 100. */
const TRANSACTION_ITEMS = 100;

/** What a sum of changes adds to the scoreboard, per day (no case, no version: `addScoreTotals`). */
type ScoreSum = Pick<ScoreDelta, 'day' | 'segments'>;

/** Changes summed per segment and time bucket (their day, and all time): one update each. */
const scoreRows = (deltas: readonly ScoreSum[]) => {
  const totals = new Map<string, { segment: string; day: string; counters: Counters }>();
  for (const delta of deltas)
    for (const { segment, counters } of delta.segments)
      for (const day of [delta.day, ALL_TIME]) {
        const key = `${segment}|${day}`;
        const sum = totals.get(key) ?? { segment, day, counters: {} };
        totals.set(key, { ...sum, counters: addCounters(sum.counters, counters) });
      }
  return [...totals.values()].filter((t) => Object.keys(t.counters).length > 0);
};

/** The update that adds a row's sum to the totals a writer keeps for its segment and bucket. */
const scoreRowUpdate = (
  row: { segment: string; day: string; counters: Counters },
  writer: number,
): NonNullable<TransactItem['Update']> => ({
  TableName: tableName,
  Key: scoreKey(row.segment, row.day, writer),
  UpdateExpression: `SET kind = :kind ADD ${Object.keys(row.counters)
    .map((_, i) => `#c${i} :c${i}`)
    .join(', ')}`,
  ExpressionAttributeNames: Object.fromEntries(Object.keys(row.counters).map((k, i) => [`#c${i}`, k])),
  ExpressionAttributeValues: {
    ':kind': 'score',
    ...Object.fromEntries(Object.values(row.counters).map((v, i) => [`:c${i}`, v])),
  },
});

const foldTransaction = (deltas: readonly ScoreDelta[], writer: number, now: string): TransactItem[] => [
  ...deltas.map(
    (delta): TransactItem => ({
      Put: {
        TableName: tableName,
        Item: {
          pk: `CASE#${delta.caseId}`,
          sk: `SCORED#${pad(delta.version)}`,
          kind: 'scored',
          expiresAtEpoch: expiresAfter(now, RETENTION_DAYS.foldMarker),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
  ),
  ...scoreRows(deltas).map((row): TransactItem => ({ Update: scoreRowUpdate(row, writer) })),
];

/**
 * Adds changes to the scoreboard's totals, each exactly once: in transactions of up to 100 items, a
 * marker per change and one update per segment and day they touch. A change already folded (its marker
 * exists: a redelivered stream record) is dropped and the rest go again. Answers how many were folded now.
 */
export const foldScoreDeltas = (deltas: readonly ScoreDelta[]): Promise<number> =>
  foldExactlyOnce(
    deltas,
    (delta) => delta.segments.flatMap(({ segment }) => [`${segment}|${delta.day}`, `${segment}|${ALL_TIME}`]),
    (delta) => delta.day,
    async (chunk) => foldTransaction(chunk, Math.floor(Math.random() * SCORE_WRITERS), nowIso()),
  );

/**
 * Adds changes to the scoreboard's totals summed first, one update per segment and time bucket they touch,
 * and with no marker: only for a bulk load whose stream records are never folded (the bench seeds 100,000
 * cases so, the local stream skipping them: `TableStream.skipWrites`), where a change at a time would cost
 * its segments' updates each time. Not exactly-once: a load that fails part-way is counted again in part.
 */
export const addScoreTotals = async (deltas: readonly ScoreSum[]): Promise<void> => {
  const rows = scoreRows(deltas);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        await dynamoDb.send(new UpdateCommand(scoreRowUpdate(row, next % SCORE_WRITERS)));
      }
    }),
  );
};

/**
 * Adds changes to totals kept per row (the scoreboard's, the weekly review's), each change exactly once: in
 * transactions of up to 100 items, a marker per change (`caseId#version`, conditioned on absence) and one
 * update per row the chunk touches. A change already folded (its marker exists: a redelivered stream
 * record) is dropped and the rest go again; another writer on the same row (TransactionConflict) sends the
 * same chunk again. Answers how many were folded now.
 *
 * The changes are taken in order of their time bucket (`bucketOf`: a day, a week), not as the stream
 * gave them: sums do not depend on order, and changes to cases of the same day share that day's rows, so a
 * transaction carries more changes and fewer row updates (a batch of cases opened over weeks, as a backlog
 * or a store's first fold brings, took about twice the transactions in stream order).
 */
const foldExactlyOnce = async <D extends { readonly caseId: string; readonly version: number }>(
  deltas: readonly D[],
  rowsOf: (delta: D) => readonly string[],
  bucketOf: (delta: D) => string,
  transactionOf: (chunk: readonly D[]) => Promise<TransactItem[]>,
): Promise<number> => {
  let folded = 0;
  let pending = [...deltas].sort((a, b) => bucketOf(a).localeCompare(bucketOf(b)));
  while (pending.length > 0) {
    // As many changes as fit one transaction: a marker each, and the rows they add to.
    const chunk: D[] = [];
    const touched = new Set<string>();
    for (const delta of pending) {
      const more = rowsOf(delta).filter((key) => !touched.has(key));
      if (chunk.length > 0 && chunk.length + 1 + touched.size + more.length > TRANSACTION_ITEMS) break;
      chunk.push(delta);
      for (const key of more) touched.add(key);
    }
    try {
      await dynamoDb.send(new TransactWriteCommand({ TransactItems: await transactionOf(chunk) }));
      folded += chunk.length;
      pending = pending.slice(chunk.length);
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const seen = new Set(
        chunk
          .filter((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed')
          .map((d) => `${d.caseId}#${d.version}`),
      );
      if (seen.size === 0 && !reasons.some((r) => r.Code === 'TransactionConflict')) throw error;
      pending = pending.filter((d) => !seen.has(`${d.caseId}#${d.version}`));
    }
  }
  return folded;
};

/**
 * The scoreboard's totals per segment, over all time (four items a segment, in one BatchGet of them all)
 * or over the cases opened on or after `fromDay` (one query per segment and writer, a few items a day);
 * never a case.
 */
export const scoreTotals = async (
  segments: readonly string[],
  fromDay?: string,
): Promise<Map<string, Counters>> => {
  const sums = new Map(segments.map((segment) => [segment, {} as Record<string, number>]));
  const add = (item: Record<string, unknown>) => {
    const segment = String(item.pk).slice('SCORE#'.length).replace(/#\d+$/, '');
    const sum = sums.get(segment);
    if (!sum) return;
    for (const [key, value] of Object.entries(item))
      if (typeof value === 'number') sum[key] = (sum[key] ?? 0) + value;
  };
  const keys = segments.flatMap((segment) =>
    Array.from({ length: SCORE_WRITERS }, (_, writer) => scoreKey(segment, ALL_TIME, writer)),
  );
  if (!fromDay) {
    for (let i = 0; i < keys.length; i += 100) {
      let batch: Record<string, unknown>[] = keys.slice(i, i + 100);
      while (batch.length > 0) {
        const out = await dynamoDb.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: batch } } }),
        );
        for (const item of out.Responses?.[tableName] ?? []) add(item);
        batch = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
      }
    }
  } else {
    await Promise.all(
      keys.map(async ({ pk }) => {
        for await (const page of queryPages({
          // Days sort below TOTAL ('9' < 'T'): the range holds the days from `fromDay` on, and no more.
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': pk, ':from': fromDay, ':to': '9999-12-31' },
        }))
          for (const item of page.Items ?? []) add(item);
      }),
    );
  }
  return new Map([...sums].map(([segment, sum]) => [segment, sum as Counters]));
};

// ---------------------------------------------------------------------------------------------------------
// Team queues (the teamQueue index) and cases read by id.

/** An open case in a team's queue, as the SLA board reads it. */
export type QueuedCase = Pick<
  CaseRecord,
  'caseId' | 'family' | 'status' | 'sellerTier' | 'escalationLevel'
> & {
  readonly resolutionClock?: SlaClock;
};

/**
 * The open cases of a team whose resolution clock has reached its warning share by `at` (at risk or
 * breached): per queue shard, key-range queries on the running clocks (`O#` up to `at`) and on those
 * paused past their warning (`P#`), merged in the order they reached it. Cases short of their warning, and
 * closed cases (most of a queue, over time), are never read.
 */
export const atRiskTeamQueue = async (
  team: string,
  at: string,
  /** At most this many, those longest past their warning first; `more` says whether others are. */
  limit: number,
): Promise<{ cases: QueuedCase[]; more: boolean }> => {
  const ranges = [
    ['O#', `O#${at}${NEVER}`],
    ['P#', `P#${NEVER}`],
  ] as const;
  // By when each reached its warning, whichever range it is in (the key less its `O#` or `P#`).
  type Queued = QueuedCase & { queueSk: string };
  const keyOf = (item: Queued) => item.queueSk.slice(2);
  // A lazy merge of the ranges (each shard's two), each read in order a page at a time: the first `limit`
  // of all of them are read, and of the rest only what a page's size adds (the pages start at twice a fair
  // share and double). So a team's read stays near `limit` items however many of its cases are past their
  // warning, in one round of queries when they are spread evenly.
  const cursors = Array.from({ length: TEAM_QUEUE_SHARDS }, (_, shard) =>
    ranges.map(([from, to]) => ({
      pk: teamQueueKey(team, shard),
      from,
      to,
      items: [] as Queued[],
      next: undefined as Record<string, unknown> | undefined,
      done: false,
      // Twice a shard's fair share of what is shown, for each of its two ranges (either may hold all of the
      // shard's share: a team's open cases are mostly running or mostly paused): one round of queries in
      // all but the most uneven spreads.
      page: 2 * Math.ceil((limit + 1) / TEAM_QUEUE_SHARDS),
    })),
  ).flat();
  const refill = async (cursor: (typeof cursors)[number]) => {
    const out = await dynamoDb.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index('teamQueue'),
        KeyConditionExpression: 'queuePk = :pk AND queueSk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': cursor.pk, ':from': cursor.from, ':to': cursor.to },
        Limit: cursor.page,
        ...(cursor.next ? { ExclusiveStartKey: cursor.next } : {}),
      }),
    );
    cursor.items.push(...((out.Items ?? []) as Queued[]));
    cursor.next = out.LastEvaluatedKey;
    cursor.done = !out.LastEvaluatedKey;
    cursor.page *= 2;
  };
  const merged: Queued[] = [];
  while (merged.length <= limit) {
    // A range with nothing read ahead may hold the next case: read on before choosing (a page may come
    // back empty yet not be the last).
    for (let empty = cursors.filter((c) => c.items.length === 0 && !c.done); empty.length > 0; ) {
      await Promise.all(empty.map(refill));
      empty = empty.filter((c) => c.items.length === 0 && !c.done);
    }
    let first: (typeof cursors)[number] | undefined;
    for (const cursor of cursors) {
      const head = cursor.items[0];
      if (head && (!first?.items[0] || keyOf(head) < keyOf(first.items[0]))) first = cursor;
    }
    const head = first?.items.shift();
    if (!head) break;
    merged.push(head);
  }
  return {
    cases: merged.slice(0, limit).map(({ queueSk: _key, ...item }) => item as QueuedCase),
    more: merged.length > limit,
  };
};

/**
 * What replay reads of a case's partition beside the case item: the `case.routed` and `case.handed_off`
 * events (type, team, rule, priority level: nothing the seller wrote) and each message's template, oldest
 * first. Two key-condition queries of one partition, projected to those attributes.
 */
export const getReplayTrail = async (
  caseId: string,
): Promise<{ events: ReplayEvent[]; templates: string[] }> => {
  const events: ReplayEvent[] = [];
  for await (const page of queryPages({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
    FilterExpression: '#type IN (:routed, :handedOff)',
    ProjectionExpression: '#type, #data.#team, #data.ruleId, #data.priority.#level',
    ExpressionAttributeNames: { '#type': 'type', '#data': 'data', '#team': 'team', '#level': 'level' },
    ExpressionAttributeValues: {
      ':pk': `CASE#${caseId}`,
      ':events': 'EVENT#',
      ':routed': 'case.routed',
      ':handedOff': 'case.handed_off',
    },
  }))
    events.push(...((page.Items ?? []) as ReplayEvent[]));
  const templates: string[] = [];
  for await (const page of queryPages({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :messages)',
    ProjectionExpression: '#template',
    ExpressionAttributeNames: { '#template': 'template' },
    ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':messages': 'MESSAGE#' },
  }))
    templates.push(...(page.Items ?? []).map((i) => String(i.template)));
  return { events, templates };
};

/** The cases with these ids (a hundred per BatchGet), in no particular order; unknown ids are left out. */
export const getCases = async (caseIds: readonly string[]): Promise<CaseRecord[]> => {
  const records: CaseRecord[] = [];
  for (let i = 0; i < caseIds.length; i += 100) {
    let keys: Record<string, unknown>[] = caseIds.slice(i, i + 100).map(caseKey);
    while (keys.length > 0) {
      const out = await dynamoDb.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }));
      records.push(...(out.Responses?.[tableName] ?? []).map((item) => stripKeys<CaseRecord>(item)));
      keys = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return records;
};

// ---------------------------------------------------------------------------------------------------------
// SLA timers: items in the case's partition that say whether each timer is still to fire (see timers.ts).

/** A new timer, put in the transaction of the change that arms it. */
export const timerItem = (timer: TimerRecord): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: { ...timerKey(timer.caseId, timer.timerId), kind: 'timer', ...timer },
    ConditionExpression: 'attribute_not_exists(pk)',
  },
});

/**
 * Moves a timer to new fields (fired, skipped, re-armed), in the transaction of a case change. Exactly
 * once: refused unless the timer is still scheduled and not re-armed meanwhile.
 */
export const timerUpdateItem = (timer: TimerRecord, change: Partial<TimerRecord>): TransactItem => {
  // A timer that is done only guards against a late duplicate firing: it expires (RETENTION_DAYS).
  const done = change.status === 'fired' || change.status === 'skipped';
  const fields: Record<string, unknown> = done
    ? { ...change, expiresAtEpoch: expiresAfter(nowIso(), RETENTION_DAYS.finishedTimer) }
    : change;
  return {
    Update: {
      TableName: tableName,
      Key: timerKey(timer.caseId, timer.timerId),
      UpdateExpression: `SET ${Object.keys(fields)
        .map((k) => `#${k} = :${k}`)
        .join(', ')}`,
      ConditionExpression: '#status = :scheduled AND scheduleName = :schedule',
      ExpressionAttributeNames: Object.fromEntries(
        [...Object.keys(fields), 'status'].map((k) => [`#${k}`, k]),
      ),
      ExpressionAttributeValues: {
        ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [`:${k}`, v])),
        ':scheduled': 'scheduled',
        ':schedule': timer.scheduleName,
      },
    },
  };
};

/** Moves a timer alone, without touching its case; `false` when another firing moved it first. */
export const moveTimer = async (timer: TimerRecord, fields: Partial<TimerRecord>): Promise<boolean> => {
  try {
    await dynamoDb.send(new TransactWriteCommand({ TransactItems: [timerUpdateItem(timer, fields)] }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
};

// ---------------------------------------------------------------------------------------------------------
// Inbound email records: one per message that arrived (by its Message-ID), and what became of it.

/** An inbound message's record: its Message-ID header and whatever the handler notes about it. */
export interface InboundRecord {
  readonly messageId: string;
  readonly [field: string]: unknown;
}

const inboundItem = (record: InboundRecord) => ({
  ...inboundKey(record.messageId),
  kind: 'inbound',
  ...record,
  expiresAtEpoch: expiresAfter(nowIso(), RETENTION_DAYS.inbound),
});

/** The record of a message already received, by its Message-ID header. */
export const getInboundRecord = async (headerMessageId: string): Promise<InboundRecord | undefined> => {
  const item = await getItem(inboundKey(headerMessageId).pk, 'INBOUND');
  return item ? stripKeys<InboundRecord>(item) : undefined;
};

/** Records a message alone; `false` when it was recorded already (a redelivery). */
export const putInboundRecord = (record: InboundRecord): Promise<boolean> => putIfAbsent(inboundItem(record));

/** Records a message in the transaction of the change it makes; refused when it was recorded already. */
export const inboundRecordItem = (record: InboundRecord): TransactItem => ({
  Put: { TableName: tableName, Item: inboundItem(record), ConditionExpression: 'attribute_not_exists(pk)' },
});

// ---------------------------------------------------------------------------------------------------------
// Agents (a team's roster, one partition per team) and the team backlog (the teamBacklog index).

type AgentItem = Omit<Agent, 'cases'> & { readonly cases?: ReadonlySet<string> };

const agentOf = (item: Record<string, unknown>): Agent => {
  const { pk: _pk, sk: _sk, kind: _kind, cases, ...rest } = item as AgentItem & Record<string, unknown>;
  return { ...(rest as Omit<Agent, 'cases'>), cases: [...(cases ?? [])].sort() };
};

/** A team's agents, each with the cases they hold. */
export const teamAgents = async (team: string): Promise<Agent[]> => {
  const agents: Agent[] = [];
  for await (const page of queryPages({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': rosterKey(team) },
    ConsistentRead: true,
  }))
    agents.push(...(page.Items ?? []).map(agentOf));
  return agents;
};

/** An agent of a known team, or undefined. */
export const getTeamAgent = async (team: string, agentId: string): Promise<Agent | undefined> => {
  const item = await getItem(agentKey(team, agentId).pk, agentKey(team, agentId).sk);
  return item ? agentOf(item) : undefined;
};

/** An agent by id alone: which team they are on, then their item. */
export const getAgent = async (agentId: string): Promise<Agent | undefined> => {
  const pointer = await getItem(agentTeamKey(agentId).pk, agentTeamKey(agentId).sk);
  return pointer ? getTeamAgent(String(pointer.team), agentId) : undefined;
};

/**
 * Creates an agent or changes one (name, skills, capacity, status), keeping the cases they hold. Moving an
 * agent to another team needs them to hold no case (the caller checks; a race is a ConflictError).
 */
export const putAgent = async (
  agentId: string,
  spec: AgentSpec,
  at: string,
  /** The agent as the caller read them (undefined: a new agent); a change meanwhile is a ConflictError. */
  current: Agent | undefined,
): Promise<Agent> => {
  if (current && current.team !== spec.team && current.cases.length > 0) {
    throw new ConflictError(`agent ${agentId} holds cases of the ${current.team} team`);
  }
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName,
        Item: { ...agentTeamKey(agentId), kind: 'agent-team', team: spec.team },
        ...(current
          ? { ConditionExpression: '#team = :team', ExpressionAttributeNames: { '#team': 'team' } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
        ...(current ? { ExpressionAttributeValues: { ':team': current.team } } : {}),
      },
    },
  ];
  if (current && current.team === spec.team) {
    items.push({
      Update: {
        TableName: tableName,
        Key: agentKey(spec.team, agentId),
        UpdateExpression:
          'SET #name = :name, skills = :skills, #capacity = :capacity, #status = :status, updatedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#name': 'name', '#status': 'status', '#capacity': 'capacity' },
        ExpressionAttributeValues: {
          ':name': spec.name,
          ':skills': spec.skills,
          ':capacity': spec.capacity,
          ':status': spec.status,
          ':at': at,
        },
      },
    });
  } else {
    if (current) items.push({ Delete: { TableName: tableName, Key: agentKey(current.team, agentId) } });
    items.push({
      Put: {
        TableName: tableName,
        Item: { ...agentKey(spec.team, agentId), kind: 'agent', agentId, ...spec, updatedAt: at },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
  }
  await transact(items, items.length);
  return {
    agentId,
    ...spec,
    cases: current && current.team === spec.team ? current.cases : [],
    ...(current?.lastAssignedAt && current.team === spec.team
      ? { lastAssignedAt: current.lastAssignedAt }
      : {}),
    updatedAt: at,
  };
};

/** Sets an agent's status only (the agent themself or a supervisor). */
export const setAgentStatus = async (agent: Agent, status: Agent['status'], at: string): Promise<void> => {
  await dynamoDb.send(
    new UpdateCommand({
      TableName: tableName,
      Key: agentKey(agent.team, agent.agentId),
      UpdateExpression: 'SET #status = :status, updatedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':at': at },
    }),
  );
};

/**
 * The agent takes a case, in the transaction of the case's change: refused (TransactionRefused) unless the
 * agent is available with room (`capacity`); merely available (`presence`: the case comes back to the agent
 * who asked the seller for more); or merely on the team (`none`: a supervisor's assignment, or the agent
 * asking for the next case themselves).
 */
export const agentTakesItem = (
  agent: Agent,
  caseId: string,
  at: string,
  limit: 'capacity' | 'presence' | 'none' = 'capacity',
): TransactItem => {
  const condition = {
    capacity:
      'attribute_exists(pk) AND #status = :available AND (attribute_not_exists(#cases) OR size(#cases) < #capacity)',
    presence: 'attribute_exists(pk) AND #status = :available',
    none: 'attribute_exists(pk)',
  }[limit];
  return {
    Update: {
      TableName: tableName,
      Key: agentKey(agent.team, agent.agentId),
      UpdateExpression: 'ADD #cases :case SET lastAssignedAt = :at',
      ConditionExpression: condition,
      ExpressionAttributeNames: {
        '#cases': 'cases',
        ...(limit === 'none' ? {} : { '#status': 'status' }),
        ...(limit === 'capacity' ? { '#capacity': 'capacity' } : {}),
      },
      ExpressionAttributeValues: {
        ':case': new Set([caseId]),
        ':at': at,
        ...(limit === 'none' ? {} : { ':available': 'available' }),
      },
    },
  };
};

/** The agent lets a case go (decided, transferred, reassigned, back to the queue), with the case's change. */
export const agentReleasesItem = (team: string, agentId: string, caseId: string): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: agentKey(team, agentId),
    UpdateExpression: 'DELETE #cases :case',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: { '#cases': 'cases' },
    ExpressionAttributeValues: { ':case': new Set([caseId]) },
  },
});

/** A case in a team's backlog, as assignment reads it. */
export interface QueuedForTeam {
  readonly caseId: string;
  readonly key: string;
  readonly needs: CaseNeeds;
}

const queuedOf = (item: Record<string, unknown>): QueuedForTeam => {
  const key = String(item.backlogSk);
  return { caseId: key.slice(key.lastIndexOf('#') + 1), key, needs: item.backlogNeeds as CaseNeeds };
};

/** The first `limit` cases of a team's backlog, highest priority and earliest due first. */
export const teamBacklog = async (team: string, limit: number): Promise<QueuedForTeam[]> => {
  const out = await dynamoDb.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index('teamBacklog'),
      KeyConditionExpression: 'backlogPk = :pk',
      ExpressionAttributeValues: { ':pk': backlogKey(team) },
      Limit: limit,
    }),
  );
  return (out.Items ?? []).map(queuedOf);
};

/**
 * Where a queued case stands in its team's backlog (1 is next), counted up to `cap` cases ahead; and its
 * key there. Undefined when the case is not queued.
 */
export const backlogPosition = async (
  record: CaseRecord,
  cap = 1_000,
): Promise<{ team: string; position: number; more: boolean } | undefined> => {
  const attributes = backlogAttributes(record);
  if (!attributes.backlogPk) return undefined;
  const out = await dynamoDb.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index('teamBacklog'),
      KeyConditionExpression: 'backlogPk = :pk AND backlogSk < :mine',
      ExpressionAttributeValues: { ':pk': attributes.backlogPk, ':mine': attributes.backlogSk },
      Select: 'COUNT',
      Limit: cap,
    }),
  );
  const team = String(attributes.backlogPk).slice('BACKLOG#'.length);
  return { team, position: (out.Count ?? 0) + 1, more: !!out.LastEvaluatedKey };
};

// ---------------------------------------------------------------------------------------------------------
// FAQ candidates and dispute patterns (functions/domain/faq/): seller statements grouped as they are
// committed, read by family and reason without reading a case. Keys and arithmetic: table-design.ts.

const faqPk = (family: string, reason: string) => `FAQ#${family}#${reason}`;
const faqGroupKey = (family: string, reason: string, groupId: string) => ({
  pk: faqPk(family, reason),
  sk: `G#${groupId}`,
});
const faqRankKey = (family: string, reason: string, tier: number, groupId: string) => ({
  pk: faqPk(family, reason),
  // Higher tiers sort first: the list's first page holds the largest groups.
  sk: `R#${String(99 - tier).padStart(2, '0')}#${groupId}`,
});
const faqMarkKey = (family: string, reason: string, groupId: string) => ({
  pk: faqPk(family, reason),
  sk: `M#${groupId}`,
});
const faqBucketKey = (family: string, reason: string, bandKey: string) => {
  const [band, hash] = bandKey.split(':');
  return { pk: `FAQB#${family}#${reason}#${band}`, sk: String(hash) };
};
const faqCaseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'FAQ' });
/** A band bucket names at most this many groups: a bucket that common words fill stops taking more. */
const FAQ_BUCKET_GROUPS = 8;
/** Candidate groups compared with one statement at most (those sharing the most bands with it). */
const FAQ_CANDIDATES = 24;

const withoutKeys = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest as T;
};

/** What FAQ grouping recorded of a case, if anything. */
export const getFaqCase = async (caseId: string): Promise<FaqCase | undefined> => {
  const out = await dynamoDb.send(new GetCommand({ TableName: tableName, Key: faqCaseKey(caseId) }));
  return out.Item ? withoutKeys<FaqCase>(out.Item) : undefined;
};

const batchGet = async (keys: readonly Record<string, unknown>[]): Promise<Record<string, unknown>[]> => {
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += 100) {
    let batch: Record<string, unknown>[] = keys.slice(i, i + 100);
    while (batch.length > 0) {
      const out = await dynamoDb.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: batch } } }),
      );
      items.push(...(out.Responses?.[tableName] ?? []));
      batch = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return items;
};

/** A statement's band buckets as read: the groups each names, by band key (a bucket never written is absent). */
export type FaqBuckets = ReadonlyMap<string, readonly string[]>;

/**
 * A statement's band buckets (one BatchGet), and the groups sharing a band with it: those sharing the most
 * bands first, at most 24.
 */
export const faqCandidates = async (
  family: string,
  reason: string,
  bandKeys: readonly string[],
): Promise<{ ids: string[]; buckets: FaqBuckets }> => {
  const keys = bandKeys.map((band) => ({ band, key: faqBucketKey(family, reason, band) }));
  const bandOf = new Map(keys.map(({ band, key }) => [`${key.pk}|${key.sk}`, band]));
  const buckets = new Map<string, readonly string[]>();
  const shared = new Map<string, number>();
  for (const item of await batchGet(keys.map(({ key }) => key))) {
    const groups = (item.groups as string[] | undefined) ?? [];
    const band = bandOf.get(`${String(item.pk)}|${String(item.sk)}`);
    if (band !== undefined) buckets.set(band, groups);
    for (const id of groups) shared.set(id, (shared.get(id) ?? 0) + 1);
  }
  const ids = [...shared]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, FAQ_CANDIDATES)
    .map(([id]) => id);
  return { ids, buckets };
};

/** Groups of one family and reason by id (one BatchGet); missing ids are left out. */
export const getFaqGroups = async (
  family: string,
  reason: string,
  ids: readonly string[],
): Promise<FaqGroup[]> =>
  (await batchGet(ids.map((id) => faqGroupKey(family, reason, id)))).map((item) =>
    withoutKeys<FaqGroup>(item),
  );

const versioned = (before: { version: number } | undefined) =>
  before
    ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': before.version } }
    : { ConditionExpression: 'attribute_not_exists(pk)' };

/**
 * Commits one statement's grouping: the group as it is now (created, or changed from `groupBefore`), the
 * case's FAQ record, and the group's rank entry where its size crossed a tier — one transaction, each
 * item conditioned on the version read. False when another writer changed one of them first (read again).
 */
export const commitFaqStatement = async (change: {
  readonly group: FaqGroup;
  readonly groupBefore: FaqGroup | undefined;
  readonly faqCase: FaqCase;
  readonly caseBefore: FaqCase | undefined;
  readonly tierBefore: number;
  readonly tierAfter: number;
}): Promise<boolean> => {
  const { group, faqCase } = change;
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName,
        Item: { ...faqGroupKey(group.family, group.reason, group.groupId), kind: 'faq-group', ...group },
        ...versioned(change.groupBefore),
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...faqCaseKey(faqCase.caseId), kind: 'faq-case', ...faqCase },
        ...versioned(change.caseBefore),
      },
    },
  ];
  if (change.tierAfter !== change.tierBefore) {
    if (change.tierBefore > 0)
      items.push({
        Delete: {
          TableName: tableName,
          Key: faqRankKey(group.family, group.reason, change.tierBefore, group.groupId),
        },
      });
    items.push({
      Put: {
        TableName: tableName,
        Item: {
          ...faqRankKey(group.family, group.reason, change.tierAfter, group.groupId),
          kind: 'faq-rank',
          groupId: group.groupId,
        },
      },
    });
  }
  try {
    await dynamoDb.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
};

/**
 * Names the group in the statement's band buckets that do not name it yet (and have room), so like
 * statements find it. After the commit and outside it: a bucket lost to a crash only makes the group a
 * little harder to find. Buckets only grow, so one read (`known`) to name the group or to be full is
 * skipped without a write; the others are updated on the condition that they still have room and do not
 * name it (another statement may have filled them since).
 */
export const addFaqBuckets = async (
  family: string,
  reason: string,
  bandKeys: readonly string[],
  groupId: string,
  known: FaqBuckets = new Map(),
): Promise<void> => {
  const unnamed = bandKeys.filter((key) => {
    const groups = known.get(key);
    return groups === undefined || (groups.length < FAQ_BUCKET_GROUPS && !groups.includes(groupId));
  });
  await Promise.all(
    unnamed.map(async (key) => {
      try {
        await dynamoDb.send(
          new UpdateCommand({
            TableName: tableName,
            Key: faqBucketKey(family, reason, key),
            UpdateExpression: 'SET kind = :kind, groups = list_append(if_not_exists(groups, :none), :id)',
            ConditionExpression:
              'attribute_not_exists(groups) OR (size(groups) < :cap AND NOT contains(groups, :gid))',
            ExpressionAttributeValues: {
              ':kind': 'faq-bucket',
              ':none': [],
              ':id': [groupId],
              ':gid': groupId,
              ':cap': FAQ_BUCKET_GROUPS,
            },
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    }),
  );
};

/**
 * Records a template sent to a case's seller: on the case's FAQ record, and (once per case) on each group
 * its statements are in. False when another writer changed one of them first (read again).
 */
export const commitFaqTemplate = async (
  faqCase: FaqCase,
  caseBefore: FaqCase | undefined,
  groups: readonly FaqGroup[],
  template: string,
): Promise<boolean> => {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: tableName,
        Item: { ...faqCaseKey(faqCase.caseId), kind: 'faq-case', ...faqCase },
        ...versioned(caseBefore),
      },
    },
    ...groups.map(
      (group): TransactItem => ({
        Update: {
          TableName: tableName,
          Key: faqGroupKey(group.family, group.reason, group.groupId),
          UpdateExpression: 'SET version = :next, templates.#t = if_not_exists(templates.#t, :zero) + :one',
          ConditionExpression: 'version = :v',
          ExpressionAttributeNames: { '#t': template },
          ExpressionAttributeValues: {
            ':v': group.version,
            ':next': group.version + 1,
            ':zero': 0,
            ':one': 1,
          },
        },
      }),
    ),
  ];
  try {
    await dynamoDb.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
};

/**
 * A page of a family and reason's groups: the recurring ones (two statements or more) largest tier first,
 * or only those marked as FAQ candidates. One query of at most `limit` entries and one BatchGet of their
 * groups: never the singletons, never a case. `cursor` is the last entry's sort key, as the answer gave it.
 */
export const listFaqGroups = async (
  family: string,
  reason: string,
  options: { readonly candidates: boolean; readonly limit: number; readonly after?: string | undefined },
): Promise<{ groups: FaqGroup[]; last: string | undefined }> => {
  const prefix = options.candidates ? 'M#' : 'R#';
  const out = await dynamoDb.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': faqPk(family, reason), ':prefix': prefix },
      Limit: options.limit,
      ...(options.after ? { ExclusiveStartKey: { pk: faqPk(family, reason), sk: options.after } } : {}),
    }),
  );
  const ids = (out.Items ?? []).map((item) => String(item.groupId));
  const groups = await getFaqGroups(family, reason, ids);
  const last = out.LastEvaluatedKey ? String(out.LastEvaluatedKey.sk) : undefined;
  return { groups, last };
};

/**
 * Marks a group as an FAQ candidate (with its entry among the family and reason's candidates), or clears
 * the mark; conditioned on the version read. False when the group changed meanwhile (read again).
 */
export const setFaqMark = async (group: FaqGroup, mark: FaqMark | undefined): Promise<boolean> => {
  const key = faqGroupKey(group.family, group.reason, group.groupId);
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName,
        Key: key,
        UpdateExpression: mark
          ? 'SET version = :next, candidate = :mark'
          : 'SET version = :next REMOVE candidate',
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: {
          ':v': group.version,
          ':next': group.version + 1,
          ...(mark ? { ':mark': mark } : {}),
        },
      },
    },
    mark
      ? {
          Put: {
            TableName: tableName,
            Item: {
              ...faqMarkKey(group.family, group.reason, group.groupId),
              kind: 'faq-mark',
              groupId: group.groupId,
            },
          },
        }
      : { Delete: { TableName: tableName, Key: faqMarkKey(group.family, group.reason, group.groupId) } },
  ];
  try {
    await dynamoDb.send(new TransactWriteCommand({ TransactItems: items }));
    return true;
  } catch (error) {
    if (error instanceof TransactionCanceledException) return false;
    throw error;
  }
};

// ---------------------------------------------------------------------------------------------------------
// Quality reviews (review-scores.ts, reviews.ts; keys and their arithmetic in table-design.ts).
//
// | item                | pk                    | sk                 | reviewQueue (sparse, while queued)  |
// |---------------------|-----------------------|--------------------|-------------------------------------|
// | review entry        | CASE#<caseId>         | REVIEW#<version>   | REVIEWQ#<family> / <queuedAt>#<id>  |
// | scores of a segment | REVIEWSCORE#<segment> | TOTAL              |                                     |
// | segments seen       | REVIEWSCORE           | CATALOG            |                                     |

const reviewKey = (caseId: string, version: number) => ({
  pk: `CASE#${caseId}`,
  sk: `REVIEW#${pad(version)}`,
});
const reviewQueueKey = (family: string) => `REVIEWQ#${family}`;
const reviewScoreKey = (segment: string) => ({ pk: `REVIEWSCORE#${segment}`, sk: 'TOTAL' });
const REVIEW_CATALOG_KEY = { pk: 'REVIEWSCORE', sk: 'CATALOG' } as const;

/** A review entry as stored: queued until a reviewer scores it, then reviewed with the review. */
export interface StoredReviewEntry extends ReviewEntry {
  /** The case version whose commit queued it (the resolution's). */
  readonly version: number;
  readonly status: 'queued' | 'reviewed';
  readonly review?: Review;
}

const reviewEntryOfItem = (item: Record<string, unknown>): StoredReviewEntry => {
  const { pk: _pk, sk: _sk, kind: _kind, reviewQueuePk: _qpk, reviewQueueSk: _qsk, ...rest } = item;
  return rest as unknown as StoredReviewEntry;
};

/**
 * The review entry a resolution queues, put in the resolution's own transaction: the case's version guards
 * that commit, so the entry is written exactly when the resolution is, and a retried step writes nothing.
 */
export const reviewEntryItem = (version: number, entry: ReviewEntry): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: {
      ...reviewKey(entry.caseId, version),
      kind: 'review',
      ...entry,
      version,
      status: 'queued',
      reviewQueuePk: reviewQueueKey(entry.family),
      reviewQueueSk: `${entry.queuedAt}#${entry.caseId}`,
    },
  },
});

/** The case's latest review entry (a case has one per review-worthy resolution: a sample, an overturn). */
export const latestReviewEntry = async (caseId: string): Promise<StoredReviewEntry | undefined> => {
  const out = await dynamoDb.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :review)',
      ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':review': 'REVIEW#' },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const [item] = out.Items ?? [];
  return item ? reviewEntryOfItem(item) : undefined;
};

/** A queued entry as the review queue lists it, and the key after which the next page starts. */
export interface QueuedReview {
  readonly entry: ReviewEntry;
  readonly position: string;
}

/**
 * One page of the review queue, oldest first: each family's queue read from `after` (a position, the
 * previous page's last) for `limit` + 1 entries, merged. Every family's queue sorts by the same
 * `<queuedAt>#<caseId>`, so "after this position" pages through them all alike: a page reads at most
 * families × (limit + 1) index items, however long the queues. `more` when an entry is left after the page.
 */
export const reviewQueuePage = async (
  families: readonly string[],
  after: string | undefined,
  limit: number,
): Promise<{ readonly entries: readonly QueuedReview[]; readonly more: boolean }> => {
  const pages = await Promise.all(
    families.map(async (family) => {
      const out = await dynamoDb.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: index('reviewQueue'),
          KeyConditionExpression: `reviewQueuePk = :pk${after ? ' AND reviewQueueSk > :after' : ''}`,
          ExpressionAttributeValues: { ':pk': reviewQueueKey(family), ...(after ? { ':after': after } : {}) },
          Limit: limit + 1,
        }),
      );
      return out.Items ?? [];
    }),
  );
  const merged = pages
    .flat()
    .map((item) => ({ entry: reviewEntryOfItem(item) as ReviewEntry, position: String(item.reviewQueueSk) }))
    .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  return { entries: merged.slice(0, limit), more: merged.length > limit };
};

/** How many times a review is tried again when another review's transaction holds a shared total. */
const REVIEW_ATTEMPTS = 5;

/**
 * Records a review: the entry leaves the queue with its scores, each of its segments' totals adds the
 * review's counters, and the catalog of segments learns its values — one transaction, so the totals count
 * each review exactly once. `already-reviewed` when the entry was reviewed first (nothing is written).
 * Two reviews committing at once may collide on a shared total (`all`): the loser goes again, with backoff.
 */
export const commitReview = async (
  stored: StoredReviewEntry,
  review: Review,
  segments: readonly { readonly segment: string; readonly counters: Counters }[],
  catalog: Readonly<Record<string, string>>,
): Promise<'recorded' | 'already-reviewed'> => {
  const dimensions = Object.entries(catalog);
  const items: TransactItem[] = [
    {
      Update: {
        TableName: tableName,
        Key: reviewKey(stored.caseId, stored.version),
        UpdateExpression: 'SET #status = :reviewed, #review = :review REMOVE reviewQueuePk, reviewQueueSk',
        ConditionExpression: '#status = :queued',
        ExpressionAttributeNames: { '#status': 'status', '#review': 'review' },
        ExpressionAttributeValues: { ':reviewed': 'reviewed', ':queued': 'queued', ':review': review },
      },
    },
    ...segments.map(
      ({ segment, counters }): TransactItem => ({
        Update: {
          TableName: tableName,
          Key: reviewScoreKey(segment),
          UpdateExpression: `SET kind = :kind ADD ${Object.keys(counters)
            .map((_, i) => `#c${i} :c${i}`)
            .join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(Object.keys(counters).map((k, i) => [`#c${i}`, k])),
          ExpressionAttributeValues: {
            ':kind': 'review-score',
            ...Object.fromEntries(Object.values(counters).map((v, i) => [`:c${i}`, v])),
          },
        },
      }),
    ),
    {
      Update: {
        TableName: tableName,
        Key: REVIEW_CATALOG_KEY,
        UpdateExpression: `SET kind = :kind ADD ${dimensions.map((_, i) => `#d${i} :d${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(dimensions.map(([name], i) => [`#d${i}`, name])),
        ExpressionAttributeValues: {
          ':kind': 'review-catalog',
          ...Object.fromEntries(dimensions.map(([, value], i) => [`:d${i}`, new Set([value])])),
        },
      },
    },
  ];
  for (let attempt = 1; ; attempt += 1) {
    try {
      await dynamoDb.send(new TransactWriteCommand({ TransactItems: items }));
      return 'recorded';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'already-reviewed';
      const busy = reasons.find((r) => r.Code !== undefined && THROTTLE_CODES.has(r.Code));
      if (!busy) throw error;
      if (attempt >= REVIEW_ATTEMPTS)
        throw new TransientError(`the review's totals are busy (${busy.Code}); retry it`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * 2 ** attempt));
    }
  }
};

/**
 * The review totals of every segment a review has counted in: the catalog (one item), then each segment's
 * totals (one item each, by BatchGet). Its cost follows the segments — families, teams, agents and
 * template versions — never the reviews or the cases.
 */
export const reviewTotals = async (): Promise<Map<string, Counters>> => {
  const catalog = await getItem(REVIEW_CATALOG_KEY.pk, REVIEW_CATALOG_KEY.sk);
  const segments = [
    'all',
    ...Object.entries(catalog ?? {}).flatMap(([dimension, values]) =>
      values instanceof Set ? [...values].map((value) => `${dimension}=${String(value)}`) : [],
    ),
  ];
  const totals = new Map<string, Counters>();
  const keys = segments.map(reviewScoreKey);
  for (let i = 0; i < keys.length; i += 100) {
    let batch: Record<string, unknown>[] = keys.slice(i, i + 100);
    while (batch.length > 0) {
      const out = await dynamoDb.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: batch } } }),
      );
      for (const item of out.Responses?.[tableName] ?? []) {
        const counters = Object.fromEntries(
          Object.entries(item).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
        );
        totals.set(String(item.pk).slice('REVIEWSCORE#'.length), counters);
      }
      batch = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return totals;
};

// ---------------------------------------------------------------------------------------------------------
// The weekly review's rows (weekly-review.ts): counters per ISO week and figure row, with example case
// ids, folded from the table's stream (weekly-review-fold.ts); keys and arithmetic in table-design.ts.

/** What one committed change adds to the weekly review: its rows, and whether the case is an example of each. */
export interface ReviewDelta {
  readonly caseId: string;
  readonly version: number;
  readonly rows: readonly {
    readonly week: string;
    readonly row: string;
    readonly counters: Counters;
    readonly example: boolean;
  }[];
}

/** The example case ids each of `rows` holds on `writer` now (to add only while a row has room). */
const weeklyExamplesHeld = async (rows: readonly { week: string; row: string }[], writer: number) => {
  const held = new Map<string, number>();
  const keys = rows.map(({ week, row }) => weeklyRowKey(week, row, writer));
  for (let i = 0; i < keys.length; i += 100) {
    let batch: Record<string, unknown>[] = keys.slice(i, i + 100);
    while (batch.length > 0) {
      const out = await dynamoDb.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: batch,
              ProjectionExpression: '#pk, #sk, #ex',
              ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#ex': 'ex' },
            },
          },
        }),
      );
      for (const item of out.Responses?.[tableName] ?? [])
        held.set(`${item.pk}|${item.sk}`, item.ex instanceof Set ? item.ex.size : 0);
      batch = out.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return (week: string, row: string) => {
    const { pk, sk } = weeklyRowKey(week, row, writer);
    return held.get(`${pk}|${sk}`) ?? 0;
  };
};

const weeklyTransaction = async (
  deltas: readonly ReviewDelta[],
  writer: number,
  now: string,
): Promise<TransactItem[]> => {
  const rows = new Map<string, { week: string; row: string; counters: Counters; examples: string[] }>();
  for (const delta of deltas)
    for (const { week, row, counters, example } of delta.rows) {
      const key = `${week}|${row}`;
      const sum = rows.get(key) ?? { week, row, counters: {}, examples: [] };
      rows.set(key, {
        ...sum,
        counters: addCounters(sum.counters, counters),
        examples:
          example && !sum.examples.includes(delta.caseId) ? [...sum.examples, delta.caseId] : sum.examples,
      });
    }
  const withExamples = [...rows.values()].filter((r) => r.examples.length > 0);
  const held = withExamples.length > 0 ? await weeklyExamplesHeld(withExamples, writer) : () => 0;
  return [
    ...deltas.map(
      (delta): TransactItem => ({
        Put: {
          TableName: tableName,
          Item: {
            ...weeklyFoldMarkerKey(delta.caseId, delta.version),
            kind: 'reviewed',
            expiresAtEpoch: expiresAfter(now, RETENTION_DAYS.foldMarker),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      }),
    ),
    ...[...rows.values()]
      .filter((r) => Object.keys(r.counters).length > 0 || r.examples.length > 0)
      .map((r): TransactItem => {
        const room = Math.max(0, WEEKLY_EXAMPLES - held(r.week, r.row));
        const examples = r.examples.slice(0, room);
        const measures = Object.entries(r.counters);
        const adds = [
          ...measures.map((_, i) => `#c${i} :c${i}`),
          ...(examples.length > 0 ? ['#ex :ex'] : []),
        ];
        return {
          Update: {
            TableName: tableName,
            Key: weeklyRowKey(r.week, r.row, writer),
            UpdateExpression: `SET kind = :kind${adds.length > 0 ? ` ADD ${adds.join(', ')}` : ''}`,
            ExpressionAttributeNames: {
              ...Object.fromEntries(measures.map(([m], i) => [`#c${i}`, m])),
              ...(examples.length > 0 ? { '#ex': 'ex' } : {}),
            },
            ExpressionAttributeValues: {
              ':kind': 'weekly',
              ...Object.fromEntries(measures.map(([, n], i) => [`:c${i}`, n])),
              ...(examples.length > 0 ? { ':ex': new Set(examples) } : {}),
            },
          },
        };
      }),
  ];
};

/**
 * Adds changes to the weekly review's rows, each exactly once: in transactions of up to 100 items, a
 * marker per change and one update per week and row they touch; a row's examples grow while it holds fewer
 * than WEEKLY_EXAMPLES on its writer (two batches at once may each fill it: a few more, never unbounded). A
 * change already folded (its marker exists) is dropped and the rest go again. Answers how many were folded.
 */
export const foldReviewDeltas = (deltas: readonly ReviewDelta[]): Promise<number> =>
  foldExactlyOnce(
    deltas,
    (delta) => delta.rows.map((r) => `${r.week}|${r.row}`),
    (delta) => delta.rows[0]?.week ?? '',
    (chunk) => weeklyTransaction(chunk, Math.floor(Math.random() * WEEKLY_WRITERS), nowIso()),
  );

/**
 * A week's review rows, summed over the writers: one query per writer of the week's rows (bounded by
 * policy, never by cases), each row's counters and its example case ids.
 */
export const weeklyReviewRows = async (
  week: string,
): Promise<Map<string, { counters: Counters; cases: string[] }>> => {
  const rows = new Map<string, { counters: Record<string, number>; cases: string[] }>();
  await Promise.all(
    Array.from({ length: WEEKLY_WRITERS }, async (_, writer) => {
      for await (const page of queryPages({
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': weeklyRowKey(week, '', writer).pk },
      }))
        for (const item of page.Items ?? []) {
          const row = rows.get(String(item.sk)) ?? { counters: {}, cases: [] };
          for (const [key, value] of Object.entries(item))
            if (typeof value === 'number') row.counters[key] = (row.counters[key] ?? 0) + value;
          if (item.ex instanceof Set) row.cases.push(...[...item.ex].map(String));
          rows.set(String(item.sk), row);
        }
    }),
  );
  return rows;
};
