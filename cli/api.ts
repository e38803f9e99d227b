import { type HttpResult, SellerWorksClient } from '../scripts/lib/sellerworks-client.ts';

/**
 * Exit statuses scripts can rely on. 2 is commander's usage error (sellerworks.ts maps it), the others are
 * set here from what the API answered.
 */
export const EXIT = { ok: 0, refused: 1, usage: 2, unavailable: 3 } as const;

export const EXIT_HELP = `
Exit status:
  0  done
  1  the API refused the request (4xx but 401): its message and each issue "path: reason" on stderr
  2  usage error (unknown command or option, missing argument)
  3  the API cannot be reached, failed (5xx), or refused the sign-in (401, no token for a remote API)`;

/** A failure the command reports on stderr and ends with, by its exit status. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
    /** Extra lines after the message: the API's issues as `path: reason`. */
    readonly details: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How a command reaches the API: options every `cases` command takes. */
export interface ConnectionOptions {
  readonly apiUrl: string;
  readonly asTeam?: string;
  readonly asAgent?: string;
}

export const DEFAULT_API_URL = 'http://localhost:3000';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

interface ApiErrorBody {
  error?: { status?: number; code?: string; message?: string; issues?: { path?: string; reason?: string }[] };
  message?: string;
}

/**
 * A signed-in connection to the ops API over SellerWorksClient. The token is `SELLERWORKS_TOKEN` when set
 * (any target); otherwise, and only for an API on this machine, one from the local runtime's dev issuer —
 * which does not exist on AWS, so a remote API without a token is an error, not a guess.
 */
export class OpsApi {
  private token: string | undefined;
  readonly client: SellerWorksClient;

  constructor(
    readonly options: ConnectionOptions,
    private readonly envToken = process.env.SELLERWORKS_TOKEN,
  ) {
    // The CLI never sends mail: the client's SMTP port is unused.
    this.client = new SellerWorksClient(options.apiUrl.replace(/\/+$/, ''), 0);
  }

  /** Sends one request and answers its body when the API accepted it; throws CliError otherwise. */
  async call<T = Record<string, unknown>>(
    what: (client: SellerWorksClient, token: string) => Promise<HttpResult<T>>,
  ): Promise<T> {
    const token = await this.signIn();
    return accepted(await this.reach(() => what(this.client, token)));
  }

  private async signIn(): Promise<string> {
    if (this.token) return this.token;
    if (this.envToken) {
      this.token = this.envToken;
      return this.token;
    }
    let host: string;
    try {
      host = new URL(this.options.apiUrl).hostname;
    } catch (cause) {
      throw new CliError(`--api-url ${this.options.apiUrl} is not a URL`, EXIT.usage, [], { cause });
    }
    if (!LOCAL_HOSTS.has(host)) {
      throw new CliError(
        `no token for ${this.options.apiUrl}: set SELLERWORKS_TOKEN (the dev issuer exists only locally)`,
        EXIT.unavailable,
      );
    }
    const query = new URLSearchParams({ role: 'ops' });
    if (this.options.asTeam) query.set('team', this.options.asTeam);
    if (this.options.asAgent) query.set('agent', this.options.asAgent);
    const answer = await this.reach(() =>
      this.client.request<{ token?: string } & ApiErrorBody>('GET', `/dev/token?${query}`),
    );
    if (answer.status !== 200 || !answer.body.token) {
      const refused = refusal(answer);
      throw new CliError(`sign-in through the dev issuer failed: ${refused.message}`, EXIT.unavailable, [
        ...refused.details,
      ]);
    }
    this.token = answer.body.token;
    return this.token;
  }

  /** Runs a request; a network failure or an answer that is not JSON means the API is not there. */
  private async reach<T>(send: () => Promise<HttpResult<T>>): Promise<HttpResult<T>> {
    try {
      return await send();
    } catch (cause) {
      const reason =
        cause instanceof SyntaxError ? 'it answered something that is not JSON' : networkReason(cause);
      throw new CliError(
        `cannot reach the SellerWorks API at ${this.options.apiUrl}: ${reason}`,
        EXIT.unavailable,
        [],
        {
          cause,
        },
      );
    }
  }
}

/** fetch's "fetch failed" names no reason; its cause (or, trying each address, their first) does. */
const networkReason = (error: unknown): string => {
  const cause = (error as { cause?: { code?: string; message?: string; errors?: { code?: string }[] } })
    .cause;
  return (
    cause?.code ??
    cause?.errors?.[0]?.code ??
    cause?.message ??
    (error instanceof Error ? error.message : String(error))
  );
};

const refusal = (answer: HttpResult<unknown>) => {
  const body = (answer.body ?? {}) as ApiErrorBody;
  const message = body.error?.message ?? body.message ?? `HTTP ${answer.status}`;
  const details = (body.error?.issues ?? []).map((i) => `${i.path ?? ''}: ${i.reason ?? ''}`);
  return { message, details };
};

/** The body of a 2xx (204 answers `{}`); a 4xx is a refusal (exit 1), 401 and 5xx exit 3. */
const accepted = <T>(answer: HttpResult<T>): T => {
  if (answer.status >= 200 && answer.status < 300) return answer.body;
  const { message, details } = refusal(answer);
  if (answer.status === 401)
    throw new CliError(`the API refused the sign-in (401): ${message}`, EXIT.unavailable, details);
  if (answer.status >= 400 && answer.status < 500)
    throw new CliError(`${message} (${answer.status})`, EXIT.refused, details);
  throw new CliError(`the API failed (${answer.status}): ${message}`, EXIT.unavailable, details);
};
