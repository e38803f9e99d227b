import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { AwsServiceError } from '../aws-service-error.ts';

/** How to compute each integrity header the S3 client may send; all are base64 of the raw digest. */
const CHECKSUMS: Record<string, (body: Buffer) => string> = {
  'content-md5': (body) => createHash('md5').update(body).digest('base64'),
  'x-amz-checksum-crc32': (body) => {
    const digest = Buffer.alloc(4);
    digest.writeUInt32BE(crc32(body));
    return digest.toString('base64');
  },
  'x-amz-checksum-sha1': (body) => createHash('sha1').update(body).digest('base64'),
  'x-amz-checksum-sha256': (body) => createHash('sha256').update(body).digest('base64'),
};

/**
 * Checks the upload against every integrity value the client sent (headers or aws-chunked trailers), so a
 * corrupted upload is refused before anything is written, as S3 does. CRC32C and CRC64NVME have no
 * implementation in Node's standard library and are not checked.
 * @throws AwsServiceError `BadDigest` on a mismatch.
 */
export function verifyChecksums(body: Buffer, sent: Record<string, string | undefined>): void {
  for (const [header, compute] of Object.entries(CHECKSUMS)) {
    const expected = sent[header];
    if (expected !== undefined && compute(body) !== expected) {
      throw new AwsServiceError(
        'BadDigest',
        `The ${header} you specified did not match the calculated checksum.`,
      );
    }
  }
}

/** S3's ETag of a single-part upload: the quoted hex MD5 of the body. */
export const etagOf = (body: Buffer): string => `"${createHash('md5').update(body).digest('hex')}"`;
