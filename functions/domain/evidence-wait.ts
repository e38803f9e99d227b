import { randomUUID } from 'node:crypto';
import { nowIso } from '#commons/clock.ts';
import { ConflictError } from '#commons/errors.ts';
import { backoffMs, retryOnConflict, sleep } from '#commons/retry.ts';
import { completeTask } from '#gateways/workflow.ts';
import type { Party } from '#policy/family-policy.ts';
import { ownerAlert } from './alerts.ts';
import type { AttachmentRecord, AuditEvent, CaseRecord, EvidenceRecord } from './case.ts';
import { type LoadedCase, loadCase } from './case-loader.ts';
import { type Change, consumeReplyTokenItem, getReplyToken, TransactionRefused } from './case-store.ts';
import { moveTo } from './lifecycle.ts';
import { commitAndDispatch } from './outbox-dispatch.ts';
import type { ReplyTokenRecord } from './reply-token.ts';

/**
 * One use case answers an evidence wait, whichever way the answer came: an email reply
 * (inbound-email.ts) or a portal upload (api/add-evidence.ts).
 *
 * Read the case and its open wait → commit the evidence; if this answer may answer the wait, the same
 * transaction consumes the wait's reply token (conditional on it still being `open`) and moves the case on
 * (conditional on the version read) → after the commit, resume the workflow (SendTaskSuccess).
 *
 * Two answers racing for one wait: the first commit consumes the token; the other's transaction is refused
 * (the token is used, or the case version moved), so it reads the case again — the wait is gone — and is
 * appended as additional evidence. Neither fails, and the wait is resumed once.
 */

/** The wait an answer resumes: its reply token and the workflow's task token. */
export interface OpenWait {
  readonly tokenId: string;
  readonly taskToken: string;
}

export interface EvidenceAnswer {
  readonly party: Party;
  /**
   * Which wait this answer may resume: `any` (the party's open evidence wait), `{ tokenId }` (only that
   * token's wait: an email sent to its Reply-To), or `none` (it is only filed with the case).
   */
  readonly resumes: 'any' | { readonly tokenId: string } | 'none';
  /** Recorded on the consumed token: the email's Message-ID, or `portal:<evidenceId>`. */
  readonly usedBy: string;
  /** What the resumed step receives. */
  readonly output: unknown;
  /**
   * The change this answer makes to the case as read now: its evidence, its events and any items of its
   * own (an inbound-mail record…), given the wait it answers (if any) and — when it came with a reply token
   * that is not the open wait's — that token as stored now. Called again after a lost race, on a fresh read.
   */
  readonly change: (loaded: LoadedCase, wait: OpenWait | undefined, token?: ReplyTokenRecord) => Change;
  /** What to record when the wait ended (its cap) between this answer's commit and its resume. */
  readonly closedMeanwhile: (record: CaseRecord) => { readonly event: AuditEvent; readonly alert: string };
}

export interface AnswerOutcome {
  /** Whether this answer resumed the wait (otherwise it was appended). */
  readonly resumed: boolean;
  /** It had committed as the wait's answer, but the wait had just ended: kept, and the owner alerted. */
  readonly closedMeanwhile?: boolean;
}

/** Lost races retried on a fresh read before giving up with ConflictError. */
const ATTEMPTS = 8;

/** The party's open evidence wait, if this answer may resume it, with its task token. */
const openWait = async (
  record: CaseRecord,
  party: Party,
  resumes: EvidenceAnswer['resumes'],
): Promise<OpenWait | undefined> => {
  const waiting = record.waiting;
  if (resumes === 'none' || waiting?.step !== 'evidence' || waiting.from !== party || !waiting.tokenId)
    return undefined;
  if (resumes !== 'any' && resumes.tokenId !== waiting.tokenId) return undefined;
  const token = await getReplyToken(waiting.tokenId);
  return token?.status === 'open' ? { tokenId: waiting.tokenId, taskToken: token.taskToken } : undefined;
};

