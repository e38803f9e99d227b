import { readFile, writeFile } from 'node:fs/promises';
import { exportJWK, generateKeyPair, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';

/**
 * The local runtime's own token issuer, standing in for the identity provider that API Gateway's JWT
 * authorizer trusts on AWS. Its key pair is kept in the data folder so tokens survive a restart.
 * Local only: nothing here is deployed.
 */
export const DEV_ISSUER = 'https://dev-issuer.sellerworks.local';
export const DEV_AUDIENCE = 'sellerworks-api';
const ALG = 'ES256';

export interface DevIssuer {
  sign(claims: Record<string, string>, subject: string): Promise<string>;
  /** Verifies a bearer token the way the JWT authorizer does; returns its claims, or undefined. */
  verify(token: string): Promise<Record<string, unknown> | undefined>;
  readonly jwks: { keys: JWK[] };
}

export const createDevIssuer = async (keyFile?: string): Promise<DevIssuer> => {
  let privateJwk: JWK | undefined;
  if (keyFile) privateJwk = await readFile(keyFile, 'utf8').then(JSON.parse, () => undefined);
  if (!privateJwk) {
    const pair = await generateKeyPair(ALG, { extractable: true });
    privateJwk = { ...(await exportJWK(pair.privateKey)), kid: `dev-${Date.now().toString(36)}`, alg: ALG };
    if (keyFile) await writeFile(keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  const { d: _private, ...publicJwk } = privateJwk;
  const privateKey = await importJWK(privateJwk, ALG);
  const publicKey = await importJWK(publicJwk, ALG);
  const kid = privateJwk.kid ?? 'dev';
  return {
    jwks: { keys: [publicJwk] },
    sign: (claims, subject) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: ALG, kid })
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setSubject(subject)
        .setIssuedAt()
        .setExpirationTime('12h')
        .sign(privateKey),
    verify: async (token) => {
      try {
        const { payload } = await jwtVerify(token, publicKey, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE });
        return payload as Record<string, unknown>;
      } catch {
        return undefined;
      }
    },
  };
};
