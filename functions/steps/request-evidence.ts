import { z } from 'zod';
import { now as clockNow } from '#commons/clock.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { DomainRuleError } from '#commons/errors.ts';
import { stepHandler } from '#commons/step-handler.ts';
import { alreadyWaiting, commitWait } from '#domain/callback-wait.ts';
import type { CaseRecord } from '#domain/case.ts';
import { loadCase } from '#domain/case-loader.ts';
import { rebindReplyTokenItem, replyTokenItem } from '#domain/case-store.ts';
import { evidenceStatus, missingFrom } from '#domain/evidence.ts';
import { moveTo } from '#domain/lifecycle.ts';
import { composeTemplated, emailChange, linksFor } from '#domain/messaging.ts';
import { newTokenId, replyAddress } from '#domain/reply-token.ts';
import { RETENTION_DAYS } from '#domain/table-design.ts';
import { armReminder } from '#domain/timers.ts';
import { secretString } from '#gateways/secrets.ts';

const config = {
  replyDomain: requireEnv(ENV.replyDomain),
  secretArn: requireEnv(ENV.replyTokenSecretArn),
};

const input = z.object({
  caseId: z.string().min(1),
  taskToken: z.string().min(1),
  party: z.enum(['seller', 'buyer']).default('seller'),
});

/**
 * Asks one party (the seller, or in families that hear both sides the buyer) for exactly the evidence
 * still missing from them. For the seller this is the first response too. The Reply-To carries a fresh
 * signed token bound to this case, this party's address and this wait's task token; the reply resumes the
 * workflow. The step returns at once: the state machine waits (`.waitForTaskToken`) until the reply or its cap.
 *
 * The wait, the reply token, the request's message and audit events and the email itself (an outbox record)
 * are one transaction; the email leaves after it, so a reply sent the instant it arrives finds its token.
 * Invoked again with the same task token (the engine retried an invocation that may have completed), it
 * finds the wait recorded and writes and sends nothing.
 */
export const requestEvidence = async ({ caseId, taskToken, party }: z.infer<typeof input>) => {
  if (await alreadyWaiting(taskToken)) return { alreadyWaiting: true };
  const loaded = await loadCase(caseId);
  const { record, family, intake } = loaded;
  const waiting = record.waiting;
  if (waiting?.step === 'evidence' && waiting.from === party && waiting.tokenId) {
    return rebindWait(record, waiting.tokenId, taskToken, waiting.deadline);
  }
  const missing = missingFrom(evidenceStatus(family.evidence, intake.reason, loaded.evidence), party);
  if (missing.length === 0) throw new DomainRuleError(`case ${caseId} owes no ${party} evidence`);
  const participant = party === 'seller' ? record.sellerEmail : family.buyerEmail?.(intake);
  if (!participant) throw new DomainRuleError(`case ${caseId} has no ${party} address to ask`);

  const now = clockNow();
  const deadline = new Date(now.getTime() + family.waits.evidenceSeconds * 1000);
  const tokenId = newTokenId();
  const address = replyAddress(await secretString(config.secretArn), caseId, tokenId, config.replyDomain);
  const sent = composeTemplated(
    record,
    family.templates.evidenceRequest,
    {
      caseId,
      subject: family.subject(intake),
      reasonLabel: family.reasons[intake.reason] ?? intake.reason,
      audience: party,
      missing: missing.map((m) => m.label),
      dueBy: deadline.toISOString().slice(0, 16).replace('T', ' ').concat(' UTC'),
      caseUrl: linksFor(caseId).caseUrl,
    },
    { to: participant, audience: party, replyTo: address, thread: loaded.messages },
  );

  const reminder = armReminder(caseId, party, tokenId, now.getTime(), family.waits.evidenceSeconds * 1000);
  const recorded = await commitWait(
    record,
    { caseId, taskToken, step: 'evidence', deadline: deadline.toISOString() },
    {
      // Waiting on the buyer, the case is under review from the seller's side: nothing is expected of them.
      move: moveTo(party === 'seller' ? 'awaiting_seller' : 'under_review'),
      set: {
        waiting: {
          step: 'evidence',
          from: party,
          since: now.toISOString(),
          deadline: deadline.toISOString(),
          missing: missing.map((m) => m.kind),
          tokenId,
        },
      },
      messages: emailChange(sent).messages,
      outbox: emailChange(sent).outbox,
      alarm: reminder.alarm,
      events: [
        {
          type: 'evidence.requested',
          actor: { kind: 'system', id: 'evidence' },
          detail: `Evidence requested from the ${party}: ${missing.map((m) => m.label).join('; ')}`,
          data: { party, missing: missing.map((m) => m.kind), deadline: deadline.toISOString(), tokenId },
        },
        sent.event,
      ],
      extra: [
        replyTokenItem(
          {
            tokenId,
            caseId,
            party,
            participant: participant.toLowerCase(),
            taskToken,
            status: 'open',
            createdAt: now.toISOString(),
            expiresAt: deadline.toISOString(),
          },
          Math.floor(deadline.getTime() / 1000) + RETENTION_DAYS.replyToken * 86_400,
        ),
        ...reminder.items,
      ],
    },
    { rebase: 5 },
  );
  // A concurrent invocation with the same task token recorded the wait (and its email) first.
  if (recorded === 'already-recorded') return { alreadyWaiting: true };
  return { tokenId, deadline: deadline.toISOString() };
};

/**
 * The case already waits for this party's evidence under another task token (its workflow was restarted):
 * they keep the reply address they were sent, and their reply resumes the new wait. No second email.
 */
const rebindWait = async (record: CaseRecord, tokenId: string, taskToken: string, deadline: string) => {
  const recorded = await commitWait(
    record,
    { caseId: record.caseId, taskToken, step: 'evidence', deadline },
    {
      events: [
        {
          type: 'evidence.wait_resumed',
          actor: { kind: 'system', id: 'evidence' },
          detail: 'Still waiting for the requested evidence',
          data: { tokenId },
        },
      ],
      extra: [rebindReplyTokenItem(tokenId, taskToken)],
    },
  );
  if (recorded === 'already-recorded') return { alreadyWaiting: true };
  return { tokenId, deadline, resumed: true };
};

export const handler = stepHandler(input, requestEvidence);
