// Internal to src/auth (the rest of src reaches it through auth/index.ts): turns a request's Authorization header into
// a `Caller`, verifying the bearer JWT with jose (DESIGN.md §7a). Two key sources: a shared HS256 secret, or the
// issuer's JWKS fetched over HTTPS (RS256 or ES256), cached by jose and fetched again when a token names a key id the
// cached set lacks (the issuer rotated its keys), at most once per cooldown so unknown key ids cannot make the
// subgraph hammer the issuer.

import { createRemoteJWKSet, customFetch, errors, jwtVerify } from 'jose';
import type { FetchImplementation, JWTPayload, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import { Agent, fetch as undiciFetch } from 'undici';
import type { Dispatcher } from 'undici';
import { callerFromClaims, DEFAULT_CLAIM_NAMES, type ClaimNames } from './claims.js';
import { AuthenticationError } from './errors.js';
import { LOCAL_CALLER, type Caller } from './scopes.js';

/**
 * Algorithms each key source accepts, and no other. Naming them is what keeps an attacker from choosing: `none` is
 * never accepted, and a JWKS authenticator never accepts HS256, which would let a token be "signed" with the public
 * key as an HMAC secret (the RS/HS confusion attack). jose checks the header's `alg` against this list before it
 * resolves any key, so a refused algorithm costs no JWKS fetch.
 */
export const SECRET_ALGORITHMS: readonly string[] = Object.freeze(['HS256']);
/** See `SECRET_ALGORITHMS`. */
export const JWKS_ALGORITHMS: readonly string[] = Object.freeze(['RS256', 'ES256']);

/**
 * An HS256 key shorter than its 256-bit hash weakens the MAC (RFC 7518 §3.2 requires at least that size), so a
 * shorter shared secret is refused.
 */
export const MIN_SECRET_BYTES = 32;

/** The JWKS fetching defaults: jose's own, stated so the README and tests can name them. */
export const JWKS_DEFAULTS = Object.freeze({
  /** How long one JWKS fetch may take. */
  timeoutMs: 5_000,
  /** After a fetch, how long a token with an unknown key id is refused without fetching again. */
  cooldownMs: 30_000,
  /** How long a fetched JWKS is used before it is fetched again anyway. */
  cacheMaxAgeMs: 600_000,
});

/** The default clock tolerance: the largest clock skew between the issuer and this subgraph that is forgiven. */
export const DEFAULT_CLOCK_TOLERANCE_S = 30;

/** Authentication by JWT (AUTH_MODE=jwt); `config.auth` has this shape. */
export interface JwtAuthOptions {
  readonly mode: 'jwt';
  /** A shared HS256 secret (its UTF-8 bytes are the key), or the URL of the issuer's JWKS. */
  readonly key: { readonly kind: 'secret'; readonly secret: string } | { readonly kind: 'jwks'; readonly url: string };
  /** The exact `iss` every token must carry. */
  readonly issuer: string;
  /** An `aud` every token must carry (a token may name other audiences too). */
  readonly audience: string;
  /** Seconds of clock skew forgiven on `exp` and `nbf`; `DEFAULT_CLOCK_TOLERANCE_S` when absent. */
  readonly clockToleranceS?: number;
  /** Where the caller's claims are; `DEFAULT_CLAIM_NAMES` when absent. */
  readonly claims?: ClaimNames;
}

/** How callers authenticate; `config.auth` has this shape. `none` is for the embedded emulator only (config.ts). */
export type AuthenticatorOptions = { readonly mode: 'none' } | JwtAuthOptions;

/** What tests and the composition root may replace. */
export interface AuthenticatorOverrides {
  /** The wall clock in milliseconds since the epoch, against which `exp` and `nbf` are checked; `Date.now` by default. */
  readonly now?: () => number;
  /**
   * The undici dispatcher JWKS fetches go through. By default the authenticator makes its own Agent and `close()`
   * closes it; a dispatcher passed here belongs to the caller and is left open.
   */
  readonly dispatcher?: Dispatcher;
  /** JWKS fetching; `JWKS_DEFAULTS` for what is absent. */
  readonly jwks?: { readonly timeoutMs?: number; readonly cooldownMs?: number; readonly cacheMaxAgeMs?: number };
}

/** Authenticates requests; one per app, shared by every request (it holds the JWKS cache). */
export interface Authenticator {
  /**
   * The caller presenting this Authorization header value. Rejects with `AuthenticationError` when the header is
   * missing, not a Bearer credential, or its token fails any check; with AUTH_MODE=none, always `LOCAL_CALLER`.
   */
  authenticate(authorizationHeader: string | undefined): Promise<Caller>;
  /** Releases the JWKS connections, if the authenticator opened any. */
  close(): Promise<void>;
}

/**
 * Creates the authenticator `options` describe. Throws a TypeError for options a validated configuration never
 * produces (a secret under 32 bytes, an empty issuer or audience, a negative tolerance, a JWKS URL that is not one).
 */
export function createAuthenticator(options: AuthenticatorOptions, overrides: AuthenticatorOverrides = {}): Authenticator {
  if (options.mode === 'none') {
    // The header is not even looked at: there is nothing to check it against, and the emulator's made-up directory
    // is everyone's to read.
    return { authenticate: () => Promise.resolve(LOCAL_CALLER), close: () => Promise.resolve() };
  }
  const clockToleranceS = options.clockToleranceS ?? DEFAULT_CLOCK_TOLERANCE_S;
  if (options.issuer === '' || options.audience === '') throw new TypeError('The JWT issuer and audience must not be empty.');
  if (!Number.isInteger(clockToleranceS) || clockToleranceS < 0) {
    throw new TypeError(`The clock tolerance must be a non-negative integer of seconds, but got: ${clockToleranceS}.`);
  }
  const claims = options.claims ?? DEFAULT_CLAIM_NAMES;
  const now = overrides.now ?? Date.now;
  const base: JWTVerifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    clockTolerance: clockToleranceS,
    // A token without `exp` would be valid forever: one leak, and no way to end it but rotating the key.
    requiredClaims: ['exp'],
  };

  let verify: (token: string, currentDate: Date) => Promise<JWTPayload>;
  let close = (): Promise<void> => Promise.resolve();
  if (options.key.kind === 'secret') {
    const secret = new TextEncoder().encode(options.key.secret);
    if (secret.byteLength < MIN_SECRET_BYTES) {
      throw new TypeError(`The JWT secret must be at least ${MIN_SECRET_BYTES} bytes, but got: ${secret.byteLength} bytes.`);
    }
    const secretOptions = { ...base, algorithms: [...SECRET_ALGORITHMS] };
    verify = async (token, currentDate) => (await jwtVerify(token, secret, { ...secretOptions, currentDate })).payload;
  } else {
    const jwks = remoteKeys(options.key.url, overrides);
    close = jwks.close;
    const jwksOptions = { ...base, algorithms: [...JWKS_ALGORITHMS] };
    verify = (token, currentDate) => verifyWithKeySet(token, jwks.getKey, { ...jwksOptions, currentDate });
  }

  return {
    async authenticate(authorizationHeader) {
      const token = bearerToken(authorizationHeader);
      let payload: JWTPayload;
      try {
        payload = await verify(token, new Date(now()));
      } catch (error) {
        throw toAuthenticationError(error);
      }
      return callerFromClaims(payload, claims);
    },
    close,
  };
}

