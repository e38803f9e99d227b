import { randomUUID } from 'node:crypto';
import { conflict } from '#commons/errors.ts';
import type { Principal } from '#commons/http/principal.ts';
import { completeTask } from '#gateways/workflow.ts';
import type { BaseIntake, Family, Snippet } from '#policy/family-policy.ts';
import { requireTeamOwner } from './assignment.ts';
import { loadCase } from './case-loader.ts';
import { composeTemplated, emailChange, linksFor } from './messaging.ts';
import { commitAndDispatch } from './outbox-dispatch.ts';
import { checkReply, type ReplyInput } from './snippets.ts';
import { templateFor } from './templates.ts';

/**
 * Replies from approved snippets: the case's owner writes to the seller in reviewed wording (seed 000 §5),
 * adding their own words only where the snippet takes them. A plain reply is one commit — its message, its
 * outbox record and its audit events — and leaves after it. A reply that asks for more evidence leaves the
 * team's decision wait instead: the workflow takes the request (SendTaskSuccess, once: a second answer to
 * the same wait is a 409), and its RequestEvidence step sends the snippet with a fresh reply address and
 * opens the new evidence wait in one commit (functions/steps/request-evidence.ts). The seller's answer is
 * recorded as evidence and brings the case back to the team, to the agent who asked.
 */

type Ops = Extract<Principal, { kind: 'ops' }>;

/** What the workflow carries from the API to the step that sends an evidence-asking reply. */
export interface EvidenceReply {
  readonly replyId: string;
  readonly snippet: string;
  readonly text?: string;
  readonly kinds: readonly string[];
  readonly agentId: string;
}

/** The `reply.sent` audit event: who wrote, from which snippet, with which words (ops timeline only). */
export const replyEvent = (
  agentId: string,
  snippet: Snippet,
  template: string,
  extra: { replyId: string; text?: string | undefined; kinds?: readonly string[] },
) =>
  ({
    type: 'reply.sent',
    actor: { kind: 'ops', id: agentId },
    detail: `${agentId} wrote to the seller: ${snippet.label}`,
    data: {
      replyId: extra.replyId,
      snippet: snippet.id,
      template,
      ...(extra.text ? { text: extra.text } : {}),
      ...(extra.kinds ? { asked: extra.kinds } : {}),
    },
  }) as const;

const newReplyId = () => `reply_${randomUUID().replaceAll('-', '').slice(0, 20)}`;

export type ReplyOutcome =
  | {
      readonly replyId: string;
      readonly sent: 'now';
      readonly template: string;
      readonly suppressed?: string;
    }
  | { readonly replyId: string; readonly sent: 'with-evidence-wait'; readonly template: string };

/** Sends an agent's reply on a case (see the module comment for the two ways it goes). */
export const sendReply = async (
  caseId: string,
  family: Family<BaseIntake>,
  input: ReplyInput,
  ops: Ops,
): Promise<ReplyOutcome> => {
  const snippet = checkReply(family, input);
  const loaded = await loadCase(caseId);
  const { record, intake } = loaded;
  const { taskToken } = requireTeamOwner(record, ops, 'write to the seller');
  const replyId = newReplyId();
  const text = input.text?.trim() || undefined;
  const template = templateFor(snippet.template, record.region);
  const templateRef = `${template.id}@${template.version}`;
  if (snippet.asksForEvidence) {
    // An execution started before its workflow could take a request for more would resolve on it.
    if (!record.waiting?.asks) {
      throw conflict(
        `case ${caseId} runs a workflow from before requests for more evidence; decide or transfer it, or write without asking`,
      );
    }
    const request: EvidenceReply = {
      replyId,
      snippet: snippet.id,
      ...(text ? { text } : {}),
      kinds: input.evidence ?? [],
      agentId: ops.userId,
    };
    if ((await completeTask(taskToken, { moreEvidence: request })) === 'closed') {
      throw conflict(`case ${caseId} is no longer waiting for its team; read it again`);
    }
    return { replyId, sent: 'with-evidence-wait', template: templateRef };
  }
  const composed = composeTemplated(
    record,
    snippet.template,
    {
      caseId,
      subject: family.subject(intake),
      ...(text ? { freeText: text } : {}),
      caseUrl: linksFor(caseId).caseUrl,
    },
    { thread: loaded.messages },
  );
  await commitAndDispatch(record, {
    ...emailChange(composed),
    events: [replyEvent(ops.userId, snippet, templateRef, { replyId, text }), composed.event],
  });
  return {
    replyId,
    sent: 'now',
    template: templateRef,
    ...(composed.outbox ? {} : { suppressed: composed.event.detail }),
  };
};
