import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { HardenedBucket } from './hardened-bucket.ts';

export interface AccessLogsBucketProps {
  /** @default Duration.days(365) */
  readonly expireAfter?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Target of the other buckets' S3 server access logs (it logs nothing itself; cdk-nag's S1 accepts a bucket
 * that is a log target). CDK adds the bucket policy letting the S3 logging service write to it.
 */
export class AccessLogsBucket extends HardenedBucket {
  constructor(scope: Construct, id: string, props: AccessLogsBucketProps = {}) {
    super(scope, id, {
      expireAfter: props.expireAfter ?? Duration.days(365),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
