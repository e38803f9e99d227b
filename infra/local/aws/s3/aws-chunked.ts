import { AwsServiceError } from '../aws-service-error.ts';

/** A body sent with `Content-Encoding: aws-chunked`, unwrapped. */
export interface DecodedChunkedBody {
  payload: Buffer;
  /** Trailing headers (lower-case names), where the SDK puts streaming checksums. */
  trailers: Record<string, string>;
}

const CRLF = Buffer.from('\r\n');

/**
 * Unwraps the `aws-chunked` framing the AWS SDK uses for streaming uploads of unknown length:
 * `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` repeated, a zero-size chunk, then trailer headers.
 * Signatures are not checked (the local endpoint does not authenticate); the framing is, so a truncated
 * upload is refused instead of stored.
 * @throws AwsServiceError `IncompleteBody` when the framing is broken.
 */
export function decodeAwsChunked(body: Buffer): DecodedChunkedBody {
  const chunks: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf(CRLF, offset);
    if (lineEnd < 0) {
      throw incomplete('a chunk header is missing');
    }
    const sizeText = body.subarray(offset, lineEnd).toString('latin1').split(';')[0] ?? '';
    const size = Number.parseInt(sizeText, 16);
    if (!/^[0-9a-fA-F]+$/.test(sizeText) || Number.isNaN(size)) {
      throw incomplete(`chunk size "${sizeText}" is not hexadecimal`);
    }
    offset = lineEnd + CRLF.length;
    if (size === 0) {
      return { payload: Buffer.concat(chunks), trailers: readTrailers(body, offset) };
    }
    const dataEnd = offset + size;
    if (dataEnd + CRLF.length > body.length || !body.subarray(dataEnd, dataEnd + CRLF.length).equals(CRLF)) {
      throw incomplete('a chunk is shorter than its declared size');
    }
    chunks.push(body.subarray(offset, dataEnd));
    offset = dataEnd + CRLF.length;
  }
}

function readTrailers(body: Buffer, offset: number): Record<string, string> {
  const trailers: Record<string, string> = {};
  for (const line of body.subarray(offset).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) {
      trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  return trailers;
}

const incomplete = (why: string): AwsServiceError =>
  new AwsServiceError('IncompleteBody', `The aws-chunked request body is malformed: ${why}.`);
