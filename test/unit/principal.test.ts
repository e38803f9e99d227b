import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../functions/commons/http/api-handler.ts';
import { principalOf } from '../../functions/commons/http/principal.ts';

const withClaims = (claims: Record<string, unknown>): ApiEvent =>
  ({ requestContext: { authorizer: { jwt: { claims, scopes: [] } } } }) as unknown as ApiEvent;

const statusOf = (act: () => unknown): number | undefined => {
  try {
    act();
    return undefined;
  } catch (error) {
    return (error as { status?: number }).status;
  }
};

describe('who is calling: claims from the dev issuer or a portal IdP', () => {
  it('reads role, team and tier claims as before', () => {
    expect(principalOf(withClaims({ sub: 'u-1', role: 'ops', team: 'disputes' }))).toEqual({
      kind: 'ops',
      userId: 'u-1',
      team: 'disputes',
    });
    expect(principalOf(withClaims({ sub: 's-1', role: 'seller', tier: 'top_rated' })).kind).toBe('seller');
  });

  it('lets a role claim win over any groups the token carries', () => {
    const principal = principalOf(
      withClaims({ sub: 's-1', role: 'seller', 'cognito:groups': '[supervisors]' }),
    );

    expect(principal.kind).toBe('seller');
  });
});

describe('who is calling: the console user pool groups (cognito:groups)', () => {
  it('makes a supervisor ops without a team, as API Gateway flattens the claim', () => {
    const principal = principalOf(withClaims({ sub: 'abc-123', 'cognito:groups': '[supervisors]' }));

    expect(principal).toEqual({ kind: 'ops', userId: 'abc-123', team: undefined });
  });

  it('makes a team-<team> member ops on that team, from the flattened string or an array', () => {
    expect(principalOf(withClaims({ sub: 'a', 'cognito:groups': '[team-finance]' }))).toEqual({
      kind: 'ops',
      userId: 'a',
      team: 'finance',
    });
    expect(principalOf(withClaims({ sub: 'a', 'cognito:groups': ['team-trust-and-safety'] }))).toEqual({
      kind: 'ops',
      userId: 'a',
      team: 'trust-and-safety',
    });
  });

  it('lets supervisors win over a team group', () => {
    const principal = principalOf(withClaims({ sub: 'a', 'cognito:groups': '[team-finance supervisors]' }));

    expect(principal).toEqual({ kind: 'ops', userId: 'a', team: undefined });
  });

  it('refuses a user in two team groups, or in no SellerWorks group', () => {
    expect(
      statusOf(() => principalOf(withClaims({ sub: 'a', 'cognito:groups': '[team-finance team-support]' }))),
    ).toBe(403);
    expect(statusOf(() => principalOf(withClaims({ sub: 'a', 'cognito:groups': '[admins]' })))).toBe(403);
    expect(statusOf(() => principalOf(withClaims({ sub: 'a' })))).toBe(403);
  });

  it('still wants a subject', () => {
    expect(statusOf(() => principalOf(withClaims({ 'cognito:groups': '[supervisors]' })))).toBe(401);
  });
});
