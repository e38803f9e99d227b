import { randomUUID } from 'node:crypto';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ses } from '#commons/clients/sesv2.ts';
import { optionalEnv, requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import type { TemplateSet } from '#policy/family-policy.ts';
import type { AuditEvent, CaseRecord, MessageRecord } from './case.ts';
import { render, templateFor } from './templates.ts';

const config = {
  from: requireEnv(ENV.emailFrom),
  configurationSet: optionalEnv(ENV.sesConfigurationSet, ''),
  portalUrl: requireEnv(ENV.portalUrl).replace(/\/$/, ''),
};

export interface CaseLinks {
  readonly caseUrl: string;
  readonly appealUrl: string;
}

export const linksFor = (caseId: string): CaseLinks => ({
  caseUrl: `${config.portalUrl}/cases/${caseId}`,
  appealUrl: `${config.portalUrl}/cases/${caseId}/appeal`,
});

/**
 * Renders a template (validating its variables) and sends it through SES, tagged with the case id. Goes to
 * the case's seller unless `to` says otherwise (a buyer asked for evidence). Returns the message record and
 * its audit event, for the caller to commit with the step's state change.
 */
export const sendTemplated = async <V>(
  record: CaseRecord,
  set: TemplateSet<V>,
  vars: V,
  options: { readonly to?: string; readonly audience?: 'seller' | 'buyer'; readonly replyTo?: string } = {},
): Promise<{ message: MessageRecord; event: AuditEvent }> => {
  const rendered = render(templateFor(set, record.region), vars);
  const to = options.to ?? record.sellerEmail;
  const audience = options.audience ?? 'seller';
  const out = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: config.from,
      Destination: { ToAddresses: [to] },
      ...(options.replyTo ? { ReplyToAddresses: [options.replyTo] } : {}),
      Content: {
        Simple: {
          Subject: { Data: rendered.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: rendered.text, Charset: 'UTF-8' },
            Html: { Data: rendered.html, Charset: 'UTF-8' },
          },
        },
      },
      EmailTags: [
        { Name: 'caseId', Value: record.caseId },
        { Name: 'template', Value: rendered.templateRef.replace(/[^A-Za-z0-9_-]/g, '_') },
      ],
      ...(config.configurationSet ? { ConfigurationSetName: config.configurationSet } : {}),
    }),
  );
  const message: MessageRecord = {
    messageId: out.MessageId ?? randomUUID(),
    channel: 'email',
    to,
    audience,
    subject: rendered.subject,
    text: rendered.text,
    template: rendered.templateRef,
    sentAt: new Date().toISOString(),
    ...(options.replyTo ? { replyTo: options.replyTo } : {}),
  };
  return {
    message,
    event: {
      type: 'message.sent',
      actor: { kind: 'system', id: 'messaging' },
      detail: `Email sent to the ${audience}: ${rendered.subject}`,
      data: { template: rendered.templateRef, messageId: message.messageId, audience },
    },
  };
};

/** Whether the case already has a message from this template (steps are retried; emails must not be). */
export const alreadySent = (messages: readonly MessageRecord[], templateId: string): boolean =>
  messages.some((m) => m.template === templateId || m.template.startsWith(`${templateId}@`));
