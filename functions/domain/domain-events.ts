import { z } from 'zod';
import { logger } from '#commons/logging.ts';
import { familyOf } from '#policy/families.ts';
import { FAMILY_IDS } from '#state-machines/catalog.ts';
import type { AuditEvent, CaseRecord } from './case.ts';

/**
 * Domain events: the lifecycle changes other systems act on, published on the SellerWorks event bus
 * (source {@link DOMAIN_EVENT_SOURCE}) through the outbox, so one leaves exactly when its change commits.
 *
 * One mapping from audit event types to domain events. Each detail is built from an allowlist of facts
 * (never the audit event's data as a whole): the case, its family, the subject it is about as the seller
 * portal names it (`payout PO-1`, `listing L-9`), and what a downstream system acts on (the team, the
 * decision and its outcome). Never the seller's email, evidence text or files, tokens, rationales or
 * protected fields. Each detail has a zod schema; `npm run emit` writes them as JSON Schema (draft 4, a
 * type the EventSchemas registry takes) to events/schemas/, which the stack registers.
 */
export const DOMAIN_EVENT_SOURCE = 'sellerworks.cases';

const instant = z.iso.datetime({ offset: true });
const id = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/);
/** Who acted: an agent's or seller's id as their identity provider names it (the token's `sub`), opaque. */
const actorId = z.string().min(1).max(256);

/** What every domain event carries. */
const base = {
  caseId: id,
  family: z.enum(FAMILY_IDS),
  /** The subject of the case as the seller portal names it: `payout PO-1`, `order O-7`, `listing L-9`. */
  subject: z.string().min(1).max(200),
  /** When the change committed, and the case version it made: consumers order and deduplicate by it. */
  occurredAt: instant,
  version: z.number().int().positive(),
};

const detail = <S extends z.ZodRawShape>(shape: S) => z.strictObject({ ...base, ...shape });

export const DOMAIN_EVENT_SCHEMAS = {
  'Case Opened': detail({}),
  'Case Routed': detail({ team: id, ruleId: id }),
  'Evidence Requested': detail({
    party: z.enum(['seller', 'buyer']),
    missing: z.array(id),
    deadline: instant,
  }),
  'Evidence Received': detail({ evidenceId: id, kinds: z.array(id) }),
  'Case Handed Off': detail({ team: id, appeal: z.boolean() }),
  'Case Assigned': detail({ team: id, agentId: actorId }),
  'Case Decided': detail({
    outcome: id,
    policyRef: z.string().max(200).exactOptional(),
    decidedBy: actorId,
    via: id,
    appeal: z.boolean(),
  }),
  'Case Resolved': detail({ outcome: id, appealBy: instant.exactOptional() }),
  'Case Escalated': detail({ reason: id, level: z.number().int().positive() }),
  'Case Appealed': detail({ appealOf: id }),
  'Case Reopened': detail({ reopenCount: z.number().int().positive() }),
} as const;

export type DomainEventType = keyof typeof DOMAIN_EVENT_SCHEMAS;
export const DOMAIN_EVENT_TYPES = Object.keys(DOMAIN_EVENT_SCHEMAS) as DomainEventType[];

