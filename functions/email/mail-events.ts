import type { SNSEvent } from 'aws-lambda';
import { loggedInvocation, logger } from '#commons/logging.ts';
import { retryOnConflict } from '#commons/retry.ts';
import { handleMailEvent, type MailEventOutcome, sesMailEvent } from '#domain/mail-events.ts';

/** SES configuration-set events (bounces, complaints) through SNS; the local runtime invokes it the same way. */
export const handler = loggedInvocation(async (event: SNSEvent): Promise<MailEventOutcome[]> => {
  const outcomes: MailEventOutcome[] = [];
  for (const record of event.Records) {
    const parsed = sesMailEvent.safeParse(JSON.parse(record.Sns.Message));
    if (!parsed.success) {
      logger.warn('unreadable SES event', { issues: parsed.error.issues });
      outcomes.push({ action: 'ignored' });
      continue;
    }
    const mailEvent = parsed.data;
    outcomes.push(await retryOnConflict(() => handleMailEvent(mailEvent)));
  }
  return outcomes;
});
