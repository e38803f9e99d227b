import { nowIso, nowMs } from '#commons/clock.ts';
import { optionalEnv, requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { logger } from '#commons/logging.ts';
import type { TemplateSet } from '#policy/family-policy.ts';
import type { AuditEvent, CaseRecord, MessageRecord } from './case.ts';
import { newOutboxId, type OutboxMessage } from './outbox.ts';
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

/** The header every email carries with its template's id@version. */
export const TEMPLATE_HEADER = 'X-SellerWorks-Template';

/** No case sends more than this many emails in 24 hours, whatever fails upstream: no storms. */
export const MESSAGE_CAP_PER_DAY = 12;
const DAY_MS = 86_400_000;

export interface ComposedEmail {
  /** The case's message item; undefined when the email is suppressed (daily cap, undeliverable address). */
  readonly message?: MessageRecord;
  readonly event: AuditEvent;
  /** The email to send after the commit; undefined when suppressed. */
  readonly outbox?: OutboxMessage;
}

/**
 * Renders a template (validating its variables) into an email for the case's outbox, tagged with the case
 * id, as the next message of the case's thread with that audience (`In-Reply-To`/`References`, so mail
 * clients keep one conversation). Goes to the seller unless `to` says otherwise. Past the daily cap, or to
 * an address that bounced or complained, it composes nothing and says so: both are decided here, at
 * commit time. Returns the message item, its audit event and the outbox record, all for the step to
 * commit with its state change; the email leaves only after that commit (outbox-dispatch.ts).
 *
 * The event is `message.sent`: committed with its outbox record, the email is sent exactly once. Until SES
 * accepts it the message's id is its outbox id, and it has no Message-ID header yet.
 */
export const composeTemplated = <V>(
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
): ComposedEmail => {
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
    };
  }
  if (today >= MESSAGE_CAP_PER_DAY) {
    logger.warn('daily message cap reached', { caseId: record.caseId });
    return {
      event: {
        type: 'message.suppressed',
        actor: { kind: 'system', id: 'messaging' },
        detail: `Email not sent: the case reached ${MESSAGE_CAP_PER_DAY} emails in 24 hours`,
        data: { template: rendered.templateRef, audience },
      },
    };
  }
  // A message still in the outbox has no Message-ID yet; the thread continues from those that have one.
  const references = previous
    .filter((m) => (m.audience ?? 'seller') === audience && m.headerMessageId)
    .map((m) => m.headerMessageId as string)
    .slice(-10);
  const outboxId = newOutboxId();
  const sentAt = nowIso();
  const message: MessageRecord = {
    messageId: outboxId,
    outboxId,
    channel: 'email',
    to,
    audience,
    subject: rendered.subject,
    text: rendered.text,
    template: rendered.templateRef,
    sentAt,
    ...(options.replyTo ? { replyTo: options.replyTo } : {}),
  };
  return {
    message,
    event: {
      type: 'message.sent',
      actor: { kind: 'system', id: 'messaging' },
      detail: `Email sent to the ${audience}: ${rendered.subject}`,
      data: { template: rendered.templateRef, outboxId, audience },
    },
    outbox: {
      outboxId,
      caseId: record.caseId,
      channel: 'email',
      email: {
        from: config.from,
        to: [to],
        ...(options.replyTo ? { replyTo: options.replyTo } : {}),
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html,
        headers: [
          // Which approved wording this is, for whoever reads the mail (ops, a mail log, a test).
          { name: TEMPLATE_HEADER, value: rendered.templateRef },
          ...(references.length > 0
            ? [
                { name: 'In-Reply-To', value: references.at(-1) ?? '' },
                { name: 'References', value: references.join(' ') },
              ]
            : []),
        ],
        tags: [
          { name: 'caseId', value: record.caseId },
          { name: 'template', value: rendered.templateRef.replace(/[^A-Za-z0-9_-]/g, '_') },
        ],
        ...(config.configurationSet ? { configurationSet: config.configurationSet } : {}),
        messageIdDomain: config.messageIdDomain,
      },
      message: { sentAt, audience, to },
    },
  };
};

/** The parts of a change that carry a composed email: its message item and its outbox record. */
export const emailChange = (composed: ComposedEmail) => ({
  messages: composed.message ? [composed.message] : [],
  outbox: composed.outbox ? [composed.outbox] : [],
});

/** Whether the case already has a message from this template (steps are retried; emails must not be). */
export const alreadySent = (messages: readonly MessageRecord[], templateId: string): boolean =>
  messages.some((m) => m.template === templateId || m.template.startsWith(`${templateId}@`));
