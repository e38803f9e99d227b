import { z } from 'zod';
import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireSeller } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { createUploadUrl, MAX_UPLOAD_BYTES, UPLOAD_TYPES } from '#domain/uploads.ts';
import { caseFor } from './case-access.ts';

const body = z
  .object({
    filename: z.string().trim().min(1).max(200),
    contentType: z.enum(UPLOAD_TYPES),
    size: z
      .number()
      .int()
      .positive()
      .max(MAX_UPLOAD_BYTES, `at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MiB`),
  })
  .strict();

/**
 * `POST /cases/{caseId}/evidence/uploads`: a presigned URL the seller's browser PUTs one file to (S3 on AWS,
 * the local S3 endpoint locally). Name the returned `uploadId` in `POST /cases/{caseId}/evidence`.
 */
export const createUpload = async (event: ApiEvent) => {
  const seller = requireSeller(event);
  const caseId = caseIdParam(event);
  const { filename, contentType } = jsonBody(event, body);
  await caseFor(seller, caseId);
  return json(201, await createUploadUrl(caseId, filename, contentType));
};

export const handler = apiHandler(createUpload);
