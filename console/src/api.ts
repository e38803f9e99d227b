import { GROUPS_CLAIM, type PoolRole, roleOfGroups } from '../../functions/commons/http/pool-groups.ts';

/** An error the API answered with: status, message and the field paths it named. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly issues: readonly { path: string; reason: string }[] = [],
  ) {
    super(message);
  }
}

const TEAM_KEY = 'sellerworks.console.team';
const AGENT_KEY = 'sellerworks.console.agent';

/**
 * Who the console acts as. Locally it signs in through the runtime's dev issuer: as an ops supervisor
 * (no team) unless the user picks a team, which is how one sees what a team without a right sees.
 */
export const viewer = {
  get team(): string {
    return sessionStorage.getItem(TEAM_KEY) ?? '';
  },
  set team(team: string) {
    if (team) sessionStorage.setItem(TEAM_KEY, team);
    else sessionStorage.removeItem(TEAM_KEY);
    sessionStorage.removeItem(AGENT_KEY);
    token = undefined;
  },
  /** Which of the team's agents the viewer signs in as (My queue), if any. */
  get agent(): string {
    return sessionStorage.getItem(AGENT_KEY) ?? '';
  },
  set agent(agent: string) {
    if (agent) sessionStorage.setItem(AGENT_KEY, agent);
    else sessionStorage.removeItem(AGENT_KEY);
    token = undefined;
  },
};

/** The bearer token in use, and until when (a dev token: until the API refuses it). */
let token: { readonly value: string; readonly expiresAt: number } | undefined;

/** On AWS the stack deploys a config.json beside the page; the local runtime has none (dev tokens). */
interface ConsoleConfig {
  readonly apiUrl: string;
  readonly auth: { readonly domain: string; readonly clientId: string; readonly redirectUri: string };
}
let config: Promise<ConsoleConfig | undefined> | undefined;
const loadConfig = () =>
  (config ??= fetch('/config.json')
    .then((res) => (res.ok ? (res.json() as Promise<ConsoleConfig>) : undefined))
    .catch(() => undefined));

const TOKENS_KEY = 'sellerworks.console.tokens';
const PKCE_KEY = 'sellerworks.console.pkce';
interface Tokens {
  readonly access: string;
  readonly refresh?: string;
  readonly expiresAt: number;
  readonly user: SignedInUser;
}

/** Who signed in through the hosted UI: their address and what their pool groups grant (as the API reads them). */
export interface SignedInUser {
  readonly sub: string;
  readonly email: string;
  readonly role: PoolRole;
}

/** A JWT's claims, unverified: only to show who signed in (the API verifies every token it is sent). */
const claimsOf = (jwt: string | undefined): Record<string, unknown> => {
  try {
    const payload = (jwt ?? '').split('.')[1] ?? '';
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    return {};
  }
};

const userOf = (accessToken: string, idToken: string | undefined, previous?: SignedInUser): SignedInUser => {
  const access = claimsOf(accessToken);
  const groups = access[GROUPS_CLAIM];
  const email = claimsOf(idToken).email;
  return {
    sub: String(access.sub ?? ''),
    email: typeof email === 'string' ? email : (previous?.email ?? String(access.username ?? '')),
    role: roleOfGroups(Array.isArray(groups) ? groups.filter((g) => typeof g === 'string') : []),
  };
};

/**
 * On AWS the viewer is who signed in: their team (pool group) and, on a team, themselves as its agent
 * (the API knows them by their `sub`). Nobody picks another identity there.
 */
