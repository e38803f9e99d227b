import { randomUUID } from 'node:crypto';
import { logger } from '#commons/logging.ts';
import { backoffMs, isTransient, sleep } from '#commons/retry.ts';
import { putEvents } from '#gateways/events.ts';
import { sendEmail } from '#gateways/mail.ts';
import { publish } from '#gateways/notifications.ts';
import { deleteSchedule, scheduleOnce } from '#gateways/scheduler.ts';
import type { CaseRecord } from './case.ts';
import {
  type Change,
  claimOutbox,
  commitChangeWithOutbox,
  dueOutboxIds,
  failOutbox,
  markOutboxSent,
  type OutboxLease,
  releaseOutbox,
} from './case-store.ts';
import type { LegacyScheduleRecord, OutboxMessage, OutboxRecord } from './outbox.ts';
import { OUTBOX_SHARDS } from './table-design.ts';

/**
 * Sends outbox records after their commit, each exactly once (DESIGN.md decision 8).
 *
 * Contract, per record:
 * 1. **Claim**: a conditional update moves it from `pending` (and due) to `sending` under a lease of
 *    {@link LEASE_MS}; a record `sending` under an expired lease (its sender crashed) is claimed the same
 *    way. A record already `sent` (or `failed`, or held by a live lease) cannot be claimed: nothing happens.
 * 2. **Send** it through SES SendEmail, SNS Publish, EventBridge PutEvents or Scheduler CreateSchedule (the
 *    mail, notifications, events and scheduler gateways), as rendered at commit.
 * 3. **Mark** it `sent` with the provider's message id, in one transaction with what depends on that id (an
 *    email's case message gets SES's message id and Message-ID header; the `MAILREF` item maps the header
 *    to the case).
 * A transient failure (throttle, 5xx, timeout) gives the record back for a later attempt, with exponential
 * backoff and jitter, for as long as it takes; a refusal (4xx) is retried too, up to
 * {@link MAX_REFUSED_ATTEMPTS} claims, then the record is marked `failed` and logged for an operator.
 *
 * Two triggers, the same code on AWS and locally: the writer dispatches the records it just committed
 * ({@link commitAndDispatch}: the fast path, no added latency; the records are committed already claimed
 * by the writer, so step 1 is part of the commit), and {@link sweepOutbox} picks up whatever
 * is still due (a fast path that failed or crashed, a retry whose time came, an expired lease).
 *
 * Time here is the wall clock, never case time: a lease or a backoff must not shrink under TIME_SCALE.
 */

/**
 * How long a claim holds a record. Longer than any function that dispatches may run (60 s at most:
 * infra/aws/constructs/sellerworks-function.ts), so a live sender never loses its lease mid-send.
 */
export const LEASE_MS = 120_000;
/** Claims after which a record the provider keeps refusing (not transiently) is marked failed. */
export const MAX_REFUSED_ATTEMPTS = 8;
/** Sends tried within one claim on a transient failure before the record is given back to the sweep. */
const INLINE_ATTEMPTS = 3;
/** Backoff between claims: from 2 s, doubling, at most 15 minutes. */
const RETRY_BASE_MS = 2_000;
const RETRY_CAP_MS = 15 * 60_000;
/** Records one sweep takes from each shard, and how many it sends at once. */
const SWEEP_BATCH = 50;
const SWEEP_CONCURRENCY = 8;
/** How many times one sweep reads a shard that keeps answering full batches. */
const SWEEP_ROUNDS = 20;
/** A sweep claims nothing more once its function has less than this left. */
const SWEEP_RESERVE_MS = 10_000;

export type DispatchOutcome = 'sent' | 'retry' | 'failed' | 'skipped';

const iso = (ms: number) => new Date(ms).toISOString();
const errorText = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : `unknown error: ${String(error)}`;
const log = (level: 'INFO' | 'WARN' | 'ERROR', message: string, fields: Record<string, unknown>) =>
  (level === 'ERROR' ? logger.error : level === 'WARN' ? logger.warn : logger.info)(message, fields);

interface Sent {
  readonly providerMessageId: string;
  readonly headerMessageId?: string;
}

