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

/**
 * Why a message is machine-made (an out-of-office, a bounce, a list mail), or undefined for a person's
 * reply. Such mail is recorded and never acted on, so no auto-responder can start a loop (RFC 3834).
 */
export const automatedReason = (email: Email, mail: SESMail): string | undefined => {
  const autoSubmitted = header(email, 'auto-submitted').toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `Auto-Submitted: ${autoSubmitted}`;
  if (header(email, 'x-autoreply') || header(email, 'x-autorespond')) return 'auto-reply header';
  const precedence = header(email, 'precedence').toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `Precedence: ${precedence}`;
  if (/multipart\/report/i.test(header(email, 'content-type'))) return 'delivery status report (bounce)';
  const source = (mail.source ?? '').trim();
  if (source === '' || source === '<>' || /^mailer-daemon@/i.test(source))
    return 'empty return path (bounce)';
  return undefined;
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
