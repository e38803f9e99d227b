import { z } from 'zod';
import { stepHandler } from '#commons/step-handler.ts';
import { loadCase } from '#domain/case-loader.ts';
import { commitChange } from '#domain/case-store.ts';
import { alreadySent, linksFor, sendToSeller } from '#domain/messaging.ts';

const input = z.object({ caseId: z.string().min(1), message: z.enum(['first-response']) });

/** Sends the seller a templated update (once: a retried step does not send twice). */
export const notifySeller = async ({ caseId }: z.infer<typeof input>): Promise<{ sent: boolean }> => {
  const { record, family, intake, messages } = await loadCase(caseId);
  const bound = family.firstResponse({ caseId, intake, links: linksFor(caseId) });
  // The first response is the case's first message: if any went out (e.g. the evidence request, before a
  // restart), the seller has been answered already.
  if (alreadySent(messages, bound.template.id) || messages.length > 0) return { sent: false };
  const { message, event } = await sendToSeller(record, bound);
  await commitChange(record, { messages: [message], events: [event] });
  return { sent: true };
};

export const handler = stepHandler(input, notifySeller);