/** One call to the provider (mail.ts, notifications.ts); what it answered. */
const send = async (record: OutboxRecord): Promise<Sent> => {
  if (record.channel === 'email') {
    const messageId = await sendEmail(record.email);
    // SES always names the message; without a name there is no header to thread replies by.
    return messageId
      ? {
          providerMessageId: messageId,
          headerMessageId: `<${messageId}@${record.email.messageIdDomain}>`,
        }
      : { providerMessageId: record.outboxId };
  }
  if (record.channel === 'eventbridge') {
    const ids = await putEvents(record.events);
    return { providerMessageId: ids.join(',').slice(0, 1000) || record.outboxId };
  }
  if (record.channel === 'schedule') {
    // Creating a name that exists is harmless (the gateway says so): a resend after a crash, or after one
    // of the record's schedules failed, changes nothing for those already created.
    const { schedule, schedules } = record as LegacyScheduleRecord;
    const all = schedules ?? (schedule ? [schedule] : []);
    for (const one of all) await scheduleOnce(one);
    // Deleting one that is gone already is harmless too; the new schedule exists before the old one goes.
    const deletes = record.deletes ?? [];
    for (const name of deletes) await deleteSchedule(name);
    return {
      providerMessageId: [...all.map((one) => one.name), ...deletes.map((name) => `-${name}`)]
        .join(',')
        .slice(0, 1000),
    };
  }
  return { providerMessageId: (await publish(record.sns)) ?? record.outboxId };
};

/** Marks a sent record, retrying a throttled or failed write: a mark that never lands means a resend. */
const mark = async (record: OutboxRecord, sent: Sent): Promise<void> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const marked = await markOutboxSent(record, { ...sent, at: new Date().toISOString() });
      if (!marked) log('WARN', 'outbox record was marked by another claimant', { outboxId: record.outboxId });
      return;
    } catch (error) {
      if (!isTransient(error) || attempt >= 8) {
        log('ERROR', 'outbox record sent but not marked; it will be sent again when its lease expires', {
          outboxId: record.outboxId,
          caseId: record.caseId,
          error: errorText(error),
        });
        return;
      }
      await sleep(backoffMs(attempt, 50, 2_000));
    }
  }
};

/** Gives a record whose send failed back for later, or gives up on one the provider keeps refusing. */
const giveBack = async (record: OutboxRecord, claimId: string, error: unknown): Promise<DispatchOutcome> => {
  const reason = errorText(error);
  const fields = {
    outboxId: record.outboxId,
    caseId: record.caseId,
    attempts: record.attempts,
    error: reason,
  };
  if (!isTransient(error) && record.attempts >= MAX_REFUSED_ATTEMPTS) {
    log('ERROR', 'outbox record refused by the provider; given up', fields);
    await failOutbox(record.outboxId, claimId, reason, new Date().toISOString());
    return 'failed';
  }
  const dueAt = iso(Date.now() + backoffMs(record.attempts, RETRY_BASE_MS, RETRY_CAP_MS));
  log('WARN', 'outbox record not sent yet; retrying later', { ...fields, dueAt });
  await releaseOutbox(record.outboxId, claimId, dueAt, reason);
  return 'retry';
};

/** Sends a record this claimant holds and marks it; on failure gives it back (see the contract above). */
const sendClaimed = async (
  record: OutboxRecord,
  claimId: string,
  inlineAttempts: number = INLINE_ATTEMPTS,
): Promise<DispatchOutcome> => {
  for (let attempt = 1; ; attempt += 1) {
    let sent: Sent;
    try {
      sent = await send(record);
    } catch (error) {
      if (isTransient(error) && attempt < inlineAttempts) {
        await sleep(backoffMs(attempt, 100, 1_000));
        continue;
      }
      return giveBack(record, claimId, error);
    }
    // The one residual window: the provider has accepted the message and the mark is not written yet. A
    // crash (or a mark that fails eight times) here leaves the record `sending`; once its lease expires the
    // sweep claims it again and the message goes out a second time. Neither SES SendEmail nor SNS Publish
    // (standard topics) takes an idempotency key, so no provider-side check can close it; the window is kept
    // to the mark alone: nothing else runs between the provider's answer and the mark, and the mark is
    // retried in place. (The SDK's own retry of a send that timed out after SES accepted it has the same
    // effect, at the same rarity.)
    await mark(record, sent);
    return 'sent';
  }
};

/** Claims one record, sends it and marks it (see the contract above). */
export const dispatchOne = async (
  outboxId: string,
  options: { readonly inlineAttempts?: number; readonly reclaimLease?: boolean } = {},
): Promise<DispatchOutcome> => {
  const claimId = randomUUID();
  const now = Date.now();
  const record = await claimOutbox(outboxId, claimId, iso(now), iso(now + LEASE_MS), options.reclaimLease);
  if (!record) return 'skipped';
  return sendClaimed(record, claimId, options.inlineAttempts);
};

/** A lease for records a writer commits and sends itself (commit with it, then {@link sendLeased}). */
export const newLease = (): OutboxLease => ({ claimId: randomUUID(), until: iso(Date.now() + LEASE_MS) });

