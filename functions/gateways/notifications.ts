import { PublishCommand } from '@aws-sdk/client-sns';
import { sns } from '#commons/clients/sns.ts';
import type { OutboundNotification } from '#domain/outbox.ts';

/** The one door to SNS: publishes a notification on its topic. Returns SNS's message id, when it names one. */
export const publish = async (notification: OutboundNotification): Promise<string | undefined> => {
  const out = await sns.send(
    new PublishCommand({
      TopicArn: notification.topicArn,
      Subject: notification.subject,
      Message: notification.message,
      MessageAttributes: Object.fromEntries(
        Object.entries(notification.attributes).map(([name, value]) => [
          name,
          { DataType: 'String', StringValue: value },
        ]),
      ),
    }),
  );
  return out.MessageId;
};
