import { createHash } from 'node:crypto';
import type { Email } from 'postal-mime';
import { machineMail } from './classify.ts';
import { replyWords } from './reply-words.ts';

/** Attachment types accepted as evidence, and the largest accepted size. */
const ALLOWED_TYPES = [/^image\/(png|jpeg|gif|webp|heic)$/, /^application\/pdf$/, /^text\/(plain|csv)$/];
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** An attachment kept as evidence: its bytes, and what the case records of it. */
export interface KeptAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly content: Buffer;
}

/** An attachment not kept (type not accepted, too large), and why. */
export interface RefusedAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly reason: string;
}

/**
 * What the inbound handler records of a message, before it looks at any case: who sent it, whether a
 * machine did (and what kind), the sender's words, and the attachments it keeps and refuses. The
 * `sellerworks mail parse` command prints exactly this, so ops can see why a reply was recorded as it was.
 */
export interface ReadReply {
  readonly from: string;
  /** `<kind>: <reason>` for machine-made mail (classify.ts), null for a person's. */
  readonly automated: string | null;
  readonly words: string;
  readonly unparsed: boolean;
  readonly attachments: readonly KeptAttachment[];
  readonly refused: readonly RefusedAttachment[];
}

const toBytes = (content: ArrayBuffer | Uint8Array | string): Buffer =>
  typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content as ArrayBuffer);

export const readReply = (
  email: Email,
  /** The envelope sender: SES's `mail.source`, or a file's Return-Path. */
  envelopeFrom: string,
): ReadReply => {
  const from = email.from?.address?.toLowerCase() ?? '';
  const machine = machineMail(email, envelopeFrom);
  // Machine-made mail is recorded and never acted on: nothing of it becomes evidence.
  if (machine)
    return {
      from,
      automated: `${machine.kind}: ${machine.reason}`,
      words: '',
      unparsed: false,
      attachments: [],
      refused: [],
    };
  const attachments: KeptAttachment[] = [];
  const refused: RefusedAttachment[] = [];
  for (const [i, attachment] of email.attachments.entries()) {
    const content = toBytes(attachment.content);
    const filename = (attachment.filename ?? `attachment-${i + 1}`).replace(/[^\w.-]+/g, '_').slice(0, 100);
    const allowed = ALLOWED_TYPES.some((re) => re.test(attachment.mimeType));
    if (!allowed || content.length > MAX_ATTACHMENT_BYTES) {
      const reason = allowed
        ? `larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB`
        : `type ${attachment.mimeType} is not accepted`;
      refused.push({ filename, contentType: attachment.mimeType, size: content.length, reason });
      continue;
    }
    attachments.push({
      filename,
      contentType: attachment.mimeType,
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
    });
  }
  const reply = replyWords(email, email.attachments.length > 0);
  return {
    from,
    automated: null,
    words: reply.words,
    unparsed: reply.unparsed,
    attachments,
    refused,
  };
};
