import { SELLER_TIERS, type SellerTier } from '#policy/family-policy.ts';
import { forbidden, unauthorized } from '../errors.ts';
import type { ApiEvent } from './api-handler.ts';

/**
 * Who is calling, from the claims the JWT authorizer verified. Claims: `sub` (the seller or staff id),
 * `role` (`seller` | `ops`), `team` (ops only), `tier` (sellers: the marketplace's seller tier).
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
  throw forbidden('the token carries no SellerWorks role');
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