/**
 * The token of a `Bearer` credential. The scheme is case-insensitive (RFC 7235 §2.1); the token is one word
 * (RFC 6750 §2.1: b64token), so a header with anything after it is malformed rather than trimmed into shape.
 */
function bearerToken(header: string | undefined): string {
  const value = header?.trim() ?? '';
  if (value === '') throw new AuthenticationError('missing_credentials');
  const [scheme = '', ...rest] = value.split(/[ \t]+/);
  if (scheme.toLowerCase() !== 'bearer') throw new AuthenticationError('invalid_scheme');
  if (rest.length !== 1) throw new AuthenticationError('malformed');
  return rest[0] as string;
}

/**
 * Marks a failure of the key source itself (the JWKS could not be fetched, parsed or used), as opposed to a token
 * the key set has no key for, so that `toAuthenticationError` can tell the operator's problem from the caller's.
 */
class KeySourceError extends Error {
  override readonly name = 'KeySourceError';
}

function remoteKeys(url: string, overrides: AuthenticatorOverrides): { getKey: JWTVerifyGetKey; close: () => Promise<void> } {
  const ownAgent = overrides.dispatcher === undefined ? new Agent() : null;
  const dispatcher = overrides.dispatcher ?? (ownAgent as Agent);
  // jose fetches with the global fetch by default, that is through the process-wide dispatcher; house-style §4.5 wants
  // every connection this app opens to go through a dispatcher it owns (and can close), so jose gets undici's fetch
  // bound to one. Both sides speak WHATWG fetch; only their TypeScript types differ (undici's own Headers and Response
  // against the DOM's), hence the plain-object headers and the cast.
  const fetchJwks: FetchImplementation = (input, init) =>
    undiciFetch(input, { ...init, headers: Object.fromEntries(init.headers), dispatcher }) as unknown as Promise<Response>;
  const remote = createRemoteJWKSet(new URL(url), {
    timeoutDuration: overrides.jwks?.timeoutMs ?? JWKS_DEFAULTS.timeoutMs,
    cooldownDuration: overrides.jwks?.cooldownMs ?? JWKS_DEFAULTS.cooldownMs,
    cacheMaxAge: overrides.jwks?.cacheMaxAgeMs ?? JWKS_DEFAULTS.cacheMaxAgeMs,
    [customFetch]: fetchJwks,
  });
  return {
    async getKey(header, token) {
      try {
        return await remote(header, token);
      } catch (error) {
        // No key for the token's `kid`/`alg` (even after the refetch jose makes outside the cooldown), or several
        // candidates for a token without a `kid`: a verdict about the token. Anything else (a network error, a
        // timeout, a non-200 answer, a body that is not a key set, a key jose cannot import) is the key source failing.
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        throw new KeySourceError('The JWKS could not be fetched or used.', { cause: error });
      }
    },
    close: async () => {
      await ownAgent?.close();
    },
  };
}

