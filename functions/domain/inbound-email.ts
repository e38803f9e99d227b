import { randomUUID } from 'node:crypto';
import type { SESMail, SESReceipt } from 'aws-lambda';
import PostalMime, { type Email } from 'postal-mime';
import { nowIso } from '#commons/clock.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { logger } from '#commons/logging.ts';
import { putObject, readObject } from '#gateways/blobs.ts';
import { secretString } from '#gateways/secrets.ts';
import { completeTask } from '#gateways/workflow.ts';
import type { Party } from '#policy/family-policy.ts';
import { ownerAlert } from './alerts.ts';
import type { AttachmentRecord, AuditEvent, EvidenceRecord } from './case.ts';
import { type LoadedCase, loadCase } from './case-loader.ts';
import {
  commitChange,
  findMailRef,
  getInboundRecord,
  getReplyToken,
  type InboundRecord,
  inboundRecordItem,
  putInboundRecord,
  TransactionRefused,
} from './case-store.ts';
import { storedText } from './email-text.ts';
import { answerEvidenceWait } from './evidence-wait.ts';
import { receiptVerdict, referencedIds, subjectCaseTag } from './inbound/classify.ts';
import { type KeptAttachment, type ReadReply, readReply } from './inbound/read-reply.ts';
import { isOpen } from './lifecycle.ts';
import { parseReplyAddress, type ReplyTokenRecord, verifySignature } from './reply-token.ts';

const config = {
  inboundBucket: requireEnv(ENV.inboundBucket),
  inboundPrefix: requireEnv(ENV.inboundPrefix),
  evidenceBucket: requireEnv(ENV.evidenceBucket),
  secretArn: requireEnv(ENV.replyTokenSecretArn),
};

export type InboundStatus =
  | 'resumed'
  | 'appended'
  | 'filed'
  | 'ignored'
  | 'quarantined'
  | 'rejected'
  | 'duplicate';
export interface InboundOutcome {
  readonly status: InboundStatus;
  readonly caseId?: string;
  readonly reason?: string;
  readonly evidenceId?: string;
}

/** How a message was tied to a case, strongest first. Only a token or a thread reference can resume a wait. */
type Match =
  | {
      readonly via: 'token';
      readonly caseId: string;
      readonly tokenId: string;
      readonly token: ReplyTokenRecord;
    }
  | { readonly via: 'thread'; readonly caseId: string; readonly audience: Party }
  | { readonly via: 'subject'; readonly caseId: string }
  | { readonly via: 'none'; readonly reason: string; readonly caseId?: string };

const matchCase = async (email: Email, receipt: SESReceipt): Promise<Match> => {
  const address = receipt.recipients.map(parseReplyAddress).find((a) => a !== undefined);
  if (address) {
    const token = await getReplyToken(address.tokenId);
    if (!token) return { via: 'none', reason: 'unknown reply token' };
    if (!verifySignature(await secretString(config.secretArn), token.caseId, address)) {
      return { via: 'none', reason: 'reply token signature does not match', caseId: token.caseId };
    }
    return { via: 'token', caseId: token.caseId, tokenId: address.tokenId, token };
  }
  for (const id of referencedIds(email)) {
    const ref = await findMailRef(id);
    if (ref) return { via: 'thread', caseId: ref.caseId, audience: ref.audience };
  }
  const tagged = subjectCaseTag(email.subject ?? '');
  if (tagged) return { via: 'subject', caseId: tagged };
  return { via: 'none', reason: 'no reply token, thread reference or case tag' };
};

/**
 * Handles one message delivered by SES (the local SMTP listener produces the same event). Nothing that
 * arrives is lost: every message ends as an `INBOUND#…` record with its status, and on its case's timeline
 * when it names one. Machine-made mail, scanner failures, strangers and forged tokens change no workflow. A
 * reply matched by its token (or by the thread it answers) resumes a waiting evidence step exactly once —
 * the token is consumed in the same transaction as the evidence; further replies are appended; a reply after
 * its step closed is kept, shown, and its owner alerted. A subject tag alone only files the message for
 * triage.
 */
