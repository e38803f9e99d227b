import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createTransport } from 'nodemailer';

/** The fixtures' attached image: its part headers and base64 body, up to the closing boundary. */
const IMAGE_PART = /Content-Type: image\/png;[\s\S]*?\r\n\r\n[A-Za-z0-9+/=\r\n]+?(?=\r\n--)/;

/** An attached JPEG of `bytes` bytes, incompressible as a photo is, base64 in 76-character CRLF lines. */
const photoPart = (bytes: number) => {
  const body = Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    randomBytes(Math.max(0, bytes - 6)),
    Buffer.from([0xff, 0xd9]),
  ]);
  const lines = body.toString('base64').match(/.{1,76}/g) ?? [];
  return [
    'Content-Type: image/jpeg; name="packing-photo.jpg"',
    'Content-Disposition: attachment; filename="packing-photo.jpg"',
    'Content-Transfer-Encoding: base64',
    '',
    ...lines,
  ].join('\r\n');
};

/** How a driver looks at a case: the ops API by default; the benchmark reads the table directly. */
export type CaseLook = (caseId: string) => Promise<Record<string, unknown> & { status: string }>;

/** What `GET /dev/outbox` answers. */
export interface OutboxMessage {
  readonly channel: 'email' | 'sns' | 'eventbridge';
  readonly to: string;
  readonly from: string;
  readonly replyTo: string | null;
  readonly subject: string;
  readonly text: string;
  readonly caseId: string | null;
  readonly sentAt: string;
  /** Extra headers: `X-SellerWorks-Template` (id@version), and `In-Reply-To`/`References` in a thread. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A domain event's detail type and detail (channel `eventbridge`). */
  readonly detailType?: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface HttpResult<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Tries of one message that the listener refuses for now (4xx), a second or so apart. */
const SMTP_ATTEMPTS = 5;

/**
 * A small client for a running local SellerWorks: the calls a seller portal, an ops tool and a seller's
 * mail client make. Used by the demo, the end-to-end tests and the benchmark.
 */
export class SellerWorksClient {
  constructor(
    readonly apiUrl: string,
    readonly smtpPort: number,
  ) {}

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: {
      token?: string;
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
      /**
       * How many times to send the request again when the API answers 409 with `Retry-After` (another write
       * to the case, often the workflow's own, landed first), waiting as it says. A 409 without it is a rule.
       */
      retryConflicts?: number;
    } = {},
  ): Promise<HttpResult<T>> {
    for (let attempt = 0; ; attempt += 1) {
      const result = await this.send<T>(method, path, options);
      if (result.status !== 409 || !result.retryAfter || attempt >= (options.retryConflicts ?? 0))
        return { status: result.status, body: result.body };
      await new Promise((resolve) => setTimeout(resolve, result.retryAfter * 1000));
    }
  }

