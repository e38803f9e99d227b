import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

/** A staff account of the pool: who the hosted UI signs in, with the groups the stack creates. */
export interface PoolUser {
  readonly sub: string;
  readonly email: string;
  readonly groups: readonly string[];
}

/** One call to the token endpoint, as the test looks at it. */
export interface TokenCall {
  readonly grant: string;
  /** The answer: `ok`, or the OAuth error sent back. */
  readonly outcome: string;
  /** The access token answered, if any. */
  readonly accessToken?: string;
}

export interface FakeCognito {
  /** The hosted UI's base URL (the pool domain: `https://<prefix>.auth.<region>.amazoncognito.com`). */
  readonly domain: string;
  /** The `iss` of its tokens, and where its JWKS is (`<issuer>/.well-known/jwks.json`), as Cognito lays them out. */
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly clientId: string;
  /** Who the hosted UI signs in next (as if they typed their password and TOTP code); undefined: nobody. */
  signedIn: PoolUser | undefined;
  /**
   * The lifetimes of the next access tokens issued, in order, each used once; after them, Cognito's hour.
   * Per issue rather than a setting the test changes later, so a slow machine that refreshes early gets
   * the hour, not the short life meant for the first token.
   */
  readonly nextTokens: TokenLifetime[];
  /** Authorization requests that reached the hosted UI (query parameters). */
  readonly authorizations: Record<string, string>[];
  /** Requests the hosted UI or token endpoint refused, and why: a correct client makes none. */
  readonly refusals: string[];
  readonly tokenCalls: TokenCall[];
  close(): Promise<void>;
}

export interface TokenLifetime {
  /** The token's real lifetime in seconds (its `exp`). */
  readonly seconds: number;
  /** What `expires_in` says, when it differs from the real lifetime (a token revoked early). */
  readonly reportedExpiresIn?: number;
}

interface IssuedCode {
  readonly user: PoolUser;
  readonly challenge: string;
  readonly redirectUri: string;
  used: boolean;
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/**
 * A stand-in for a Cognito user pool's hosted UI and OAuth 2.0 endpoints, as the stack configures the
 * console's app client (infra/aws/constructs/ops-console.ts): a public client (no secret), authorization
 * code grant with PKCE (S256) only, scopes `openid email`, one callback URL. `/oauth2/authorize` checks the
 * request and, for the user {@link FakeCognito.signedIn}, redirects back with a code; `/oauth2/token`
 * exchanges a code once (its redirect URI and PKCE verifier checked) and refreshes. Tokens are RS256 JWTs
 * with Cognito's claims (`cognito:groups`, `client_id` and no `aud` in the access token), keys at the JWKS.
 */
export const startFakeCognito = async (options: {
  readonly clientId: string;
  readonly callbackUrls: () => readonly string[];
}): Promise<FakeCognito> => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const codes = new Map<string, IssuedCode>();
  const refreshTokens = new Map<string, PoolUser>();
  const poolPath = '/us-east-1_LocalPool';

  const fake: FakeCognito & { domain: string; issuer: string; jwksUrl: string } = {
    domain: '',
    issuer: '',
    jwksUrl: '',
    clientId: options.clientId,
    signedIn: undefined,
    nextTokens: [],
    authorizations: [],
    refusals: [],
    tokenCalls: [],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const tokensFor = async (user: PoolUser) => {
    const lifetime = fake.nextTokens.shift() ?? { seconds: 3600 };
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>, seconds: number) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(fake.issuer)
        .setSubject(user.sub)
        .setIssuedAt(now)
        .setExpirationTime(now + seconds)
        .setJti(randomUUID())
        .sign(privateKey);
    const groups = user.groups.length ? { 'cognito:groups': [...user.groups] } : {};
    return {
      access_token: await sign(
        {
          ...groups,
          token_use: 'access',
          scope: 'openid email',
          auth_time: now,
          client_id: options.clientId,
          username: user.sub,
        },
        lifetime.seconds,
      ),
      id_token: await sign(
        {
          ...groups,
          aud: options.clientId,
          token_use: 'id',
          auth_time: now,
          email: user.email,
          email_verified: true,
          'cognito:username': user.sub,
        },
        lifetime.seconds,
      ),
      expires_in: lifetime.reportedExpiresIn ?? lifetime.seconds,
      token_type: 'Bearer',
    };
  };

