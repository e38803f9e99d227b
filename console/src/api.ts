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

let token: string | undefined;

const signIn = async (): Promise<string> => {
  const query = new URLSearchParams({
    role: 'ops',
    ...(viewer.team ? { team: viewer.team } : {}),
    ...(viewer.team && viewer.agent ? { agent: viewer.agent } : {}),
  });
  const res = await fetch(`/dev/token?${query}`);
  if (!res.ok) throw new ApiError(res.status, 'could not sign in to the local runtime');
  const body = (await res.json()) as { token: string };
  return body.token;
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
    token ??= await signIn();
    const res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 401 && attempt === 0) {
      token = undefined;
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
