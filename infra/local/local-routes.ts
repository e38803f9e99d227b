import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { OPENAPI_PATH, OPENAPI_ROUTE } from '../../functions/api/openapi-location.ts';
import { SELLER_TIERS } from '../../functions/policy/family-policy.ts';
import { type FaultInjector, faultRuleInput, type Outbox, type ScheduleRecord } from './aws/index.ts';
import type { CpuProfiler } from './cpu-profiler.ts';
import type { DevIssuer } from './dev-issuer.ts';
import type { LocalResponse, LocalRoute } from './http-adapter.ts';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The committed OpenAPI document, byte for byte (`npm run check` keeps it in step with the schemas). */
const openApiFile = new URL(`../../${OPENAPI_PATH}`, import.meta.url);

const bad = (message: string, path: string) => ({
  status: 400,
  body: { error: { status: 400, code: 'bad_request', message, issues: [{ path, reason: message }] } },
});

/** A timer (an EventBridge schedule of an SLA clock) that ran out of attempts, as the console lists it. */
const failedTimer = (record: ScheduleRecord) => {
  let input: { caseId?: unknown; timerId?: unknown; alarm?: unknown } = {};
  try {
    input = JSON.parse(record.target.Input ?? '{}') as typeof input;
  } catch {
    // A schedule created by hand may carry any text; it is still listed.
  }
  return {
    schedule: record.name,
    caseId: typeof input.caseId === 'string' ? input.caseId : null,
    // A case's alarm rings for all of its timers due then (functions/domain/alarm.ts).
    timer:
      typeof input.timerId === 'string'
        ? input.timerId
        : typeof input.alarm === 'string'
          ? 'the case alarm (its timers due then)'
          : null,
    dueAt: record.dueAt,
    attempts: record.invocation.attempts,
    failedAt: record.invocation.finishedAt,
    error: record.invocation.lastError,
  };
};

const MAX_FAULT_BODY_BYTES = 16 * 1024;

const readJson = async (
  req: IncomingMessage,
): Promise<{ value?: unknown; error?: string; tooLarge?: true }> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FAULT_BODY_BYTES)
      return { error: `the body is over ${MAX_FAULT_BODY_BYTES} bytes`, tooLarge: true };
    chunks.push(chunk);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { error: 'the body is not JSON' };
  }
};

/**
 * `/dev/faults`: `POST` arms a rule (`{ service, operation?, match?, count, kind? }`: the next `count` calls
 * fail), `GET` lists the rules with what each has failed, `DELETE` clears them all.
 */
const faultRoute = async (
  deps: { faults: FaultInjector; dynamoDbFaults: boolean },
  req: IncomingMessage,
): Promise<LocalResponse> => {
  if (req.method === 'GET') return { status: 200, body: deps.faults.list() };
  if (req.method === 'DELETE') {
    const cleared = deps.faults.list().length;
    deps.faults.clear();
    return { status: 200, body: { cleared } };
  }
  if (req.method !== 'POST') {
    return {
      status: 405,
      headers: { allow: 'GET, POST, DELETE' },
      body: {
        error: { status: 405, code: 'method_not_allowed', message: 'use GET, POST or DELETE', issues: [] },
      },
    };
  }
  const { value, error, tooLarge } = await readJson(req);
  if (tooLarge) {
    return {
      status: 413,
      body: {
        error: {
          status: 413,
          code: 'payload_too_large',
          message: error,
          issues: [{ path: 'body', reason: error }],
        },
      },
    };
  }
  if (error) return bad(error, 'body');
  const parsed = faultRuleInput.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return bad(issue?.message ?? 'invalid fault rule', ['body', ...(issue?.path ?? [])].join('.'));
  }
  if (parsed.data.service === 'dynamodb' && !deps.dynamoDbFaults) {
    return {
      status: 409,
      body: {
        error: {
          status: 409,
          code: 'dynamodb_faults_off',
          message:
            'DynamoDB calls go straight to DynamoDB Local; start with FAULT_INJECTION=1 to inject faults into them',
          issues: [{ path: 'body.service', reason: 'needs FAULT_INJECTION=1' }],
        },
      },
    };
  }
  return { status: 201, body: deps.faults.arm(parsed.data) };
};

/** What `POST /dev/seed` answers: the cases it added, numbered from `first`, and how long that took. */
export interface SeedOutcome {
  readonly seeded: number;
  readonly first: number;
  readonly seconds: number;
}

/** The most cases one `POST /dev/seed` adds (the console bench's largest store). */
const MAX_SEED = 100_000;

