import type { AwsServiceError } from '../aws-service-error.ts';
import { type AwsRequest, type AwsResponse, type Endpoint, headerValue } from '../http/endpoint.ts';

/** DynamoDB's own limit on a request body. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Headers that belong to one hop, not to the request (RFC 9110 §7.6.1), and the body's length (re-set). */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

/**
 * DynamoDB through the local AWS endpoint: every call (JSON 1.0, `X-Amz-Target: DynamoDB_20120810.*`) is
 * passed on to DynamoDB Local unchanged and its answer passed back, so the endpoint's fault injection can
 * throttle or fail DynamoDB calls as it does the other services'. Only used when the runtime is started
 * with fault injection: the extra hop costs a little time on every call.
 */
export class DynamoDbProxy implements Endpoint {
  readonly service = 'DynamoDB';
  readonly maxBodyBytes = MAX_BODY_BYTES;

  constructor(private readonly dynamoDbEndpoint: string) {}

  matches(request: Omit<AwsRequest, 'body'>): boolean {
    return headerValue(request, 'x-amz-target')?.startsWith('DynamoDB_20120810.') ?? false;
  }

  async handle(request: AwsRequest): Promise<AwsResponse> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && !HOP_HEADERS.has(name))
        headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const response = await fetch(`${this.dynamoDbEndpoint}/`, {
      method: 'POST',
      headers,
      body: new Uint8Array(request.body),
    });
    const answered: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!HOP_HEADERS.has(name) && name !== 'content-encoding') answered[name] = value;
    });
    return {
      statusCode: response.status,
      headers: answered,
      body: Buffer.from(await response.arrayBuffer()),
    };
  }

  renderError(error: AwsServiceError, request: Omit<AwsRequest, 'body'>): AwsResponse {
    return {
      statusCode: error.statusCode,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': request.requestId },
      body: JSON.stringify({
        __type: `com.amazonaws.dynamodb.v20120810#${error.code}`,
        message: error.message,
      }),
    };
  }
}
