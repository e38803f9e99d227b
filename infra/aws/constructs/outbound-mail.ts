import { Stack } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Topic } from 'aws-cdk-lib/aws-sns';
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
 * bounces and complaints) whose bounce and complaint events go to an SNS topic for the mail-events
 * function, and the domain identity seller updates are sent from.
 */
export class OutboundMail extends Construct implements EmailSender {
  readonly configurationSet: ConfigurationSet;
  readonly identity: EmailIdentity;
  readonly fromAddress: string;
  readonly identityArn: string;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
  /** Bounces and complaints of sent mail, as the configuration set publishes them. */
  readonly mailEvents: Topic;

  constructor(scope: Construct, id: string, props: OutboundMailProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // SES publishes to an encrypted topic only if the key lets it: a customer-managed key with that grant.
    const key = new Key(this, 'MailEventsKey', {
      enableKeyRotation: true,
      description: 'SellerWorks mail events topic',
    });
    key.grantEncryptDecrypt(new ServicePrincipal('ses.amazonaws.com'));
    this.mailEvents = new Topic(this, 'MailEvents', {
      displayName: 'SellerWorks mail events',
      masterKey: key,
      enforceSSL: true,
    });
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.mailEvents),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
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
