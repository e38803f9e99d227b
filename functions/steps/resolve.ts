import { z } from 'zod';
import { DomainRuleError } from '#commons/errors.ts';
import { stepHandler } from '#commons/step-handler.ts';
import { loadCase } from '#domain/case-loader.ts';
import { commitChange } from '#domain/case-store.ts';
import { decisionSchema } from '#domain/decision.ts';
import { alreadySent, linksFor, sendToSeller } from '#domain/messaging.ts';

const input = z.object({ caseId: z.string().min(1), decision: decisionSchema });

/**
 * Records the team's decision and resolves the case: the seller gets the outcome, the policy it rests on
 * and the appeal path, and the decision, the message and the resolution land in one transaction.
 */
export const resolve = async ({ caseId, decision }: z.infer<typeof input>) => {
  const { record, family, intake, messages } = await loadCase(caseId);
  if (record.status === 'resolved') return { status: record.status };
  const outcome = family.outcomes.find((o) => o.id === decision.outcome);
  if (!outcome)
    throw new DomainRuleError(`outcome ${decision.outcome} is not one of ${family.id}'s outcomes`);

  const appealBy = new Date(Date.parse(decision.decidedAt) + family.appealDays * 86_400_000);
  const bound = family.resolution(
    { caseId, intake, links: linksFor(caseId) },
    { outcome, rationale: decision.rationale, appealBy: appealBy.toISOString().slice(0, 10) },
  );
  const sent = alreadySent(messages, bound.template.id) ? undefined : await sendToSeller(record, bound);

  await commitChange(record, {
    set: { status: 'resolved', decision },
    remove: ['waiting'],
    messages: sent ? [sent.message] : [],
    events: [
      {
        type: 'case.decided',
        actor: { kind: 'ops', id: decision.decidedBy },
        detail: `Decision: ${outcome.label} (${outcome.policyRef})`,
        data: { outcome: outcome.id, rationale: decision.rationale, policyRef: outcome.policyRef },
      },
      ...(sent ? [sent.event] : []),
      {
        type: 'case.resolved',
        actor: { kind: 'system', id: 'resolution' },
        detail: `Case resolved: ${outcome.label}. Appeal possible until ${appealBy.toISOString().slice(0, 10)}`,
        data: { outcome: outcome.id, appealBy: appealBy.toISOString() },
      },
    ],
  });
  return { status: 'resolved' };
};

export const handler = stepHandler(input, resolve);
