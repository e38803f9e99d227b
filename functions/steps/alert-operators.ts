import { z } from 'zod';
import { nowIso } from '#commons/clock.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { stepHandler } from '#commons/step-handler.ts';
import { escalationMessage, escalationPublication } from '#domain/escalation.ts';
import { publish } from '#gateways/notifications.ts';

const config = {
  topicArn: requireEnv(ENV.escalationTopicArn),
  portalUrl: requireEnv(ENV.portalUrl).replace(/\/$/, ''),
};

const caught = z.object({ Error: z.string(), Cause: z.string().optional() }).partial();

const input = z.object({
  caseId: z.string().min(1),
  family: z.string().min(1),
  /** The execution that is about to end, so the operator can open its history. */
  execution: z.string().min(1),
  /** Why the workflow was escalating (a step's failure, a wait's timeout). */
  error: caught.optional(),
  /** Why the escalation itself failed. */
  escalationError: caught.optional(),
});

/**
 * The last resort when the escalation step itself failed for good (its commit kept failing, say, because
 * the table was unavailable for longer than the retry budget): publishes straight on the escalation topic,
 * touching neither the table nor the outbox, so an operator hears of the case even while the store is
 * down. The execution then ends FAILED; nothing accepted sits silently without a live execution or an
 * alert. At least once rather than exactly once (there is no commit to hang it on): subscribers can tell a
 * repeat by its `caseId`, `reason` and `error`.
 */
export const alertOperators = async ({
  caseId,
  family,
  execution,
  error,
  escalationError,
}: z.infer<typeof input>) => {
  const message = escalationMessage({
    caseId,
    family,
    reason: 'escalation_failed',
    level: 1,
    team: 'support-ops',
    escalateTo: 'support-operations',
    at: nowIso(),
    link: `${config.portalUrl}/ops/cases/${encodeURIComponent(caseId)}`,
    error: [escalationError?.Error ?? 'EscalationFailed', error?.Error].filter(Boolean).join(' after '),
    execution,
  });
  const messageId = await publish(
    escalationPublication(config.topicArn, message, `[SellerWorks] escalation failed: case ${caseId}`),
  );
  return { messageId };
};

export const handler = stepHandler(input, alertOperators);
