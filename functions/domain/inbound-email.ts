import { createHash, randomUUID } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SESMail, SESReceipt } from 'aws-lambda';
import PostalMime from 'postal-mime';
import { s3 } from '#commons/clients/s3.ts';
import { secretString } from '#commons/clients/secrets.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import type { AttachmentRecord, EvidenceRecord } from './case.ts';
import { loadCase } from './case-loader.ts';
import { commitChange, getItem, putIfAbsent, TABLE, TransactionRefused } from './case-store.ts';
import { sellerWords } from './email-text.ts';
import { consumeReplyToken, resumeWait } from './evidence-wait.ts';
import { parseReplyAddress, verifySignature } from './reply-token.ts';

const config = {
  inboundBucket: requireEnv(ENV.inboundBucket),
  inboundPrefix: requireEnv(ENV.inboundPrefix),
  evidenceBucket: requireEnv(ENV.evidenceBucket),
  secretArn: requireEnv(ENV.replyTokenSecretArn),
};

/** Attachment types accepted as evidence, and the largest accepted size. */
const ALLOWED_TYPES = [/^image\/(png|jpeg|gif|webp|heic)$/, /^application\/pdf$/, /^text\/plain$/];
const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export type InboundOutcome =
  | { readonly status: 'resumed'; readonly caseId: string; readonly evidenceId: string }
  | { readonly status: 'duplicate'; readonly caseId?: string }
  | { readonly status: 'rejected'; readonly reason: string; readonly caseId?: string };

const inboundKey = (messageId: string) => `INBOUND#${createHash('sha256').update(messageId).digest('hex')}`;

/** Records a message we will not act on, so nothing that arrived is silently lost. */
const reject = async (
  base: Record<string, unknown>,
  reason: string,
  caseId?: string,
): Promise<InboundOutcome> => {
  await putIfAbsent({ ...base, status: 'rejected', reason, ...(caseId ? { caseId } : {}) });
  console.warn(JSON.stringify({ level: 'WARN', message: 'inbound email rejected', reason, caseId }));
  return { status: 'rejected', reason, ...(caseId ? { caseId } : {}) };
};

const toBytes = (content: ArrayBuffer | Uint8Array | string): Buffer =>
  typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content as ArrayBuffer);

/**
 * Handles one seller reply delivered by SES (the local SMTP listener produces the same event). The reply
 * address's signed token identifies the case and the waiting step; the sender must be the case's seller.
 * Evidence, the token's use and the case's move to `under_review` commit together; then the waiting step
 * is resumed. A redelivered message resumes nothing twice: the token is used once, and the resume is only
 * retried for the message that used it.
 */