/**
 * Local-only routes: dev tokens from the runtime's own issuer, the outbox, timers that failed for good,
 * fault injection into the local AWS endpoint, synthetic cases in bulk (to try the console or the load at
 * scale),
 * the issuer's JWKS, health. None of these exists on AWS (there, failed invocations go to the scheduler's
 * dead-letter queue and its alarm).
 */
export const localRoutes =
  (deps: {
    issuer: DevIssuer;
    outbox: Outbox;
    failedSchedules: () => ScheduleRecord[];
    describe: () => unknown;
    faults: FaultInjector;
    /** Whether DynamoDB calls pass through the endpoint that injects faults (FAULT_INJECTION=1). */
    dynamoDbFaults: boolean;
    /** Resolves once the table's stream has been read up to now (the scoreboard folded what was written). */
    streamCaughtUp?: () => Promise<void>;
    /** The runtime's CPU profiler (`/dev/profile/start` and `/stop`). */
    profiler?: CpuProfiler;
    /** Bulk-loads `count` synthetic cases (`POST /dev/seed?cases=N`). */
    seed?: (count: number) => Promise<SeedOutcome>;
  }): LocalRoute =>
  async (url: URL, req: IncomingMessage) => {
    if (url.pathname === '/dev/faults') return faultRoute(deps, req);
    if (req.method === 'POST' && deps.seed && url.pathname === '/dev/seed') {
      const asked = url.searchParams.get('cases') ?? '';
      if (!/^[1-9][0-9]{0,5}$/.test(asked) || Number(asked) > MAX_SEED)
        return bad(`cases must be a whole number from 1 to ${MAX_SEED.toLocaleString('en')}`, 'query.cases');
      return { status: 201, body: await deps.seed(Number(asked)) };
    }
    if (req.method === 'POST' && deps.profiler && url.pathname === '/dev/profile/start')
      return { status: 200, body: await deps.profiler.start() };
    if (req.method === 'POST' && deps.profiler && url.pathname === '/dev/profile/stop') {
      const summary = await deps.profiler.stop();
      return summary
        ? { status: 200, body: summary }
        : bad('no profile is running; POST /dev/profile/start first', 'path');
    }
    if (req.method !== 'GET') return undefined;
    switch (url.pathname) {
      case '/':
      case '/health':
        return { status: 200, body: deps.describe() };
      case '/dev/jwks.json':
        return { status: 200, body: deps.issuer.jwks };
      case OPENAPI_ROUTE.path:
        // The API's OpenAPI document, public (a portal team reads the contract before it has a token). Not
        // yet served on AWS: that needs a route without the authorizer in infra/aws/constructs/intake-api.ts.
        return {
          status: 200,
          contentType: 'application/json; charset=utf-8',
          body: await readFile(openApiFile),
        };
      case '/dev/outbox': {
        const caseId = url.searchParams.get('caseId');
        return { status: 200, body: deps.outbox.list(caseId ? { caseId } : {}) };
      }
      case '/dev/timers/failed':
        return { status: 200, body: deps.failedSchedules().map(failedTimer) };
      case '/dev/stream/caught-up': {
        // For drivers (the load bench) that must not measure against a backlog of stream records.
        if (!deps.streamCaughtUp) return undefined;
        const started = Date.now();
        await deps.streamCaughtUp();
        return { status: 200, body: { caughtUp: true, waitedMs: Date.now() - started } };
      }
      case '/dev/token': {
        const seller = url.searchParams.get('seller');
        const role = url.searchParams.get('role');
        if (seller !== null) {
          if (!ID.test(seller)) return bad('seller must be 1-64 letters, digits, _ or -', 'query.seller');
          const tier = url.searchParams.get('tier') ?? 'standard';
          if (!(SELLER_TIERS as readonly string[]).includes(tier)) {
            return bad(`tier must be one of ${SELLER_TIERS.join(', ')}`, 'query.tier');
          }
          return { status: 200, body: { token: await deps.issuer.sign({ role: 'seller', tier }, seller) } };
        }
        if (role === 'ops') {
          const team = url.searchParams.get('team');
          if (team !== null && !ID.test(team))
            return bad('team must be 1-64 letters, digits, _ or -', 'query.team');
          // `agent` signs in as that agent of the team (the same as `user`, the staff id).
          const user =
            url.searchParams.get('agent') ??
            url.searchParams.get('user') ??
            (team ? `${team}-agent` : 'ops-supervisor');
          if (!ID.test(user)) return bad('user must be 1-64 letters, digits, _ or -', 'query.user');
          return {
            status: 200,
            body: { token: await deps.issuer.sign({ role: 'ops', ...(team ? { team } : {}) }, user) },
          };
        }
        return bad('ask for ?seller=ID[&tier=TIER] or ?role=ops[&team=NAME[&agent=ID]]', 'query');
      }
      default:
        return undefined;
    }
  };