  const authorize = (url: URL, res: ServerResponse) => {
    const q = Object.fromEntries(url.searchParams);
    fake.authorizations.push(q);
    const refuse = (why: string) => {
      fake.refusals.push(`authorize: ${why}`);
      res.writeHead(400, { 'content-type': 'text/plain' }).end(why);
    };
    if (q.client_id !== options.clientId) return refuse(`unknown client_id ${q.client_id}`);
    if (!q.redirect_uri || !options.callbackUrls().includes(q.redirect_uri))
      return refuse(`redirect_uri ${q.redirect_uri} is not a callback URL of the client`);
    if (q.response_type !== 'code')
      return refuse(`response_type ${q.response_type}: the client allows code only`);
    if (q.code_challenge_method !== 'S256' || !/^[\w-]{43}$/.test(q.code_challenge ?? ''))
      return refuse('a public client must send an S256 code_challenge');
    const scopes = (q.scope ?? '').split(' ');
    if (!scopes.includes('openid') || scopes.some((s) => !['openid', 'email'].includes(s)))
      return refuse(`scope ${q.scope}: the client allows openid email`);
    if (!fake.signedIn) return refuse('nobody signs in');
    const code = randomUUID();
    codes.set(code, {
      user: fake.signedIn,
      challenge: q.code_challenge ?? '',
      redirectUri: q.redirect_uri,
      used: false,
    });
    const back = new URL(q.redirect_uri);
    back.searchParams.set('code', code);
    if (q.state !== undefined) back.searchParams.set('state', q.state);
    res.writeHead(302, { location: back.toString() }).end();
  };

  const token = async (req: IncomingMessage, res: ServerResponse) => {
    const cors = { 'access-control-allow-origin': req.headers.origin ?? '*' };
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const grant = form.grant_type ?? '';
    const fail = (error: string, why: string) => {
      fake.refusals.push(`token (${grant}): ${why}`);
      fake.tokenCalls.push({ grant, outcome: error });
      res.writeHead(400, { 'content-type': 'application/json', ...cors }).end(JSON.stringify({ error }));
    };
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded'))
      return fail('invalid_request', `content-type ${req.headers['content-type']}`);
    if (form.client_id !== options.clientId) return fail('invalid_client', `client_id ${form.client_id}`);
    let user: PoolUser;
    let refresh: string | undefined;
    if (grant === 'authorization_code') {
      const issued = codes.get(form.code ?? '');
      if (!issued) return fail('invalid_grant', 'unknown code');
      if (issued.used) return fail('invalid_grant', 'the code was already exchanged');
      issued.used = true;
      if (form.redirect_uri !== issued.redirectUri)
        return fail('invalid_grant', `redirect_uri ${form.redirect_uri} differs from the authorization's`);
      const verifier = form.code_verifier ?? '';
      if (!/^[\w.~-]{43,128}$/.test(verifier)) return fail('invalid_grant', 'a code_verifier is required');
      if (base64url(createHash('sha256').update(verifier).digest()) !== issued.challenge)
        return fail('invalid_grant', 'the code_verifier does not match the code_challenge');
      user = issued.user;
      refresh = base64url(randomBytes(32));
      refreshTokens.set(refresh, user);
    } else if (grant === 'refresh_token') {
      const known = refreshTokens.get(form.refresh_token ?? '');
      if (!known) return fail('invalid_grant', 'unknown refresh_token');
      user = known;
    } else return fail('unsupported_grant_type', `grant_type ${grant}`);
    // Cognito answers a refresh with new access and id tokens and no new refresh token.
    const body = { ...(await tokensFor(user)), ...(refresh ? { refresh_token: refresh } : {}) };
    fake.tokenCalls.push({ grant, outcome: 'ok', accessToken: body.access_token });
    res.writeHead(200, { 'content-type': 'application/json', ...cors }).end(JSON.stringify(body));
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', fake.domain);
    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') return authorize(url, res);
    if (req.method === 'POST' && url.pathname === '/oauth2/token')
      return void token(req, res).catch((error: Error) => {
        fake.refusals.push(`token: ${error.message}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    if (req.method === 'GET' && url.pathname === `${poolPath}/.well-known/jwks.json`)
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // `localhost`, where the console is served from 127.0.0.1: another origin, as the pool domain is on AWS.
  fake.domain = `http://localhost:${port}`;
  fake.issuer = `${fake.domain}${poolPath}`;
  fake.jwksUrl = `${fake.issuer}/.well-known/jwks.json`;
  return fake;
};
