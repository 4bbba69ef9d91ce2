// Internal to src/thoughtspot: the service account's bearer tokens, one per Org. ThoughtSpot scopes every v2 call to
// the Org of its token and has no refresh endpoint: "refreshing" means minting again with the credentials
// (CONTRACT.md §2.2, §3). Tokens live only in this module's cache and in the Authorization header; they are never
// logged, and every token minted is registered for redaction.

import type { TokenRecord } from './records.js';
import type { ServiceCredentials } from './types.js';
import { ThoughtSpotAuthError, ThoughtSpotForbiddenError, isThoughtSpotError } from './errors.js';
import type { SecretRegistry } from './redact.js';
import { expectObject, optionalNumber, optionalString, requiredString, WireShapeError, describe } from './decode.js';

/** Refresh a cached token this long before it expires, at most (see `refreshSkewMs`). */
export const TOKEN_REFRESH_SKEW_MS = 30_000;
/** First hold after the credentials are rejected; doubles per consecutive rejection. */
export const AUTH_FAILURE_HOLD_MS = 5_000;
/** Longest hold after repeated rejections. */
export const AUTH_FAILURE_HOLD_MAX_MS = 300_000;
/** A token closer than this to expiry is not used even as a fallback when a refresh fails. */
const FALLBACK_MARGIN_MS = 5_000;

/**
 * How long before expiry a token is replaced: 30 s, or 10 % of its validity when that is shorter, so a short-lived
 * token (tests mint 10 s ones) is not treated as stale from birth.
 */
export function refreshSkewMs(validityMs: number): number {
  return Math.min(TOKEN_REFRESH_SKEW_MS, Math.floor(validityMs / 10));
}

/** The `auth/token/full` body for the service account in one Org. `org_id` is always sent (CONTRACT.md §3). */
export function serviceTokenBody(credentials: ServiceCredentials, orgId: number, validitySeconds: number): Record<string, unknown> {
  // Never send both secret_key and password: the spec and the docs disagree on which one wins (CONTRACT.md §2.1).
  const secret = 'secretKey' in credentials ? { secret_key: credentials.secretKey } : { password: credentials.password };
  return { username: credentials.username, ...secret, org_id: orgId, validity_time_in_sec: validitySeconds };
}

/** Read a `Token` response into a record. `requestedOrgId` is checked against `scope.org_id` when given. */
export function toTokenRecord(value: unknown, requestedOrgId: number | null): TokenRecord {
  const wire = expectObject(value, 'token response');
  const token = requiredString(wire, 'token', 'token response');
  const createdAt = optionalNumber(wire, 'creation_time_in_millis', 'token response');
  const expiresAt = optionalNumber(wire, 'expiration_time_in_millis', 'token response');
  if (createdAt === null || expiresAt === null) {
    throw new WireShapeError('expected token response to carry creation_time_in_millis and expiration_time_in_millis');
  }
  const scope = wire['scope'] === undefined || wire['scope'] === null ? {} : expectObject(wire['scope'], 'token response.scope');
  const scopeOrg = scope['org_id'];
  const orgId = typeof scopeOrg === 'number' && Number.isInteger(scopeOrg) ? scopeOrg : null;
  // A token for the wrong Org would read another tenant's directory. ThoughtSpot silently ignores an Org selector it
  // does not understand (CONTRACT.md §3: `org_identifier` on token/full), so the adapter checks instead of trusting.
  if (requestedOrgId !== null && orgId !== requestedOrgId && !(orgId === null && requestedOrgId === 0)) {
    throw new WireShapeError(
      `expected a token scoped to Org ${requestedOrgId}, but ThoughtSpot minted one for ${describe(scopeOrg)} (are Orgs enabled, and is the user a member of that Org?)`,
    );
  }
  return {
    token,
    createdAt,
    expiresAt,
    orgId,
    accessType: optionalString(scope, 'access_type', 'token response.scope') ?? 'FULL',
    userId: optionalString(wire, 'valid_for_user_id', 'token response') ?? '',
    username: optionalString(wire, 'valid_for_username', 'token response') ?? '',
  };
}

interface CachedToken {
  readonly token: string;
  /** Local clock: when to mint a replacement. */
  readonly refreshAt: number;
  /** Local clock: when the token stops working. */
  readonly expiresAt: number;
}

/** The one mint in flight for an Org, shared by every call waiting for its token. */
interface InflightMint {
  readonly promise: Promise<CachedToken>;
  /** Whether an attempt of the mint has been handed to the transport. */
  readonly sent: () => boolean;
}

interface AuthFailure {
  readonly error: Error;
  /** performance.now() until which mints are not attempted. */
  readonly until: number;
  readonly count: number;
}

/** What the token cache needs from the client. */
export interface TokenManagerDeps {
  /**
   * Mint a service token for the Org (goes through the pipeline as a read: retried, rate-limited). `onSend` is called
   * each time an attempt of the mint is handed to the transport.
   */
  readonly mint: (orgId: number, onSend: () => void) => Promise<TokenRecord>;
  /** The injected clock (token expiry follows it, so tests can move time). */
  readonly now: () => number;
  readonly registry: SecretRegistry;
  readonly onEvent: (message: string, fields: Record<string, unknown>, level: 'debug' | 'warn') => void;
}

