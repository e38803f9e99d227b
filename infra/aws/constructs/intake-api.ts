import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteSpec } from '../../../functions/api/routes.ts';
import type { FunctionId } from '../../../functions/registry.ts';
import { acknowledge } from './nag-acknowledgements.ts';

/** Requests a second, steady and in a burst (API Gateway's token bucket). */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * Sized for a million cases a day with peaks of ten times the average (docs/scale.md): about 80 requests a
 * second on average across the API (intake, the portals' reads, evidence, the console), some 900 at peak,
 * with two-thirds headroom; under the account's regional quota of 10,000 a second and bursts of 5,000.
 */
export const API_THROTTLE: Throttle = { rateLimit: 1_500, burstLimit: 3_000 };
/** New cases: 12 a second on average, 120 at peak, with room for a portal's retries. */
export const INTAKE_THROTTLE: Throttle = { rateLimit: 300, burstLimit: 600 };

export interface IntakeApiProps {
  readonly routes: readonly RouteSpec[];
  readonly functions: ReadonlyMap<FunctionId, IFunction>;
  /** OIDC issuer URL whose JWKS signs the portal tokens. */
  readonly jwtIssuer: string;
  readonly jwtAudience: readonly string[];
  /**
   * The staff's issuer (the ops console's user pool), trusted on the `/ops/` routes instead of the portal's:
   * an HTTP API JWT authorizer takes one issuer and a route one authorizer, so the API has two.
   * @default the portal's issuer on every route
   */
  readonly staffIssuer?: { readonly issuer: string; readonly audience: readonly string[] };
  /** Every route's throttle unless `routeThrottles` names it. @default API_THROTTLE */
  readonly throttle?: Throttle;
  /** Throttles of single routes, by route key (`POST /cases`). */
  readonly routeThrottles?: Readonly<Record<string, Throttle>>;
  /** @default RetentionDays.THREE_MONTHS */
  readonly accessLogRetention?: RetentionDays;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Answer browsers' CORS preflights (for a page on another origin). @default no CORS */
  readonly browserCors?: boolean;
  /** @default 'SellerWorks intake API' */
  readonly description?: string;
}

/**
 * The HTTPS intake API: an API Gateway HTTP API with one route per entry of functions/api/routes.ts, each
 * behind a JWT authorizer — the portal's, or the staff pool's on `/ops/` routes when one is given (role
 * checks happen in the handlers from the verified claims) — or none where a route says so; payload format
 * 2.0 to the route's function, and JSON access logs without headers, bodies or claims.
 */
export class IntakeApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly authorizer: HttpJwtAuthorizer;
  /** The `/ops/` routes' authorizer, when a staff issuer is given. */
  readonly staffAuthorizer: HttpJwtAuthorizer | undefined;
  readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: IntakeApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'HttpApi', {
      description: props.description ?? 'SellerWorks intake API',
      createDefaultStage: false,
      ...(props.browserCors && {
        // Any origin: the API takes bearer tokens only (no cookies), so a page elsewhere gets nothing without
        // a token of its own. Naming the console's origin would make the API depend on the distribution,
        // whose security headers name the API: a cycle.
        corsPreflight: {
          allowOrigins: ['*'],
          allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT],
          allowHeaders: ['authorization', 'content-type'],
          maxAge: Duration.hours(1),
        },
      }),
    });
    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', props.jwtIssuer, {
      jwtAudience: [...props.jwtAudience],
    });
    this.staffAuthorizer =
      props.staffIssuer &&
      new HttpJwtAuthorizer('StaffAuthorizer', props.staffIssuer.issuer, {
        jwtAudience: [...props.staffIssuer.audience],
      });

    const integrations = new Map<FunctionId, HttpLambdaIntegration>();
    for (const route of props.routes) {
      const fn = props.functions.get(route.functionId);
      if (!fn) {
        throw new Error(
          `SellerWorks synth: route ${route.method} ${route.path} targets ${route.functionId}, which the stack did not build.`,
        );
      }
      let integration = integrations.get(route.functionId);
      if (!integration) {
        // One invoke permission per function for this API rather than one per route: a function serving
        // several routes needs no more, and each permission is a CloudFormation resource (the stack's 500).
        integration = new HttpLambdaIntegration(`${route.functionId}Integration`, fn, {
          scopePermissionToRoute: false,
        });
        integrations.set(route.functionId, integration);
      }
      const open = route.auth === 'none';
      const added = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration,
        authorizer: open
          ? new HttpNoneAuthorizer()
          : route.path.startsWith('/ops/')
            ? (this.staffAuthorizer ?? this.authorizer)
            : this.authorizer,
      });
      if (open)
        for (const r of added)
          acknowledge(
            r,
            'AwsSolutions-APIG4',
            'A page an email links to (the follow-up): the seller reading their mail holds no API token; the path carries an HMAC-signed, case-bound token the handler verifies, and GET changes nothing.',
          );
    }

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sourceIp: '$context.identity.sourceIp',
          }),
        ),
      },
    });
    const routeThrottles = Object.entries(props.routeThrottles ?? {});
    for (const [routeKey] of routeThrottles) {
      if (!props.routes.some((r) => `${r.method} ${r.path}` === routeKey))
        throw new Error(
          `SellerWorks synth: a throttle names route ${routeKey}, which the API does not serve.`,
        );
    }
    if (routeThrottles.length > 0) {
      // RouteSettings is a free-form map in the L1 (CDK does not rename its keys): written as CloudFormation has it.
      (this.stage.node.defaultChild as CfnStage).addPropertyOverride(
        'RouteSettings',
        Object.fromEntries(
          routeThrottles.map(([routeKey, t]) => [
            routeKey,
            { ThrottlingRateLimit: t.rateLimit, ThrottlingBurstLimit: t.burstLimit },
          ]),
        ),
      );
    }
  }

  /** Base URL of the API (the `$default` stage serves at the root). */
  get url(): string {
    return this.stage.url;
  }
}
