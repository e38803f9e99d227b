import type { SESMail, SESReceipt } from 'aws-lambda';
import type { Email } from 'postal-mime';

/** What the receipt's scanners say about a message: drop it, quarantine it for review, or go on. */
export type ReceiptVerdict =
  | { readonly action: 'accept' }
  | { readonly action: 'drop'; readonly reason: string }
  | { readonly action: 'quarantine'; readonly reason: string };

/** Virus or DMARC failures are dropped (recorded, never acted on); a spam verdict waits for a person. */
export const receiptVerdict = (receipt: SESReceipt): ReceiptVerdict => {
  if (receipt.virusVerdict?.status === 'FAIL') return { action: 'drop', reason: 'virus verdict FAIL' };
  if (receipt.dmarcVerdict?.status === 'FAIL') return { action: 'drop', reason: 'DMARC verdict FAIL' };
  if (receipt.spamVerdict?.status === 'FAIL') return { action: 'quarantine', reason: 'spam verdict FAIL' };
  return { action: 'accept' };
};

const header = (email: Email, name: string) => email.headers.find((h) => h.key === name)?.value?.trim() ?? '';

/** What kind of machine wrote a message: nobody is waiting for an answer to any of these. */
export type MachineMailKind = 'auto-reply' | 'bounce' | 'abuse-report' | 'list';

/** A subject an auto-responder writes, in the languages the common ones use (always at its start). */
const AUTO_REPLY_SUBJECT =
  /^(\[AUTO GENERATED\]|(Auto ?reply|Automatic reply|Autoreply|Out of (the )?Office( reply)?|Abwesenheitsnotiz|Automatische Antwort|Réponse automatique|Absence|Respuesta automática|Fuera de la oficina|Risposta automatica|Fuori sede|Automatisch antwoord|Afwezig|Autosvar|Automatyczna odpowiedź|Resposta automática|Automaattinen vastaus|Автоматический ответ|自動応答|自動返信)\s*[:：])/i;

/** Senders that only ever send reports about mail: `MAILER-DAEMON` (with or without a domain), postmaster. */
const REPORTING_SENDER = /^(mailer-daemon|postmaster|double-bounce)(@|$)/i;
/** A list manager's bounce address as the author of a message (as an envelope sender it is any list post). */
const LIST_BOUNCES = /^[^@\s]+-bounces?@/i;

const addressOf = (value: string) => (/<([^<>]*)>/.exec(value)?.[1] ?? value).trim().toLowerCase();

/**
 * Whether a message is machine-made and what made it, by the standards and the common vendor headers:
 * RFC 3464 delivery status notifications and RFC 5965 abuse reports (as `multipart/report`, or a
 * `message/feedback-report` part in any container; X-ARF reports too), `X-Failed-Recipients`, report-only senders, RFC 3834
 * `Auto-Submitted`, `X-Autoreply`/`X-Autorespond`, `Precedence`, `List-*`, SES notifications delivered as
 * mail, and auto-reply subjects. A person's reply carries none of these. Such mail is recorded and never
 * acted on, so no auto-responder can start a loop.
 */
export const machineMail = (
  email: Email,
  /** The envelope sender (SES's `mail.source`; a file's Return-Path). */
  envelopeFrom: string,
): { readonly kind: MachineMailKind; readonly reason: string } | undefined => {
  const contentType = header(email, 'content-type').toLowerCase();
  const partTypes = (email.attachments ?? []).map((a) => a.mimeType.toLowerCase());
  if (
    /report-type="?feedback-report/.test(contentType) ||
    partTypes.includes('message/feedback-report') ||
    header(email, 'x-arf').toLowerCase() === 'yes'
  )
    return { kind: 'abuse-report', reason: 'abuse report (RFC 5965)' };
  if (/multipart\/report/.test(contentType) || partTypes.includes('message/delivery-status'))
    return { kind: 'bounce', reason: 'delivery status report (RFC 3464)' };
  if (header(email, 'x-failed-recipients')) return { kind: 'bounce', reason: 'X-Failed-Recipients' };
  const from = addressOf(email.from?.address ?? header(email, 'from'));
  const source = addressOf(envelopeFrom);
  if (REPORTING_SENDER.test(from) || LIST_BOUNCES.test(from))
    return { kind: 'bounce', reason: `sent by ${from}` };
  if (REPORTING_SENDER.test(source)) return { kind: 'bounce', reason: `returned by ${source}` };
  if (source === '' || envelopeFrom.trim() === '<>') return { kind: 'bounce', reason: 'empty return path' };
  if (/@(sns|email-smtp|amazonses)\.amazonaws\.com$/.test(from) || from.endsWith('@amazonses.com')) {
    const complaint = /"notificationType"\s*:\s*"Complaint"/.test(email.text ?? '');
    return complaint
      ? { kind: 'abuse-report', reason: 'SES complaint notification' }
      : { kind: 'bounce', reason: 'SES notification' };
  }
  const autoSubmitted = header(email, 'auto-submitted').toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no')
    return { kind: 'auto-reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  if (header(email, 'x-autoreply') || header(email, 'x-autorespond'))
    return { kind: 'auto-reply', reason: 'auto-reply header' };
  // Exchange and helpdesks put it on what they send on their own (out-of-office, acknowledgements).
  if (/\b(all|oof|autoreply)\b/i.test(header(email, 'x-auto-response-suppress')))
    return { kind: 'auto-reply', reason: 'X-Auto-Response-Suppress' };
  const precedence = header(email, 'precedence').toLowerCase();
  if (precedence === 'auto_reply') return { kind: 'auto-reply', reason: 'Precedence: auto_reply' };
  if (['bulk', 'junk', 'list'].includes(precedence))
    return { kind: 'list', reason: `Precedence: ${precedence}` };
  if (header(email, 'list-id') || header(email, 'list-unsubscribe'))
    return { kind: 'list', reason: 'list headers' };
  if (AUTO_REPLY_SUBJECT.test((email.subject ?? '').trim()))
    return { kind: 'auto-reply', reason: 'auto-reply subject' };
  return undefined;
};

/** Why a message is machine-made (`<kind>: <reason>`), or undefined for a person's reply. */
export const automatedReason = (email: Email, mail: Pick<SESMail, 'source'>): string | undefined => {
  const machine = machineMail(email, mail.source ?? '');
  return machine && `${machine.kind}: ${machine.reason}`;
};

/** `[case case_…]` in a subject: enough to file a message for triage, never to resume a workflow. */
export const subjectCaseTag = (subject: string): string | undefined =>
  /\[case (case_[0-9a-z]{8,40})\]/i.exec(subject)?.[1];

/** The Message-IDs a reply refers to, newest first (In-Reply-To, then References from the end). */
export const referencedIds = (email: Email): string[] => {
  const ids = `${email.inReplyTo ?? ''} ${[...(email.references ?? '').split(/\s+/)].reverse().join(' ')}`
    .split(/\s+/)
    .filter((id) => /^<[^<>\s]+>$/.test(id));
  return [...new Set(ids)];
};
