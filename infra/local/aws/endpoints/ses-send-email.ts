import { randomUUID } from 'node:crypto';
import PostalMime from 'postal-mime';
import { z } from 'zod';
import { AwsServiceError } from '../aws-service-error.ts';
import { validateRequest } from '../http/validate-request.ts';
import type { OutboxEntry } from '../outbox.ts';

const content = z.object({ Data: z.string(), Charset: z.string().optional() });
const addresses = z.array(z.string().min(3).includes('@', { message: 'expected an email address' }));

/** The SES v2 SendEmail request members the local endpoint honours. */
const sendEmailRequest = z.object({
  FromEmailAddress: z.string().includes('@').optional(),
  Destination: z
    .object({
      ToAddresses: addresses.optional(),
      CcAddresses: addresses.optional(),
      BccAddresses: addresses.optional(),
    })
    .optional(),
  ReplyToAddresses: addresses.optional(),
  Content: z.object({
    Simple: z
      .object({
        Subject: content,
        Body: z.object({ Text: content.optional(), Html: content.optional() }),
        Headers: z.array(z.object({ Name: z.string().min(1), Value: z.string() })).optional(),
      })
      .optional(),
    Raw: z.object({ Data: z.base64() }).optional(),
    Template: z.unknown().optional(),
  }),
  EmailTags: z.array(z.object({ Name: z.string(), Value: z.string() })).optional(),
  ConfigurationSetName: z.string().optional(),
});

type SendEmailRequest = z.output<typeof sendEmailRequest>;

/**
 * Turns an SES v2 SendEmail request body into the outbox entry it stands for: `Content.Simple` as given,
 * `Content.Raw` parsed as MIME. `caseId` comes from the `EmailTags` entry named `caseId`.
 * @throws AwsServiceError `BadRequestException` for what SES would refuse (no sender, no recipient, no
 * body, several content kinds) and for `Content.Template`, which the local endpoint does not render.
 */
export async function sendEmailToOutboxEntry(body: unknown): Promise<OutboxEntry> {
  const request = validateRequest(sendEmailRequest, body, badRequest);
  const kinds = Object.entries(request.Content).filter(([, value]) => value !== undefined);
  if (kinds.length !== 1) {
    throw badRequest('Content must hold exactly one of Simple, Raw or Template.');
  }
  if (request.Content.Template !== undefined) {
    throw badRequest(
      'Content.Template is not supported by the local SES endpoint; send Simple or Raw content.',
    );
  }
  const envelope = {
    channel: 'email',
    replyTo: request.ReplyToAddresses?.[0] ?? null,
    caseId: request.EmailTags?.find((tag) => tag.Name === 'caseId')?.Value ?? null,
    sentAt: new Date().toISOString(),
    messageId: randomUUID(),
  } as const;
  return request.Content.Raw
    ? { ...envelope, ...(await fromRaw(request, request.Content.Raw.Data)) }
    : { ...envelope, ...fromSimple(request) };
}

type MessageParts = Pick<OutboxEntry, 'to' | 'from' | 'subject' | 'text' | 'html'> &
  Partial<Pick<OutboxEntry, 'replyTo' | 'headers'>>;

function fromSimple(request: SendEmailRequest): MessageParts {
  const simple = request.Content.Simple;
  if (!simple) {
    throw badRequest('Content.Simple is missing.');
  }
  if (request.FromEmailAddress === undefined) {
    throw badRequest('FromEmailAddress is required for Simple content.');
  }
  requireRecipient(request);
  if (simple.Body.Text === undefined && simple.Body.Html === undefined) {
    throw badRequest('Content.Simple.Body needs Text or Html.');
  }
  return {
    to: request.Destination?.ToAddresses?.join(', ') ?? '',
    from: request.FromEmailAddress,
    subject: simple.Subject.Data,
    text: simple.Body.Text?.Data ?? '',
    html: simple.Body.Html?.Data ?? null,
    ...(simple.Headers && {
      headers: Object.fromEntries(simple.Headers.map((header) => [header.Name, header.Value])),
    }),
  };
}

async function fromRaw(request: SendEmailRequest, data: string): Promise<MessageParts> {
  const email = await PostalMime.parse(Buffer.from(data, 'base64')).catch((error: unknown) => {
    throw badRequest(`Content.Raw.Data is not a MIME message: ${(error as Error).message}`);
  });
  const header = (name: string): string | undefined =>
    email.headers.find((entry) => entry.key === name)?.value;
  const from = request.FromEmailAddress ?? header('from');
  if (from === undefined) {
    throw badRequest('Raw content needs a From header or FromEmailAddress.');
  }
  const to = request.Destination?.ToAddresses?.join(', ') ?? header('to');
  if (to === undefined) {
    requireRecipient(request);
  }
  const replyTo = request.ReplyToAddresses?.[0] ?? header('reply-to');
  return {
    to: to ?? '',
    from,
    subject: email.subject ?? '',
    text: email.text ?? '',
    html: email.html ?? null,
    ...(replyTo !== undefined && { replyTo }),
  };
}

function requireRecipient(request: SendEmailRequest): void {
  const { ToAddresses = [], CcAddresses = [], BccAddresses = [] } = request.Destination ?? {};
  if (ToAddresses.length + CcAddresses.length + BccAddresses.length === 0) {
    throw badRequest('Destination needs at least one recipient.');
  }
}

const badRequest = (message: string): AwsServiceError => new AwsServiceError('BadRequestException', message);
