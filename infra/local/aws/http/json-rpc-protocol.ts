import type { z } from 'zod';
import { AwsServiceError } from '../aws-service-error.ts';
import { type AwsRequest, type AwsResponse, type Endpoint, headerValue } from './endpoint.ts';
import { validateRequest } from './validate-request.ts';

/** One operation of a JSON RPC service: its request schema and what answers it. */
export interface JsonRpcOperation {
  readonly input: z.ZodType;
  run(input: unknown): unknown;
}

/** Declares an operation, typing `run`'s argument from the schema. */
export function jsonRpcOperation<Schema extends z.ZodType>(
  input: Schema,
  run: (input: z.output<Schema>) => unknown,
): JsonRpcOperation {
  return { input, run: (value) => run(value as z.output<Schema>) };
}

export interface JsonRpcServiceOptions {
  readonly service: string;
  /** `X-Amz-Target` prefix, e.g. `AWSStepFunctions`. */
  readonly targetPrefix: string;
  /** `1.0` or `1.1`, the `application/x-amz-json-*` version the service speaks. */
  readonly jsonVersion: '1.0' | '1.1';
  /** Prepended to error codes in `__type` (`com.amazonaws.sfn#`), as some services answer them. */
  readonly errorTypePrefix?: string;
  readonly operations: Readonly<Record<string, JsonRpcOperation>>;
}

const MAX_JSON_REQUEST_BYTES = 1024 * 1024;

/**
 * The AWS JSON RPC protocol (`awsJson1_0` / `awsJson1_1`): `POST /` with `X-Amz-Target: <Service>.<Op>`
 * and a JSON body; answers JSON with dates as epoch seconds, and errors as HTTP 4xx/5xx with `__type`.
 */
export class JsonRpcService implements Endpoint {
  readonly service: string;
  readonly maxBodyBytes = MAX_JSON_REQUEST_BYTES;

  constructor(private readonly options: JsonRpcServiceOptions) {
    this.service = options.service;
  }

  matches(request: Omit<AwsRequest, 'body'>): boolean {
    return headerValue(request, 'x-amz-target')?.startsWith(`${this.options.targetPrefix}.`) ?? false;
  }

  async handle(request: AwsRequest): Promise<AwsResponse> {
    const operationName = (headerValue(request, 'x-amz-target') ?? '').slice(
      this.options.targetPrefix.length + 1,
    );
    const operation = Object.hasOwn(this.options.operations, operationName)
      ? this.options.operations[operationName]
      : undefined;
    if (request.method !== 'POST' || !operation) {
      throw new AwsServiceError(
        'UnknownOperationException',
        `Operation ${operationName} is not supported locally.`,
      );
    }
    const input = validateRequest(operation.input, parseJson(request.body), validationError);
    const output = await operation.run(input);
    return this.json(200, toWireJson(output ?? {}), request.requestId);
  }

  renderError(error: AwsServiceError, request: Omit<AwsRequest, 'body'>): AwsResponse {
    const body = { __type: `${this.options.errorTypePrefix ?? ''}${error.code}`, message: error.message };
    return this.json(error.statusCode, body, request.requestId, { 'x-amzn-errortype': error.code });
  }

  private json(
    statusCode: number,
    body: unknown,
    requestId: string,
    extraHeaders: Record<string, string> = {},
  ): AwsResponse {
    return {
      statusCode,
      headers: {
        'content-type': `application/x-amz-json-${this.options.jsonVersion}`,
        'x-amzn-requestid': requestId,
        ...extraHeaders,
      },
      body: JSON.stringify(body),
    };
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'));
  } catch {
    throw new AwsServiceError('SerializationException', 'The request body is not valid JSON.');
  }
}

const validationError = (message: string): AwsServiceError =>
  new AwsServiceError('ValidationException', message);

/** JSON protocols carry timestamps as (fractional) epoch seconds. */
export function toWireJson(value: unknown): unknown {
  if (value instanceof Date) {
    return value.getTime() / 1000;
  }
  if (Array.isArray(value)) {
    return value.map(toWireJson);
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toWireJson(item)]));
  }
  return value;
}
