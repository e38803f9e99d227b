import type { SESEvent } from 'aws-lambda';
import { loggedInvocation } from '#commons/logging.ts';
import { handleInboundEmail, type InboundOutcome } from '#domain/inbound-email.ts';

/**
 * SES receipt rule action (after the S3 action stored the raw message); the local SMTP listener invokes it
 * with the same event shape.
 */
export const handler = loggedInvocation(
  async (event: SESEvent): Promise<InboundOutcome[]> => {
    const outcomes: InboundOutcome[] = [];
    for (const record of event.Records) {
      outcomes.push(await handleInboundEmail(record.ses.mail, record.ses.receipt));
    }
    return outcomes;
  },
  () => ({}),
  (outcomes) => ({ outcomes: outcomes.map((o) => o.status) }),
);
