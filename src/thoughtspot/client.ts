// Internal to src/thoughtspot (re-exported by index.ts): `createThoughtSpotClient`, the composition of the adapter's
// parts for one cluster: pool, pipeline (rate limiter, breaker, concurrency cap, retries), token cache and the
// resource functions.

import type { Dispatcher } from 'undici';
import type { OrgScope, PageRequest, ThoughtSpotClient, ThoughtSpotClientOptions } from './types.js';
import { ThoughtSpotProtocolError } from './errors.js';
import { resolveOptions, type ResolvedOptions } from './options.js';
import { SecretRegistry } from './redact.js';
import { RateLimiter, type Limiter } from './rate-limiter.js';
import { SharedRateLimiter, type SharedLimiterLog } from './shared-limiter.js';
import { CircuitBreaker } from './breaker.js';
import { Semaphore } from './semaphore.js';
import { Pipeline } from './pipeline.js';
import { TokenManager } from './auth.js';
import { createPool } from './transport.js';
import { SYSTEM_CLOCK, type MonotonicClock } from './timers.js';
import { UnstableListingError, walkPages } from './paging.js';
import { checkPageSize, checkScope } from './request-checks.js';
import * as users from './users.js';
import * as groups from './groups.js';
import * as orgs from './orgs.js';
import * as roles from './roles.js';
import * as system from './system.js';
import * as tokens from './tokens.js';

/** How long `close()` lets in-flight requests finish before it destroys the built-in pool. */
const CLOSE_GRACE_MS = 2_000;

/**
 * Build the adapter for one ThoughtSpot cluster. Options are validated at once (a `ThoughtSpotConfigError` lists
 * every problem). The client holds the connection pool, the token cache, the rate limiter and the circuit breaker:
 * create one per cluster and share it; call `close()` on shutdown.
 */
export function createThoughtSpotClient(options: ThoughtSpotClientOptions): ThoughtSpotClient {
  return buildThoughtSpotClient(options, {});
}

/**
 * Parts of the client that are not options, because nothing but a test has reason to replace them.
 *
 * @internal Exported for the adapter's own tests; not re-exported by index.ts.
 */
export interface ClientInternals {
  /**
   * The monotonic clock of pacing, backoff and deadlines (default: `performance.now` and Node's timers). Tests pass a
   * virtual clock to prove pacing and ordering without waiting on, or measuring, the wall clock.
   */
  readonly clock?: MonotonicClock;
}

// Private: the in-process bucket by default; with a shared budget, the fair queue in front of it (shared-limiter.ts).
function createLimiter(rateLimit: ResolvedOptions['rateLimit'], clock: MonotonicClock, log: SharedLimiterLog): Limiter | null {
  if (rateLimit === null) return null;
  const { requestsPerSecond, burst, shared } = rateLimit;
  return shared === undefined ? new RateLimiter(requestsPerSecond, burst, clock) : new SharedRateLimiter(requestsPerSecond, burst, shared, log, clock);
}

/**
 * `createThoughtSpotClient` with its internal parts replaceable.
 *
 * @internal Exported for the adapter's own tests; not re-exported by index.ts.
 */
