import { z } from 'zod';
import { nowIso } from '#commons/clock.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { DomainRuleError } from '#commons/errors.ts';
import { stepHandler } from '#commons/step-handler.ts';
import { getCase } from '#domain/case-store.ts';
import {
  type EscalationReason,
  escalationMessage,
  escalationNotification,
  escalationTarget,
} from '#domain/escalation.ts';
import { moveTo } from '#domain/lifecycle.ts';
import { commitAndDispatch } from '#domain/outbox-dispatch.ts';

const config = {
  topicArn: requireEnv(ENV.escalationTopicArn),
  portalUrl: requireEnv(ENV.portalUrl).replace(/\/$/, ''),
};

const input = z.object({
  caseId: z.string().min(1),
  reason: z.enum(['evidence_timeout', 'decision_overdue', 'step_failed']),
  /** The caught error (`Error`, `Cause`) when a step failed or a wait timed out. */
  error: z.object({ Error: z.string(), Cause: z.string().optional() }).partial().optional(),
});

const STATUS_AFTER: Record<EscalationReason, 'under_review' | 'failed' | undefined> = {
  evidence_timeout: 'under_review',
  decision_overdue: undefined,
  step_failed: 'failed',
  sla_breach: undefined,
  escalation_failed: undefined,
};

/**
 * Escalates a case on the escalation topic with a validated payload and records it on the case (one
 * transaction; the publication leaves after it, through the outbox): an
 * evidence wait that hit its cap (the team then decides on the evidence at hand), an overdue decision, or
 * a step that failed for good (the case is marked failed so nothing accepted goes unnoticed).
 */
export const escalate = async ({ caseId, reason, error }: z.infer<typeof input>) => {
  const record = await getCase(caseId);
  if (!record) throw new DomainRuleError(`case ${caseId} does not exist`);
  const level = (record.escalationLevel ?? 0) + 1;
  const message = escalationMessage({
    caseId,
    family: record.family,
    reason,
    level,
    team: record.waiting?.team ?? record.routing?.team ?? 'support-ops',
    escalateTo: escalationTarget(reason, level),
    at: nowIso(),
    link: `${config.portalUrl}/ops/cases/${caseId}`,
    ...(error?.Error ? { error: error.Error } : {}),
  });
  const status = STATUS_AFTER[reason];
  await commitAndDispatch(record, {
    ...(status ? { move: moveTo(status) } : {}),
    set: { escalationLevel: level },
    outbox: [
      escalationNotification(
        config.topicArn,
        message,
        `[SellerWorks] ${reason.replace('_', ' ')}: case ${caseId} (level ${level})`,
      ),
    ],
    ...(reason === 'evidence_timeout' ? { remove: ['waiting'] as const } : {}),
    events: [
      {
        type: 'case.escalated',
        actor: { kind: 'system', id: 'escalation' },
        detail:
          reason === 'evidence_timeout'
            ? 'No evidence arrived in time; the team decides on the evidence at hand'
            : reason === 'decision_overdue'
              ? `The decision is overdue; escalated to the ${message.escalateTo.replace('-', ' ')}`
              : 'A processing problem was escalated to an operator',
        data: { ...message },
      },
    ],
  });
  return { level };
};

export const handler = stepHandler(input, escalate);
