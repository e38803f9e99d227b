import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '../aws-service-error.ts';
import type { OutboxEntry } from '../outbox.ts';

/** SNS refuses subjects longer than this. */
const MAX_SUBJECT_LENGTH = 100;

/**
 * Turns the form parameters of an SNS `Publish` (query protocol) into the outbox entry it stands for:
 * `to` is the topic, `caseId` comes from the message attribute named `caseId`
 * (`MessageAttributes.entry.N.Name` / `MessageAttributes.entry.N.Value.StringValue`).
 * @throws AwsServiceError `InvalidParameter` for what SNS would refuse.
 */
export function publishToOutboxEntry(parameters: URLSearchParams): OutboxEntry {
  const topic = parameters.get('TopicArn') ?? parameters.get('TargetArn');
  if (!topic) {
    throw invalidParameter('TopicArn or TargetArn is required.');
  }
  const message = parameters.get('Message');
  if (message === null || message === '') {
    throw invalidParameter('Message is required and must not be empty.');
  }
  const subject = parameters.get('Subject') ?? '';
  if (subject.length > MAX_SUBJECT_LENGTH) {
    throw invalidParameter(`Subject must be at most ${MAX_SUBJECT_LENGTH} characters.`);
  }
  return {
    channel: 'sns',
    to: topic,
    from: 'sns',
    replyTo: null,
    subject,
    text: parameters.get('MessageStructure') === 'json' ? defaultMessage(message) : message,
    html: null,
    caseId: messageAttributes(parameters).get('caseId') ?? null,
    sentAt: new Date().toISOString(),
    messageId: randomUUID(),
  };
}

/** The string values of the message attributes, by name. */
function messageAttributes(parameters: URLSearchParams): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const [key, name] of parameters) {
    const entry = /^MessageAttributes\.entry\.(\d+)\.Name$/.exec(key);
    const value = entry && parameters.get(`MessageAttributes.entry.${entry[1]}.Value.StringValue`);
    if (value !== null && value !== undefined) {
      attributes.set(name, value);
    }
  }
  return attributes;
}

/** With `MessageStructure=json` the message is per-protocol JSON; its `default` is what a reader sees. */
function defaultMessage(message: string): string {
  let structured: unknown;
  try {
    structured = JSON.parse(message);
  } catch {
    throw invalidParameter('Message must be JSON when MessageStructure is json.');
  }
  const fallback = (structured as { default?: unknown } | null)?.default;
  if (typeof fallback !== 'string') {
    throw invalidParameter('A JSON Message needs a string "default" entry.');
  }
  return fallback;
}

const invalidParameter = (message: string): AwsServiceError =>
  new AwsServiceError('InvalidParameter', `Invalid parameter: ${message}`);
