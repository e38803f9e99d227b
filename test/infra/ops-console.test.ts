import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/api/routes.ts';
import { TEAMS } from '../../functions/policy/families.ts';
import { type CfnResource, type Synthesized, synthesize } from './synthesize.ts';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize({ bundle: false });
});

const ofType = (type: string): [string, CfnResource][] =>
  Object.entries(synth.json.Resources).filter(([, r]) => r.Type === type);
const only = (type: string): [string, Record<string, unknown>] => {
  const found = ofType(type);
  expect(found, type).toHaveLength(1);
  const [id, resource] = found[0]!;
  return [id, resource.Properties ?? {}];
};
const ref = (id: string) => ({ Ref: id });

describe('ops console on CloudFront', () => {
  it('serves the private bucket through Origin Access Control, HTTPS only, index.html at the root', () => {
    const [, distribution] = only('AWS::CloudFront::Distribution');
    const config = distribution.DistributionConfig as Record<string, unknown>;
    const origins = config.Origins as { S3OriginConfig?: unknown; OriginAccessControlId?: unknown }[];
    const [oacId] = only('AWS::CloudFront::OriginAccessControl');

    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https' });
    expect(origins).toHaveLength(1);
    expect(origins[0]?.OriginAccessControlId).toEqual({ 'Fn::GetAtt': [oacId, 'Id'] });
    expect(config.CustomErrorResponses).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html' }),
      ]),
    );
    expect(config.Logging).toBeDefined();
  });

  it('keeps the console bucket private: all public access blocked, ACLs off, read only by the distribution', () => {
    const bucketId = synth.logicalId(synth.stack.opsConsole.bucket);
    const bucket = synth.json.Resources[bucketId]?.Properties ?? {};
    const [, policy] = ofType('AWS::S3::BucketPolicy').find(
      ([, p]) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify(ref(bucketId)),
    )!;

    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(JSON.stringify(bucket.OwnershipControls)).toContain('BucketOwnerEnforced');
    expect(JSON.stringify(policy.Properties?.PolicyDocument)).toContain('cloudfront.amazonaws.com');
  });

  it('sends a strict CSP that lets the page call only itself, the API and the pool', () => {
    const [, headers] = only('AWS::CloudFront::ResponseHeadersPolicy');
    const csp = JSON.stringify(headers);

    expect(csp).toContain("default-src 'none'; script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(synth.logicalId(synth.stack.api.api));
    expect(csp).toContain('amazoncognito.com');
  });

  it('deploys the built console with a config.json naming the API, the pool domain and the client', () => {
    const [, deployment] = only('Custom::CDKBucketDeployment');
    const data = JSON.stringify(deployment.SourceMarkers);

    expect(deployment.DistributionPaths).toEqual(['/*']);
    // The console's build, the OpenAPI document and config.json.
    expect(deployment.SourceObjectKeys).toHaveLength(3);
    expect(data).toContain(synth.logicalId(synth.stack.opsConsole.client));
    expect(data).toContain(synth.logicalId(synth.stack.api.api));
  });
});

describe('console sign-in (Cognito)', () => {
  it('has a user pool without self sign-up, MFA required, a strong password policy and threat protection', () => {
    const [, pool] = only('AWS::Cognito::UserPool');

    expect(pool.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(pool.MfaConfiguration).toBe('ON');
    expect(pool.Policies).toMatchObject({
      PasswordPolicy: {
        MinimumLength: 14,
        RequireLowercase: true,
        RequireUppercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
      },
    });
    expect(pool.UserPoolTier).toBe('PLUS');
  });

  it('gives the console a public client: authorization code only, calling back to the distribution', () => {
    const client =
      ofType('AWS::Cognito::UserPoolClient').find(
        ([id]) => id === synth.logicalId(synth.stack.opsConsole.client),
      )?.[1].Properties ?? {};
    const [distributionId] = only('AWS::CloudFront::Distribution');

    expect(client.GenerateSecret).toBe(false);
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.CallbackURLs).toEqual([
      { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']] },
    ]);
    only('AWS::Cognito::UserPoolDomain');
  });

  it('gives the CLI a client of its own: password (with the authenticator code), no hosted UI, no secret', () => {
    const [, cli] = ofType('AWS::Cognito::UserPoolClient').find(
      ([id]) => id === synth.logicalId(synth.stack.opsConsole.cliClient),
    )!;

    expect(cli.Properties).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    expect(cli.Properties?.AllowedOAuthFlows).toBeUndefined();
  });

  it('has the supervisors group and a team-<team> group for every team a family routes to', () => {
    const groups = ofType('AWS::Cognito::UserPoolGroup').map(([, g]) => g.Properties?.GroupName);

    expect(groups.sort()).toEqual(['supervisors', ...TEAMS.map((team) => `team-${team}`)].sort());
  });
});

describe("the API: the pool as the /ops routes' issuer", () => {
  const authorizerOf = (id: string) =>
    ofType('AWS::ApiGatewayV2::Authorizer').find(([, a]) => a.Properties?.Name === id)!;

  it('trusts the user pool as a second issuer, with the console and CLI clients as audience', () => {
    const poolId = synth.logicalId(synth.stack.opsConsole.userPool);
    const [, authorizer] = authorizerOf('StaffAuthorizer');

    expect(ofType('AWS::ApiGatewayV2::Authorizer')).toHaveLength(2);
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      JwtConfiguration: {
        Audience: [
          ref(synth.logicalId(synth.stack.opsConsole.client)),
          ref(synth.logicalId(synth.stack.opsConsole.cliClient)),
        ],
      },
    });
    // ProviderURL is the pool's issuer: https://cognito-idp.<region>.amazonaws.com/<pool id>
    expect(authorizer.Properties?.JwtConfiguration).toMatchObject({
      Issuer: { 'Fn::GetAtt': [poolId, 'ProviderURL'] },
    });
  });

  it("puts every /ops route behind that authorizer and the sellers' routes behind the portal's; answers CORS preflights", () => {
    const [staffId] = authorizerOf('StaffAuthorizer');
    const [portalId] = authorizerOf('JwtAuthorizer');
    const routes = ofType('AWS::ApiGatewayV2::Route');
    const authorizerOfRoute = (key: string) =>
      routes.find(([, r]) => r.Properties?.RouteKey === key)?.[1].Properties?.AuthorizerId;

    for (const route of ROUTES) {
      const key = `${route.method} ${route.path}`;
      if ('auth' in route && route.auth === 'none') expect(authorizerOfRoute(key)).toBeUndefined();
      else if (route.path.startsWith('/ops/')) expect(authorizerOfRoute(key)).toEqual(ref(staffId));
      else expect(authorizerOfRoute(key)).toEqual(ref(portalId));
    }
    expect(
      synth.json.Resources[synth.logicalId(synth.stack.api.api)]?.Properties?.CorsConfiguration,
    ).toMatchObject({
      AllowHeaders: ['authorization', 'content-type'],
    });
  });

  it('outputs the console URL and the user pool id', () => {
    expect(Object.keys(synth.json.Outputs ?? {})).toEqual(
      expect.arrayContaining(['ConsoleUrl', 'ConsoleUserPoolId', 'ConsoleCliClientId']),
    );
  });
});
