import { z } from 'zod';
import { ownerAlert } from './alerts.ts';
import { getCase } from './case-store.ts';
import { commitAndDispatch } from './outbox-dispatch.ts';

/**
 * A sending event from the SES configuration set (delivered through SNS). Only what the product acts on is
 * read: the event type, the case tag on the mail, and the recipients that bounced or complained.
 */
export const sesMailEvent = z.object({
  eventType: z.string(),
  mail: z.object({
    messageId: z.string(),
    tags: z.record(z.string(), z.array(z.string())).optional(),
  }),
  bounce: z
    .object({
      bounceType: z.string(),
      bouncedRecipients: z.array(
        z.object({ emailAddress: z.string(), diagnosticCode: z.string().optional() }),
      ),
    })
    .optional(),
  complaint: z
    .object({
      complainedRecipients: z.array(z.object({ emailAddress: z.string() })),
      complaintFeedbackType: z.string().optional(),
    })
    .optional(),
});
export type SesMailEvent = z.infer<typeof sesMailEvent>;

export interface MailEventOutcome {
  readonly action: 'marked_undeliverable' | 'ignored';
  readonly caseId?: string;
  readonly addresses?: readonly string[];
}

/**
 * A permanent bounce or a complaint marks the address undeliverable on its case (no more mail goes to it),
 * puts it on the timeline and alerts the owning team, who must reach the seller another way. Transient
 * bounces and deliveries change nothing.
 */
export const handleMailEvent = async (event: SesMailEvent): Promise<MailEventOutcome> => {
  const caseId = event.mail.tags?.caseId?.[0];
  const permanent = event.eventType === 'Bounce' && event.bounce?.bounceType === 'Permanent';
  const complaint = event.eventType === 'Complaint';
  if (!caseId || !(permanent || complaint)) return { action: 'ignored', ...(caseId ? { caseId } : {}) };
  const record = await getCase(caseId);
  if (!record) return { action: 'ignored', caseId };
  const addresses = (
    permanent
      ? (event.bounce?.bouncedRecipients ?? []).map((r) => r.emailAddress)
      : (event.complaint?.complainedRecipients ?? []).map((r) => r.emailAddress)
  ).map((a) => a.toLowerCase());
  const known = new Set(record.undeliverable ?? []);
  const added = addresses.filter((a) => !known.has(a));
  if (added.length === 0) return { action: 'ignored', caseId };
  const why = permanent ? 'bounced permanently' : 'complained (marked our email as spam)';
  await commitAndDispatch(record, {
    set: { undeliverable: [...known, ...added] },
    events: [
      {
        type: 'contact.undeliverable',
        actor: { kind: 'system', id: 'mail-events' },
        detail: `Email to ${added.join(', ')} ${why}; no more email goes there`,
        data: { addresses: added, eventType: event.eventType, messageId: event.mail.messageId },
      },
    ],
    outbox: [
      ownerAlert(
        record,
        'undeliverable_contact',
        `Email to ${added.join(', ')} ${why}; reach the seller another way`,
      ),
    ],
  });
  return { action: 'marked_undeliverable', caseId, addresses: added };
};
