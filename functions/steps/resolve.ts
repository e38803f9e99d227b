import { z } from 'zod';
import { nowIso, nowMs } from '#commons/clock.ts';
import { DomainRuleError } from '#commons/errors.ts';
import { stepHandler } from '#commons/step-handler.ts';
import { dispatchAfter, releaseOf, waitingTeam } from '#domain/assignment.ts';
import { loadCase } from '#domain/case-loader.ts';
import { decisionSchema } from '#domain/decision.ts';
import { armFollowUp } from '#domain/follow-up.ts';
import { moveTo } from '#domain/lifecycle.ts';
import { composeTemplated, emailChange, linksFor } from '#domain/messaging.ts';
import { commitAndDispatch } from '#domain/outbox-dispatch.ts';
import { reviewItemsOf } from '#domain/reviews.ts';

const input = z.object({ caseId: z.string().min(1), decision: decisionSchema });

/**
 * Records the decision (a team's, or the seller's acceptance of a mediation offer) and resolves the case:
 * the seller gets the outcome, the policy it rests on and the appeal path, and the decision, the message
 * and the resolution land in one transaction. An appeal's decision resolves the case again.
 */
export const resolve = async ({ caseId, decision: given }: z.infer<typeof input>) => {
  const decision = { ...given, decidedAt: given.decidedAt ?? nowIso() };
  const { record, family, intake, messages, events } = await loadCase(caseId);
  if (
    record.status === 'resolved' &&
    (given.decidedAt === undefined || record.decision?.decidedAt === given.decidedAt)
  )
    return { status: record.status };
  const outcome = family.outcomes.find((o) => o.id === decision.outcome);
  if (!outcome)
    throw new DomainRuleError(`outcome ${decision.outcome} is not one of ${family.id}'s outcomes`);

  // An appeal's handoff excluded the original decider; that is how the decision is known to be the appeal's.
  const appeal = record.waiting?.excludedDecider !== undefined;
  const appealBy = new Date(Date.parse(decision.decidedAt) + family.windows.appealDays * 86_400_000);
  const links = linksFor(caseId);
  const sent = composeTemplated(
    record,
    family.templates.resolution,
    {
      caseId,
      subject: family.subject(intake),
      outcomeLabel: outcome.label,
      outcomeSummary: outcome.sellerSummary,
      policyRef: outcome.policyRef,
      rationale: decision.rationale,
      appealBy: appeal ? 'no further appeal' : appealBy.toISOString().slice(0, 10),
      appealUrl: links.appealUrl,
    },
    { thread: messages },
  );
  const byMediation = decision.via === 'mediation';
  // The follow-up of this resolution: its timer commits with it, and waits in the outbox (follow-up.ts).
  const followUp = armFollowUp(record, family, nowMs());
  const email = emailChange(sent);
  await commitAndDispatch(
    record,
    {
      move: moveTo('resolved'),
      set: {
        decision: {
          outcome: decision.outcome,
          rationale: decision.rationale,
          decidedBy: decision.decidedBy,
          decidedAt: decision.decidedAt,
        },
        followUp: followUp.followUp,
      },
      // The agent who held it is free for the next case in the queue.
      remove: ['waiting', 'assignee', 'priority', 'passedOver'],
      // A sampled resolution, or an appeal that overturned a decision, enters the review queue in this
      // commit (worked out again on the case as it is, if the commit is re-applied after a conflict).
      extraOf: (current) => [
        ...releaseOf(current),
        ...reviewItemsOf(current, family, events, decision, appeal),
      ],
      extra: followUp.timers.items,
      messages: email.messages,
      outbox: [...email.outbox, followUp.wake],
      events: [
        {
          type: appeal ? 'appeal.decided' : byMediation ? 'mediation.accepted' : 'case.decided',
          actor: {
            kind: byMediation ? 'seller' : decision.via === 'policy' ? 'system' : 'ops',
            id: decision.decidedBy,
          },
          detail: `${appeal ? 'Appeal decision' : 'Decision'}: ${outcome.label} (${outcome.policyRef})`,
          data: {
            outcome: outcome.id,
            rationale: decision.rationale,
            policyRef: outcome.policyRef,
            via: decision.via,
          },
        },
        sent.event,
        {
          type: 'case.resolved',
          actor: { kind: 'system', id: 'resolution' },
          detail: appeal
            ? `Case resolved on appeal: ${outcome.label}`
            : `Case resolved: ${outcome.label}. Appeal possible until ${appealBy.toISOString().slice(0, 10)}`,
          data: { outcome: outcome.id, ...(appeal ? {} : { appealBy: appealBy.toISOString() }) },
        },
      ],
    },
    { rebase: 5 },
  );
  await dispatchAfter(waitingTeam(record));
  return { status: 'resolved' };
};

export const handler = stepHandler(input, resolve);