/**
 * Per-Org token cache with single-flight minting: however many calls need a token for an Org at once, one mint is in
 * flight, and all of them await it. Each waiter can still give up on its own signal without cancelling the mint that
 * others wait for.
 */
export class TokenManager {
  private readonly cache = new Map<number, CachedToken>();
  private readonly inflight = new Map<number, InflightMint>();
  private readonly failures = new Map<number, AuthFailure>();
  /** Bumped by `clear()`, so a mint that started before a clear does not repopulate the cache. */
  private generation = 0;

  constructor(private readonly deps: TokenManagerDeps) {}

  /** A usable token for the Org: cached, or minted (once, however many callers ask). */
  async get(orgId: number, signal: AbortSignal): Promise<string> {
    const now = this.deps.now();
    const cached = this.cache.get(orgId);
    if (cached !== undefined && now < cached.refreshAt) return cached.token;
    try {
      const fresh = await raceSignal(this.mintOnce(orgId), signal);
      return fresh.token;
    } catch (error) {
      // A refresh that fails transiently should not fail calls while the old token still works.
      const stillValid = cached !== undefined && this.deps.now() < cached.expiresAt - FALLBACK_MARGIN_MS;
      if (stillValid && !signal.aborted && isThoughtSpotError(error) && error.retryable) {
        this.deps.onEvent('token refresh failed; using the current token until it expires', { orgId, errorCode: error.code }, 'warn');
        return cached.token;
      }
      throw error;
    }
  }

  /**
   * Whether the mint now in flight for the Org has been sent to ThoughtSpot at least once. A call whose deadline
   * passes while it waits for that mint was held up by ThoughtSpot, not only by this client's queues.
   */
  mintReachedThoughtSpot(orgId: number): boolean {
    return this.inflight.get(orgId)?.sent() === true;
  }

  /** Orgs whose token is cached and not yet due for refresh. */
  cachedOrgIds(): number[] {
    const now = this.deps.now();
    return [...this.cache].filter(([, entry]) => now < entry.refreshAt).map(([orgId]) => orgId);
  }

  /** Forget the Org's token after ThoughtSpot answered 401 with it (only if it is still the cached one). */
  invalidate(orgId: number, token: string): void {
    if (this.cache.get(orgId)?.token === token) this.cache.delete(orgId);
  }

  /** Forget every token (client close). */
  clear(): void {
    this.generation += 1;
    this.cache.clear();
    this.inflight.clear();
    this.failures.clear();
  }

  private mintOnce(orgId: number): Promise<CachedToken> {
    const pending = this.inflight.get(orgId);
    if (pending !== undefined) return pending.promise;
    const failure = this.failures.get(orgId);
    if (failure !== undefined && performance.now() < failure.until) return Promise.reject(failure.error);
    const generation = this.generation;
    let sent = false;
    const promise = this.mint(orgId, generation, () => {
      sent = true;
    }).finally(() => {
      if (this.inflight.get(orgId)?.promise === promise) this.inflight.delete(orgId);
    });
    this.inflight.set(orgId, { promise, sent: () => sent });
    return promise;
  }

  private async mint(orgId: number, generation: number, onSend: () => void): Promise<CachedToken> {
    const startedAt = this.deps.now();
    let record: TokenRecord;
    try {
      record = await this.deps.mint(orgId, onSend);
    } catch (error) {
      // Rejected credentials are remembered for a while: without the hold, every incoming request would try to log in
      // again, and ThoughtSpot locks accounts after repeated failed logins (account_status LOCKED).
      if (error instanceof ThoughtSpotAuthError || error instanceof ThoughtSpotForbiddenError) {
        const count = (this.failures.get(orgId)?.count ?? 0) + 1;
        const holdMs = Math.min(AUTH_FAILURE_HOLD_MAX_MS, AUTH_FAILURE_HOLD_MS * 2 ** (count - 1));
        if (generation === this.generation) this.failures.set(orgId, { error, until: performance.now() + holdMs, count });
        this.deps.onEvent('ThoughtSpot rejected the service credentials; holding further logins', { orgId, errorCode: error.code, holdMs }, 'warn');
      }
      throw error;
    }
    this.deps.registry.add(record.token);
    // Expiry is computed on the local clock from the token's validity, not from ThoughtSpot's absolute timestamp, so
    // clock skew between this host and the cluster cannot make a dead token look alive. Counting from before the
    // request errs on the early side.
    const validityMs = Math.max(0, record.expiresAt - record.createdAt);
    const expiresAt = startedAt + validityMs;
    const entry: CachedToken = { token: record.token, expiresAt, refreshAt: expiresAt - refreshSkewMs(validityMs) };
    if (generation === this.generation) {
      this.cache.set(orgId, entry);
      this.failures.delete(orgId);
    }
    this.deps.onEvent('minted a service token', { orgId, validityMs }, 'debug');
    return entry;
  }
}

/** Await `promise`, but reject with the signal's reason as soon as it aborts (the promise keeps running). */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}
