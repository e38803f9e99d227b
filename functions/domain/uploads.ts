import { createHash, randomUUID } from 'node:crypto';
import { requireEnv } from '#commons/config.ts';
import { ENV } from '#commons/env-names.ts';
import type { Issue } from '#commons/errors.ts';
import { downloadUrl, findObject, uploadUrl } from '#gateways/blobs.ts';
import type { AttachmentRecord } from './case.ts';

const bucket = () => requireEnv(ENV.evidenceBucket);

/** What the portal may upload as evidence: the same types and size cap as email attachments. */
export const UPLOAD_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/heic',
  'application/pdf',
  'text/plain',
  'text/csv',
] as const;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const URL_SECONDS = 15 * 60;

const prefix = (caseId: string) => `uploads/${caseId}/`;

/** A presigned PUT for one file: the content type is signed, so the upload cannot change it. */
export const createUploadUrl = async (caseId: string, filename: string, contentType: string) => {
  const safe = filename.replace(/[^\w.-]+/g, '_').slice(0, 100) || 'upload';
  const key = `${prefix(caseId)}${randomUUID()}/${safe}`;
  const url = await uploadUrl(bucket(), key, contentType, URL_SECONDS);
  return {
    uploadId: key,
    url,
    method: 'PUT',
    headers: { 'content-type': contentType },
    expiresAt: new Date(Date.now() + URL_SECONDS * 1000).toISOString(),
  };
};

/**
 * Reads back uploaded files for a case: each must exist under the case's upload prefix, be of an accepted
 * type and within the cap. Returns the attachments (with their SHA-256) or the problems, by field path.
 */
export const collectUploads = async (
  caseId: string,
  uploadIds: readonly string[],
): Promise<{ attachments: AttachmentRecord[]; issues: Issue[] }> => {
  const attachments: AttachmentRecord[] = [];
  const issues: Issue[] = [];
  for (const [i, key] of uploadIds.entries()) {
    const path = `uploads.${i}`;
    if (!key.startsWith(prefix(caseId)) || key.includes('..')) {
      issues.push({ path, reason: 'not an upload of this case' });
      continue;
    }
    const object = await findObject(bucket(), key);
    const bytes = object?.bytes;
    if (!object || !bytes) {
      issues.push({ path, reason: 'nothing was uploaded to this upload URL' });
      continue;
    }
    const contentType = object.contentType ?? 'application/octet-stream';
    if (!(UPLOAD_TYPES as readonly string[]).includes(contentType)) {
      issues.push({ path, reason: `type ${contentType} is not accepted` });
      continue;
    }
    if (bytes.length > MAX_UPLOAD_BYTES) {
      issues.push({ path, reason: `larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB` });
      continue;
    }
    attachments.push({
      filename: key.split('/').at(-1) ?? 'upload',
      contentType,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      s3Key: key,
    });
  }
  return { attachments, issues };
};

const DOWNLOAD_SECONDS = 5 * 60;

/**
 * Short-lived download links for a case's evidence attachments (S3 presigned GET, saved under the name
 * the seller gave the file). Only attachments of the given records: callers pass what the viewer may open.
 */
export const attachmentLinks = async (
  evidence: readonly { readonly attachments?: readonly AttachmentRecord[] }[],
): Promise<Map<string, string>> => {
  const links = new Map<string, string>();
  for (const attachment of evidence.flatMap((e) => e.attachments ?? [])) {
    const safe = attachment.filename.replace(/["\\\r\n]/g, '_');
    links.set(
      attachment.s3Key,
      await downloadUrl(
        bucket(),
        attachment.s3Key,
        { filename: safe, contentType: attachment.contentType },
        DOWNLOAD_SECONDS,
      ),
    );
  }
  return links;
};
