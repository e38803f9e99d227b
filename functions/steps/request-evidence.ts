import { z } from 'zod';
import { now as clockNow } from '#commons/clock.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { DomainRuleError } from '#commons/errors.ts';
import { stepHandler } from '#commons/step-handler.ts';
import { dispatchAfter, releaseOf } from '#domain/assignment.ts';
import { alreadyWaiting, commitWait } from '#domain/callback-wait.ts';
import type { CaseRecord } from '#domain/case.ts';
import { loadCase } from '#domain/case-loader.ts';
import { rebindReplyTokenItem, replyTokenItem } from '#domain/case-store.ts';
import { evidenceStatus, missingFrom } from '#domain/evidence.ts';
import { moveTo } from '#domain/lifecycle.ts';
import { composeTemplated, emailChange, linksFor } from '#domain/messaging.ts';
import { replyEvent } from '#domain/replies.ts';
import { newTokenId, replyAddress } from '#domain/reply-token.ts';
import { RETENTION_DAYS } from '#domain/table-design.ts';
import { templateFor } from '#domain/templates.ts';
import { armReminder } from '#domain/timers.ts';
import { secretString } from '#gateways/secrets.ts';
import type { Snippet } from '#policy/family-policy.ts';

const config = {
  replyDomain: requireEnv(ENV.replyDomain),
  secretArn: requireEnv(ENV.replyTokenSecretArn),
};

const input = z.object({
  caseId: z.string().min(1),
  taskToken: z.string().min(1),
  party: z.enum(['seller', 'buyer']).default('seller'),
  /** An agent's reply that asks the seller for more (replies.ts): its snippet, words and items. */
  reply: z
    .object({
      replyId: z.string().min(1),
      snippet: z.string().min(1),
      text: z.string().optional(),
      kinds: z.array(z.string().min(1)).min(1),
      agentId: z.string().min(1),
    })
    .optional(),
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
 *
 * With `reply`, the case's agent asked for more while their team held it: the message is the agent's
 * snippet (their words, the items they chose), the wait asks for those items, and the agent's capacity is
 * free until the seller answers (the case goes back to them: hand-off.ts).
 */
export const requestEvidence = async ({ caseId, taskToken, party, reply }: z.infer<typeof input>) => {
  if (await alreadyWaiting(taskToken)) return { alreadyWaiting: true };
  const loaded = await loadCase(caseId);
  const { record, family, intake } = loaded;
  const waiting = record.waiting;
  if (waiting?.step === 'evidence' && waiting.from === party && waiting.tokenId) {
    return rebindWait(record, waiting.tokenId, taskToken, waiting.deadline);
  }
  const missing = reply
    ? family.evidence.filter((e) => e.provider === 'seller' && reply.kinds.includes(e.kind))
    : missingFrom(evidenceStatus(family.evidence, intake.reason, loaded.evidence), party);
  if (missing.length === 0) throw new DomainRuleError(`case ${caseId} owes no ${party} evidence`);
  const participant = party === 'seller' ? record.sellerEmail : family.buyerEmail?.(intake);
  if (!participant) throw new DomainRuleError(`case ${caseId} has no ${party} address to ask`);
  const snippet = reply && family.templates.snippets.find((s) => s.id === reply.snippet);
  if (reply && !snippet) throw new DomainRuleError(`${family.id} has no snippet ${reply.snippet}`);

  const now = clockNow();
  const deadline = new Date(now.getTime() + family.waits.evidenceSeconds * 1000);
  const tokenId = newTokenId();
  const address = replyAddress(await secretString(config.secretArn), caseId, tokenId, config.replyDomain);
  const dueBy = deadline.toISOString().slice(0, 16).replace('T', ' ').concat(' UTC');
  const sendAs = { to: participant, audience: party, replyTo: address, thread: loaded.messages };
  const common = { caseId, subject: family.subject(intake), dueBy, caseUrl: linksFor(caseId).caseUrl };
  const sent = snippet
    ? composeTemplated(
        record,
        snippet.template,
        { ...common, missing: missing.map((m) => m.label), ...(reply?.text ? { freeText: reply.text } : {}) },
        sendAs,
      )
    : composeTemplated(
        record,
        family.templates.evidenceRequest,
        {
          ...common,
          reasonLabel: family.reasons[intake.reason] ?? intake.reason,
          audience: party,
          missing: missing.map((m) => m.label),
        },
        sendAs,
      );
  // The agent who asked: their reply is on the timeline, and the case comes back to them.
  const asked = reply && snippet ? agentAsked(record, reply, snippet) : undefined;

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
          ...(reply ? { requestedBy: reply.agentId } : {}),
        },
        ...asked?.set,
      },
      ...(asked ? { remove: ['assignee' as const], extraOf: releaseOf } : {}),
      messages: emailChange(sent).messages,
      outbox: emailChange(sent).outbox,
      alarm: reminder.alarm,
      events: [
        ...(asked ? [asked.event] : []),
        {
          type: 'evidence.requested',
          actor: reply ? { kind: 'ops', id: reply.agentId } : { kind: 'system', id: 'evidence' },
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
  // The agent's capacity freed: the team's queue may have a case for them.
  if (asked) await dispatchAfter(asked.team);
  return { tokenId, deadline: deadline.toISOString() };
};

/** The agent's side of a reply that asks for more: its audit event, and the owner the case returns to. */
const agentAsked = (
  record: CaseRecord,
  reply: NonNullable<z.infer<typeof input>['reply']>,
  snippet: Snippet,
) => {
  const wording = templateFor(snippet.template, record.region);
  const template = `${wording.id}@${wording.version}`;
  const owner = record.assignee;
  return {
    team: record.waiting?.team ?? record.routing?.team,
    event: replyEvent(reply.agentId, snippet, template, {
      replyId: reply.replyId,
      text: reply.text,
      kinds: reply.kinds,
    }),
    set: owner ? { returnsTo: { agentId: owner.agentId, name: owner.name } } : {},
  };
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
