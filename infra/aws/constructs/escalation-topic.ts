import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/**
 * The SNS topic SLA escalations are published to (teams subscribe, filtering on message attributes).
 * Encrypted with a customer-managed key with rotation, so that publishers get an exact key grant and
 * other AWS services (e.g. CloudWatch alarms) can be allowed to publish later through the key policy.
 */
export class EscalationTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', { enableKeyRotation: true, description: 'SellerWorks escalation topic' });
    this.topic = new Topic(this, 'Topic', {
      displayName: 'SellerWorks escalations',
      masterKey: this.key,
      enforceSSL: true,
    });
  }
}
