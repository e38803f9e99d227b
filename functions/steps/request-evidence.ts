import { z } from 'zod';
import { secretString } from '#commons/clients/secrets.ts';
import { now as clockNow } from '#commons/clock.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { DomainRuleError } from '#commons/errors.ts';
import { stepHandler } from '#commons/step-handler.ts';
import type { CaseRecord } from '#domain/case.ts';
import { loadCase } from '#domain/case-loader.ts';
import { commitChange, TABLE } from '#domain/case-store.ts';
import { evidenceStatus, missingFrom } from '#domain/evidence.ts';
import { linksFor, sendTemplated } from '#domain/messaging.ts';
import { newTokenId, replyAddress } from '#domain/reply-token.ts';
import { armReminder } from '#domain/timers.ts';

const config = {
  replyDomain: requireEnv(ENV.replyDomain),
  secretArn: requireEnv(ENV.replyTokenSecretArn),
};

const input = z.object({
  caseId: z.string().min(1),
  taskToken: z.string().min(1),
  party: z.enum(['seller', 'buyer']).default('seller'),
});

/** Days the reply token stays valid after its wait's hard cap, so late replies are still recognised. */
const TOKEN_GRACE_DAYS = 30;

/**
 * Asks one party (the seller, or in families that hear both sides the buyer) for exactly the evidence
 * still missing from them. For the seller this is the first response too. The Reply-To carries a fresh
 * signed token bound to this case, this party's address and this wait's task token; the reply resumes the
 * workflow. The step returns at once: the state machine waits (`.waitForTaskToken`) until the reply or its cap.
 */
export const requestEvidence = async ({ caseId, taskToken, party }: z.infer<typeof input>) => {
  const loaded = await loadCase(caseId);
  const { record, family, intake } = loaded;
  const waiting = record.waiting;
  if (waiting?.step === 'evidence' && waiting.from === party && waiting.tokenId) {
    return rebindWait(record, waiting.tokenId, taskToken);
  }
  const missing = missingFrom(evidenceStatus(family.evidence, intake.reason, loaded.evidence), party);
  if (missing.length === 0) throw new DomainRuleError(`case ${caseId} owes no ${party} evidence`);
  const participant = party === 'seller' ? record.sellerEmail : family.buyerEmail?.(intake);
  if (!participant) throw new DomainRuleError(`case ${caseId} has no ${party} address to ask`);

  const now = clockNow();
  const deadline = new Date(now.getTime() + family.waits.evidenceSeconds * 1000);
  const tokenId = newTokenId();
  const address = replyAddress(await secretString(config.secretArn), caseId, tokenId, config.replyDomain);
  const sent = await sendTemplated(
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

  const reminder = await armReminder(
    caseId,
    party,
    tokenId,
    now.getTime(),
    family.waits.evidenceSeconds * 1000,
  );
  await commitChange(
    record,
    {
      set: {
        // Waiting on the buyer, the case is under review from the seller's side: nothing is expected of them.
        status: party === 'seller' ? 'awaiting_seller' : 'under_review',
        waiting: {
          step: 'evidence',
          from: party,
          since: now.toISOString(),
          deadline: deadline.toISOString(),
          missing: missing.map((m) => m.kind),
          tokenId,
        },
      },
      messages: sent.message ? [sent.message] : [],
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
        ...sent.extra,
        ...reminder,
        {
          Put: {
            TableName: TABLE.name,
            Item: {
              pk: `TOKEN#${tokenId}`,
              sk: 'TOKEN',
              kind: 'reply-token',
              caseId,
              party,
              participant: participant.toLowerCase(),
              taskToken,
              status: 'open',
              createdAt: now.toISOString(),
              expiresAt: deadline.toISOString(),
              expiresAtEpoch: Math.floor(deadline.getTime() / 1000) + TOKEN_GRACE_DAYS * 86_400,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    },
    { rebase: 5 },
  );
  return { tokenId, deadline: deadline.toISOString() };
};

/**
 * The case already waits for this party's evidence (its workflow was restarted): they keep the reply
 * address they were sent, and their reply resumes the new wait. No second email.
 */
const rebindWait = async (record: CaseRecord, tokenId: string, taskToken: string) => {
  await commitChange(record, {
    events: [
      {
        type: 'evidence.wait_resumed',
        actor: { kind: 'system', id: 'evidence' },
        detail: 'Still waiting for the requested evidence',
        data: { tokenId },
      },
    ],
    extra: [
      {
        Update: {
          TableName: TABLE.name,
          Key: { pk: `TOKEN#${tokenId}`, sk: 'TOKEN' },
          UpdateExpression: 'SET taskToken = :taskToken',
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':taskToken': taskToken, ':open': 'open' },
        },
      },
    ],
  });
  return { tokenId, deadline: record.waiting?.deadline, resumed: true };
};

export const handler = stepHandler(input, requestEvidence);
