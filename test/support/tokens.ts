// Caller tokens for tests over HTTP: real HS256 JWTs (jose), signed with the secret every test stack is configured
// with (`TEST_AUTH_ENV`), so a request authenticates exactly as a production caller's would.

import { SignJWT } from 'jose';

/** The JWT settings of every test stack and test subgraph process. */
export const TEST_AUTH_ENV = {
  AUTH_JWT_SECRET: 'test-only-hs256-secret-of-the-directory-suite-0123456789',
  AUTH_JWT_ISSUER: 'https://issuer.test/',
  AUTH_JWT_AUDIENCE: 'thoughtspot-directory',
} as const;

/** What a test token grants; every field defaults to full access on the default connection. */
export interface TestClaims {
  readonly sub?: string;
  /** Space-separated scopes; default every scope. */
  readonly scope?: string;
  /** Organization names, or `['*']` (default). */
  readonly orgs?: readonly string[];
  /** The connection id; default none (the default connection). */
  readonly conn?: string;
  /** Seconds until expiry; default 600. Negative for an expired token. */
  readonly expiresInS?: number;
  /** Overrides of the issuer, audience or secret, for tokens that must be refused. */
  readonly issuer?: string;
  readonly audience?: string;
  readonly secret?: string;
}

/** Every scope. */
export const ALL_SCOPES = 'directory:read directory:write directory:admin directory:embed';

/** A signed token for `claims`. */
export async function mintTestToken(claims: TestClaims = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { scope: claims.scope ?? ALL_SCOPES, orgs: claims.orgs ?? ['*'] };
  if (claims.conn !== undefined) payload['conn'] = claims.conn;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub ?? 'test-caller')
    .setIssuer(claims.issuer ?? TEST_AUTH_ENV.AUTH_JWT_ISSUER)
    .setAudience(claims.audience ?? TEST_AUTH_ENV.AUTH_JWT_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (claims.expiresInS ?? 600))
    .sign(new TextEncoder().encode(claims.secret ?? TEST_AUTH_ENV.AUTH_JWT_SECRET));
}

/** `{ authorization: 'Bearer …' }` for `claims`. */
export async function authHeader(claims: TestClaims = {}): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await mintTestToken(claims)}` };
}
