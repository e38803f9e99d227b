import { Stack } from 'aws-cdk-lib';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { EmailSender } from './sellerworks-function.ts';

export interface OutboundMailProps {
  /** The sending domain (verified with Easy DKIM; publish the DKIM CNAMEs this construct exposes). */
  readonly mailDomain: string;
  /** @default 'notifications' */
  readonly fromLocalPart?: string;
}

/**
 * SES v2 sending: a configuration set (TLS required, reputation metrics, account-level suppression of
 * bounces and complaints) and the domain identity seller updates are sent from.
 */
export class OutboundMail extends Construct implements EmailSender {
  readonly configurationSet: ConfigurationSet;
  readonly identity: EmailIdentity;
  readonly fromAddress: string;
  readonly identityArn: string;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;

  constructor(scope: Construct, id: string, props: OutboundMailProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(props.mailDomain),
      configurationSet: this.configurationSet,
    });
    this.fromAddress = `${props.fromLocalPart ?? 'notifications'}@${props.mailDomain}`;
    this.identityArn = this.identity.emailIdentityArn;
    this.configurationSetName = this.configurationSet.configurationSetName;
    this.configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
  }
}
