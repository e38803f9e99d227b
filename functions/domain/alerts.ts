import { PublishCommand } from '@aws-sdk/client-sns';
import { z } from 'zod';
import { sns } from '#commons/clients/sns.ts';
import { nowIso } from '#commons/clock.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import type { CaseRecord } from './case.ts';

const config = {
  topicArn: requireEnv(ENV.escalationTopicArn),
  portalUrl: requireEnv(ENV.portalUrl).replace(/\/$/, ''),
};

/** An alert to the case's owning team: something arrived that a person must look at. */
export const ownerAlertSchema = z
  .object({
    type: z.enum(['late_reply', 'undeliverable_contact', 'sla_warning', 'update_due']),
    caseId: z.string().min(1),
    family: z.string().min(1),
    team: z.string().min(1),
    detail: z.string().min(1),
    at: z.iso.datetime(),
    link: z.url(),
  })
  .strict();

export const alertOwner = async (
  record: CaseRecord,
  type: z.infer<typeof ownerAlertSchema>['type'],
  detail: string,
) => {
  const alert = ownerAlertSchema.parse({
    type,
    caseId: record.caseId,
    family: record.family,
    team: record.waiting?.team ?? record.routing?.team ?? 'support-ops',
    detail,
    at: nowIso(),
    link: `${config.portalUrl}/ops/cases/${record.caseId}`,
  });
  await sns.send(
    new PublishCommand({
      TopicArn: config.topicArn,
      Subject: `[SellerWorks] ${type.replace('_', ' ')}: case ${record.caseId}`,
      Message: JSON.stringify(alert),
      MessageAttributes: {
        caseId: { DataType: 'String', StringValue: record.caseId },
        team: { DataType: 'String', StringValue: alert.team },
        reason: { DataType: 'String', StringValue: type },
      },
    }),
  );
  return alert;
};
