import { createHash, randomUUID } from 'node:crypto';
import { OUTBOX_SHARDS } from './table-design.ts';

/**
 * Outbox records: the messages a state change implies, written in the same transaction as the change and
 * sent after it, each exactly once, by functions/domain/outbox-dispatch.ts. A record holds everything
 * needed to send it, rendered at commit time, so sending needs no other read and a retry sends the very
 * same message.
 */

/** An email as SES v2 SendEmail takes it (Simple content). */
export interface OutboundEmail {
  readonly from: string;
  readonly to: readonly string[];
  readonly replyTo?: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly headers: readonly { readonly name: string; readonly value: string }[];
  readonly tags: readonly { readonly name: string; readonly value: string }[];
  readonly configurationSet?: string;
  /** SES names sent mail `<MessageId>@<this domain>`: the header Message-ID replies quote. */
  readonly messageIdDomain: string;
}

/** An SNS publication on a topic (escalations, owner alerts). */
export interface OutboundNotification {
  readonly topicArn: string;
  readonly subject: string;
  readonly message: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** A one-time EventBridge schedule (an SLA timer): it invokes `target` with `input` at `at`. */
export interface OutboundSchedule {
  readonly name: string;
  readonly at: string;
  readonly target: string;
  readonly input: Readonly<Record<string, string>>;
}

/** Domain events as EventBridge PutEvents takes them: one call, up to {@link MAX_EVENTS_PER_RECORD} entries. */
export interface OutboundEvents {
  readonly eventBusName: string;
  readonly source: string;
  readonly entries: readonly {
    readonly detailType: string;
    readonly detail: Readonly<Record<string, unknown>>;
  }[];
}

/** PutEvents takes at most 10 entries a call; a record holds what one call sends. */
export const MAX_EVENTS_PER_RECORD = 10;

/** The case message an email record stands for: once sent, it gets SES's message id and Message-ID header. */
export interface OutboxMessageLink {
  /** The message item's `sentAt` (its sort key holds it, with the outbox id as the message id until sent). */
  readonly sentAt: string;
  readonly audience: 'seller' | 'buyer';
  readonly to: string;
}

/**
 * A record may wait before it is sent: one with `notBefore` (wall clock, ISO) is committed pending and due
 * then, not claimed by its writer, and the sweep sends it once it is due (follow-up.ts: the follow-up's
 * schedule, created minutes before it rings rather than days before).
 */
interface Deferral {
  readonly notBefore?: string;
}

export type OutboxMessage = Deferral &
  (
    | {
        readonly outboxId: string;
        readonly caseId: string;
        readonly channel: 'email';
        readonly email: OutboundEmail;
        readonly message?: OutboxMessageLink;
      }
    | {
        readonly outboxId: string;
        readonly caseId: string;
        readonly channel: 'sns';
        readonly sns: OutboundNotification;
      }
    | {
        readonly outboxId: string;
        readonly caseId: string;
        readonly channel: 'eventbridge';
        /** Every domain event one commit implies, in the commit's order, published in one call. */
        readonly events: OutboundEvents;
      }
    | {
        readonly outboxId: string;
        readonly caseId: string;
        readonly channel: 'schedule';
        /** Every schedule one commit arms, in one record: one claim and one mark for all of them. */
        readonly schedules: readonly OutboundSchedule[];
        /** Schedules the commit made needless (a case alarm replaced or closed), deleted after the creations. */
        readonly deletes?: readonly string[];
      }
  );

/** Whether a record waits for its time in the outbox rather than leaving with its commit. */
export const isDeferred = (message: OutboxMessage): boolean => message.notBefore !== undefined;

/** How records of the schedule channel were written before they carried a list (one schedule each). */
export interface LegacyScheduleRecord {
  readonly schedule?: OutboundSchedule;
  readonly schedules?: readonly OutboundSchedule[];
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** An outbox record as stored: the message and where its delivery stands. */
export type OutboxRecord = OutboxMessage & {
  readonly status: OutboxStatus;
  /** Claims so far (each claim is one attempt to send). */
  readonly attempts: number;
  readonly createdAt: string;
  /** While not sent: when it may next be claimed (its next attempt, or the expiry of the current lease). */
  readonly dueAt?: string;
  /** The claim that holds it while `sending`. */
  readonly claimId?: string;
  readonly providerMessageId?: string;
  readonly sentAt?: string;
  readonly lastError?: string;
};

export const newOutboxId = (): string => `ob-${randomUUID()}`;

/** The index shard a record's pending marker lives in (a stable hash of its id). */
export const outboxShardOf = (outboxId: string): number =>
  createHash('sha256').update(outboxId).digest().readUInt32BE(0) % OUTBOX_SHARDS;

/**
 * An SNS publication on a topic, with the message attributes subscribers filter on (case, team, reason).
 * The subject is cut to SNS's 100-character limit.
 */
type NotificationInput = {
  readonly caseId: string;
  readonly topicArn: string;
  readonly subject: string;
  readonly message: unknown;
  readonly team: string;
  readonly reason: string;
};

/** A notification as SNS publishes it: subject within SNS's 100 characters, the message as JSON. */
export const notificationOf = (input: NotificationInput): OutboundNotification => ({
  topicArn: input.topicArn,
  subject: input.subject.slice(0, 100),
  message: JSON.stringify(input.message),
  attributes: { caseId: input.caseId, team: input.team, reason: input.reason },
});

/** A notification as an outbox record, published once after its commit. */
export const notification = (input: NotificationInput): OutboxMessage => ({
  outboxId: newOutboxId(),
  caseId: input.caseId,
  channel: 'sns',
  sns: notificationOf(input),
});

/**
 * The domain events of a commit as outbox records: one per {@link MAX_EVENTS_PER_RECORD} events (a commit
 * has a handful at most, so in practice one record, one transaction item and one PutEvents call).
 */
export const eventRecords = (
  caseId: string,
  events: Omit<OutboundEvents, 'entries'>,
  entries: OutboundEvents['entries'],
): OutboxMessage[] =>
  Array.from({ length: Math.ceil(entries.length / MAX_EVENTS_PER_RECORD) }, (_, i) => ({
    outboxId: newOutboxId(),
    caseId,
    channel: 'eventbridge' as const,
    events: {
      ...events,
      entries: entries.slice(i * MAX_EVENTS_PER_RECORD, (i + 1) * MAX_EVENTS_PER_RECORD),
    },
  }));

/** Schedules to create (and to delete) once the change that implies them has committed. */
export const scheduleRecord = (
  caseId: string,
  schedules: readonly OutboundSchedule[],
  deletes: readonly string[] = [],
): OutboxMessage => ({
  outboxId: newOutboxId(),
  caseId,
  channel: 'schedule',
  schedules,
  ...(deletes.length > 0 ? { deletes } : {}),
});

/**
 * The outbox records of a change with all its schedule records made one (timers armed by several rules in
 * one commit), so a commit costs one schedule record however many timers it arms.
 */
export const mergeSchedules = (records: readonly OutboxMessage[]): OutboxMessage[] => {
  // A deferred record keeps its own time: it is never merged into what leaves now.
  const merged = (r: OutboxMessage) => r.channel === 'schedule' && !isDeferred(r);
  const schedules = records.flatMap((r) => (merged(r) && r.channel === 'schedule' ? r.schedules : []));
  const deletes = records.flatMap((r) => (merged(r) && r.channel === 'schedule' ? (r.deletes ?? []) : []));
  const others = records.filter((r) => !merged(r));
  const first = records.find(merged);
  if (!first || schedules.length + deletes.length === 0) return others;
  return [...others, { ...scheduleRecord(first.caseId, schedules, deletes), outboxId: first.outboxId }];
};
