import { z } from 'zod';
import { stepHandler } from '#commons/step-handler.ts';
import { loadCase } from '#domain/case-loader.ts';
import { commitChange } from '#domain/case-store.ts';
import { linksFor, sendTemplated } from '#domain/messaging.ts';

const input = z.object({
  caseId: z.string().min(1),
  message: z.enum(['first-response', 'appeal-acknowledgement', 'reopen-acknowledgement']),
});

/**
 * Sends the seller a templated update, once: a retried or restarted step does not send again. The first
 * response is the case's first message (if the evidence request went out, the seller was answered);
 * each appeal and each reopen is acknowledged once.
 */
export const notifySeller = async ({
  caseId,
  message,
}: z.infer<typeof input>): Promise<{ sent: boolean }> => {
  const { record, family, intake, messages } = await loadCase(caseId);
  const subject = family.subject(intake);
  const { caseUrl } = linksFor(caseId);
  // Region variants' ids extend the default's (`x.resolution` → `x.resolution.eu`), so one prefix counts both.
  const countOf = (templateId: string) => messages.filter((m) => m.template.startsWith(templateId)).length;

  let sent: Awaited<ReturnType<typeof sendTemplated>>;
  if (message === 'first-response') {
    if (messages.length > 0) return { sent: false };
    const reasonLabel = family.reasons[intake.reason] ?? intake.reason;
    sent = await sendTemplated(record, family.templates.firstResponse, {
      caseId,
      subject,
      reasonLabel,
      caseUrl,
    });
  } else {
    const appeal = message === 'appeal-acknowledgement';
    const set = appeal ? family.templates.appealAcknowledgement : family.templates.reopenAcknowledgement;
    const due = appeal ? (record.appealCount ?? 0) : (record.reopenCount ?? 0);
    if (countOf(set.default.id) >= due) return { sent: false };
    sent = await sendTemplated(record, set, { caseId, subject, caseUrl }, { thread: messages });
  }
  await commitChange(
    record,
    {
      messages: sent.message ? [sent.message] : [],
      events: [sent.event],
      extra: sent.extra,
    },
    { rebase: 5 },
  );
  return { sent: sent.message !== undefined };
};

export const handler = stepHandler(input, notifySeller);
