import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface HardenedBucketProps {
  /** Where S3 server access logs go; omit only for the access-log bucket itself. */
  readonly serverAccessLogs?: { readonly bucket: IBucket; readonly prefix: string };
  /**
   * Objects are deleted this long after creation. `'never'` only for objects a deployment replaces (the
   * ops console's assets), which would break if they expired between deploys.
   */
  readonly expireAfter: Duration | 'never';
  /**
   * Objects move to S3 Glacier Instant Retrieval this long after creation (still read in milliseconds, at
   * a fraction of the storage price), for data that is rarely read once its working life is over.
   */
  readonly coolAfter?: Duration;
  /** Keep overwritten or deleted versions (for evidence integrity); noncurrent versions expire with the same delay. */
  readonly versioned?: boolean;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Keep ACLs on (object writer's ACL honoured, bucket owner preferred): only for CloudFront's standard
   * logs, which it delivers with an ACL and which a bucket with ACLs disabled refuses. @default false
   */
  readonly aclsForCloudFrontLogs?: boolean;
}

/**
 * An S3 bucket with SellerWorks' baseline: SSE-S3 encryption, all public access blocked, ACLs disabled,
 * TLS-only (1.2+) bucket policy, server access logs, and a lifecycle that expires objects.
 * SSE-S3 rather than SSE-KMS because SES receipt rules write to it without a key policy to maintain.
 */
export class HardenedBucket extends Bucket {
  constructor(scope: Construct, id: string, props: HardenedBucketProps) {
    super(scope, id, {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: props.aclsForCloudFrontLogs
        ? ObjectOwnership.BUCKET_OWNER_PREFERRED
        : ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: props.versioned ?? false,
      ...(props.serverAccessLogs && {
        serverAccessLogsBucket: props.serverAccessLogs.bucket,
        serverAccessLogsPrefix: props.serverAccessLogs.prefix,
      }),
      lifecycleRules: [
        {
          id: 'expire',
          ...(props.expireAfter !== 'never' && { expiration: props.expireAfter }),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          ...(props.coolAfter && {
            transitions: [
              { storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: props.coolAfter },
            ],
          }),
          ...(props.versioned &&
            props.expireAfter !== 'never' && { noncurrentVersionExpiration: props.expireAfter }),
        },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  /**
   * This bucket typed as `IBucket`. Needed under `exactOptionalPropertyTypes`: aws-cdk-lib's `Bucket.isWebsite`
   * getter returns `boolean | undefined`, which TypeScript will not accept for `IBucket`'s optional property.
   */
  asIBucket(): IBucket {
    return this as IBucket;
  }
}
