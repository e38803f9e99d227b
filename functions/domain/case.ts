import type { BaseIntake, Region, SellerTier, TriageFacts } from '#policy/family-policy.ts';
import type { FamilyId } from '#state-machines/catalog.ts';
import type { CasePriority } from './assignment-policy.ts';
import type { CaseMetrics } from './metrics.ts';
import type { SlaState } from './sla.ts';
import type { CaseReview } from './weekly-review.ts';

/**
 * The statuses a case is stored with (lifecycle.ts says how it moves between them). Families add steps, not
 * statuses; `escalated` is a flag with a level. A decision and its resolution are one commit (the Resolve
 * step), so there is no separate `decided`; triage routes in the same commit, so no `triaged`.
 */
export const CASE_STATUSES = [
  'received',
  'routed',
  'awaiting_seller',
  'under_review',
  'handed_off',
  'resolved',
  'reopened',
  'appealed',
  'failed',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface Routing {
  readonly team: string;
  readonly ruleId: string;
  readonly reason: string;
  readonly matched: Readonly<Record<string, unknown>>;
  readonly rulesetVersion: string;
}

export interface Decision {
  readonly outcome: string;
  readonly rationale: string;
  readonly decidedBy: string;
  readonly decidedAt: string;
}

/** The agent who owns a case waiting for its team, how they were chosen, and why. */
export interface Assignee {
  readonly agentId: string;
  readonly name: string;
  readonly assignedAt: string;
  /** `least-loaded`, `longest-idle` (the queue's push), `queue-next` (the agent took it), `supervisor`. */
  readonly rule: string;
  readonly reason: string;
}

/** What the workflow is waiting for, if anything. Task tokens never leave the store. */
export interface Waiting {
  readonly step: 'evidence' | 'decision' | 'mediation';
  readonly from: 'seller' | 'buyer' | 'team';
  readonly team?: string;
  readonly since: string;
  readonly deadline: string;
  readonly taskToken?: string;
  readonly missing?: readonly string[];
  /** The reply token of an evidence wait (the token item holds the task token). */
  readonly tokenId?: string;
  /** On an appeal, the original decider, who may not decide again. */
  readonly excludedDecider?: string;
  /** An evidence wait an agent's reply opened: who asked (replies.ts). */
  readonly requestedBy?: string;
  /** A decision wait whose workflow takes an agent's request for more evidence as its answer. */
  readonly asks?: boolean;
}

export interface CaseRecord {
  readonly caseId: string;
  readonly family: FamilyId;
  readonly sellerId: string;
  readonly sellerTier: SellerTier;
  readonly sellerEmail: string;
  readonly region: Region;
  readonly status: CaseStatus;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the case entered its status (cases stored before it was kept have none). */
  readonly statusSince?: string;
  /** The validated intake body, as the seller portal sent it. */
  readonly intake: BaseIntake;
  readonly triage?: TriageFacts;
  readonly routing?: Routing;
  readonly waiting?: Waiting;
  readonly decision?: Decision;
  readonly executionArn?: string;
  /**
   * The correlation id of the API request that opened the case (its `X-Correlation-Id`, else API Gateway's
   * requestId): every step, email and timer of the case logs it. Cases opened before it was kept have none.
   */
  readonly correlationId?: string;
  /**
   * The hash of the validated intake body: a later request with the same Idempotency-Key (whose hash is the
   * case id) and this body is a replay, with another body a key reused. Cases opened before it was kept
   * have none.
   */
  readonly intakeHash?: string;
  readonly escalationLevel?: number;
  /** Appeals and reopens re-enter the workflow with the history kept; both are counted. */
  readonly appealCount?: number;
  readonly reopenCount?: number;
  /** Team changes after routing; `handedOffBy` lists teams that passed the case on. */
  readonly transferCount?: number;
  readonly handedOffBy?: readonly string[];
  /** The decision an appeal is about; its decider may not decide the appeal. */
  readonly appealOf?: Decision;
  /** The case's SLA clocks (first response, resolution). */
  readonly sla?: SlaState;
  /** Addresses that bounced permanently or complained: no more email goes to them. */
  readonly undeliverable?: readonly string[];
  /** The case's scoreboard figures, folded from its audit events in the transaction that appends them. */
  readonly metrics?: CaseMetrics;
  /**
   * The case's part in each week's review (weekly-review.ts), folded from its audit events in the
   * transaction that appends them. Cases opened before it was kept have none, and count in no review.
   */
  readonly review?: CaseReview;
  /** The one schedule an open case holds, for its earliest timer still to fire (alarm.ts). */
  readonly alarm?: CaseAlarm;
  /** While it waits for a team: its place in the team's queue (assignment-policy.ts). */
  readonly priority?: CasePriority;
  /** The agent who owns the team's decision; a case waiting for a team without one is queued. */
  readonly assignee?: Assignee;
  /** Agents who held the case past their team's target without acting: it does not go back to them. */
  readonly passedOver?: readonly string[];
  /**
   * The agent who asked the seller for more evidence: their capacity is free while the seller answers, and
   * the case goes back to them when it returns to the team (if they are available).
   */
  readonly returnsTo?: { readonly agentId: string; readonly name: string };
  /** The follow-up of the case's latest resolution: was the concern handled, and a rating (follow-up.ts). */
  readonly followUp?: FollowUp;
}

/**
 * One follow-up: armed by a resolution (its timer's id), asked when due if the case is still resolved then,
 * answered once. A case appealed or reopened before it is due is not asked; its next resolution arms the next.
 */
export interface FollowUp {
  readonly id: string;
  readonly status: 'scheduled' | 'asked' | 'answered';
  readonly dueAt: string;
  readonly askedAt?: string;
  readonly answer?: {
    readonly handled: boolean;
    readonly rating?: number;
    readonly at: string;
    /** Whether "not handled" reopened the case (it does within the family's reopen window). */
    readonly reopened: boolean;
  };
}

/** A case's alarm: when its schedule rings, and the schedule's name. */
export interface CaseAlarm {
  readonly at: string;
  readonly name: string;
}

/** Who did something: the seller, a team member, or the system (a workflow step). */
export interface Actor {
  readonly kind: 'seller' | 'buyer' | 'ops' | 'system';
  readonly id: string;
}

/** One audit event; written in the same transaction as the change it records. */
export interface AuditEvent {
  readonly type: string;
  readonly actor: Actor;
  /** Seller-safe one-line description. */
  readonly detail: string;
  /** Structured facts for ops (routing facts, template refs, …); never shown to sellers. */
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface StoredAuditEvent extends AuditEvent {
  readonly at: string;
  readonly version: number;
}

export interface EvidenceRecord {
  readonly evidenceId: string;
  readonly kinds: readonly string[];
  readonly provider: 'seller' | 'buyer' | 'internal';
  readonly source: 'intake' | 'email' | 'portal';
  readonly receivedAt: string;
  /** The seller's words (quoted history stripped); raw message kept in S3. */
  readonly text?: string;
  /**
   * No words could be told from the quoted history (and nothing was attached): `text` is the message's
   * whole visible text, so that nothing the sender wrote is lost.
   */
  readonly unparsed?: true;
  readonly attachments?: readonly AttachmentRecord[];
  /** Attachments that were not stored as evidence (type not accepted, too large), and why. */
  readonly refusedAttachments?: readonly {
    readonly filename: string;
    readonly contentType: string;
    readonly size: number;
    readonly reason: string;
  }[];
  readonly emailMessageId?: string;
  /** Arrived after the step that asked for it had closed. */
  readonly late?: boolean;
}

export interface AttachmentRecord {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly s3Key: string;
}

export interface MessageRecord {
  /** SES's message id once SES accepted the email; until then its outbox record's id. */
  readonly messageId: string;
  /** The outbox record that sends it (messages committed before the outbox have none). */
  readonly outboxId?: string;
  /** The Message-ID header the email carried (known once sent); replies quote it in In-Reply-To/References. */
  readonly headerMessageId?: string;
  readonly channel: 'email';
  readonly to: string;
  /** Who the message was for; buyers only hear from us in families that ask them for evidence. */
  readonly audience?: 'seller' | 'buyer';
  readonly subject: string;
  readonly text: string;
  readonly template: string;
  /** When the step committed it (case time); it leaves right after, through the outbox. */
  readonly sentAt: string;
  readonly replyTo?: string;
}
