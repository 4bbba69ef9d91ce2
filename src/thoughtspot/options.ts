// Internal to src/thoughtspot: the client's defaults, and the validation of `ThoughtSpotClientOptions`. Every problem
// is reported at once, in "expected X, but got: Y" form, before anything is built.

import type { Dispatcher } from 'undici';
import type { Logger } from '../logger.js';
import type { CallContext, ServiceCredentials, SharedRateBudget, ThoughtSpotClientOptions, UpstreamCallEvent } from './types.js';

/** TCP/TLS connect timeout of the built-in pool (an injected dispatcher keeps its own). */
const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
/** Time to wait for response headers, per attempt. */
const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** Longest silence while a response body streams, per attempt. */
const DEFAULT_BODY_TIMEOUT_MS = 10_000;
/**
 * Overall deadline of one call, retries and waits included. Below Apollo Router's 30 s default subgraph timeout, so a
 * slow cluster surfaces as a typed TS_ERR_TIMEOUT from the subgraph rather than as the router cutting the request.
 */
const DEFAULT_DEADLINE_MS = 20_000;
/** Retries after the first attempt (reads; writes only when provably not executed). */
const DEFAULT_MAX_RETRIES = 5;
/** First backoff; doubles per retry, with jitter. */
const DEFAULT_MIN_DELAY_MS = 200;
/** Longest single backoff. */
const DEFAULT_MAX_DELAY_MS = 5_000;
/**
 * Client-side pacing. ThoughtSpot documents 100 requests/s per client IP with a burst of 10 (CONTRACT.md §7). The
 * adapter paces at 90/s with a burst of 5: arrival jitter can compress requests that left evenly spaced (an event-loop
 * stall on either side releases several at once), and ThoughtSpot counts arrivals. The measured headroom is in the
 * adapter benchmark (test/bench/suites/adapter.ts).
 */
export const DEFAULT_REQUESTS_PER_SECOND = 90;
/** Requests beyond the steady rate that may leave at once (nginx `burst` semantics: the bucket holds burst + 1). */
const DEFAULT_BURST = 5;
/** Consecutive unhealthy attempts (network, timeout, 502/503/504) that open the breaker. */
const DEFAULT_FAILURE_THRESHOLD = 5;
/** How long an open breaker refuses calls before letting one probe through. */
const DEFAULT_COOLDOWN_MS = 10_000;
/**
 * Validity requested for service tokens. ThoughtSpot's default is 300 s; an hour costs one mint per Org per hour and
 * keeps a leaked token's life short.
 */
const DEFAULT_TOKEN_VALIDITY_SECONDS = 3_600;
/** In-flight requests per client (and connections of the built-in pool). cs_tools caps at 15 (CONTRACT.md §7). */
const DEFAULT_MAX_CONCURRENCY = 16;
/** Sent unless `userAgent` is set; ThoughtSpot requires a User-Agent (CONTRACT.md §1). */
const DEFAULT_USER_AGENT = `thoughtspot-directory-subgraph (undici; node/${process.versions.node})`;

/** Options with every default applied. */
export interface ResolvedOptions {
  readonly origin: string;
  readonly basePath: string;
  readonly credentials: ServiceCredentials;
  readonly dispatcher: Dispatcher | undefined;
  readonly connectMs: number;
  readonly headersMs: number;
  readonly bodyMs: number;
  readonly deadlineMs: number;
  readonly maxRetries: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly rateLimit: { readonly requestsPerSecond: number; readonly burst: number; readonly shared?: SharedRateBudget } | null;
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  readonly tokenValiditySeconds: number;
  readonly maxConcurrency: number;
  readonly logger: Logger;
  readonly onUpstreamCall: ((event: UpstreamCallEvent) => void) | undefined;
  readonly now: () => number;
  readonly userAgent: string;
  readonly callContext: (() => CallContext | undefined) | undefined;
}

/** The logger used when none is given; the pipeline skips building log fields for it. */
export const NOOP_LOGGER: Logger = Object.freeze({ debug() {}, info() {}, warn() {}, error() {} });

