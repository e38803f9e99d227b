import type { IncomingMessage } from 'node:http';
import { AwsServiceError } from '../aws-service-error.ts';

/**
 * Reads a request body, refusing it past `maxBytes` so one oversized request cannot exhaust memory.
 * @throws AwsServiceError with HTTP 413 when the body is too large.
 */
export async function readRequestBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) {
    throw tooLarge(maxBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      throw tooLarge(maxBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (maxBytes: number): AwsServiceError =>
  new AwsServiceError('RequestEntityTooLarge', `The request body exceeds ${maxBytes} bytes.`, 413);
