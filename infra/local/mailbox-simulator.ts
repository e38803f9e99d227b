import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';
import type { Outbox, OutboxEntry } from './aws/index.ts';

/**
 * SES's mailbox simulator, locally: mail sent to `bounce@simulator.amazonses.com` bounces permanently and
 * mail to `complaint@simulator.amazonses.com` draws a complaint, delivered like the configuration set's
 * event destination delivers them on AWS (an SNS notification to the mail-events function).
 */
const SIMULATED: Record<string, (entry: OutboxEntry, address: string) => Record<string, unknown>> = {
  'bounce@simulator.amazonses.com': (_, address) => ({
    eventType: 'Bounce',
    bounce: {
      bounceType: 'Permanent',
      bounceSubType: 'General',
      bouncedRecipients: [{ emailAddress: address, diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
    },
  }),
  'complaint@simulator.amazonses.com': (_, address) => ({
    eventType: 'Complaint',
    complaint: { complainedRecipients: [{ emailAddress: address }], complaintFeedbackType: 'abuse' },
  }),
};

export const startMailboxSimulator = (
  outbox: Outbox,
  deliver: (event: SNSEvent) => Promise<unknown>,
): (() => void) =>
  outbox.subscribe((entry) => {
    if (entry.channel !== 'email') return;
    for (const address of entry.to.split(',').map((a) => a.trim().toLowerCase())) {
      const simulate = SIMULATED[address];
      if (!simulate) continue;
      const message = {
        ...simulate(entry, address),
        mail: {
          messageId: entry.messageId,
          timestamp: entry.sentAt,
          tags: entry.caseId ? { caseId: [entry.caseId] } : {},
        },
      };
      const event = {
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:sellerworks-mail-events:local',
            Sns: {
              Type: 'Notification',
              MessageId: randomUUID(),
              TopicArn: 'arn:aws:sns:us-east-1:000000000000:sellerworks-mail-events',
              Subject: null,
              Message: JSON.stringify(message),
              Timestamp: new Date().toISOString(),
              SignatureVersion: '1',
              Signature: 'local',
              SigningCertUrl: 'local',
              UnsubscribeUrl: 'local',
              MessageAttributes: {},
            },
          },
        ],
      } as unknown as SNSEvent;
      // After the sending step has committed, as SES reports bounces after the send returns.
      setTimeout(() => {
        deliver(event).catch((error) => console.error('local mail event failed:', error));
      }, 50);
    }
  });
