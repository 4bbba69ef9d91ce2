import { describe, expect, it } from 'vitest';
import { resolveOptions, ThoughtSpotConfigError, DEFAULT_REQUESTS_PER_SECOND } from '../../../src/thoughtspot/options.js';
import type { ThoughtSpotClientOptions } from '../../../src/thoughtspot/types.js';

const valid: ThoughtSpotClientOptions = { baseUrl: 'https://acme.thoughtspot.cloud', credentials: { username: 'svc', secretKey: 'k' } };

describe('resolveOptions', () => {
  it('applies the defaults', () => {
    const resolved = resolveOptions(valid);
    expect(resolved.origin).toBe('https://acme.thoughtspot.cloud');
    expect(resolved.basePath).toBe('');
    expect(resolved.rateLimit).toEqual({ requestsPerSecond: DEFAULT_REQUESTS_PER_SECOND, burst: 5 });
    expect(resolved.deadlineMs).toBe(20_000);
  });

  it('keeps a path prefix for clusters behind a reverse proxy', () => {
    expect(resolveOptions({ ...valid, baseUrl: 'https://proxy.example/thoughtspot/' }).basePath).toBe('/thoughtspot');
  });

  it('turns the rate limiter off with false', () => {
    expect(resolveOptions({ ...valid, rateLimit: false }).rateLimit).toBeNull();
  });

  it('reports every problem at once, never echoing a secret', () => {
    let caught: unknown;
    try {
      resolveOptions({
        baseUrl: 'https://h.example/api/rest/2.0',
        credentials: { username: '', secretKey: 'top-secret-value', password: 'another-secret' } as never,
        timeouts: { deadlineMs: -1 },
        retry: { maxRetries: 1.5, minDelayMs: 500, maxDelayMs: 100 },
        rateLimit: { burst: -2 },
        breaker: { failureThreshold: 0 },
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ThoughtSpotConfigError);
    const problems = (caught as ThoughtSpotConfigError).problems;
    expect(problems).toEqual([
      'baseUrl must be the cluster URL without /api/rest/2.0, but got: "https://h.example/api/rest/2.0"',
      'credentials.username must be a non-empty string, but got: ""',
      'credentials must hold either secretKey or password, not both',
      'timeouts.deadlineMs must be a positive number, but got: -1',
      'retry.maxRetries must be an integer >= 0, but got: 1.5',
      'retry.maxDelayMs must be >= retry.minDelayMs, but got: 100 < 500',
      'rateLimit.burst must be an integer >= 0, but got: -2',
      'breaker.failureThreshold must be an integer >= 1, but got: 0',
    ]);
    expect((caught as Error).message).not.toContain('top-secret-value');
    expect((caught as Error).message).not.toContain('another-secret');
  });

  it('refuses URLs it cannot use', () => {
    expect(() => resolveOptions({ ...valid, baseUrl: 'ftp://h' })).toThrow('baseUrl must use http or https, but got: "ftp:"');
    expect(() => resolveOptions({ ...valid, baseUrl: 'https://u:p@h' })).toThrow('baseUrl must not carry credentials');
    expect(() => resolveOptions({ ...valid, baseUrl: 'not a url' })).toThrow('baseUrl must be an absolute http(s) URL');
  });

  it('accepts a callContext function and refuses anything else', () => {
    const callContext = () => undefined;
    expect(resolveOptions({ ...valid, callContext }).callContext).toBe(callContext);
    expect(resolveOptions(valid).callContext).toBeUndefined();
    expect(() => resolveOptions({ ...valid, callContext: { flow: {} } as never })).toThrow(
      'callContext must be a function returning { flow?, signal? } or undefined, but got: {"flow":{}}',
    );
  });

  it('requires one credential', () => {
    expect(() => resolveOptions({ ...valid, credentials: { username: 'svc' } as never })).toThrow(
      'credentials must hold a secretKey (trusted authentication) or a password',
    );
  });
});