  private async send<T>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<HttpResult<T> & { retryAfter: number }> {
    const response = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined || options.rawBody !== undefined
          ? { 'content-type': 'application/json' }
          : {}),
        ...options.headers,
      },
      ...(options.rawBody !== undefined
        ? { body: options.rawBody }
        : options.body !== undefined
          ? { body: JSON.stringify(options.body) }
          : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : {}) as T,
      retryAfter: Number(response.headers.get('retry-after') ?? 0),
    };
  }

  async sellerToken(sellerId: string, tier = 'standard'): Promise<string> {
    const { body } = await this.request<{ token: string }>(
      'GET',
      `/dev/token?seller=${encodeURIComponent(sellerId)}&tier=${encodeURIComponent(tier)}`,
    );
    return body.token;
  }

  async opsToken(team?: string): Promise<string> {
    const { body } = await this.request<{ token: string }>(
      'GET',
      `/dev/token?role=ops${team ? `&team=${team}` : ''}`,
    );
    return body.token;
  }

  /** Signs in as an agent of a team (an ops token whose subject is the agent id). */
  async agentToken(team: string, agentId: string): Promise<string> {
    const { body } = await this.request<{ token: string }>(
      'GET',
      `/dev/token?role=ops&team=${team}&agent=${agentId}`,
    );
    return body.token;
  }

  /** A supervisor creates or changes an agent. */
  putAgent(
    supervisorToken: string,
    agentId: string,
    spec: {
      team: string;
      name: string;
      skills: {
        families?: readonly string[];
        reasons?: readonly string[];
        regions?: readonly string[];
        languages?: readonly string[];
      };
      capacity: number;
      status: 'available' | 'away';
    },
  ) {
    return this.request<Record<string, unknown>>('PUT', `/ops/agents/${agentId}`, {
      token: supervisorToken,
      body: spec,
    });
  }

  setAgentStatus(token: string, agentId: string, status: 'available' | 'away') {
    return this.request<Record<string, unknown>>('PUT', `/ops/agents/${agentId}/status`, {
      token,
      body: { status },
    });
  }

  takeNext(agentToken: string) {
    return this.request<{ caseId?: string; assignee?: Record<string, unknown> }>('POST', '/ops/queue/next', {
      token: agentToken,
    });
  }

  reply(token: string, caseId: string, body: { snippet: string; text?: string; evidence?: string[] }) {
    return this.request<Record<string, unknown>>('POST', `/ops/cases/${caseId}/replies`, { token, body });
  }

  addNote(token: string, caseId: string, text: string) {
    return this.request<Record<string, unknown>>('POST', `/ops/cases/${caseId}/notes`, {
      token,
      body: { text },
      retryConflicts: 5,
    });
  }

  openCase(token: string, intake: unknown, idempotencyKey: string = randomUUID()) {
    return this.request<{ caseId: string; status: string }>('POST', '/cases', {
      token,
      body: intake,
      headers: { 'idempotency-key': idempotencyKey },
    });
  }

  getCase(token: string, caseId: string) {
    return this.request<Record<string, unknown> & { status: string; timeline: { type: string }[] }>(
      'GET',
      `/cases/${caseId}`,
      {
        token,
      },
    );
  }

  getOpsCase(token: string, caseId: string) {
    return this.request<Record<string, unknown> & { status: string }>('GET', `/ops/cases/${caseId}`, {
      token,
    });
  }

  decide(token: string, caseId: string, outcome: string, rationale: string) {
    return this.request('POST', `/ops/cases/${caseId}/decision`, {
      token,
      body: { outcome, rationale },
      retryConflicts: 5,
    });
  }

  respondToMediation(token: string, caseId: string, accept: boolean) {
    return this.request('POST', `/cases/${caseId}/mediation`, { token, body: { accept } });
  }

  addEvidence(token: string, caseId: string, kinds: string[], text: string) {
    return this.request<{ resumed?: boolean; error?: { issues: { path: string }[] } }>(
      'POST',
      `/cases/${caseId}/evidence`,
      {
        token,
        body: { kinds, text },
      },
    );
  }

  appeal(token: string, caseId: string, statement: string) {
    return this.request('POST', `/cases/${caseId}/appeal`, { token, body: { statement }, retryConflicts: 5 });
  }

  reopen(token: string, caseId: string, reason: string) {
    // As a portal would: a 409 with Retry-After is a concurrent write to the case (the workflow finishing its
    // resolution), and the same request is safe to send again.
    return this.request('POST', `/cases/${caseId}/reopen`, { token, body: { reason }, retryConflicts: 5 });
  }

  transfer(token: string, caseId: string, body: { team: string; reason: string; returnReason?: string }) {
    return this.request('POST', `/ops/cases/${caseId}/transfer`, { token, body, retryConflicts: 5 });
  }

  /** A supervisor gives a case waiting for its team to one of the team's available agents. */
  assign(token: string, caseId: string, body: { agentId: string; reason?: string }) {
    return this.request('POST', `/ops/cases/${caseId}/assign`, { token, body, retryConflicts: 5 });
  }

  /** One page of `GET /ops/cases`: each filter as the API names it (family, status, team, sla, cursor, …). */
  listCases(token: string, query: Readonly<Record<string, string>> = {}) {
    const search = new URLSearchParams(query).toString();
    return this.request('GET', `/ops/cases${search ? `?${search}` : ''}`, { token });
  }

  families(token: string) {
    return this.request<{ families: { id: string; name: string; intakeSchema: Record<string, unknown> }[] }>(
      'GET',
      '/families',
      {
        token,
      },
    );
  }

  async outbox(caseId: string): Promise<OutboxMessage[]> {
    return (await this.request<OutboxMessage[]>('GET', `/dev/outbox?caseId=${caseId}`)).body;
  }

  /**
   * Waits until the outbox holds a message of the case that `check` accepts. Messages leave after the
   * commit that implies them (the outbox), so a case may show its new state a moment before its email.
   */
  waitForMessage(
    caseId: string,
    what: string,
    check: (message: OutboxMessage, all: OutboxMessage[]) => boolean,
    timeoutMs?: number,
  ): Promise<OutboxMessage> {
    return this.waitFor(
      `${caseId}: ${what}`,
      async () => {
        const all = await this.outbox(caseId);
        return all.find((m) => check(m, all));
      },
      timeoutMs,
    );
  }

  /** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
  async waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits until the ops view of the case satisfies `check`, and answers that view. */
  untilOpsCase<T = Record<string, unknown>>(
    token: string,
    caseId: string,
    what: string,
    check: (view: T) => boolean,
    timeoutMs?: number,
  ): Promise<T> {
    return this.waitFor(
      `${caseId}: ${what}`,
      async () => {
        const view = (await this.getOpsCase(token, caseId)).body as unknown as T;
        return check(view) ? view : undefined;
      },
      timeoutMs,
    );
  }

  async waitForStatus(token: string, caseId: string, status: string, timeoutMs?: number) {
    return this.waitFor(
      `case ${caseId} to reach ${status}`,
      async () => {
        const { body } = await this.getCase(token, caseId);
        return body.status === status ? body : undefined;
      },
      timeoutMs,
    );
  }

  /**
   * Plays the seller's and the buyer's part until a team holds the case: answers each evidence request by
   * email through SMTP (the sample replies, with a photo) and declines any settlement offer. Returns the
   * ops view of the handed-off case.
   */
  async answerUntilTeam(
    sellerToken: string,
    opsToken: string,
    caseId: string,
    contacts: { seller: string; buyer?: string | undefined },
    options: {
      timeoutMs?: number;
      look?: CaseLook;
      /** The seller's photo as a JPEG of this many bytes instead of the fixture's few-byte image. */
      photoBytes?: number;
    } = {},
  ): Promise<Record<string, unknown> & { status: string }> {
    const answered = new Set<string>();
    const look: CaseLook = options.look ?? (async () => (await this.getOpsCase(opsToken, caseId)).body);
    const timeoutMs = options.timeoutMs ?? 30_000;
    for (;;) {
      const view = await this.waitFor(
        `${caseId} to wait for someone`,
        async () => {
          const body = await look(caseId);
          const waiting = body.waiting as { step: string; from: string } | undefined;
          if (body.status === 'handed_off') return body;
          return waiting && !answered.has(`${waiting.step}:${waiting.from}`) ? body : undefined;
        },
        timeoutMs,
      );
      if (view.status === 'handed_off') return view;
      const waiting = view.waiting as { step: string; from: string };
      answered.add(`${waiting.step}:${waiting.from}`);
      if (waiting.step === 'mediation') {
        const declined = await this.respondToMediation(sellerToken, caseId, false);
        if (declined.status !== 202)
          throw new Error(`mediation answer refused: ${JSON.stringify(declined.body)}`);
      } else if (waiting.step === 'evidence') {
        const buyer = waiting.from === 'buyer';
        const to = buyer ? contacts.buyer : contacts.seller;
        if (!to) throw new Error(`no ${waiting.from} address to answer on ${caseId}`);
        // The wait is committed before its email leaves: the request may be a moment behind.
        const request = await this.waitForMessage(
          caseId,
          `the evidence request to ${waiting.from}`,
          (m, all) => m === all.findLast((x) => x.to === to && x.replyTo),
        );
        if (!request.replyTo) throw new Error(`no evidence request to ${waiting.from} on ${caseId}`);
        await this.sendReply(request.replyTo, {
          from: to,
          ...(buyer ? { fixture: 'events/email/buyer-reply.eml' } : {}),
          ...(!buyer && options.photoBytes ? { photoBytes: options.photoBytes } : {}),
        });
      }
    }
  }

  /**
   * Sends a seller's reply through the real SMTP listener: the fixture's recipient and Message-ID are
   * replaced by the case's reply address and a fresh id (unless `messageId` is given).
   */
  async sendReply(
    replyTo: string,
    options: { fixture?: string; from?: string; messageId?: string; photoBytes?: number } = {},
  ): Promise<{ messageId: string }> {
    const fixture = options.fixture ?? 'events/email/seller-reply.eml';
    const messageId = options.messageId ?? `<${randomUUID()}@mail.example.com>`;
    const raw = (await readFile(`${root}${fixture}`, 'utf8'))
      .replace(/reply\+[0-9a-f]{20}-[0-9a-f]{32}@[\w.-]+/g, replyTo)
      .replace(/^Message-ID: .*$/m, `Message-ID: ${messageId}`)
      .replace(/^From: .*$/m, (line) => (options.from ? `From: ${options.from}` : line))
      .replace(IMAGE_PART, (part) => (options.photoBytes ? photoPart(options.photoBytes) : part));
    const fromAddress = options.from ?? /^From: .*<([^>]+)>/m.exec(raw)?.[1] ?? 'seller@example.com';
    await this.sendRaw(raw, { from: fromAddress, to: replyTo });
    return { messageId };
  }

  /**
   * Sends a raw message through the real SMTP listener with this envelope (`from: ''` is `MAIL FROM:<>`).
   * A temporary refusal (4xx: the listener's 451 when handling the message failed, e.g. the case kept
   * changing under it) is sent again after a pause, as a sending mail server does; a 5xx is final.
   */
  async sendRaw(raw: string | Buffer, envelope: { from: string; to: string }): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const transport = createTransport({
        host: '127.0.0.1',
        port: this.smtpPort,
        secure: false,
        ignoreTLS: true,
      });
      try {
        await transport.sendMail({ envelope: { from: envelope.from, to: [envelope.to] }, raw });
        return;
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode ?? 0;
        if (code < 400 || code >= 500 || attempt >= SMTP_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      } finally {
        transport.close();
      }
    }
  }
}
