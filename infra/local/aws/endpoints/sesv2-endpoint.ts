import { AwsServiceError } from '../aws-service-error.ts';
import type { AwsRequest, AwsResponse, Endpoint } from '../http/endpoint.ts';
import type { Outbox } from '../outbox.ts';
import { sendEmailToOutboxEntry } from './ses-send-email.ts';

/** SES accepts raw messages up to 40 MB; the JSON body carries them base64-encoded. */
const MAX_BODY_BYTES = 56 * 1024 * 1024;

/**
 * SES v2 over its REST-JSON protocol. Only SendEmail (`POST /v2/email/outbound-emails`) is served: the
 * message lands in the outbox instead of a mailbox.
 */
export class Sesv2Endpoint implements Endpoint {
  readonly service = 'SES v2';
  readonly maxBodyBytes = MAX_BODY_BYTES;

  constructor(private readonly outbox: Outbox) {}

  matches(request: Omit<AwsRequest, 'body'>): boolean {
    return request.path.startsWith('/v2/email/');
  }

  async handle(request: AwsRequest): Promise<AwsResponse> {
    if (request.method !== 'POST' || request.path !== '/v2/email/outbound-emails') {
      throw new AwsServiceError(
        'NotFoundException',
        `${request.method} ${request.path} is not served by the local SES endpoint.`,
        404,
      );
    }
    const entry = this.outbox.append(await sendEmailToOutboxEntry(parseJson(request.body)));
    return this.json(200, { MessageId: entry.messageId }, request.requestId);
  }

  renderError(error: AwsServiceError, request: Omit<AwsRequest, 'body'>): AwsResponse {
    return this.json(error.statusCode, { message: error.message }, request.requestId, {
      'x-amzn-errortype': error.code,
    });
  }

  private json(
    statusCode: number,
    body: unknown,
    requestId: string,
    extraHeaders: Record<string, string> = {},
  ): AwsResponse {
    return {
      statusCode,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...extraHeaders },
      body: JSON.stringify(body),
    };
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsServiceError('BadRequestException', 'The request body is not valid JSON.');
  }
}
