import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { ses } from '#commons/clients/sesv2.ts';
import type { OutboundEmail } from '#domain/outbox.ts';

/** The one door to SES: sends an email as rendered at commit. Returns SES's message id, when it names one. */
export const sendEmail = async (email: OutboundEmail): Promise<string | undefined> => {
  const out = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: email.from,
      Destination: { ToAddresses: [...email.to] },
      ...(email.replyTo ? { ReplyToAddresses: [email.replyTo] } : {}),
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: email.text, Charset: 'UTF-8' },
            Html: { Data: email.html, Charset: 'UTF-8' },
          },
          ...(email.headers.length > 0
            ? { Headers: email.headers.map((h) => ({ Name: h.name, Value: h.value })) }
            : {}),
        },
      },
      EmailTags: email.tags.map((t) => ({ Name: t.name, Value: t.value })),
      ...(email.configurationSet ? { ConfigurationSetName: email.configurationSet } : {}),
    }),
  );
  return out.MessageId;
};
