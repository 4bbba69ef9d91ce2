// Internal to src/thoughtspot: the retry policy, as pure functions (what is retried, how long to wait). The loop that
// applies it lives in pipeline.ts.
//
// Why a hand-written loop rather than undici's retry interceptor (which house-style §4.5 suggests): every attempt
// here must (1) take a slot from the client-side rate limiter and a concurrency slot, (2) ask the circuit breaker and
// report back to it, (3) emit an `onUpstreamCall` event, (4) re-mint the token once on a 401, and (5) fit, waits
// included, inside one overall deadline, with a Retry-After that would overrun the deadline failing at once instead
// of sleeping. The interceptor retries inside the dispatcher, below all five; wiring them through its callbacks would
// hide the attempts this module has to count. The policy itself matches the interceptor's defaults where they overlap
// (status codes 429/502/503/504, exponential backoff, Retry-After honoured, POST excluded unless opted in).

import type { AnyThoughtSpotError } from './errors.js';

/** The retry knobs, resolved. */
export interface RetryPolicy {
  /** Retries after the first attempt (so at most `maxRetries + 1` attempts). */
  readonly maxRetries: number;
  /** Backoff before the first retry; doubles per retry. */
  readonly minDelayMs: number;
  /** Cap of one backoff. */
  readonly maxDelayMs: number;
}

/**
 * Whether a call may be re-sent after a failure. Reads (the search endpoints, `GET`s, token mints, dry-run imports) may be
 * sent again freely. Writes are not idempotent upstream (a retried `users/create` turns into a duplicate-name 400,
 * CONTRACT.md §7), so they are re-sent only when the failure proves ThoughtSpot never executed them.
 */
export type CallKind = 'read' | 'write';

/**
 * Decide whether `error` (from one attempt) warrants another attempt of a call of this kind. The 401 re-mint is
 * decided elsewhere: it is not a retry, it happens once for every kind.
 */
export function isRetryable(error: AnyThoughtSpotError, kind: CallKind): boolean {
  switch (error.code) {
    case 'TS_ERR_RATE_LIMITED':
      // A 429 from ThoughtSpot's limiter means the request was turned away before it ran, so even a write may go
      // again. Without a status nothing was answered, so there is nothing to go again on.
      return error.status === 429;
    case 'TS_ERR_NETWORK':
      // A refused connection never carried the request; a reset mid-flight might have.
      return kind === 'read' || error.notSent;
    case 'TS_ERR_TIMEOUT':
      // A connect timeout never carried the request; a headers or body timeout might have been executed.
      return error.phase !== 'deadline' && (kind === 'read' || error.phase === 'connect');
    case 'TS_ERR_UPSTREAM':
      return kind === 'read' && error.retryable;
    // TS_ERR_OVERLOADED: our own queues had no room before the deadline, and another attempt would queue behind the
    // same calls.
    case 'TS_ERR_UNAUTHENTICATED':
    case 'TS_ERR_FORBIDDEN':
    case 'TS_ERR_NOT_FOUND':
    case 'TS_ERR_BAD_REQUEST':
    case 'TS_ERR_CONFLICT':
    case 'TS_ERR_PROTOCOL':
    case 'TS_ERR_UNAVAILABLE':
    case 'TS_ERR_ABORTED':
    case 'TS_ERR_OVERLOADED':
      return false;
  }
}

/**
 * Backoff before retry number `retry` (1 for the first retry): exponential, capped, with "equal jitter" (half fixed,
 * half random). Full jitter can pick ~0 ms, which during a 429 storm just earns another 429; equal jitter keeps at
 * least half the exponential spacing while still spreading concurrent callers apart.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/**
 * Milliseconds to wait from a `Retry-After` header: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Undefined when
 * the header is absent or unreadable; never negative.
 */
export function parseRetryAfter(header: string | string[] | undefined, nowEpochMs: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (/^\d+\.\d+$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowEpochMs);
}
