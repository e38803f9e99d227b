import { AwsServiceError } from '../aws-service-error.ts';
import { type AwsRequest, type AwsResponse, type Endpoint, headerValue } from '../http/endpoint.ts';
import { xmlElement } from '../http/xml.ts';
import { decodeAwsChunked } from '../s3/aws-chunked.ts';
import { verifyChecksums } from '../s3/checksums.ts';
import type { LocalObjectStore, ObjectHead } from '../s3/object-store.ts';

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const USER_METADATA_PREFIX = 'x-amz-meta-';
/** Query parameters that only name the operation; any other selects a sub-resource we do not serve. */
const OPERATION_HINTS = new Set(['x-id']);
/** GetObject's response header overrides (a presigned download names the file and its type this way). */
const RESPONSE_OVERRIDES: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type',
  'response-content-disposition': 'content-disposition',
  'response-content-language': 'content-language',
  'response-content-encoding': 'content-encoding',
  'response-cache-control': 'cache-control',
  'response-expires': 'expires',
};

interface ObjectAddress {
  bucket: string;
  key: string;
}

/**
 * S3 over its REST-XML protocol, path-style (`forcePathStyle: true`): PutObject, GetObject and HeadObject
 * on `/<bucket>/<key>`, backed by files. Everything else answers `NotImplemented`.
 *
 * GetObject honours the `response-*` header overrides presigned downloads use.
 * Limitations: no Range or conditional requests, no listing, no versioning; CRC32C/CRC64NVME checksums are
 * not verified and no checksum is returned on GetObject.
 */
export class S3Endpoint implements Endpoint {
  readonly service = 'S3';
  readonly maxBodyBytes = MAX_BODY_BYTES;

  constructor(private readonly objects: LocalObjectStore) {}

  /** S3 is the fallback: any request that does not name another service by header or path. */
  matches(request: Omit<AwsRequest, 'body'>): boolean {
    return headerValue(request, 'x-amz-target') === undefined;
  }

  handle(request: AwsRequest): AwsResponse {
    const address = S3Endpoint.address(request);
    // Presigned URLs carry their signature as X-Amz-* query parameters; those are not sub-resources.
    const subResources = [...request.query.keys()].filter(
      (name) =>
        !OPERATION_HINTS.has(name) &&
        !name.toLowerCase().startsWith('x-amz-') &&
        !(request.method === 'GET' && name in RESPONSE_OVERRIDES),
    );
    if (!address || subResources.length > 0) {
      throw notImplemented(request);
    }
    switch (request.method) {
      case 'PUT':
        return this.putObject(request, address);
      case 'GET':
        return this.getObject(request, address);
      case 'HEAD':
        return this.headObject(request, address);
      default:
        throw notImplemented(request);
    }
  }

  renderError(error: AwsServiceError, request: Omit<AwsRequest, 'body'>): AwsResponse {
    const key = S3Endpoint.address(request)?.key;
    const body =
      request.method === 'HEAD'
        ? ''
        : '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
          `${xmlElement('Code', error.code)}${xmlElement('Message', error.message)}` +
          `${key === undefined ? '' : xmlElement('Key', key)}${xmlElement('RequestId', request.requestId)}</Error>`;
    return {
      statusCode: error.statusCode,
      headers: { 'content-type': 'application/xml', ...ids(request) },
      body,
    };
  }

  private putObject(request: AwsRequest, { bucket, key }: ObjectAddress): AwsResponse {
    const { payload, trailers } = S3Endpoint.payloadOf(request);
    verifyChecksums(payload, { ...request.headers, ...trailers } as Record<string, string | undefined>);
    const stored = this.objects.put(bucket, key, payload, {
      contentType: headerValue(request, 'content-type'),
      userMetadata: userMetadataOf(request),
    });
    return { statusCode: 200, headers: { etag: stored.etag, ...ids(request) }, body: '' };
  }

  private getObject(request: AwsRequest, { bucket, key }: ObjectAddress): AwsResponse {
    const object = this.objects.get(bucket, key);
    if (!object) {
      throw noSuchKey();
    }
    const overrides = Object.fromEntries(
      [...request.query.entries()].flatMap(([name, value]) =>
        RESPONSE_OVERRIDES[name] ? [[RESPONSE_OVERRIDES[name], value]] : [],
      ),
    );
    return {
      statusCode: 200,
      headers: { ...objectHeaders(object), ...overrides, ...ids(request) },
      body: object.body,
    };
  }

  private headObject(request: AwsRequest, { bucket, key }: ObjectAddress): AwsResponse {
    const head = this.objects.head(bucket, key);
    if (!head) {
      throw noSuchKey();
    }
    return { statusCode: 200, headers: { ...objectHeaders(head), ...ids(request) }, body: '' };
  }

  /** The upload's bytes, unwrapped from aws-chunked framing when the SDK streamed them. */
  private static payloadOf(request: AwsRequest): { payload: Buffer; trailers: Record<string, string> } {
    const encoding = headerValue(request, 'content-encoding') ?? '';
    const contentSha = headerValue(request, 'x-amz-content-sha256') ?? '';
    if (!encoding.includes('aws-chunked') && !contentSha.startsWith('STREAMING-')) {
      return { payload: request.body, trailers: {} };
    }
    const decoded = decodeAwsChunked(request.body);
    const declared = headerValue(request, 'x-amz-decoded-content-length');
    if (declared !== undefined && Number(declared) !== decoded.payload.length) {
      throw new AwsServiceError(
        'IncompleteBody',
        'The body is shorter or longer than x-amz-decoded-content-length.',
      );
    }
    return decoded;
  }

  /** `/<bucket>/<key>` split and decoded; `undefined` for a bucket-level or root request. */
  private static address(request: Pick<AwsRequest, 'path'>): ObjectAddress | undefined {
    const match = /^\/([^/]+)\/(.+)$/.exec(request.path);
    if (!match?.[1] || !match[2]) {
      return undefined;
    }
    try {
      return { bucket: decodeURIComponent(match[1]), key: decodeURIComponent(match[2]) };
    } catch {
      throw new AwsServiceError('InvalidURI', 'Could not parse the specified URI.');
    }
  }
}

function objectHeaders(head: ObjectHead): Record<string, string> {
  const metadata = Object.entries(head.userMetadata).map(([name, value]) => [
    `${USER_METADATA_PREFIX}${name}`,
    value,
  ]);
  return {
    'content-type': head.contentType,
    'content-length': String(head.contentLength),
    etag: head.etag,
    'last-modified': head.lastModified.toUTCString(),
    ...Object.fromEntries(metadata),
  };
}

function userMetadataOf(request: AwsRequest): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith(USER_METADATA_PREFIX) && value !== undefined) {
      metadata[name.slice(USER_METADATA_PREFIX.length)] = Array.isArray(value) ? value.join(',') : value;
    }
  }
  return metadata;
}

const ids = (request: Pick<AwsRequest, 'requestId'>): Record<string, string> => ({
  'x-amz-request-id': request.requestId,
  'x-amz-id-2': request.requestId,
});

const noSuchKey = (): AwsServiceError =>
  new AwsServiceError('NoSuchKey', 'The specified key does not exist.', 404);

const notImplemented = (request: Pick<AwsRequest, 'method' | 'path'>): AwsServiceError =>
  new AwsServiceError(
    'NotImplemented',
    `${request.method} ${request.path} is not served by the local S3 endpoint (PutObject, GetObject, HeadObject only).`,
    501,
  );
