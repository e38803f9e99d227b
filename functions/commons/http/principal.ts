import { SELLER_TIERS, type SellerTier } from '#policy/family-policy.ts';
import { forbidden, unauthorized } from '../errors.ts';
import type { ApiEvent } from './api-handler.ts';
import { GROUPS_CLAIM, roleOfGroups } from './pool-groups.ts';

/**
 * Who is calling, from the claims the JWT authorizer verified. Claims: `sub` (the seller or staff id),
 * `role` (`seller` | `ops`), `team` (ops only), `tier` (sellers: the marketplace's seller tier).
 * Staff signed in through the stack's Cognito user pool carry no `role`: their pool groups say it
 * (`cognito:groups`, see {@link opsFromGroups}).
 */
export type Principal =
  | { readonly kind: 'seller'; readonly sellerId: string; readonly tier: SellerTier }
  | { readonly kind: 'ops'; readonly userId: string; readonly team: string | undefined };

export const principalOf = (event: ApiEvent): Principal => {
  const claims = event.requestContext.authorizer?.jwt?.claims ?? {};
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined;
  if (!sub) throw unauthorized();
  if (claims.role === 'ops') {
    return { kind: 'ops', userId: sub, team: typeof claims.team === 'string' ? claims.team : undefined };
  }
  if (claims.role === 'seller') {
    const tier = SELLER_TIERS.find((t) => t === claims.tier) ?? 'standard';
    return { kind: 'seller', sellerId: sub, tier };
  }
  if (claims.role === undefined && claims[GROUPS_CLAIM] !== undefined) {
    const ops = opsFromGroups(groupsOf(claims[GROUPS_CLAIM]));
    if (ops) return { kind: 'ops', userId: sub, team: ops.team };
  }
  throw forbidden('the token carries no SellerWorks role');
};

/**
 * API Gateway's JWT authorizer hands array claims to the function flattened into one string, `[a b]`;
 * a test (or another caller) may pass the array itself. Group names hold no spaces or brackets.
 */
const groupsOf = (claim: unknown): string[] => {
  if (Array.isArray(claim)) return claim.filter((g): g is string => typeof g === 'string');
  if (typeof claim !== 'string') return [];
  return claim
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
};

/**
 * Ops access from pool groups ({@link roleOfGroups}), or undefined if they grant none. A supervisor sees
 * everything whatever other groups they are in; a user on several teams is refused rather than given one
 * by chance.
 */
export const opsFromGroups = (groups: readonly string[]): { team: string | undefined } | undefined => {
  const role = roleOfGroups(groups);
  if (role.kind === 'several-teams') throw forbidden('the user is in more than one team group; keep one');
  if (role.kind === 'supervisor') return { team: undefined };
  return role.kind === 'team' ? { team: role.team } : undefined;
};

export const requireSeller = (event: ApiEvent) => {
  const principal = principalOf(event);
  if (principal.kind !== 'seller') throw forbidden('this route is for sellers');
  return principal;
};

export const requireOps = (event: ApiEvent) => {
  const principal = principalOf(event);
  if (principal.kind !== 'ops') throw forbidden('this route requires the ops role');
  return principal;
};
