import type { IncomingMessage } from 'node:http';
import { SELLER_TIERS } from '../../functions/policy/family-policy.ts';
import type { Outbox, ScheduleRecord } from './aws/index.ts';
import type { DevIssuer } from './dev-issuer.ts';
import type { LocalRoute } from './http-adapter.ts';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

const bad = (message: string, path: string) => ({
  status: 400,
  body: { error: { status: 400, code: 'bad_request', message, issues: [{ path, reason: message }] } },
});

/** A timer (an EventBridge schedule of an SLA clock) that ran out of attempts, as the console lists it. */
const failedTimer = (record: ScheduleRecord) => {
  let input: { caseId?: unknown; timerId?: unknown } = {};
  try {
    input = JSON.parse(record.target.Input ?? '{}') as typeof input;
  } catch {
    // A schedule created by hand may carry any text; it is still listed.
  }
  return {
    schedule: record.name,
    caseId: typeof input.caseId === 'string' ? input.caseId : null,
    timer: typeof input.timerId === 'string' ? input.timerId : null,
    dueAt: record.dueAt,
    attempts: record.invocation.attempts,
    failedAt: record.invocation.finishedAt,
    error: record.invocation.lastError,
  };
};

/**
 * Local-only routes: dev tokens from the runtime's own issuer, the outbox, timers that failed for good,
 * the issuer's JWKS, health. None of these exists on AWS (there, failed invocations go to the scheduler's
 * dead-letter queue and its alarm).
 */
export const localRoutes =
  (deps: {
    issuer: DevIssuer;
    outbox: Outbox;
    failedSchedules: () => ScheduleRecord[];
    describe: () => unknown;
  }): LocalRoute =>
  async (url: URL, req: IncomingMessage) => {
    if (req.method !== 'GET') return undefined;
    switch (url.pathname) {
      case '/':
      case '/health':
        return { status: 200, body: deps.describe() };
      case '/dev/jwks.json':
        return { status: 200, body: deps.issuer.jwks };
      case '/dev/outbox': {
        const caseId = url.searchParams.get('caseId');
        return { status: 200, body: deps.outbox.list(caseId ? { caseId } : {}) };
      }
      case '/dev/timers/failed':
        return { status: 200, body: deps.failedSchedules().map(failedTimer) };
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
          const user = url.searchParams.get('user') ?? (team ? `${team}-agent` : 'ops-supervisor');
          if (!ID.test(user)) return bad('user must be 1-64 letters, digits, _ or -', 'query.user');
          return {
            status: 200,
            body: { token: await deps.issuer.sign({ role: 'ops', ...(team ? { team } : {}) }, user) },
          };
        }
        return bad('ask for ?seller=ID[&tier=TIER] or ?role=ops[&team=NAME]', 'query');
      }
      default:
        return undefined;
    }
  };
