import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ROUTES, type RouteSpec } from '../../functions/api/routes.ts';
import type { FunctionId } from '../../functions/registry.ts';
import type { DevIssuer } from './dev-issuer.ts';

/**
 * Extra local-only routes (dev tokens, the outbox, the ops console); they never exist on AWS. A body is
 * sent as JSON unless the route names its content type (a page, a script).
 */
export type LocalRoute = (url: URL, req: IncomingMessage) => Promise<LocalResponse | undefined>;

export interface LocalResponse {
  readonly status: number;
  readonly body: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Tries each route in turn; the first that answers wins. */
export const firstOf =
  (...routes: readonly LocalRoute[]): LocalRoute =>
  async (url, req) => {
    for (const route of routes) {
      const answer = await route(url, req);
      if (answer) return answer;
    }
    return undefined;
  };

const MAX_BODY = 1024 * 1024;

const compiled = ROUTES.map((route) => ({
  ...route,
  routeKey: `${route.method} ${route.path}`,
  names: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''),
  pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '([^/]+)')}$`),
}));

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
};

/** The body, or `undefined` once it passes {@link MAX_BODY} (the rest is drained unread, up to a bound). */
const readBody = (req: IncomingMessage) =>
  new Promise<Buffer | undefined>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
      else if (size > 16 * MAX_BODY) req.destroy();
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });

const error = (status: number, code: string, message: string, path: string) => ({
  error: { status, code, message, issues: [{ path, reason: message }] },
});

/** The console API's CORS (infra/aws/constructs/intake-api.ts `browserCors`): bearer tokens only, any origin. */
const CORS = { 'access-control-allow-origin': '*' };
const CORS_PREFLIGHT = {
  ...CORS,
  'access-control-allow-methods': 'GET,POST,PUT',
  'access-control-allow-headers': 'authorization,content-type',
  'access-control-max-age': '3600',
};

const TOO_LARGE = error(413, 'payload_too_large', `the request body exceeds ${MAX_BODY} bytes`, '(body)');

/** Path parameters as API Gateway hands them: percent-decoded; `undefined` for a malformed escape. */
const decodePath = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
};

/**
 * The local stand-in for API Gateway's HTTP API: the same routes, the JWT check the authorizer makes, and
 * the same payload format 2.0 event handed to the same Lambda handlers.
 */
export const startHttpAdapter = async (options: {
  port: number;
  issuer: DevIssuer;
  invoke: (id: FunctionId, event: unknown) => Promise<unknown>;
  localRoutes: LocalRoute;
  /**
   * The stack's second API, for the ops console on AWS: the `/ops` routes also take tokens this verifies
   * (the Cognito user pool's) and answer browsers' CORS preflights from any origin, as that API does.
   */
  consoleAuthorizer?: (token: string) => Promise<Record<string, unknown> | undefined>;
  /** Called with the number of requests in flight each time it changes (the engine yields to them). */
  onInFlight?: (inFlight: number) => void;
}): Promise<{ server: Server; url: string }> => {
  let inFlight = 0;
  const server = createServer(async (req, res) => {
    inFlight += 1;
    options.onInFlight?.(inFlight);
    res.once('close', () => {
      inFlight -= 1;
      options.onInFlight?.(inFlight);
    });
    try {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        return send(res, 400, error(400, 'bad_request', 'the request target is not a valid path', 'path'));
      }
      const consoleApi = options.consoleAuthorizer && url.pathname.startsWith('/ops/');
      if (consoleApi && req.method === 'OPTIONS') {
        res.writeHead(204, CORS_PREFLIGHT);
        return res.end();
      }
      const cors = consoleApi ? CORS : {};
      const local = await options.localRoutes(url, req);
      if (local?.contentType) {
        res.writeHead(local.status, { 'content-type': local.contentType, ...local.headers });
        return res.end(local.body as string | Buffer);
      }
      if (local) return send(res, local.status, local.body, { ...local.headers });
      const route = compiled.find((r) => r.method === req.method && r.pattern.test(url.pathname));
      if (!route) return send(res, 404, { message: 'Not Found' }, cors);

      // A route without the authorizer (a page an email links to) gets no claims, as on API Gateway.
      const open = (route as RouteSpec).auth === 'none';
      const auth = req.headers.authorization ?? '';
      const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
      const claims = open
        ? undefined
        : bearer
          ? ((await options.issuer.verify(bearer)) ??
            (consoleApi ? await options.consoleAuthorizer?.(bearer) : undefined))
          : undefined;
      if (!open && !claims)
        return send(res, 401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer', ...cors });

      const match = route.pattern.exec(url.pathname) ?? [];
      const decoded = route.names.map((n, i) => [n, decodePath(match[i + 1] ?? '')] as const);
      const malformed = decoded.find(([, value]) => value === undefined);
      if (malformed) {
        return send(
          res,
          400,
          error(400, 'bad_request', 'malformed percent-escape in the path', `path.${malformed[0]}`),
        );
      }
      const pathParameters = Object.fromEntries(decoded);
      // Refuse a body declared too large before reading any of it; one that turns out too large, once read.
      if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) {
        res.once('finish', () => req.destroy());
        return send(res, 413, TOO_LARGE, { connection: 'close' });
      }
      const body = await readBody(req);
      if (body === undefined) return send(res, 413, TOO_LARGE, { connection: 'close' });
      const contentType = req.headers['content-type'] ?? '';
      const textual = body.length === 0 || /json|text|x-www-form-urlencoded/.test(contentType);
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [
          k.toLowerCase(),
          Array.isArray(v) ? v.join(',') : (v ?? ''),
        ]),
      );
      const query = Object.fromEntries(url.searchParams.entries());
      const event = {
        version: '2.0',
        routeKey: route.routeKey,
        rawPath: url.pathname,
        rawQueryString: url.searchParams.toString(),
        headers,
        ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
        ...(route.names.length ? { pathParameters } : {}),
        ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
        isBase64Encoded: !textual,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: req.headers.host ?? 'localhost',
          domainPrefix: 'localhost',
          http: {
            method: route.method,
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
            userAgent: req.headers['user-agent'] ?? '',
          },
          requestId: randomUUID(),
          routeKey: route.routeKey,
          stage: '$default',
          time: new Date().toUTCString(),
          timeEpoch: Date.now(),
          ...(claims
            ? {
                authorizer: {
                  jwt: {
                    // API Gateway hands claims to the function as strings, an array flattened to `[a b]`
                    // (a Cognito token's `cognito:groups`).
                    claims: Object.fromEntries(
                      Object.entries(claims).map(([k, v]) => [
                        k,
                        typeof v === 'string' ? v : Array.isArray(v) ? `[${v.join(' ')}]` : JSON.stringify(v),
                      ]),
                    ),
                    scopes: null,
                  },
                },
              }
            : {}),
        },
      };
      const result = (await options.invoke(route.functionId, event)) as APIGatewayProxyStructuredResultV2;
      res.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>), ...cors });
      res.end(result.body ?? '');
    } catch (error) {
      console.error('local API adapter error:', error);
      if (!res.headersSent) send(res, 500, { message: 'Internal Server Error' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://localhost:${port}` };
};