const followSignedIn = (user: SignedInUser) => {
  if (user.role.kind === 'team') {
    sessionStorage.setItem(TEAM_KEY, user.role.team);
    sessionStorage.setItem(AGENT_KEY, user.sub);
  } else {
    sessionStorage.removeItem(TEAM_KEY);
    sessionStorage.removeItem(AGENT_KEY);
  }
};

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** Asks the pool's token endpoint (authorization code with PKCE, or a refresh) and keeps the answer for this tab. */
const tokenRequest = async (
  auth: ConsoleConfig['auth'],
  grant: Record<string, string>,
  refresh?: { readonly token: string; readonly user: SignedInUser },
): Promise<Tokens | undefined> => {
  const res = await fetch(`${auth.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: auth.clientId, ...grant }),
  });
  if (!res.ok) return undefined;
  const body = (await res.json()) as {
    access_token: string;
    id_token?: string;
    refresh_token?: string;
    expires_in: number;
  };
  const refreshToken = body.refresh_token ?? refresh?.token;
  const tokens: Tokens = {
    access: body.access_token,
    ...(refreshToken ? { refresh: refreshToken } : {}),
    // Renewed a minute early, so a request never leaves with a token about to expire.
    expiresAt: Date.now() + (body.expires_in - 60) * 1000,
    user: userOf(body.access_token, body.id_token, refresh?.user),
  };
  sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
  followSignedIn(tokens.user);
  return tokens;
};

/**
 * Signs in through the Cognito hosted UI: a valid token of this tab, else a refresh, else the code the
 * hosted UI just returned with, else off to the hosted UI (authorization code + PKCE, no client secret).
 * The hosted UI returns to the console's root: the page that was asked for goes in the PKCE record and is
 * put back in the address bar before the app draws it.
 */
const hostedSignIn = async (auth: ConsoleConfig['auth']): Promise<Tokens> => {
  const stored = JSON.parse(sessionStorage.getItem(TOKENS_KEY) ?? 'null') as Tokens | null;
  if (stored && stored.expiresAt > Date.now()) return stored;
  if (stored?.refresh) {
    const tokens = await tokenRequest(
      auth,
      { grant_type: 'refresh_token', refresh_token: stored.refresh },
      { token: stored.refresh, user: stored.user },
    );
    if (tokens) return tokens;
  }
  sessionStorage.removeItem(TOKENS_KEY);
  const params = new URLSearchParams(location.search);
  const pkce = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as {
    verifier: string;
    state: string;
    hash?: string;
  } | null;
  sessionStorage.removeItem(PKCE_KEY);
  const code = params.get('code');
  if (code && pkce && params.get('state') === pkce.state) {
    history.replaceState(null, '', `${location.pathname}${pkce.hash || location.hash}`);
    const tokens = await tokenRequest(auth, {
      grant_type: 'authorization_code',
      code,
      code_verifier: pkce.verifier,
      redirect_uri: auth.redirectUri,
    });
    if (tokens) return tokens;
  }
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, hash: location.hash }));
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  location.assign(
    `${auth.domain}/oauth2/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: auth.clientId,
      redirect_uri: auth.redirectUri,
      scope: 'openid email',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })}`,
  );
  return new Promise<Tokens>(() => {}); // the page is leaving for the hosted UI
};

/** One sign-in at a time: the pages' first calls share it (a code from the hosted UI is good once). */
let signingIn: Promise<NonNullable<typeof token>> | undefined;
const currentToken = async (): Promise<string> => {
  if (token && token.expiresAt > Date.now()) return token.value;
  signingIn ??= signIn().finally(() => {
    signingIn = undefined;
  });
  token = await signingIn;
  return token.value;
};

const signIn = async (): Promise<NonNullable<typeof token>> => {
  const aws = await loadConfig();
  if (aws) {
    const tokens = await hostedSignIn(aws.auth);
    return { value: tokens.access, expiresAt: tokens.expiresAt };
  }
  const query = new URLSearchParams({
    role: 'ops',
    ...(viewer.team ? { team: viewer.team } : {}),
    ...(viewer.team && viewer.agent ? { agent: viewer.agent } : {}),
  });
  const res = await fetch(`/dev/token?${query}`);
  if (!res.ok) throw new ApiError(res.status, 'could not sign in to the local runtime');
  const body = (await res.json()) as { token: string };
  return { value: body.token, expiresAt: Number.POSITIVE_INFINITY };
};

/**
 * Signs in before the app draws anything: on AWS that is the hosted UI's round trip, which puts the page
 * that was asked for back in the address bar. Resolves with who signed in there; undefined locally (dev
 * tokens, the viewer picked in the page).
 */
export const signedIn = async (): Promise<SignedInUser | undefined> => {
  await currentToken();
  if (!(await loadConfig())) return undefined;
  return (JSON.parse(sessionStorage.getItem(TOKENS_KEY) ?? 'null') as Tokens | null)?.user;
};

const errorOf = async (res: Response) => {
  const body = (await res.json().catch(() => ({}))) as {
    error?: { message?: string; issues?: { path: string; reason: string }[] };
    message?: string;
  };
  return new ApiError(res.status, body.error?.message ?? body.message ?? res.statusText, body.error?.issues);
};

/** GET from the ops API with the viewer's bearer token (signing in again once if it has expired). */
export const get = <T>(path: string): Promise<T> => call<T>('GET', path);

/** POST a JSON body to the ops API; a refusal comes back as an ApiError with the API's field paths. */
export const post = <T>(path: string, body?: unknown): Promise<T> => call<T>('POST', path, body);

/** PUT a JSON body to the ops API. */
export const put = <T>(path: string, body: unknown): Promise<T> => call<T>('PUT', path, body);

const call = async <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> => {
  for (let attempt = 0; ; attempt++) {
    const bearer = await currentToken();
    const apiUrl = (await loadConfig())?.apiUrl.replace(/\/$/, '') ?? '';
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 401 && attempt === 0) {
      // On AWS: the kept token is refused, so refresh it (or sign in again) rather than reuse it. Only
      // if it is still the one kept: calls that left together with it are refused together, and the
      // first refusal's refresh must not be thrown away by the next one's.
      if (token?.value === bearer) token = undefined;
      const kept = JSON.parse(sessionStorage.getItem(TOKENS_KEY) ?? 'null') as Tokens | null;
      if (kept?.access === bearer)
        sessionStorage.setItem(TOKENS_KEY, JSON.stringify({ ...kept, expiresAt: 0 }));
      continue;
    }
    if (!res.ok) throw await errorOf(res);
    // 204: nothing to say (no case in the queue for this agent).
    return (res.status === 204 ? undefined : await res.json()) as T;
  }
};

/** A local-only route that needs no token (the outbox). */
export const getLocal = async <T>(path: string): Promise<T> => {
  const res = await fetch(path);
  if (!res.ok) throw await errorOf(res);
  return (await res.json()) as T;
};
