import { z } from 'zod';
import { secretString } from '#commons/clients/secrets.ts';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import { DomainRuleError } from '#commons/errors.ts';
import { stepHandler } from '#commons/step-handler.ts';
import type { CaseRecord } from '#domain/case.ts';
import { loadCase } from '#domain/case-loader.ts';
import { commitChange, TABLE } from '#domain/case-store.ts';
import { evidenceStatus, missingFrom } from '#domain/evidence.ts';
import { linksFor, sendToSeller } from '#domain/messaging.ts';
import { newTokenId, replyAddress } from '#domain/reply-token.ts';

const config = {
  replyDomain: requireEnv(ENV.replyDomain),
  secretArn: requireEnv(ENV.replyTokenSecretArn),
};

const input = z.object({ caseId: z.string().min(1), taskToken: z.string().min(1) });

/** Days the reply token stays valid after its wait's hard cap, so late replies are still recognised. */
const TOKEN_GRACE_DAYS = 30;

/**
 * Asks the seller for exactly the evidence still missing. The email's Reply-To carries a fresh signed
 * token bound to this case and to this wait's task token; the seller's reply resumes the workflow.
 * The step returns at once: the state machine waits (`.waitForTaskToken`) until the reply or its cap.
 */
export const requestEvidence = async ({ caseId, taskToken }: z.infer<typeof input>) => {
  const loaded = await loadCase(caseId);
  const { record, family, intake } = loaded;
  if (record.status === 'awaiting_seller' && record.waiting?.step === 'evidence' && record.waiting.tokenId) {
    return rebindWait(record, record.waiting.tokenId, taskToken);
  }
  const missing = missingFrom(evidenceStatus(family.evidence, intake.reason, loaded.evidence), 'seller');
  if (missing.length === 0) throw new DomainRuleError(`case ${caseId} owes no seller evidence`);

  const now = new Date();
  const deadline = new Date(now.getTime() + family.waits.evidenceSeconds * 1000);
  const tokenId = newTokenId();
  const address = replyAddress(await secretString(config.secretArn), caseId, tokenId, config.replyDomain);
  const dueBy = deadline.toISOString().slice(0, 16).replace('T', ' ').concat(' UTC');
  const bound = family.evidenceRequest({ caseId, intake, links: linksFor(caseId) }, missing, dueBy);
  const { message, event } = await sendToSeller(record, bound, { replyTo: address });

  await commitChange(record, {
    set: {
      status: 'awaiting_seller',
      waiting: {
        step: 'evidence',
        from: 'seller',
        since: now.toISOString(),
        deadline: deadline.toISOString(),
        missing: missing.map((m) => m.kind),
        tokenId,
      },
    },
    messages: [message],
    events: [
      {
        type: 'evidence.requested',
        actor: { kind: 'system', id: 'evidence' },
        detail: `Evidence requested from the seller: ${missing.map((m) => m.label).join('; ')}`,
        data: { missing: missing.map((m) => m.kind), deadline: deadline.toISOString(), tokenId },
      },
      event,
    ],
    extra: [
      {
        Put: {
          TableName: TABLE.name,
          Item: {
            pk: `TOKEN#${tokenId}`,
            sk: 'TOKEN',
            kind: 'reply-token',
            caseId,
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
  });
  return { tokenId, deadline: deadline.toISOString() };
};

/**
 * The case already waits for this seller's evidence (its workflow was restarted): the seller keeps the
 * reply address they were sent, and their reply resumes the new wait. No second email.
 */
const rebindWait = async (record: CaseRecord, tokenId: string, taskToken: string) => {
  await commitChange(record, {
    events: [
      {
        type: 'evidence.wait_resumed',
        actor: { kind: 'system', id: 'evidence' },
        detail: 'Still waiting for the seller’s evidence',
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
