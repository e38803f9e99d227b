import { readFileSync } from 'node:fs';
import { Aws, Duration, Fn, RemovalPolicy } from 'aws-cdk-lib';
import {
  AllowedMethods,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { SUPERVISORS_GROUP, TEAM_GROUP_PREFIX } from '#commons/http/pool-groups.ts';
import { OPENAPI_PATH } from '../../../functions/api/openapi-location.ts';
import { buildConsoleAssets, consoleContentSecurityPolicy } from '../../console/console-build.ts';
import { fromRepoRoot } from '../repo-root.ts';
import { HardenedBucket } from './hardened-bucket.ts';
import { acknowledge, acknowledgeWildcardResource } from './nag-acknowledgements.ts';

export interface OpsConsoleProps {
  /** Base URL of the API the console calls (it may be a lazy token: the API needs this pool first). */
  readonly apiUrl: string;
  /** Every team some family routes to: each gets a `team-<team>` group. */
  readonly teams: readonly string[];
  readonly accessLogsBucket: IBucket;
  /** @default RemovalPolicy.RETAIN (the pool holds the staff accounts) */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The ops console on AWS: the same page and app the local runtime serves, as static files in a private
 * bucket behind CloudFront (Origin Access Control, HTTPS only, strict security headers), signing staff in
 * through a Cognito user pool's hosted UI. Pool groups give the role and team (functions/commons/http/
 * principal.ts): `supervisors` is ops without a team, `team-<team>` ops on that team.
 */
export class OpsConsole extends Construct {
  readonly bucket: HardenedBucket;
  readonly distribution: Distribution;
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  readonly client: UserPoolClient;
  /**
   * The `sellerworks` CLI's client: a user signs in with their password and authenticator code through the
   * AWS CLI (`initiate-auth`, `respond-to-auth-challenge`; README) and hands the access token to the CLI.
   * No hosted UI, no secret; tokens as short-lived as the console's.
   */
  readonly cliClient: UserPoolClient;
  readonly groups: readonly CfnUserPoolGroup[];

  constructor(scope: Construct, id: string, props: OpsConsoleProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.userPool = new UserPool(this, 'UserPool', {
      // Staff are invited by an administrator (README: the first supervisor); nobody signs themselves up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      // Required, by authenticator app only: these accounts read protected seller data, and TOTP needs no
      // SMS role or spend.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Plus: threat protection blocks risky sign-ins and compromised passwords (cdk-nag COG3/COG8).
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy,
    });
    this.domain = this.userPool.addDomain('HostedUi', {
      // Globally unique without a hard-coded name: the stack's own id (lower-case hex).
      cognitoDomain: {
        domainPrefix: Fn.join('-', ['sellerworks', Fn.select(2, Fn.split('/', Aws.STACK_ID))]),
      },
    });

    this.groups = [
      new CfnUserPoolGroup(this, 'SupervisorsGroup', {
        userPoolId: this.userPool.userPoolId,
        groupName: SUPERVISORS_GROUP,
        description: 'Ops supervisors: every team’s cases, assignment and decisions',
      }),
      ...props.teams.map(
        (team) =>
          new CfnUserPoolGroup(this, `Team-${team}`, {
            userPoolId: this.userPool.userPoolId,
            groupName: `${TEAM_GROUP_PREFIX}${team}`,
            description: `Ops on the ${team} team`,
          }),
      ),
    ];

    this.bucket = new HardenedBucket(this, 'Assets', {
      expireAfter: 'never',
      serverAccessLogs: { bucket: props.accessLogsBucket, prefix: 'ops-console/' },
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const apiOrigin = Fn.join('', ['https://', Fn.select(2, Fn.split('/', props.apiUrl))]);
    const authOrigin = this.domain.baseUrl();
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'SellerWorks ops console: strict CSP, HSTS, no framing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // As the local console server's, plus the API and the pool's token endpoint (fetch).
          contentSecurityPolicy: consoleContentSecurityPolicy([apiOrigin, authOrigin]),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'SellerWorks ops console',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket.asIBucket()),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        responseHeadersPolicy: headers,
      },
      // The console routes in the URL's hash, so any other path is the app's page (the hosted UI returns to
      // the root); S3 answers 403 for a missing key behind OAC.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(10),
      })),
      enableLogging: true,
      logBucket: new HardenedBucket(this, 'CdnLogs', {
        expireAfter: Duration.days(365),
        aclsForCloudFrontLogs: true,
        serverAccessLogs: { bucket: props.accessLogsBucket, prefix: 'ops-console-cdn-logs/' },
        removalPolicy,
      }).asIBucket(),
    });
    const consoleUrl = `https://${this.distribution.distributionDomainName}/`;

    this.client = this.userPool.addClient('ConsoleClient', {
      // A browser app: authorization code with PKCE, no secret to keep.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: [consoleUrl],
        logoutUrls: [consoleUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    this.cliClient = this.userPool.addClient('CliClient', {
      generateSecret: false,
      authFlows: { userPassword: true },
      disableOAuth: true,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    const deployment = new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket.asIBucket(),
      sources: [
        Source.asset(buildConsoleAssets()),
        // Read by the console at start; the local runtime has none, so there it keeps its dev tokens.
        // The API's contract, for portal teams: `<ConsoleUrl>/openapi.json`, as `npm start` serves it.
        Source.data('openapi.json', readFileSync(fromRepoRoot(OPENAPI_PATH), 'utf8')),
        Source.jsonData('config.json', {
          apiUrl: props.apiUrl,
          auth: {
            domain: authOrigin,
            clientId: this.client.userPoolClientId,
            redirectUri: consoleUrl,
          },
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
    });

    // CDK's own deployment function (one per stack, shared by every BucketDeployment): its role and runtime
    // are CDK's; it copies from the CDK assets bucket and invalidates the distribution.
    const deployer = deployment.handlerRole.node.scope;
    if (deployer) {
      const why = 'CDK BucketDeployment provider: CDK writes its role and picks its runtime';
      acknowledge(
        deployer,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        `${why} (basic execution: its own logs).`,
      );
      for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'])
        acknowledge(
          deployer,
          `AwsSolutions-IAM5[Action::${action}]`,
          `${why} (grantReadWrite on the buckets it syncs).`,
        );
      acknowledge(
        deployer,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
        `${why} (reads the uploaded asset from the bootstrap bucket).`,
      );
      acknowledgeWildcardResource(
        deployer,
        `${this.bucket.bucketArn}/*`,
        `${why} (writes every console file).`,
      );
      acknowledge(
        deployer,
        'AwsSolutions-IAM5[Resource::*]',
        `${why} (cloudfront:CreateInvalidation takes no resource-level scope in CDK's grant).`,
      );
      acknowledge(deployer, 'AwsSolutions-L1', `${why}; it runs only at deploy time.`);
    }

    // A custom domain and its ACM certificate (in us-east-1) are a choice for the operator; with the
    // distribution's own *.cloudfront.net name CloudFront negotiates TLS itself (TLSv1 minimum).
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The default CloudFront certificate is used until the operator adds a custom domain; viewers are redirected to HTTPS.',
    );
  }

  /** The pool's issuer URL, as its tokens carry it in `iss` (and what a JWT authorizer trusts). */
  get issuerUrl(): string {
    return this.userPool.userPoolProviderUrl;
  }

  /** The console's address (CloudFront). */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }
}
