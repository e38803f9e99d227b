import { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '../env-names.ts';
import { traced } from '../tracing.ts';

/**
 * Built once per container. The endpoint comes from AWS_ENDPOINT_URL_S3 when set; an endpoint that is an
 * address rather than a bucket-aware host name needs path-style requests, which is configuration too.
 */
export const s3 = traced(new S3Client({ forcePathStyle: process.env[ENV.s3ForcePathStyle] === 'true' }));
