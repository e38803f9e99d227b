import type { IncomingMessage } from 'node:http';
import { SELLER_TIERS } from '../../functions/policy/family-policy.ts';
import type { Outbox } from './aws/index.ts';
import type { DevIssuer } from './dev-issuer.ts';
import type { LocalRoute } from './http-adapter.ts';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

const bad = (message: string, path: string) => ({
  status: 400,
  body: { error: { status: 400, code: 'bad_request', message, issues: [{ path, reason: message }] } },
});

/**
 * Local-only routes: dev tokens from the runtime's own issuer, the outbox, the issuer's JWKS, health.
 * None of these exists on AWS.
 */
export const localRoutes =
  (deps: { issuer: DevIssuer; outbox: Outbox; describe: () => unknown }): LocalRoute =>
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