/**
 * Verifies with the key set. When the token names no `kid` and the set holds several keys for its algorithm (an
 * issuer in the middle of a rotation publishes the old and the new), jose leaves the choice to the caller: each
 * candidate is tried, and the first whose signature holds decides, so the claim checks still run exactly once.
 */
async function verifyWithKeySet(token: string, getKey: JWTVerifyGetKey, verifyOptions: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, getKey, verifyOptions)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    for await (const key of error) {
      try {
        return (await jwtVerify(token, key, verifyOptions)).payload;
      } catch (attempt) {
        if (!(attempt instanceof errors.JWSSignatureVerificationFailed)) throw attempt;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

/**
 * Maps jose's verdicts to the failures a client is told about. jose errors not listed are about a token jose could
 * not read (bad encoding, an unsupported `crit` header…); anything that is not a jose error is a bug, and is rethrown
 * to be masked as an internal error rather than passed off as the caller's fault.
 */
function toAuthenticationError(error: unknown): unknown {
  if (error instanceof AuthenticationError) return error;
  if (error instanceof KeySourceError) return new AuthenticationError('keys_unavailable', { cause: error.cause });
  if (error instanceof errors.JWTExpired) return new AuthenticationError('expired', { cause: error });
  if (error instanceof errors.JWTClaimValidationFailed) {
    const timeCheck = error.reason === 'check_failed';
    if (error.claim === 'nbf' && timeCheck) return new AuthenticationError('not_yet_valid', { cause: error });
    if (error.claim === 'iss') return new AuthenticationError('wrong_issuer', { cause: error });
    if (error.claim === 'aud') return new AuthenticationError('wrong_audience', { cause: error });
    return new AuthenticationError('invalid_claims', { cause: error, claim: error.claim });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return new AuthenticationError('algorithm_not_allowed', { cause: error });
  if (error instanceof errors.JWKSNoMatchingKey) return new AuthenticationError('unknown_key', { cause: error });
  if (error instanceof errors.JWSSignatureVerificationFailed) return new AuthenticationError('bad_signature', { cause: error });
  if (error instanceof errors.JOSEError) return new AuthenticationError('malformed', { cause: error });
  return error;
}
