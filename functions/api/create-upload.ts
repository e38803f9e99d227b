import { type ApiEvent, apiHandler, json } from '#commons/http/api-handler.ts';
import { requireSeller } from '#commons/http/principal.ts';
import { caseIdParam, jsonBody } from '#commons/http/request.ts';
import { createUploadUrl } from '#domain/uploads.ts';
import { caseFor } from './case-access.ts';
import { uploadBody } from './contracts.ts';

/**
 * `POST /cases/{caseId}/evidence/uploads`: a presigned URL the seller's browser PUTs one file to (S3 on AWS,
 * the local S3 endpoint locally). Name the returned `uploadId` in `POST /cases/{caseId}/evidence`.
 */
export const createUpload = async (event: ApiEvent) => {
  const seller = requireSeller(event);
  const caseId = caseIdParam(event);
  const { filename, contentType } = jsonBody(event, uploadBody);
  await caseFor(seller, caseId);
  return json(201, await createUploadUrl(caseId, filename, contentType));
};

export const handler = apiHandler(createUpload);