export function buildThoughtSpotClient(options: ThoughtSpotClientOptions, internals: ClientInternals): ThoughtSpotClient {
  const resolved = resolveOptions(options);
  const clock = internals.clock ?? SYSTEM_CLOCK;
  const registry = new SecretRegistry();
  // Pinned, not added: the credentials are live for the client's whole life, so the flood of minted tokens must never
  // push them out of the registry (redact.ts).
  registry.pin('secretKey' in resolved.credentials ? resolved.credentials.secretKey : resolved.credentials.password);

  const ownsDispatcher = resolved.dispatcher === undefined;
  const dispatcher: Dispatcher =
    resolved.dispatcher ??
    createPool(resolved.origin, {
      connections: resolved.maxConcurrency,
      connectMs: resolved.connectMs,
      headersMs: resolved.headersMs,
      bodyMs: resolved.bodyMs,
    });
  let closed = false;

  // The breaker follows the injected epoch clock (so tests can move past a cooldown); pacing and deadlines use the
  // monotonic clock, because a frozen test clock for token expiry must not freeze the rate limiter.
  let pipeline: Pipeline | null = null;
  const semaphore = new Semaphore(resolved.maxConcurrency);
  const limiter = createLimiter(resolved.rateLimit, clock, (level, message, fields) => pipeline?.log(level, message, fields));
  const breaker = new CircuitBreaker(resolved.failureThreshold, resolved.cooldownMs, resolved.now, (from, to, failures) => {
    const level = to === 'open' ? 'warn' : 'info';
    pipeline?.log(level, `ThoughtSpot circuit breaker ${from} -> ${to}`, { from, to, consecutiveFailures: failures, cooldownMs: resolved.cooldownMs });
  });
  pipeline = new Pipeline({
    origin: resolved.origin,
    basePath: resolved.basePath,
    dispatcher,
    // Accept-Language is pinned so ThoughtSpot's messages stay in English: the classifier reads "already exists" and
    // "Invalid … identifiers" out of them.
    headers: { accept: 'application/json', 'accept-language': 'en-US', 'user-agent': resolved.userAgent },
    headersTimeoutMs: resolved.headersMs,
    bodyTimeoutMs: resolved.bodyMs,
    deadlineMs: resolved.deadlineMs,
    retry: { maxRetries: resolved.maxRetries, minDelayMs: resolved.minDelayMs, maxDelayMs: resolved.maxDelayMs },
    limiter,
    breaker,
    semaphore,
    registry,
    logger: resolved.logger,
    onUpstreamCall: resolved.onUpstreamCall,
    callContext: resolved.callContext,
    clock,
    wallNow: Date.now,
    random: Math.random,
    isClosed: () => closed,
  });
  const run = pipeline;
  const tokenManager = new TokenManager({
    mint: (orgId, onSend) => tokens.mintServiceToken(run, resolved.credentials, orgId, resolved.tokenValiditySeconds, onSend),
    now: resolved.now,
    registry,
    onEvent: (message, fields, level) => run.log(level, message, fields),
  });
  run.tokens = tokenManager;
  const register = (token: string): void => registry.add(token);

  // The walker's own failure (a listing that never holds still) becomes a typed error like every other.
  async function* typedWalk<T>(endpoint: string, orgId: number, walk: AsyncGenerator<T>): AsyncGenerator<T> {
    try {
      yield* walk;
    } catch (error) {
      if (error instanceof UnstableListingError) {
        throw new ThoughtSpotProtocolError(`${endpoint} could not be paged to the end: ${error.message}.`, { endpoint, orgId, cause: error });
      }
      throw error;
    }
  }

  // Not a generator itself, so that a bad scope or page size throws at the call rather than at the first `next()`.
  function walkSearch<T extends { readonly id: string }>(
    endpoint: string,
    scope: OrgScope,
    pageSize: number,
    search: (page: PageRequest) => Promise<T[]>,
  ): AsyncGenerator<T> {
    const orgId = checkScope(endpoint, scope);
    checkPageSize(endpoint, orgId, pageSize);
    return typedWalk(endpoint, orgId, walkPages((offset, size) => search({ offset, size }), (row) => row.id, pageSize));
  }

  // Every promise-returning method is async, so a request refused before sending rejects like any other failure
  // instead of throwing synchronously.
  return {
    searchUsers: async (scope, query, page, callOptions) => users.searchUsers(run, scope, query, page, callOptions),
    iterateUsers: (scope, query, pageSize = users.DEFAULT_ITERATION_PAGE_SIZE, callOptions) =>
      walkSearch(users.USER_ENDPOINTS.search, scope, pageSize, (page) => users.searchUsers(run, scope, query, page, callOptions)),
    createUser: async (scope, input, callOptions) => users.createUser(run, scope, input, callOptions),
    updateUser: async (scope, identifier, input, callOptions) => users.updateUser(run, scope, identifier, input, callOptions),
    deleteUser: async (scope, identifier, callOptions) => users.deleteUser(run, scope, identifier, callOptions),
    deactivateUser: async (scope, identifier, baseUrl, callOptions) => users.deactivateUser(run, scope, identifier, baseUrl, callOptions),
    activateUser: async (scope, input, callOptions) => users.activateUser(run, scope, input, callOptions),
    importUsers: async (scope, input, callOptions) => users.importUsers(run, scope, input, callOptions),
    forceLogoutUsers: async (scope, identifiers, callOptions) => users.forceLogoutUsers(run, scope, identifiers, callOptions),
    resetUserPassword: async (scope, identifier, newPassword, callOptions) =>
      users.resetUserPassword(run, scope, identifier, newPassword, callOptions),
    changeUserPassword: async (scope, input, callOptions) => users.changeUserPassword(run, scope, input, callOptions),

    searchGroups: async (scope, query, page, callOptions) => groups.searchGroups(run, scope, query, page, callOptions),
    iterateGroups: (scope, query, pageSize = users.DEFAULT_ITERATION_PAGE_SIZE, callOptions) =>
      walkSearch(groups.GROUP_ENDPOINTS.search, scope, pageSize, (page) => groups.searchGroups(run, scope, query, page, callOptions)),
    createGroup: async (scope, input, callOptions) => groups.createGroup(run, scope, input, callOptions),
    updateGroup: async (scope, identifier, input, callOptions) => groups.updateGroup(run, scope, identifier, input, callOptions),
    deleteGroup: async (scope, identifier, callOptions) => groups.deleteGroup(run, scope, identifier, callOptions),
    importGroups: async (scope, input, callOptions) => groups.importGroups(run, scope, input, callOptions),

    searchOrgs: async (scope, query, callOptions) => orgs.searchOrgs(run, scope, query, callOptions),
    createOrg: async (scope, input, callOptions) => orgs.createOrg(run, scope, input, callOptions),
    updateOrg: async (scope, identifier, input, callOptions) => orgs.updateOrg(run, scope, identifier, input, callOptions),
    deleteOrg: async (scope, identifier, callOptions) => orgs.deleteOrg(run, scope, identifier, callOptions),

    searchRoles: async (scope, query, callOptions) => roles.searchRoles(run, scope, query, callOptions),
    createRole: async (scope, input, callOptions) => roles.createRole(run, scope, input, callOptions),
    updateRole: async (scope, identifier, input, callOptions) => roles.updateRole(run, scope, identifier, input, callOptions),
    deleteRole: async (scope, identifier, callOptions) => roles.deleteRole(run, scope, identifier, callOptions),

    getCurrentUser: async (scope, callOptions) => users.getCurrentUser(run, scope, callOptions),
    getSystemInfo: async (scope, callOptions) => system.getSystemInfo(run, scope, callOptions),
    getSystemConfig: async (scope, callOptions) => system.getSystemConfig(run, scope, callOptions),
    mintUserToken: async (input, callOptions) =>
      tokens.mintUserToken(run, resolved.credentials, input, resolved.tokenValiditySeconds, register, callOptions),
    mintObjectToken: async (input, callOptions) =>
      tokens.mintObjectToken(run, resolved.credentials, input, resolved.tokenValiditySeconds, register, callOptions),
    validateToken: async (scope, token, callOptions) => tokens.validateToken(run, scope, token, callOptions),
    revokeToken: async (scope, token, callOptions) => tokens.revokeToken(run, scope, token, callOptions),

    status: () => ({
      breaker: breaker.state,
      // A request holding a concurrency slot is on the wire unless it is still waiting for its rate slot.
      inFlight: semaphore.held - (limiter?.queued ?? 0),
      queued: semaphore.queued + (limiter?.queued ?? 0),
      tokenOrgIds: tokenManager.cachedOrgIds(),
    }),

    close: async () => {
      if (closed) return;
      closed = true;
      tokenManager.clear();
      await limiter?.close?.();
      if (!ownsDispatcher) return;
      // Let in-flight requests finish briefly; a hung upstream must not hold shutdown hostage.
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), CLOSE_GRACE_MS);
      });
      const outcome = await Promise.race([dispatcher.close().then(() => 'closed' as const), grace]);
      clearTimeout(timer);
      if (outcome === 'timeout') await dispatcher.destroy();
    },
  };
}
