import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { ReceiptRule, ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { Lambda, LambdaInvocationType, S3 } from 'aws-cdk-lib/aws-ses-actions';
import { Construct } from 'constructs';
import { HardenedBucket } from './hardened-bucket.ts';

export interface InboundMailProps {
  /** Further addresses to receive (the From address, for replies whose client dropped Reply-To). */
  readonly alsoFor?: readonly string[];
  /** The domain sellers reply to (its MX record points at SES inbound for the stack's region). */
  readonly replyDomain: string;
  readonly accessLogsBucket: IBucket;
  /** Raw messages are parsed once and their attachments copied to evidence; keep them only briefly. @default 30 days */
  readonly expireAfter?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Seller replies: SES receives mail for the reply domain, stores the raw message under `inbound/` in a
 * hardened bucket (S3 action, which also writes the bucket policy letting SES put objects from this account
 * only), then invokes the parsing function asynchronously (Lambda action, Event invocation).
 *
 * The bucket exists from construction so the handler can be bound to it; {@link deliverTo} adds the rule.
 * SES allows one active receipt rule set per region: activate this one after deploying
 * (`aws ses set-active-receipt-rule-set --rule-set-name <ReceiptRuleSetName output>`).
 */
export class InboundMail extends Construct {
  static readonly PREFIX = 'inbound/';
  readonly bucket: HardenedBucket;
  readonly prefix = InboundMail.PREFIX;
  readonly replyDomain: string;
  readonly alsoFor: readonly string[];
  private ruleSet: ReceiptRuleSet | undefined;

  constructor(scope: Construct, id: string, props: InboundMailProps) {
    super(scope, id);
    this.replyDomain = props.replyDomain;
    this.alsoFor = props.alsoFor ?? [];
    this.bucket = new HardenedBucket(this, 'Bucket', {
      expireAfter: props.expireAfter ?? Duration.days(30),
      serverAccessLogs: { bucket: props.accessLogsBucket, prefix: 'inbound-mail/' },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }

  /** Adds the receipt rule set and the rule: store in S3, then hand to `handler`. Call once. */
  deliverTo(handler: IFunction): ReceiptRuleSet {
    if (this.ruleSet) throw new Error('SellerWorks synth: InboundMail.deliverTo was called twice.');
    this.ruleSet = new ReceiptRuleSet(this, 'RuleSet');
    new ReceiptRule(this, 'Rule', {
      ruleSet: this.ruleSet,
      // The reply domain (tokened Reply-To addresses), and the sending address for clients that drop Reply-To.
      recipients: [this.replyDomain, ...this.alsoFor],
      enabled: true,
      scanEnabled: true,
      tlsPolicy: TlsPolicy.REQUIRE,
      // Order matters: the Lambda action receives only the notification, so the message must be stored first.
      actions: [
        new S3({ bucket: this.bucket.asIBucket(), objectKeyPrefix: this.prefix }),
        new Lambda({ function: handler, invocationType: LambdaInvocationType.EVENT }),
      ],
    });
    return this.ruleSet;
  }
}
