import { randomUUID } from 'node:crypto';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ses } from '#commons/clients/sesv2.ts';
import { nowIso, nowMs } from '#commons/clock.ts';
import { optionalEnv, requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import type { TemplateSet } from '#policy/family-policy.ts';
import type { AuditEvent, CaseRecord, MessageRecord } from './case.ts';
import { TABLE, type TransactItem } from './case-store.ts';
import { mailRefKey } from './mail-ref.ts';
import { render, templateFor } from './templates.ts';

const config = {
  from: requireEnv(ENV.emailFrom),
  messageIdDomain: optionalEnv(ENV.sesMessageIdDomain, 'email.amazonses.com'),
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

/** No case sends more than this many emails in 24 hours, whatever fails upstream: no storms. */
export const MESSAGE_CAP_PER_DAY = 12;
const DAY_MS = 86_400_000;

/** The Message-ID header SES gives a message, from the id SendEmail returned. */
export const headerMessageIdOf = (sesMessageId: string) => `<${sesMessageId}@${config.messageIdDomain}>`;

export interface SendOutcome {
  /** Undefined when the daily cap suppressed the message. */
  readonly message?: MessageRecord;
  readonly event: AuditEvent;
  /** Items to commit with the message (its Message-ID → case mapping). */
  readonly extra: readonly TransactItem[];
}

/**
 * Renders a template (validating its variables) and sends it through SES, tagged with the case id, as the
 * next message of the case's thread with that audience (`In-Reply-To`/`References`, so mail clients keep
 * one conversation). Goes to the seller unless `to` says otherwise. Past the daily cap it sends nothing and
 * says so. Returns the message, its audit event and the items to commit with the step's state change.
 */
export const sendTemplated = async <V>(
  record: CaseRecord,
  set: TemplateSet<V>,
  vars: V,
  options: {
    readonly to?: string;
    readonly audience?: 'seller' | 'buyer';
    readonly replyTo?: string;
    /** The case's messages so far: the thread to continue and the daily count. */
    readonly thread?: readonly MessageRecord[];
  } = {},
): Promise<SendOutcome> => {
  const rendered = render(templateFor(set, record.region), vars);
  const to = options.to ?? record.sellerEmail;
  const audience = options.audience ?? 'seller';
  const previous = options.thread ?? [];
  const today = previous.filter((m) => nowMs() - Date.parse(m.sentAt) < DAY_MS).length;
  if ((record.undeliverable ?? []).includes(to.toLowerCase())) {
    return {
      event: {
        type: 'message.suppressed',
        actor: { kind: 'system', id: 'messaging' },
        detail: `Email not sent: ${to} is undeliverable (it bounced or complained)`,
        data: { template: rendered.templateRef, audience },
      },
      extra: [],
    };
  }
  if (today >= MESSAGE_CAP_PER_DAY) {
    console.warn(
      JSON.stringify({ level: 'WARN', message: 'daily message cap reached', caseId: record.caseId }),
    );
    return {
      event: {
        type: 'message.suppressed',
        actor: { kind: 'system', id: 'messaging' },
        detail: `Email not sent: the case reached ${MESSAGE_CAP_PER_DAY} emails in 24 hours`,
        data: { template: rendered.templateRef, audience },
      },
      extra: [],
    };
  }
  const references = previous
    .filter((m) => (m.audience ?? 'seller') === audience && m.headerMessageId)
    .map((m) => m.headerMessageId as string)
    .slice(-10);
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
          ...(references.length > 0
            ? {
                Headers: [
                  { Name: 'In-Reply-To', Value: references.at(-1) ?? '' },
                  { Name: 'References', Value: references.join(' ') },
                ],
              }
            : {}),
        },
      },
      EmailTags: [
        { Name: 'caseId', Value: record.caseId },
        { Name: 'template', Value: rendered.templateRef.replace(/[^A-Za-z0-9_-]/g, '_') },
      ],
      ...(config.configurationSet ? { ConfigurationSetName: config.configurationSet } : {}),
    }),
  );
  const messageId = out.MessageId ?? randomUUID();
  const headerMessageId = headerMessageIdOf(messageId);
  const message: MessageRecord = {
    messageId,
    headerMessageId,
    channel: 'email',
    to,
    audience,
    subject: rendered.subject,
    text: rendered.text,
    template: rendered.templateRef,
    sentAt: nowIso(),
    ...(options.replyTo ? { replyTo: options.replyTo } : {}),
  };
  return {
    message,
    event: {
      type: 'message.sent',
      actor: { kind: 'system', id: 'messaging' },
      detail: `Email sent to the ${audience}: ${rendered.subject}`,
      data: { template: rendered.templateRef, messageId, audience },
    },
    extra: [
      {
        Put: {
          TableName: TABLE.name,
          Item: {
            pk: mailRefKey(headerMessageId),
            sk: 'MAILREF',
            kind: 'mail-ref',
            caseId: record.caseId,
            audience,
            to,
            sesMessageId: messageId,
            sentAt: message.sentAt,
          },
        },
      },
    ],
  };
};

/** Whether the case already has a message from this template (steps are retried; emails must not be). */
export const alreadySent = (messages: readonly MessageRecord[], templateId: string): boolean =>
  messages.some((m) => m.template === templateId || m.template.startsWith(`${templateId}@`));
