import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isRetryable, parseRetryAfter } from '../../../src/thoughtspot/retry.js';
import {
  ThoughtSpotAbortedError,
  ThoughtSpotOverloadedError,
  ThoughtSpotAuthError,
  ThoughtSpotConflictError,
  ThoughtSpotNetworkError,
  ThoughtSpotProtocolError,
  ThoughtSpotRateLimitError,
  ThoughtSpotServerError,
  ThoughtSpotTimeoutError,
  ThoughtSpotUnavailableError,
} from '../../../src/thoughtspot/errors.js';

const endpoint = 'POST /api/rest/2.0/users/search';
const policy = { maxRetries: 5, minDelayMs: 200, maxDelayMs: 5_000 };

describe('backoffDelayMs', () => {
  it('doubles per retry between half and all of the exponential step', () => {
    expect([1, 2, 3, 4].map((retry) => backoffDelayMs(retry, policy, () => 0))).toEqual([100, 200, 400, 800]);
    expect([1, 2, 3, 4].map((retry) => backoffDelayMs(retry, policy, () => 1))).toEqual([200, 400, 800, 1_600]);
  });

  it('caps one backoff at maxDelayMs', () => {
    expect(backoffDelayMs(20, policy, () => 1)).toBe(5_000);
    expect(backoffDelayMs(20, policy, () => 0)).toBe(2_500);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
  });

  it('reads an HTTP-date relative to now, never negative', () => {
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent and unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(['7', '9'], now)).toBe(7_000);
  });
});

describe('isRetryable', () => {
  const base = { endpoint, attempts: 1 };

  it('retries 429s from ThoughtSpot for reads and writes alike (the request was turned away)', () => {
    const upstream429 = new ThoughtSpotRateLimitError('429', { ...base, status: 429 });
    expect(isRetryable(upstream429, 'read')).toBe(true);
    expect(isRetryable(upstream429, 'write')).toBe(true);
  });

  it('does not retry a refusal by the client-side limiter', () => {
    expect(isRetryable(new ThoughtSpotRateLimitError('local', { ...base, retryAfterMs: 900 }), 'read')).toBe(false);
  });

  it('retries 502/503/504 on reads only', () => {
    const gateway = new ThoughtSpotServerError('503', { ...base, status: 503, retryable: true });
    expect(isRetryable(gateway, 'read')).toBe(true);
    expect(isRetryable(gateway, 'write')).toBe(false);
    expect(isRetryable(new ThoughtSpotServerError('500', { ...base, status: 500, retryable: false }), 'read')).toBe(false);
  });

  it('retries network failures on reads, and on writes only when the request was never sent', () => {
    const refused = new ThoughtSpotNetworkError('refused', { ...base, notSent: true });
    const reset = new ThoughtSpotNetworkError('reset', { ...base, notSent: false });
    expect(isRetryable(refused, 'write')).toBe(true);
    expect(isRetryable(reset, 'write')).toBe(false);
    expect(isRetryable(reset, 'read')).toBe(true);
  });

  it('retries timeouts on reads and connect timeouts on writes, never a passed deadline', () => {
    const headers = new ThoughtSpotTimeoutError('t', { ...base, phase: 'headers' });
    const connect = new ThoughtSpotTimeoutError('t', { ...base, phase: 'connect' });
    const deadline = new ThoughtSpotTimeoutError('t', { ...base, phase: 'deadline' });
    expect(isRetryable(headers, 'read')).toBe(true);
    expect(isRetryable(headers, 'write')).toBe(false);
    expect(isRetryable(connect, 'write')).toBe(true);
    expect(isRetryable(deadline, 'read')).toBe(false);
  });

  it('never retries client errors, protocol errors, an open breaker, its own overload or an abort', () => {
    for (const error of [
      new ThoughtSpotOverloadedError('queued too long', { ...base, queue: 'concurrency', waitedMs: 20_000 }),
      new ThoughtSpotAuthError('401', { ...base, status: 401 }),
      new ThoughtSpotConflictError('dup', { ...base, status: 400 }),
      new ThoughtSpotProtocolError('bad json', { ...base, status: 200 }),
      new ThoughtSpotUnavailableError('open', { ...base, retryAfterMs: 10 }),
      new ThoughtSpotAbortedError('abort', base),
    ]) {
      expect(isRetryable(error, 'read')).toBe(false);
    }
  });
});
