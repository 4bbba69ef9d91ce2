import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT } from '../../src/emulator/options.js';
import { createRateLimiter } from '../../src/emulator/rate-limit.js';
import type { RateLimitOptions } from '../../src/emulator/types.js';
import { readVendorError, send } from './support/http.js';
import { useEmulator } from './support/start.js';

describe('createRateLimiter', () => {
  function limiter(options: Partial<RateLimitOptions>) {
    let now = 0;
    const l = createRateLimiter({ ...DEFAULT_RATE_LIMIT, ...options }, () => now);
    return { take: (key = 'a') => l.take(key), advance: (ms: number) => (now += ms), clear: () => l.clear() };
  }

  it('lets burst + 1 requests through at once, then refuses (nginx burst=10 nodelay)', () => {
    const l = limiter({ requestsPerSecond: 100, burst: 10 });
    const outcomes = Array.from({ length: 12 }, () => l.take());
    expect(outcomes.filter(Boolean)).toHaveLength(11);
    expect(outcomes.at(-1)).toBe(false);
  });

  it('refills at requestsPerSecond and never beyond the burst', () => {
    const l = limiter({ requestsPerSecond: 100, burst: 10 });
    for (let i = 0; i < 11; i++) l.take();
    expect(l.take()).toBe(false);
    l.advance(10); // one token at 100/s
    expect(l.take()).toBe(true);
    expect(l.take()).toBe(false);
    l.advance(60_000);
    expect(Array.from({ length: 12 }, () => l.take()).filter(Boolean)).toHaveLength(11);
  });

  it('sustains exactly the configured rate', () => {
    const l = limiter({ requestsPerSecond: 100, burst: 10 });
    let accepted = 0;
    for (let ms = 0; ms < 1000; ms++) {
      if (l.take()) accepted++;
      l.advance(1);
    }
    expect(accepted).toBe(11 + 99);
  });

  it('keeps one bucket per client', () => {
    const l = limiter({ requestsPerSecond: 1, burst: 0 });
    expect(l.take('10.0.0.1')).toBe(true);
    expect(l.take('10.0.0.1')).toBe(false);
    expect(l.take('10.0.0.2')).toBe(true);
  });

  it('forgets every bucket on clear', () => {
    const l = limiter({ requestsPerSecond: 1, burst: 0 });
    l.take();
    expect(l.take()).toBe(false);
    l.clear();
    expect(l.take()).toBe(true);
  });
});

describe('emulator rate limiting', () => {
  // `rateLimit: {}` keeps the product's limiter, which the test emulator otherwise switches off.
  const t = useEmulator({ seed: 'minimal', rateLimit: {}, isolation: 'controls' });

  const search = () => t.api.post('/users/search', {}, t.admin);

  it('is on by default with the documented 100 requests/s and burst 10', () => {
    expect(t.emulator.rateLimit).toEqual({ enabled: true, requestsPerSecond: 100, burst: 10, retryAfterHeader: false });
  });

  it('answers 429 in the vendor envelope without Retry-After once the burst is spent', async () => {
    // A rate so low that no token comes back during the test: the fourth call must be refused.
    t.emulator.setRateLimit({ requestsPerSecond: 0.001, burst: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await search()).status);
    expect(statuses).toEqual([200, 200, 200]);
    const refused = await search();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(readVendorError(refused)).toMatchObject({
      shape: 'B',
      code: 10002,
      messages: ['Rate limit exceeded: more than 0.001 requests per second (burst 2) from client 127.0.0.1.'],
    });
    expect(t.emulator.calls().at(-1)).toMatchObject({ status: 429, fault: 'rate-limit', endpoint: 'POST /api/rest/2.0/users/search' });
  });

  it('sends Retry-After when retryAfterHeader is on', async () => {
    t.emulator.setRateLimit({ requestsPerSecond: 0.5, burst: 0, retryAfterHeader: true });
    await search();
    const refused = await search();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2');
  });

  it('recovers once the bucket refills', async () => {
    t.emulator.setRateLimit({ requestsPerSecond: 5, burst: 0 });
    let refused = false;
    for (let i = 0; i < 20 && !refused; i++) refused = (await search()).status === 429;
    expect(refused).toBe(true);
    // One token comes back every 200 ms; poll (bounded) until it does.
    let recovered = false;
    for (let i = 0; i < 40 && !recovered; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      recovered = (await search()).status === 200;
    }
    expect(recovered).toBe(true);
  });

  it('lets everything through when disabled', async () => {
    t.emulator.setRateLimit({ enabled: false, requestsPerSecond: 0.001, burst: 0 });
    const statuses = await Promise.all(Array.from({ length: 30 }, () => search().then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });

  it('never limits the admin route', async () => {
    t.emulator.setRateLimit({ requestsPerSecond: 0.001, burst: 0 });
    await search();
    expect((await search()).status).toBe(429);
    for (let i = 0; i < 5; i++) expect((await send(t.emulator.url, 'GET', '/__emulator/health')).status).toBe(200);
  });

  it('starts every client afresh after reset()', async () => {
    t.emulator.setRateLimit({ requestsPerSecond: 0.001, burst: 0 });
    await search();
    expect((await search()).status).toBe(429);
    t.emulator.reset();
    t.emulator.setRateLimit({ requestsPerSecond: 0.001, burst: 0 });
    expect((await search()).status).toBe(200);
  });

  it('rejects invalid settings with a message naming each one', () => {
    expect(() => t.emulator.setRateLimit({ requestsPerSecond: 0, burst: -1 })).toThrow(
      'Invalid rateLimit: rateLimit.requestsPerSecond must be a positive number, but got: 0; rateLimit.burst must be a non-negative integer, but got: -1.',
    );
    expect(() => t.emulator.setRateLimit({ rps: 5 } as unknown as Partial<RateLimitOptions>)).toThrow(
      'Invalid rateLimit: unknown rateLimit option "rps" (expected one of enabled, requestsPerSecond, burst, retryAfterHeader).',
    );
  });
});