/** Thrown by `createThoughtSpotClient` when its options are unusable; lists every problem. */
export class ThoughtSpotConfigError extends TypeError {
  override readonly name = 'ThoughtSpotConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid ThoughtSpot client options:\n- ${problems.join('\n- ')}`);
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Validate and complete the options. Secrets are never echoed in the problems. */
export function resolveOptions(options: ThoughtSpotClientOptions): ResolvedOptions {
  const problems: string[] = [];
  const raw = (options ?? {}) as Partial<ThoughtSpotClientOptions>;

  const positive = (name: string, value: unknown, fallback: number, allowZero = false): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
      problems.push(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, but got: ${show(value)}`);
      return fallback;
    }
    return value;
  };
  const integer = (name: string, value: unknown, fallback: number, min: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      problems.push(`${name} must be an integer >= ${min}, but got: ${show(value)}`);
      return fallback;
    }
    return value;
  };

  let origin = '';
  let basePath = '';
  if (typeof raw.baseUrl !== 'string' || raw.baseUrl.trim() === '') {
    problems.push(`baseUrl must be the cluster URL, e.g. "https://acme.thoughtspot.cloud", but got: ${show(raw.baseUrl)}`);
  } else {
    let url: URL | undefined;
    try {
      url = new URL(raw.baseUrl);
    } catch {
      problems.push(`baseUrl must be an absolute http(s) URL, but got: ${show(raw.baseUrl)}`);
    }
    if (url !== undefined) {
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        problems.push(`baseUrl must use http or https, but got: ${show(url.protocol)}`);
      } else if (url.username !== '' || url.password !== '') {
        problems.push('baseUrl must not carry credentials; pass them in credentials');
      } else if (url.search !== '' || url.hash !== '') {
        problems.push(`baseUrl must not have a query or fragment, but got: ${show(raw.baseUrl)}`);
      } else {
        basePath = url.pathname.replace(/\/+$/, '');
        if (/\/api\/rest\/2\.0$/i.test(basePath)) {
          problems.push(`baseUrl must be the cluster URL without /api/rest/2.0, but got: ${show(raw.baseUrl)}`);
        }
        origin = url.origin;
      }
    }
  }

  const credentials = raw.credentials as Record<string, unknown> | undefined;
  if (typeof credentials !== 'object' || credentials === null) {
    problems.push('credentials must be { username, secretKey } or { username, password }, but got: nothing');
  } else {
    if (typeof credentials['username'] !== 'string' || credentials['username'].trim() === '') {
      problems.push(`credentials.username must be a non-empty string, but got: ${show(credentials['username'])}`);
    }
    const hasSecret = credentials['secretKey'] !== undefined;
    const hasPassword = credentials['password'] !== undefined;
    if (hasSecret && hasPassword) {
      // ThoughtSpot's spec and docs disagree on which one wins when both are sent (CONTRACT.md §2.1).
      problems.push('credentials must hold either secretKey or password, not both');
    } else if (!hasSecret && !hasPassword) {
      problems.push('credentials must hold a secretKey (trusted authentication) or a password');
    } else {
      const key = hasSecret ? 'secretKey' : 'password';
      const value = credentials[key];
      if (typeof value !== 'string' || value === '') problems.push(`credentials.${key} must be a non-empty string`);
    }
  }

  const timeouts = raw.timeouts ?? {};
  const connectMs = positive('timeouts.connectMs', timeouts.connectMs, DEFAULT_CONNECT_TIMEOUT_MS);
  const headersMs = positive('timeouts.headersMs', timeouts.headersMs, DEFAULT_HEADERS_TIMEOUT_MS);
  const bodyMs = positive('timeouts.bodyMs', timeouts.bodyMs, DEFAULT_BODY_TIMEOUT_MS);
  const deadlineMs = positive('timeouts.deadlineMs', timeouts.deadlineMs, DEFAULT_DEADLINE_MS);

  const retry = raw.retry ?? {};
  const maxRetries = integer('retry.maxRetries', retry.maxRetries, DEFAULT_MAX_RETRIES, 0);
  const minDelayMs = positive('retry.minDelayMs', retry.minDelayMs, DEFAULT_MIN_DELAY_MS, true);
  const maxDelayMs = positive('retry.maxDelayMs', retry.maxDelayMs, DEFAULT_MAX_DELAY_MS, true);
  if (maxDelayMs < minDelayMs) {
    problems.push(`retry.maxDelayMs must be >= retry.minDelayMs, but got: ${maxDelayMs} < ${minDelayMs}`);
  }

  let rateLimit: ResolvedOptions['rateLimit'] = { requestsPerSecond: DEFAULT_REQUESTS_PER_SECOND, burst: DEFAULT_BURST };
  if (raw.rateLimit === false) {
    rateLimit = null;
  } else if (raw.rateLimit !== undefined) {
    if (typeof raw.rateLimit !== 'object' || raw.rateLimit === null) {
      problems.push(`rateLimit must be an object or false, but got: ${show(raw.rateLimit)}`);
    } else {
      const shared = raw.rateLimit.shared;
      const methods = ['take', 'hold', 'close'] as const;
      if (shared !== undefined && (typeof shared !== 'object' || shared === null || methods.some((name) => typeof shared[name] !== 'function'))) {
        problems.push(`rateLimit.shared must be a SharedRateBudget (an object with take(), hold() and close()), but got: ${show(shared)}`);
      }
      rateLimit = {
        requestsPerSecond: positive('rateLimit.requestsPerSecond', raw.rateLimit.requestsPerSecond, DEFAULT_REQUESTS_PER_SECOND),
        burst: integer('rateLimit.burst', raw.rateLimit.burst, DEFAULT_BURST, 0),
        ...(shared === undefined ? {} : { shared }),
      };
    }
  }

  const breaker = raw.breaker ?? {};
  const failureThreshold = integer('breaker.failureThreshold', breaker.failureThreshold, DEFAULT_FAILURE_THRESHOLD, 1);
  const cooldownMs = positive('breaker.cooldownMs', breaker.cooldownMs, DEFAULT_COOLDOWN_MS, true);
  const tokenValiditySeconds = integer('tokenValiditySeconds', raw.tokenValiditySeconds, DEFAULT_TOKEN_VALIDITY_SECONDS, 1);
  const maxConcurrency = integer('maxConcurrency', raw.maxConcurrency, DEFAULT_MAX_CONCURRENCY, 1);

  if (raw.dispatcher !== undefined && (typeof raw.dispatcher !== 'object' || typeof raw.dispatcher.request !== 'function')) {
    problems.push('dispatcher must be an undici Dispatcher (an object with request())');
  }
  const logger = raw.logger ?? NOOP_LOGGER;
  if (['debug', 'info', 'warn', 'error'].some((level) => typeof (logger as unknown as Record<string, unknown>)[level] !== 'function')) {
    problems.push('logger must have debug, info, warn and error methods');
  }
  if (raw.onUpstreamCall !== undefined && typeof raw.onUpstreamCall !== 'function') {
    problems.push(`onUpstreamCall must be a function, but got: ${show(raw.onUpstreamCall)}`);
  }
  if (raw.now !== undefined && typeof raw.now !== 'function') {
    problems.push(`now must be a function returning epoch milliseconds, but got: ${show(raw.now)}`);
  }
  if (raw.callContext !== undefined && typeof raw.callContext !== 'function') {
    problems.push(`callContext must be a function returning { flow?, signal? } or undefined, but got: ${show(raw.callContext)}`);
  }
  if (raw.userAgent !== undefined && (typeof raw.userAgent !== 'string' || raw.userAgent.trim() === '')) {
    problems.push(`userAgent must be a non-empty string, but got: ${show(raw.userAgent)}`);
  }

  if (problems.length > 0) throw new ThoughtSpotConfigError(problems);
  return {
    origin,
    basePath,
    credentials: raw.credentials as ServiceCredentials,
    dispatcher: raw.dispatcher,
    connectMs,
    headersMs,
    bodyMs,
    deadlineMs,
    maxRetries,
    minDelayMs,
    maxDelayMs,
    rateLimit,
    failureThreshold,
    cooldownMs,
    tokenValiditySeconds,
    maxConcurrency,
    logger,
    onUpstreamCall: raw.onUpstreamCall,
    now: raw.now ?? Date.now,
    userAgent: raw.userAgent ?? DEFAULT_USER_AGENT,
    callContext: raw.callContext,
  };
}