export const handleInboundEmail = async (mail: SESMail, receipt: SESReceipt): Promise<InboundOutcome> => {
  const { bytes } = await readObject(config.inboundBucket, `${config.inboundPrefix}${mail.messageId}`);
  if (!bytes) throw new Error(`inbound message ${mail.messageId} has no stored body`);
  const email = await PostalMime.parse(bytes);
  const headerId = email.messageId ?? mail.commonHeaders.messageId ?? mail.messageId;
  const from = email.from?.address?.toLowerCase() ?? '';
  const base: InboundRecord = {
    messageId: headerId,
    sesMessageId: mail.messageId,
    from,
    subject: email.subject ?? '',
    receivedAt: nowIso(),
    rawKey: `${config.inboundPrefix}${mail.messageId}`,
  };

  const seen = await getInboundRecord(headerId);
  if (seen) {
    // A redelivery: if the first delivery committed but its resume may not have gone out, send it again.
    if (seen.status === 'resumed' && typeof seen.taskToken === 'string') {
      await completeTask(seen.taskToken, { evidenceId: seen.evidenceId, received: seen.kinds });
    }
    return { status: 'duplicate', ...(typeof seen.caseId === 'string' ? { caseId: seen.caseId } : {}) };
  }

  const verdict = receiptVerdict(receipt);
  if (verdict.action === 'drop') return record(base, 'rejected', verdict.reason);
  const match = await matchCase(email, receipt);
  const caseId = match.caseId;
  const loaded = caseId ? await loadCase(caseId).catch(() => undefined) : undefined;
  if (match.via === 'none') return record(base, 'rejected', match.reason, loaded);
  if (!loaded) return record(base, 'rejected', `case ${caseId} does not exist`);

  const reply = readReply(email, mail.source ?? '');
  if (reply.automated) return record(base, 'ignored', reply.automated, loaded);
  if (verdict.action === 'quarantine') return record(base, 'quarantined', verdict.reason, loaded);

  const { record: kase, intake, family } = loaded;
  const buyer = family.buyerEmail?.(intake)?.toLowerCase();
  const party: Party | undefined =
    match.via === 'token'
      ? match.token.party
      : match.via === 'thread'
        ? match.audience
        : from === kase.sellerEmail.toLowerCase()
          ? 'seller'
          : from === buyer
            ? 'buyer'
            : undefined;
  const participant =
    match.via === 'token'
      ? match.token.participant
      : party === 'buyer'
        ? buyer
        : kase.sellerEmail.toLowerCase();
  if (!party || from !== participant)
    return record(base, 'rejected', 'sender is not a participant of the case', loaded);
  const words = storedText(reply.words);
  if (match.via === 'subject')
    return record(base, 'filed', 'matched only by the subject tag; filed for triage', loaded, words);

  return takeEvidence(base, reply, loaded, match, party, words);
};

/** Records a message that changes no workflow, on its case's timeline when it has one. */
const record = async (
  base: InboundRecord,
  status: 'rejected' | 'ignored' | 'quarantined' | 'filed',
  reason: string,
  loaded?: LoadedCase,
  words?: string,
): Promise<InboundOutcome> => {
  const caseId = loaded?.record.caseId;
  const item = { ...base, status, reason, ...(caseId ? { caseId } : {}) };
  (status === 'filed' ? logger.info : logger.warn)(`inbound email ${status}`, { reason, caseId });
  if (!loaded) {
    await putInboundRecord(item);
    return { status, reason };
  }
  const event: AuditEvent = {
    type: `email.${status}`,
    actor: { kind: 'system', id: 'inbound-email' },
    detail:
      status === 'filed'
        ? `An email about this case was filed for triage: ${String(base.subject)}`
        : `An email was ${status}: ${reason}`,
    data: { messageId: base.messageId, from: base.from, reason, ...(words ? { words } : {}) },
  };
  try {
    await commitChange(loaded.record, { events: [event], extra: [inboundRecordItem(item)] });
  } catch (error) {
    if (error instanceof TransactionRefused) return { status: 'duplicate', caseId: loaded.record.caseId };
    throw error;
  }
  return { status, reason, caseId: loaded.record.caseId };
};