export interface DomainEvent {
  readonly detailType: DomainEventType;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** The committed schema file of a detail type: `Case Handed Off` → events/schemas/case-handed-off.json. */
export const schemaFileOf = (detailType: DomainEventType): string =>
  `events/schemas/${detailType.toLowerCase().replaceAll(' ', '-')}.json`;

/** A detail type's JSON Schema (draft 4), as committed and registered. */
export const jsonSchemaOf = (detailType: DomainEventType): Record<string, unknown> => ({
  ...z.toJSONSchema(DOMAIN_EVENT_SCHEMAS[detailType], { target: 'draft-4' }),
  title: detailType,
  description: `${detailType}: published by SellerWorks (source ${DOMAIN_EVENT_SOURCE}) when the change commits`,
});

type Data = Readonly<Record<string, unknown>>;

/** The facts one audit event type contributes to its domain event; `undefined` values are left out. */
const MAPPING: Readonly<
  Record<string, { readonly type: DomainEventType; readonly facts: (data: Data, event: AuditEvent) => Data }>
> = {
  'case.received': { type: 'Case Opened', facts: () => ({}) },
  'case.routed': { type: 'Case Routed', facts: (d) => ({ team: d.team, ruleId: d.ruleId }) },
  'evidence.requested': {
    type: 'Evidence Requested',
    facts: (d) => ({ party: d.party, missing: d.missing, deadline: d.deadline }),
  },
  'evidence.received': {
    type: 'Evidence Received',
    facts: (d) => ({ evidenceId: d.evidenceId, kinds: d.kinds }),
  },
  'case.handed_off': { type: 'Case Handed Off', facts: (d) => ({ team: d.team, appeal: false }) },
  'appeal.handed_off': { type: 'Case Handed Off', facts: (d) => ({ team: d.team, appeal: true }) },
  'case.assigned': { type: 'Case Assigned', facts: (d) => ({ team: d.team, agentId: d.agentId }) },
  'case.reassigned': { type: 'Case Assigned', facts: (d) => ({ team: d.team, agentId: d.agentId }) },
  'case.decided': { type: 'Case Decided', facts: (d, e) => decided(d, e, false) },
  'mediation.accepted': { type: 'Case Decided', facts: (d, e) => decided(d, e, false) },
  'appeal.decided': { type: 'Case Decided', facts: (d, e) => decided(d, e, true) },
  'case.resolved': { type: 'Case Resolved', facts: (d) => ({ outcome: d.outcome, appealBy: d.appealBy }) },
  'case.escalated': { type: 'Case Escalated', facts: (d) => ({ reason: d.reason, level: d.level }) },
  'case.appealed': { type: 'Case Appealed', facts: (d) => ({ appealOf: d.appealOf }) },
  'case.reopened': { type: 'Case Reopened', facts: (d) => ({ reopenCount: d.reopenCount }) },
};

const decided = (d: Data, event: AuditEvent, appeal: boolean): Data => ({
  outcome: d.outcome,
  policyRef: d.policyRef,
  decidedBy: event.actor.id,
  via: d.via ?? (event.type === 'mediation.accepted' ? 'mediation' : undefined),
  appeal,
});

/** The audit event types that publish a domain event. */
export const PUBLISHED_AUDIT_TYPES: readonly string[] = Object.keys(MAPPING);

const defined = (facts: Data) => Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined));

/**
 * The domain events of a commit: one per audit event of a published type, in the commit's order, for the
 * case as it is after the commit (`record`, at `record.version`). A detail that does not match its schema (an
 * audit event that lost a fact a consumer relies on: a bug) is not published, and is logged as an error
 * with the fields that failed: a seller's case must not stop because an event for other systems is wrong,
 * and consumers must never receive what their schema does not promise.
 */
export const domainEventsOf = (
  record: Pick<CaseRecord, 'caseId' | 'family' | 'intake' | 'version'>,
  events: readonly AuditEvent[],
  occurredAt: string,
): DomainEvent[] =>
  events.flatMap((event) => {
    const mapped = MAPPING[event.type];
    if (!mapped) return [];
    const schema = DOMAIN_EVENT_SCHEMAS[mapped.type];
    const parsed = schema.safeParse({
      caseId: record.caseId,
      family: record.family,
      subject: familyOf(record.family).subject(record.intake),
      occurredAt,
      version: record.version,
      ...defined(mapped.facts(event.data ?? {}, event)),
    });
    if (!parsed.success) {
      logger.error('domain event not published: its detail does not match its schema', {
        detailType: mapped.type,
        auditType: event.type,
        caseId: record.caseId,
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      });
      return [];
    }
    return [{ detailType: mapped.type, detail: parsed.data }];
  });
