import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AwsServiceError } from '../aws-service-error.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { etagOf } from './checksums.ts';

const objectMetadataSchema = z.object({
  contentType: z.string(),
  etag: z.string(),
  lastModified: z.iso.datetime(),
  userMetadata: z.record(z.string(), z.string()),
});
type ObjectMetadata = z.infer<typeof objectMetadataSchema>;

/** An object's description, as HeadObject answers it. */
export interface ObjectHead {
  contentType: string;
  contentLength: number;
  etag: string;
  lastModified: Date;
  /** `x-amz-meta-*` values, keyed without the prefix. */
  userMetadata: Record<string, string>;
}

/** An object with its bytes, as GetObject answers it. */
export interface StoredObject extends ObjectHead {
  body: Buffer;
}

/** Where the sidecars live: S3 bucket names cannot start with a dot, so no bucket can collide with it. */
const METADATA_FOLDER = '.meta';
const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const MAX_KEY_BYTES = 1024;

/**
 * The local S3: objects are plain files under `root/<bucket>/<key>`, so a developer can open the evidence a
 * case collected in a file browser; Content-Type, ETag and user metadata live in a JSON sidecar under
 * `root/.meta/<bucket>/<key>.json`. Every bucket exists (there is no CreateBucket locally).
 *
 * Limitation: a key must be representable as a relative file path, so keys with empty, `.` or `..`
 * segments, a trailing `/`, or that would be both a file and a folder (`a` and `a/b`) are refused.
 */
export class LocalObjectStore {
  /** @param root Folder holding one sub-folder per bucket. */
  constructor(private readonly root: string) {}

  /**
   * Stores an object (replacing any previous version).
   * @throws AwsServiceError `InvalidBucketName`, `KeyTooLongError` or `InvalidArgument` for names the store
   * cannot hold; nothing is written then.
   */
  put(
    bucket: string,
    key: string,
    body: Buffer,
    options: { contentType?: string | undefined; userMetadata?: Record<string, string> } = {},
  ): ObjectHead {
    const path = this.objectPath(bucket, key);
    if (existsSync(path) && statSync(path).isDirectory()) {
      throw new AwsServiceError(
        'InvalidArgument',
        `Key "${key}" is a prefix of other keys in the local store.`,
      );
    }
    const metadata: ObjectMetadata = {
      contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
      etag: etagOf(body),
      lastModified: new Date().toISOString(),
      userMetadata: options.userMetadata ?? {},
    };
    try {
      writeFileAtomic(path, body);
    } catch (error) {
      if (isNodeError(error) && (error.code === 'ENOTDIR' || error.code === 'EEXIST')) {
        throw new AwsServiceError(
          'InvalidArgument',
          `A prefix of key "${key}" is an object in the local store.`,
        );
      }
      throw error;
    }
    writeFileAtomic(this.metadataPath(bucket, key), JSON.stringify(metadata));
    return LocalObjectStore.toHead(metadata, body.length);
  }

  /** The object's description, or `undefined` when there is no such key. */
  head(bucket: string, key: string): ObjectHead | undefined {
    const path = this.objectPath(bucket, key);
    if (!isFile(path)) {
      return undefined;
    }
    return LocalObjectStore.toHead(this.readMetadata(bucket, key, path), statSync(path).size);
  }

  /** The object with its bytes, or `undefined` when there is no such key. */
  get(bucket: string, key: string): StoredObject | undefined {
    const path = this.objectPath(bucket, key);
    if (!isFile(path)) {
      return undefined;
    }
    const body = readFileSync(path);
    return { ...LocalObjectStore.toHead(this.readMetadata(bucket, key, path), body.length), body };
  }

  private readMetadata(bucket: string, key: string, objectPath: string): ObjectMetadata {
    const sidecar = this.metadataPath(bucket, key);
    if (existsSync(sidecar)) {
      return objectMetadataSchema.parse(JSON.parse(readFileSync(sidecar, 'utf8')));
    }
    // The object was written but the process died before its sidecar: describe it from the bytes alone.
    return {
      contentType: DEFAULT_CONTENT_TYPE,
      etag: etagOf(readFileSync(objectPath)),
      lastModified: statSync(objectPath).mtime.toISOString(),
      userMetadata: {},
    };
  }

  private objectPath(bucket: string, key: string): string {
    return join(this.root, validBucket(bucket), ...keySegments(key));
  }

  private metadataPath(bucket: string, key: string): string {
    return `${join(this.root, METADATA_FOLDER, validBucket(bucket), ...keySegments(key))}.json`;
  }

  private static toHead(metadata: ObjectMetadata, contentLength: number): ObjectHead {
    return {
      contentType: metadata.contentType,
      contentLength,
      etag: metadata.etag,
      lastModified: new Date(metadata.lastModified),
      userMetadata: metadata.userMetadata,
    };
  }
}

function validBucket(bucket: string): string {
  // S3's naming rules; they also keep the bucket a single, safe path segment.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || bucket.includes('..')) {
    throw new AwsServiceError('InvalidBucketName', `The specified bucket "${bucket}" is not valid.`);
  }
  return bucket;
}

function keySegments(key: string): string[] {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new AwsServiceError('KeyTooLongError', 'Your key is too long.');
  }
  const segments = key.split('/');
  // These keys are legal in S3 but would escape the bucket folder or collapse onto another file here.
  const unrepresentable = (segment: string): boolean =>
    segment === '' || segment === '.' || segment === '..' || segment.includes('\0');
  if (segments.some(unrepresentable)) {
    throw new AwsServiceError('InvalidArgument', `Key "${key}" cannot be stored as a file by the local S3.`);
  }
  return segments;
}

const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile();

const isNodeError = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && 'code' in error;