export const handleInboundEmail = async (mail: SESMail, receipt: SESReceipt): Promise<InboundOutcome> => {
  const raw = await s3.send(
    new GetObjectCommand({ Bucket: config.inboundBucket, Key: `${config.inboundPrefix}${mail.messageId}` }),
  );
  const bytes = await raw.Body?.transformToByteArray();
  if (!bytes) throw new Error(`inbound message ${mail.messageId} has no stored body`);
  const email = await PostalMime.parse(bytes);
  const headerId = email.messageId ?? mail.commonHeaders.messageId ?? mail.messageId;
  const from = email.from?.address?.toLowerCase() ?? '';
  const base = {
    pk: inboundKey(headerId),
    sk: 'INBOUND',
    kind: 'inbound',
    messageId: headerId,
    sesMessageId: mail.messageId,
    from,
    subject: email.subject ?? '',
    receivedAt: new Date().toISOString(),
    rawKey: `${config.inboundPrefix}${mail.messageId}`,
  };

  const seen = await getItem(base.pk, 'INBOUND');
  if (seen) {
    if (seen.status === 'accepted' && typeof seen.taskToken === 'string') {
      await resumeWait(seen.taskToken, { evidenceId: seen.evidenceId, received: seen.kinds });
    }
    return { status: 'duplicate', ...(typeof seen.caseId === 'string' ? { caseId: seen.caseId } : {}) };
  }
  if (receipt.virusVerdict?.status === 'FAIL') return reject(base, 'virus verdict FAIL');

  const address = receipt.recipients.map(parseReplyAddress).find((a) => a !== undefined);
  if (!address) return reject(base, 'no reply token in the recipient address');
  const token = await getItem(`TOKEN#${address.tokenId}`, 'TOKEN');
  if (!token || typeof token.caseId !== 'string') return reject(base, 'unknown reply token');
  const caseId = token.caseId;
  if (!verifySignature(await secretString(config.secretArn), caseId, address)) {
    return reject(base, 'reply token signature does not match', caseId);
  }
  if (token.status !== 'open') return reject(base, 'reply token already used', caseId);

  const loaded = await loadCase(caseId);
  const { record, family } = loaded;
  const party = token.party === 'buyer' ? 'buyer' : 'seller';
  const participant =
    typeof token.participant === 'string' ? token.participant : record.sellerEmail.toLowerCase();
  if (from !== participant) return reject(base, 'sender is not a participant of the case', caseId);
  if (record.waiting?.step !== 'evidence' || record.waiting.from !== party) {
    return reject(base, `the evidence step is closed (case status ${record.status})`, caseId);
  }

  const evidenceId = randomUUID();
  const attachments: AttachmentRecord[] = [];
  const refused: string[] = [];
  for (const [i, attachment] of email.attachments.entries()) {
    const content = toBytes(attachment.content);
    const filename = (attachment.filename ?? `attachment-${i + 1}`).replace(/[^\w.-]+/g, '_').slice(0, 100);
    if (!ALLOWED_TYPES.some((re) => re.test(attachment.mimeType)) || content.length > MAX_ATTACHMENT_BYTES) {
      refused.push(`${filename} (${attachment.mimeType}, ${content.length} bytes)`);
      continue;
    }
    const s3Key = `cases/${caseId}/${evidenceId}/${i + 1}-${filename}`;
    await s3.send(
      new PutObjectCommand({
        Bucket: config.evidenceBucket,
        Key: s3Key,
        Body: content,
        ContentType: attachment.mimeType,
      }),
    );
    attachments.push({
      filename,
      contentType: attachment.mimeType,
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      s3Key,
    });
  }
  const text = sellerWords(email.text ?? '');
  const kinds = family.evidenceFromReply({ text, attachments }, party);
  const receivedAt = new Date().toISOString();
  const evidence: EvidenceRecord = {
    evidenceId,
    kinds,
    provider: party,
    source: 'email',
    receivedAt,
    text,
    attachments,
    emailMessageId: headerId,
  };
  const taskToken = String(token.taskToken);
  try {
    await commitChange(record, {
      set: { status: 'under_review' },
      remove: ['waiting'],
      evidence: [evidence],
      events: [
        {
          type: 'email.received',
          actor: { kind: party, id: party === 'seller' ? record.sellerId : from },
          detail: `The ${party} replied by email: ${email.subject ?? '(no subject)'}`,
          data: { messageId: headerId, attachments: attachments.length, refused },
        },
        {
          type: 'evidence.received',
          actor: { kind: party, id: party === 'seller' ? record.sellerId : from },
          detail: `Evidence received: ${kinds.join(', ') || 'a reply without the requested items'}`,
          data: { evidenceId, kinds, refused },
        },
      ],
      extra: [
        consumeReplyToken(address.tokenId, headerId, receivedAt),
        {
          Put: {
            TableName: TABLE.name,
            Item: { ...base, status: 'accepted', caseId, evidenceId, kinds, taskToken },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    });
  } catch (error) {
    if (error instanceof TransactionRefused) {
      return error.index === 0
        ? reject(base, 'reply token already used', caseId)
        : { status: 'duplicate', caseId };
    }
    throw error;
  }
  await resumeWait(taskToken, { evidenceId, received: kinds });
  return { status: 'resumed', caseId, evidenceId };
};