/**
 * Sends records committed under `lease` (already `sending`, held by it), in order. Never throws: a record
 * not sent now is given back, or left to its lease's expiry, and the sweep sends it.
 */
export const sendLeased = async (messages: readonly OutboxMessage[], lease: OutboxLease): Promise<void> => {
  const createdAt = new Date().toISOString();
  for (const message of messages) {
    const record: OutboxRecord = { ...message, status: 'sending', attempts: 1, createdAt };
    try {
      await sendClaimed(record, lease.claimId);
    } catch (error) {
      log('WARN', 'outbox dispatch failed; the sweep will send it', {
        outboxId: message.outboxId,
        error: errorText(error),
      });
    }
  }
};

/**
 * Commits a change (commitChange) with its outbox records already claimed, then sends them. The commit's
 * errors are the caller's; once it has committed, sending can delay a message but never fail the caller.
 */
export const commitAndDispatch = async (
  current: CaseRecord,
  change: Change,
  options: { readonly rebase?: number } = {},
): Promise<CaseRecord> => {
  const lease = newLease();
  // What the commit wrote to the outbox: the change's records and its alarm's (alarm.ts).
  const { record, outbox } = await commitChangeWithOutbox(current, change, { ...options, lease });
  if (outbox.length > 0) await sendLeased(outbox, lease);
  return record;
};

export interface SweepResult {
  readonly sent: number;
  readonly retry: number;
  readonly failed: number;
  readonly skipped: number;
  readonly errors: number;
}

/**
 * Sends every record still due: pending after a failed or crashed fast path, due for a retry, deferred to
 * a time now come (a follow-up's schedule), or held by an expired lease. Reads each shard of the sparse
 * outboxDue index (never the table), up to {@link SWEEP_BATCH} records a shard, oldest first, and
 * dispatches them a few at a time; a shard that answered a full batch is read again. Safe to run
 * concurrently with itself and with the fast path: each record is claimed before it is sent.
 * `timeLeftMs` (the function's remaining time) stops it claiming records it may not finish.
 */
export const sweepOutbox = async (
  options: {
    readonly timeLeftMs?: () => number;
    /** Take over records under any lease too: only when every holder is known to be gone (a restart). */
    readonly reclaimLeases?: boolean;
  } = {},
): Promise<SweepResult> => {
  const timeLeft = () => options.timeLeftMs?.() ?? Number.POSITIVE_INFINITY;
  const counts = { sent: 0, retry: 0, failed: 0, skipped: 0, errors: 0 };
  // Shards read again while they answer full batches (deferred records coming due in bulk: follow-ups), as
  // long as time is left, and at most SWEEP_ROUNDS times a sweep.
  let shards = Array.from({ length: OUTBOX_SHARDS }, (_, shard) => shard);
  for (let round = 0; round < SWEEP_ROUNDS && shards.length > 0 && timeLeft() >= SWEEP_RESERVE_MS; round++) {
    // A live lease's dueAt is its end, at most LEASE_MS from now: reading that far ahead finds them all.
    const until = options.reclaimLeases ? iso(Date.now() + LEASE_MS) : new Date().toISOString();
    const read = await Promise.all(
      shards.map(async (shard) => ({ shard, ids: await dueOutboxIds(shard, until, SWEEP_BATCH) })),
    );
    const moved = await dispatchAll(
      read.flatMap((r) => r.ids),
      counts,
      timeLeft,
      options.reclaimLeases ?? false,
    );
    // Read again only where a full batch moved: records read but not claimable (not due yet, held by a
    // live lease) would fill the same batch again.
    shards = read
      .filter((r) => r.ids.length >= SWEEP_BATCH && r.ids.some((id) => moved.has(id)))
      .map((r) => r.shard);
  }
  if (counts.sent + counts.retry + counts.failed + counts.errors > 0) log('INFO', 'outbox swept', counts);
  return counts;
};

/** Dispatches records a few at a time, counting what became of each; answers those it claimed. */
const dispatchAll = async (
  queue: string[],
  counts: Record<keyof SweepResult, number>,
  timeLeft: () => number,
  reclaimLeases: boolean,
): Promise<Set<string>> => {
  const moved = new Set<string>();
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      if (timeLeft() < SWEEP_RESERVE_MS) return;
      try {
        const outcome = await dispatchOne(id, {
          inlineAttempts: 1,
          ...(reclaimLeases ? { reclaimLease: true } : {}),
        });
        counts[outcome] += 1;
        if (outcome !== 'skipped') moved.add(id);
      } catch (error) {
        counts.errors += 1;
        log('WARN', 'outbox sweep could not dispatch a record', { outboxId: id, error: errorText(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: SWEEP_CONCURRENCY }, worker));
  return moved;
};
