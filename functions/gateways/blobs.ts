import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3 } from '#commons/clients/s3.ts';

/**
 * The one door to S3: raw inbound mail, evidence files, and the presigned URLs the portal and the ops
 * console upload and download evidence with. Buckets are the caller's (each reads its own configuration).
 */

export interface StoredObject {
  readonly bytes: Uint8Array | undefined;
  readonly contentType: string | undefined;
}

/** An object's bytes and content type; throws when there is none. */
export const readObject = async (bucket: string, key: string): Promise<StoredObject> => {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return { bytes: await out.Body?.transformToByteArray(), contentType: out.ContentType };
};

/** An object's bytes and content type; undefined when nothing is stored under the key. */
export const findObject = (bucket: string, key: string): Promise<StoredObject | undefined> =>
  readObject(bucket, key).catch((error: Error) => {
    if (error.name === 'NoSuchKey' || error.name === 'NotFound') return undefined;
    throw error;
  });

export const putObject = async (bucket: string, key: string, body: Uint8Array, contentType: string) => {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
};

/** A presigned PUT for one object: the content type is signed, so the upload cannot change it. */
export const uploadUrl = (bucket: string, key: string, contentType: string, expiresIn: number) =>
  getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: contentType }), {
    expiresIn,
  });

/** A presigned GET that serves the object inline, under `filename`, as `contentType`. */
export const downloadUrl = (
  bucket: string,
  key: string,
  as: { readonly filename: string; readonly contentType: string },
  expiresIn: number,
) =>
  getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ResponseContentDisposition: `inline; filename="${as.filename}"`,
      ResponseContentType: as.contentType,
    }),
    { expiresIn },
  );
