import { z } from 'zod';
import { nowIso } from '#commons/clock.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import type { CaseRecord } from './case.ts';
import { notification, type OutboxMessage } from './outbox.ts';

const config = {
  topicArn: requireEnv(ENV.escalationTopicArn),
  portalUrl: requireEnv(ENV.portalUrl).replace(/\/$/, ''),
};

/** An alert to the case's owning team: something arrived that a person must look at. */
export const ownerAlertSchema = z
  .object({
    type: z.enum(['late_reply', 'undeliverable_contact', 'sla_warning', 'update_due', 'assignee_silent']),
    caseId: z.string().min(1),
    family: z.string().min(1),
    team: z.string().min(1),
    detail: z.string().min(1),
    at: z.iso.datetime(),
    link: z.url(),
  })
  .strict();

/**
 * An alert to the case's owning team on the escalation topic, as an outbox record: commit it with the
 * change that calls for it, and it is published once after the commit.
 */
export const ownerAlert = (
  record: CaseRecord,
  type: z.infer<typeof ownerAlertSchema>['type'],
  detail: string,
): OutboxMessage => {
  const alert = ownerAlertSchema.parse({
    type,
    caseId: record.caseId,
    family: record.family,
    team: record.waiting?.team ?? record.routing?.team ?? 'support-ops',
    detail,
    at: nowIso(),
    link: `${config.portalUrl}/ops/cases/${record.caseId}`,
  });
  return notification({
    caseId: record.caseId,
    topicArn: config.topicArn,
    subject: `[SellerWorks] ${type.replace('_', ' ')}: case ${record.caseId}`,
    message: alert,
    team: alert.team,
    reason: type,
  });
};
