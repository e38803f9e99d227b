import { z } from 'zod';
import { notification, notificationOf, type OutboundNotification, type OutboxMessage } from './outbox.ts';

export const ESCALATION_REASONS = [
  'evidence_timeout',
  'decision_overdue',
  'step_failed',
  'sla_breach',
  /** The escalation step itself failed for good; operators are told straight on the topic. */
  'escalation_failed',
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

/** The payload published on the escalation topic; subscribers (pagers, chat, queues) can rely on it. */
export const escalationSchema = z
  .object({
    caseId: z.string().min(1),
    family: z.string().min(1),
    reason: z.enum(ESCALATION_REASONS),
    level: z.number().int().positive(),
    team: z.string().min(1),
    /** Who the escalation goes to: each level climbs one rung. */
    escalateTo: z.enum(['senior-reviewer', 'team-manager', 'operations-lead', 'support-operations']),
    at: z.iso.datetime(),
    link: z.url(),
    error: z.string().optional(),
    /** For an SLA breach: which clock, its target, and when it was breached. */
    target: z.object({ clock: z.string(), targetHours: z.number(), dueAt: z.iso.datetime() }).optional(),
    breachedAt: z.iso.datetime().optional(),
    /** For an escalation that failed: the execution that ended, to open its history. */
    execution: z.string().optional(),
  })
  .strict();

export type EscalationMessage = z.infer<typeof escalationSchema>;

/** Level 1 goes to a senior reviewer, level 2 to the team's manager, beyond that to the operations lead. */
export const escalationTarget = (reason: EscalationReason, level: number): EscalationMessage['escalateTo'] =>
  reason === 'step_failed' || reason === 'escalation_failed'
    ? 'support-operations'
    : level <= 1
      ? 'senior-reviewer'
      : level === 2
        ? 'team-manager'
        : 'operations-lead';

/** Validates an escalation before it is published; a malformed one is a bug and fails the step. */
export const escalationMessage = (message: EscalationMessage): EscalationMessage =>
  escalationSchema.parse(message);

const escalationInput = (topicArn: string, message: EscalationMessage, subject: string) => ({
  caseId: message.caseId,
  topicArn,
  subject,
  message,
  team: message.team,
  reason: message.reason,
});

/** An escalation as SNS publishes it, for the one path that cannot go through the outbox. */
export const escalationPublication = (
  topicArn: string,
  message: EscalationMessage,
  subject: string,
): OutboundNotification => notificationOf(escalationInput(topicArn, message, subject));

/** An escalation as an outbox record on the escalation topic, published once after its commit. */
export const escalationNotification = (
  topicArn: string,
  message: EscalationMessage,
  subject: string,
): OutboxMessage => notification(escalationInput(topicArn, message, subject));
