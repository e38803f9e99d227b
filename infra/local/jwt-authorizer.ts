import { createRemoteJWKSet, jwtVerify } from 'jose';

/** A JWT issuer an API trusts, as an API Gateway HTTP API's JWT authorizer is configured. */
export interface TrustedIssuer {
  /** The `iss` its tokens carry (a Cognito pool's: `https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
  readonly issuer: string;
  /** Where its signing keys are (a Cognito pool's: `<issuer>/.well-known/jwks.json`). */
  readonly jwksUrl: string;
  /** Accepted `aud`, or `client_id` when the token has no `aud` (a Cognito access token). */
  readonly audience: readonly string[];
}

/**
 * Verifies a bearer token the way API Gateway's JWT authorizer does: an RSA signature by a key of the
 * issuer's JWKS (fetched and cached), the issuer, `exp`/`nbf`, and `aud` — or `client_id` when the token
 * has no `aud` — among the audience. Returns the claims, or undefined for any token it refuses.
 */
export const jwtAuthorizer = (trusted: TrustedIssuer) => {
  const keys = createRemoteJWKSet(new URL(trusted.jwksUrl));
  return async (token: string): Promise<Record<string, unknown> | undefined> => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: trusted.issuer,
        algorithms: ['RS256', 'RS384', 'RS512'],
      });
      const audience = payload.aud ?? payload.client_id;
      const named = Array.isArray(audience) ? audience : [audience];
      if (!named.some((a) => typeof a === 'string' && trusted.audience.includes(a))) return undefined;
      return payload as Record<string, unknown>;
    } catch {
      return undefined;
    }
  };
};
