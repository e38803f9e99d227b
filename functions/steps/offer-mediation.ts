import { z } from 'zod';
import { now as clockNow } from '#commons/clock.ts';
import { DomainRuleError } from '#commons/errors.ts';
import { stepHandler } from '#commons/step-handler.ts';
import { alreadyWaiting, commitWait } from '#domain/callback-wait.ts';
import { loadCase } from '#domain/case-loader.ts';
import { moveTo } from '#domain/lifecycle.ts';
import { composeTemplated, emailChange, linksFor } from '#domain/messaging.ts';

const input = z.object({ caseId: z.string().min(1), taskToken: z.string().min(1) });

/**
 * Before any team decides, offers the seller the family's settlement (`POST /cases/{id}/mediation`
 * answers it) and waits (`.waitForTaskToken`). Accepting resolves the case as settled; declining or
 * silence until the cap hands it to the deciding team. Invoked again with the same task token (the
 * engine retried an invocation that may have completed), it finds the wait recorded and does nothing.
 */
export const offerMediation = async ({ caseId, taskToken }: z.infer<typeof input>) => {
  if (await alreadyWaiting(taskToken)) return { offered: true, alreadyWaiting: true };
  const { record, family, intake, messages } = await loadCase(caseId);
  const templates = family.templates.mediationOffer;
  if (!family.mediation || !templates) throw new DomainRuleError(`${family.id} has no mediation policy`);
  const now = clockNow();
  const deadline = new Date(now.getTime() + (family.waits.mediationSeconds ?? 3 * 86_400) * 1000);
  const offer = family.mediation.offer(intake);
  const alreadyOffered = record.waiting?.step === 'mediation';
  const sent = alreadyOffered
    ? undefined
    : composeTemplated(
        record,
        templates,
        {
          caseId,
          subject: family.subject(intake),
          offer,
          respondBy: deadline.toISOString().slice(0, 16).replace('T', ' ').concat(' UTC'),
          caseUrl: linksFor(caseId).caseUrl,
        },
        { thread: messages },
      );
  await commitWait(
    record,
    { caseId, taskToken, step: 'mediation', deadline: deadline.toISOString() },
    {
      move: moveTo('awaiting_seller'),
      set: {
        waiting: {
          step: 'mediation',
          from: 'seller',
          since: now.toISOString(),
          deadline: deadline.toISOString(),
          taskToken,
        },
      },
      ...(sent ? emailChange(sent) : {}),
      events: [
        {
          type: alreadyOffered ? 'mediation.wait_resumed' : 'mediation.offered',
          actor: { kind: 'system', id: 'mediation' },
          detail: `Settlement offered to the seller: ${offer}`,
          data: { outcome: family.mediation.outcome, deadline: deadline.toISOString() },
        },
        ...(sent ? [sent.event] : []),
      ],
    },
    { rebase: 5 },
  );
  return { offered: true };
};

export const handler = stepHandler(input, offerMediation);