/** Stores the attachments a reply keeps as evidence, under the case and the evidence item. */
const storeAttachments = async (
  kept: readonly KeptAttachment[],
  caseId: string,
  evidenceId: string,
): Promise<AttachmentRecord[]> => {
  const attachments: AttachmentRecord[] = [];
  for (const [i, { content, ...attachment }] of kept.entries()) {
    const s3Key = `cases/${caseId}/${evidenceId}/${i + 1}-${attachment.filename}`;
    await putObject(config.evidenceBucket, s3Key, content, attachment.contentType);
    attachments.push({ ...attachment, s3Key });
  }
  return attachments;
};

/**
 * A reply from a participant, matched by its token or the thread it answers: evidence for the case. It
 * answers the party's open evidence wait (the one its token was issued for, if it came with one) when it is
 * the first answer to commit (evidence-wait.ts); otherwise it is appended.
 */
const takeEvidence = async (
  base: InboundRecord,
  reply: ReadReply,
  loaded: LoadedCase,
  match: Extract<Match, { via: 'token' | 'thread' }>,
  party: Party,
  text: string,
): Promise<InboundOutcome> => {
  const { record: kase, family } = loaded;
  const evidenceId = randomUUID();
  const attachments = await storeAttachments(reply.attachments, kase.caseId, evidenceId);
  const { refused, unparsed } = reply;
  const kinds = family.evidenceFromReply({ text, attachments }, party);
  const receivedAt = nowIso();
  const actor = { kind: party, id: party === 'seller' ? kase.sellerId : String(base.from) } as const;
  const subject = String(base.subject) || '(no subject)';
  try {
    const outcome = await answerEvidenceWait(kase.caseId, {
      party,
      resumes: match.via === 'token' ? { tokenId: match.tokenId } : 'any',
      usedBy: String(base.messageId),
      output: { evidenceId, received: kinds },
      change: ({ record }, wait, token) => {
        // Late: the wait this reply was asked for ended without it (timed out, escalated), or the case is closed.
        const late = !wait && (token?.status === 'open' || !isOpen(record.status));
        const evidence: EvidenceRecord = {
          evidenceId,
          kinds,
          provider: party,
          source: 'email',
          receivedAt,
          text,
          ...(unparsed ? { unparsed: true as const } : {}),
          attachments,
          emailMessageId: String(base.messageId),
          ...(refused.length ? { refusedAttachments: refused } : {}),
          ...(late ? { late: true } : {}),
        };
        const events: AuditEvent[] = [
          {
            type: late ? 'email.received_late' : 'email.received',
            actor,
            detail: late
              ? `The ${party} replied after the step closed: ${subject} — kept, and the owner alerted`
              : `The ${party} replied by email: ${subject}`,
            data: { messageId: base.messageId, via: match.via, attachments: attachments.length, refused },
          },
          {
            type: 'evidence.received',
            actor,
            detail: `Evidence received: ${kinds.join(', ') || 'a reply without the requested items'}${
              refused.length
                ? `; not accepted: ${refused.map((r) => `${r.filename} (${r.reason})`).join(', ')}`
                : ''
            }`,
            data: { evidenceId, kinds, refused: refused.map((r) => r.filename), resumed: wait !== undefined },
          },
        ];
        const inbound = {
          ...base,
          status: wait ? 'resumed' : 'appended',
          caseId: kase.caseId,
          evidenceId,
          kinds,
          ...(wait ? { taskToken: wait.taskToken } : {}),
        };
        return {
          evidence: [evidence],
          events,
          // Extra item 0 is this message's inbound record: refused when a concurrent delivery committed it.
          extra: [inboundRecordItem(inbound)],
          outbox: late
            ? [
                ownerAlert(
                  record,
                  'late_reply',
                  `A ${party} reply arrived after its step closed (case ${record.status})`,
                ),
              ]
            : [],
        };
      },
      closedMeanwhile: () => ({
        event: {
          type: 'email.received_late',
          actor,
          detail: `The ${party}'s reply arrived as its wait closed — kept, and the owner alerted`,
          data: { messageId: base.messageId, evidenceId },
        },
        alert: `A ${party} reply arrived as its step closed (case ${kase.caseId})`,
      }),
    });
    return { status: outcome.resumed ? 'resumed' : 'appended', caseId: kase.caseId, evidenceId };
  } catch (error) {
    if (error instanceof TransactionRefused && error.index === 0)
      return { status: 'duplicate', caseId: kase.caseId };
    throw error;
  }
};
