import { z } from 'zod';
import { stepHandler } from '#commons/step-handler.ts';
import { loadCase } from '#domain/case-loader.ts';
import { type ComposedEmail, composeTemplated, emailChange, linksFor } from '#domain/messaging.ts';
import { commitAndDispatch } from '#domain/outbox-dispatch.ts';

const input = z.object({
  caseId: z.string().min(1),
  message: z.enum(['first-response', 'appeal-acknowledgement', 'reopen-acknowledgement']),
});

/**
 * Sends the seller a templated update, once: committed with its outbox record, sent after the commit; a
 * retried or restarted step finds the message and does not send again. The first
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

  let sent: ComposedEmail;
  if (message === 'first-response') {
    if (messages.length > 0) return { sent: false };
    const reasonLabel = family.reasons[intake.reason] ?? intake.reason;
    sent = composeTemplated(record, family.templates.firstResponse, {
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
    sent = composeTemplated(record, set, { caseId, subject, caseUrl }, { thread: messages });
  }
  await commitAndDispatch(record, { ...emailChange(sent), events: [sent.event] }, { rebase: 5 });
  return { sent: sent.message !== undefined };
};

export const handler = stepHandler(input, notifySeller);
