import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsServiceError } from './aws-service-error.ts';
import { DynamoDbProxy } from './endpoints/dynamodb-proxy.ts';
import { eventBridgeEndpoint } from './endpoints/eventbridge-endpoint.ts';
import { S3Endpoint } from './endpoints/s3-endpoint.ts';
import { SchedulerEndpoint } from './endpoints/scheduler-endpoint.ts';
import { secretsManagerEndpoint } from './endpoints/secrets-manager-endpoint.ts';
import { Sesv2Endpoint } from './endpoints/sesv2-endpoint.ts';
import { SnsEndpoint } from './endpoints/sns-endpoint.ts';
import { stepFunctionsEndpoint } from './endpoints/step-functions-endpoint.ts';
import { FAULT_SERVICE_OF, type FaultInjector, operationOf } from './faults.ts';
import type { AwsRequest, AwsResponse, Endpoint } from './http/endpoint.ts';
import { readRequestBody } from './http/request-body.ts';
import type { Outbox } from './outbox.ts';
import { LocalObjectStore } from './s3/object-store.ts';
import type { LocalScheduler } from './scheduler/local-scheduler.ts';
import type { LocalSecrets } from './secrets.ts';
import type { LocalStepFunctions } from './step-functions/local-step-functions.ts';

export interface LocalAwsServerOptions {
  /** TCP port; 0 picks a free one (see the returned `url`). */
  readonly port: number;
  /** Interface to listen on; loopback by default, since the endpoint does not authenticate. */
  readonly host?: string;
  readonly stepFunctions: LocalStepFunctions;
  /** Where SES SendEmail, SNS Publish and EventBridge PutEvents deliver. */
  readonly outbox: Outbox;
  /** Folder holding the S3 buckets, one sub-folder each. */
  readonly s3Root: string;
  readonly secrets: LocalSecrets;
  /** Answers EventBridge Scheduler calls when given (the caller closes it). */
  readonly scheduler?: LocalScheduler;
  /** Armed faults answer matching calls with the service's throttling or 5xx error instead. */
  readonly faults?: FaultInjector;
  /** DynamoDB Local's URL: when given, DynamoDB calls are accepted here and passed on to it (so faults reach them). */
  readonly dynamoDbEndpoint?: string;
}

/** A running local AWS endpoint. */
export interface LocalAwsServer {
  /**
   * Base URL to give every client: `AWS_ENDPOINT_URL_{SFN,SESV2,SNS,S3,SECRETS_MANAGER,SCHEDULER,EVENTBRIDGE}` or
   * `endpoint`.
   */
  readonly url: string;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

/**
 * Starts one HTTP server that answers the AWS calls SellerWorks' handlers make, in each service's own wire
 * protocol, so the unchanged AWS SDK v3 clients work locally by endpoint configuration alone:
 *
 * - Step Functions (JSON 1.0, `X-Amz-Target: AWSStepFunctions.*`) → `stepFunctions`
 * - Secrets Manager GetSecretValue (JSON 1.1, `X-Amz-Target: secretsmanager.*`) → `secrets`
 * - SES v2 SendEmail (REST-JSON, `POST /v2/email/outbound-emails`) → `outbox`
 * - SNS Publish (query protocol, form-encoded `POST /`) → `outbox`
 * - EventBridge PutEvents (JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`) → `outbox`
 * - EventBridge Scheduler one-time schedules (REST-JSON, `/schedules…`) → `scheduler`, when given
 * - S3 Put/Get/HeadObject, path-style (`/<bucket>/<key>`; clients need `forcePathStyle: true`) → files
 * - DynamoDB (JSON 1.0), passed on to DynamoDB Local, when `dynamoDbEndpoint` is given
 *
 * With `faults`, an armed rule answers a matching call with that service's throttling or 5xx error.
 *
 * Requests are not authenticated (any credentials sign acceptably). Because S3 is recognised as "whatever
 * else", a bucket named `v2` is not reachable, nor one named `schedules` when a scheduler is given.
 */
export async function startLocalAwsServer(options: LocalAwsServerOptions): Promise<LocalAwsServer> {
  const endpoints: Endpoint[] = [
    ...(options.dynamoDbEndpoint ? [new DynamoDbProxy(options.dynamoDbEndpoint)] : []),
    stepFunctionsEndpoint(options.stepFunctions),
    secretsManagerEndpoint(options.secrets),
    eventBridgeEndpoint(options.outbox),
    new Sesv2Endpoint(options.outbox),
    new SnsEndpoint(options.outbox),
    ...(options.scheduler ? [new SchedulerEndpoint(options.scheduler)] : []),
    // Last: S3 takes every request no other endpoint claimed.
    new S3Endpoint(new LocalObjectStore(options.s3Root)),
  ];
  const server = createServer((request, response) => {
    void serve(endpoints, request, response, options.faults);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serve(
  endpoints: readonly Endpoint[],
  request: IncomingMessage,
  response: ServerResponse,
  faults: FaultInjector | undefined,
) {
  const url = new URL(request.url ?? '/', 'http://local');
  const head: Omit<AwsRequest, 'body'> = {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: request.headers,
    requestId: randomUUID(),
  };
  const endpoint = endpoints.find((candidate) => candidate.matches(head));
  if (!endpoint) {
    write(response, unknownService(head));
    return;
  }
  try {
    const body = await readRequestBody(request, endpoint.maxBodyBytes);
    const service = FAULT_SERVICE_OF[endpoint.service];
    const injected =
      faults && service ? faults.take(service, operationOf({ ...head, body }), body) : undefined;
    if (injected) throw injected;
    write(response, await endpoint.handle({ ...head, body }));
  } catch (error) {
    write(response, endpoint.renderError(asServiceError(error, endpoint), head));
  }
}

function asServiceError(error: unknown, endpoint: Endpoint): AwsServiceError {
  if (error instanceof AwsServiceError) {
    return error;
  }
  // A bug or a disk problem on our side: say so in the service's shape, and keep the detail in the log.
  console.error(`Local ${endpoint.service} endpoint failed`, error);
  return new AwsServiceError(
    'InternalFailure',
    `The local ${endpoint.service} endpoint failed: ${String(error)}`,
    500,
  );
}

function unknownService(head: Omit<AwsRequest, 'body'>): AwsResponse {
  return {
    statusCode: 400,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' },
    body: JSON.stringify({
      __type: 'UnknownOperationException',
      message: `No local AWS service answers ${head.method} ${head.path} (${head.headers['x-amz-target'] ?? 'no target'}).`,
    }),
  };
}

function write(response: ServerResponse, answer: AwsResponse): void {
  if (response.headersSent) {
    return;
  }
  response.writeHead(answer.statusCode, answer.headers);
  response.end(answer.body);
}
