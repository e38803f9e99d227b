import { AwsServiceError } from '../aws-service-error.ts';
import { type AwsRequest, type AwsResponse, type Endpoint, headerValue } from '../http/endpoint.ts';
import { xmlElement } from '../http/xml.ts';
import type { Outbox } from '../outbox.ts';
import { publishToOutboxEntry } from './sns-publish.ts';

const SNS_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * SNS over the AWS query protocol: a form-encoded `POST /` with `Action=Publish`, answered in XML. Only
 * Publish is served; the notification lands in the outbox instead of reaching subscribers.
 */
export class SnsEndpoint implements Endpoint {
  readonly service = 'SNS';
  readonly maxBodyBytes = MAX_BODY_BYTES;

  constructor(private readonly outbox: Outbox) {}

  matches(request: Omit<AwsRequest, 'body'>): boolean {
    const contentType = headerValue(request, 'content-type') ?? '';
    return (
      request.method === 'POST' &&
      request.path === '/' &&
      contentType.startsWith('application/x-www-form-urlencoded')
    );
  }

  handle(request: AwsRequest): AwsResponse {
    const parameters = new URLSearchParams(request.body.toString('utf8'));
    const action = parameters.get('Action');
    if (action !== 'Publish') {
      throw new AwsServiceError(
        'InvalidAction',
        `The action ${action ?? '(none)'} is not valid for this endpoint.`,
      );
    }
    const entry = this.outbox.append(publishToOutboxEntry(parameters));
    return this.xml(
      200,
      `<PublishResponse xmlns="${SNS_NAMESPACE}">` +
        `<PublishResult>${xmlElement('MessageId', entry.messageId)}</PublishResult>` +
        `<ResponseMetadata>${xmlElement('RequestId', request.requestId)}</ResponseMetadata>` +
        '</PublishResponse>',
      request.requestId,
    );
  }

  renderError(error: AwsServiceError, request: Omit<AwsRequest, 'body'>): AwsResponse {
    return this.xml(
      error.statusCode,
      `<ErrorResponse xmlns="${SNS_NAMESPACE}">` +
        `<Error>${xmlElement('Type', error.fault)}${xmlElement('Code', error.code)}${xmlElement('Message', error.message)}</Error>` +
        `${xmlElement('RequestId', request.requestId)}` +
        '</ErrorResponse>',
      request.requestId,
    );
  }

  private xml(statusCode: number, body: string, requestId: string): AwsResponse {
    return {
      statusCode,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
    };
  }
}