/**
 * Records an answer to a case's evidence wait: resumes the wait if it is still open and this answer may
 * answer it, else appends it as additional evidence. Throws what the caller's own items cause
 * (TransactionRefused with the index of the caller's extra item, e.g. a duplicate delivery), and
 * ConflictError only if the case kept moving through {@link ATTEMPTS} fresh reads.
 */
export const answerEvidenceWait = async (caseId: string, answer: EvidenceAnswer): Promise<AnswerOutcome> => {
  for (let attempt = 1; ; attempt += 1) {
    const loaded = await loadCase(caseId);
    const wait = await openWait(loaded.record, answer.party, answer.resumes);
    const own =
      typeof answer.resumes === 'object' && wait?.tokenId !== answer.resumes.tokenId
        ? await getReplyToken(answer.resumes.tokenId)
        : undefined;
    const change = answer.change(loaded, wait, own);
    const extra = change.extra ?? [];
    try {
      await commitAndDispatch(loaded.record, {
        ...change,
        ...(wait
          ? {
              move: moveTo('under_review'),
              remove: [...(change.remove ?? []), 'waiting' as const],
            }
          : {}),
        extra: [...extra, ...(wait ? [consumeReplyTokenItem(wait.tokenId, answer.usedBy, nowIso())] : [])],
      });
    } catch (error) {
      const lostToken = error instanceof TransactionRefused && error.index === extra.length;
      if (!(lostToken || error instanceof ConflictError) || attempt >= ATTEMPTS) throw error;
      // Another answer (or a timer, a step) committed first: read again; the wait may be gone.
      await sleep(backoffMs(attempt, 20, 500));
      continue;
    }
    if (!wait) return { resumed: false };
    if ((await completeTask(wait.taskToken, answer.output)) === 'completed') return { resumed: true };
    // The wait hit its cap in the instant before this answer: the evidence is kept, but it resumed nothing.
    await retryOnConflict(async () => {
      const fresh = await loadCase(caseId);
      const late = answer.closedMeanwhile(fresh.record);
      await commitAndDispatch(fresh.record, {
        events: [late.event],
        outbox: [ownerAlert(fresh.record, 'late_reply', late.alert)],
      });
    });
    return { resumed: false, closedMeanwhile: true };
  }
};

/**
 * Evidence the seller gives on the portal (items and uploads already checked against the family's
 * contract): answers their open evidence wait if it is the first answer to commit, else is appended.
 */
export const addPortalEvidence = async (input: {
  readonly caseId: string;
  readonly sellerId: string;
  readonly kinds: readonly string[];
  readonly text: string;
  readonly attachments: readonly AttachmentRecord[];
}): Promise<{ evidenceId: string; resumed: boolean }> => {
  const { caseId, kinds } = input;
  const evidence: EvidenceRecord = {
    evidenceId: randomUUID(),
    kinds,
    provider: 'seller',
    source: 'portal',
    receivedAt: nowIso(),
    text: input.text,
    ...(input.attachments.length > 0 ? { attachments: input.attachments } : {}),
  };
  const { evidenceId } = evidence;
  const actor = { kind: 'seller', id: input.sellerId } as const;
  const { resumed } = await answerEvidenceWait(caseId, {
    party: 'seller',
    resumes: 'any',
    usedBy: `portal:${evidenceId}`,
    output: { evidenceId, received: kinds },
    change: (_loaded, wait) => ({
      evidence: [evidence],
      events: [
        {
          type: 'evidence.received',
          actor,
          detail: `Evidence received on the portal: ${kinds.join(', ')}`,
          data: { evidenceId, kinds, source: 'portal', resumed: wait !== undefined },
        },
      ],
    }),
    closedMeanwhile: () => ({
      event: {
        type: 'evidence.received_late',
        actor,
        detail: 'The evidence arrived as its wait closed — kept, and the owner alerted',
        data: { evidenceId },
      },
      alert: `Portal evidence arrived as its step closed (case ${caseId})`,
    }),
  });
  return { evidenceId, resumed };
};
