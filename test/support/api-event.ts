import type { ApiEvent } from '#commons/http/api-handler.ts';

/** An API Gateway HTTP API (payload 2.0) event as the JWT authorizer hands it to a function. */
export const apiEvent = (options: {
  method: 'GET' | 'POST';
  path: string;
  pathParameters?: Record<string, string>;
  claims?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}): ApiEvent =>
  ({
    version: '2.0',
    routeKey: `${options.method} ${options.path}`,
    rawPath: options.path,
    rawQueryString: '',
    // A client sending a body says what it is, as the portals and the console do.
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: {
        method: options.method,
        path: options.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
      requestId: 'r',
      routeKey: `${options.method} ${options.path}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: { jwt: { claims: options.claims ?? {}, scopes: null } },
    },
  }) as unknown as ApiEvent;

export const sellerClaims = (sellerId = 'seller-1', tier = 'standard') => ({
  sub: sellerId,
  role: 'seller',
  tier,
});
export const opsClaims = (userId = 'agent-1', team?: string) => ({
  sub: userId,
  role: 'ops',
  ...(team ? { team } : {}),
});

export const TEST_ENV = {
  TABLE_NAME: 'cases-test',
  EVENT_BUS_NAME: 'sellerworks-cases-test',
  STATE_MACHINE_ARNS: JSON.stringify({
    'buyer-dispute': 'arn:aws:states:us-east-1:000000000000:stateMachine:buyer-dispute',
  }),
  EMAIL_FROM: 'SellerWorks <support@sellerworks.test>',
  REPLY_DOMAIN: 'replies.sellerworks.test',
  REPLY_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:reply',
  ESCALATION_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:escalations',
  INBOUND_BUCKET: 'inbound',
  INBOUND_PREFIX: 'inbound/',
  EVIDENCE_BUCKET: 'evidence',
  PORTAL_URL: 'https://sellers.example.test',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
} as const;
