import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/thoughtspot/rate-limiter.js';

function clock(start = 1_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

/** Reserve `count` slots at the current time and return their waits. */
function burst(limiter: RateLimiter, count: number): number[] {
  const waits: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const slot = limiter.reserve();
    if ('refused' in slot) throw new Error('unexpected refusal');
    waits.push(slot.waitMs);
  }
  return waits;
}

describe('RateLimiter', () => {
  it('lets burst + 1 requests go at once, like nginx limit_req burst=N nodelay', () => {
    const time = clock();
    const limiter = new RateLimiter(100, 10, time.now);
    const waits = burst(limiter, 12);
    expect(waits.slice(0, 11)).toEqual(Array(11).fill(0));
    expect(waits[11]).toBeCloseTo(10, 9);
  });

  it('spaces requests beyond the burst at the steady rate', () => {
    const time = clock();
    const limiter = new RateLimiter(50, 0, time.now);
    expect(burst(limiter, 4)).toEqual([0, 20, 40, 60]);
  });

  it('refills at the configured rate, never above capacity', () => {
    const time = clock();
    const limiter = new RateLimiter(100, 4, time.now);
    burst(limiter, 5);
    time.advance(30);
    expect(burst(limiter, 4)).toEqual([0, 0, 0, 10]);
    time.advance(10_000);
    expect(burst(limiter, 6)).toEqual([0, 0, 0, 0, 0, 10]);
  });

  it('never grants more than burst + 1 + rate × t slots within any window of t', () => {
    const time = clock();
    const limiter = new RateLimiter(90, 5, time.now);
    const grants: number[] = [];
    // 1,000 requests arriving in clumps at irregular times.
    for (let index = 0; index < 1_000; index += 1) {
      if (index % 7 === 0) time.advance((index * 37) % 23);
      const slot = limiter.reserve();
      if ('refused' in slot) throw new Error('unexpected refusal');
      grants.push(time.now() + slot.waitMs);
    }
    grants.sort((a, b) => a - b);
    for (let i = 0; i < grants.length; i += 1) {
      for (let j = i; j < grants.length; j += 1) {
        const window = (grants[j] as number) - (grants[i] as number);
        expect(j - i + 1).toBeLessThanOrEqual(6 + (90 * window) / 1000 + 1e-9);
        if (window > 200) break;
      }
    }
  });

  it('refuses without reserving when the wait would exceed the limit given', () => {
    const time = clock();
    const limiter = new RateLimiter(10, 0, time.now);
    burst(limiter, 1);
    expect(limiter.reserve(50)).toEqual({ refused: 100 });
    expect(limiter.peekWaitMs()).toBe(100);
    expect(limiter.reserve(100)).toEqual({ waitMs: 100 });
  });

  it('holds every slot until a Retry-After has passed, then resumes at the steady rate', () => {
    const time = clock();
    const limiter = new RateLimiter(100, 10, time.now);
    limiter.holdUntil(time.now() + 2_000);
    expect(burst(limiter, 3)).toEqual([2_000, 2_010, 2_020]);
  });

  it('drains the burst allowance after a 429', () => {
    const time = clock();
    const limiter = new RateLimiter(100, 10, time.now);
    limiter.drain();
    expect(burst(limiter, 3)).toEqual([10, 20, 30]);
  });

  it('rejects nonsensical settings', () => {
    expect(() => new RateLimiter(0, 1)).toThrow('requestsPerSecond must be a positive number, but got: 0');
    expect(() => new RateLimiter(10, -1)).toThrow('burst must be a non-negative integer, but got: -1');
    expect(() => new RateLimiter(10, 1.5)).toThrow('burst must be a non-negative integer, but got: 1.5');
  });
});

describe('RateLimiter.acquire', () => {
  it('grants waiters in arrival order and refuses one whose expected wait exceeds its limit', async () => {
    const limiter = new RateLimiter(200, 0);
    const signal = new AbortController().signal;
    const order: number[] = [];
    const grants = [1, 2, 3].map((index) => limiter.acquire(signal).then(() => order.push(index)));
    // Two are queued behind the first, 5 ms apart: 15 ms expected for a fourth.
    expect(limiter.queued).toBe(2);
    expect(await limiter.acquire(signal, 1)).toEqual({ refused: expect.any(Number) });
    await Promise.all(grants);
    expect(order).toEqual([1, 2, 3]);
  });

  it('drops an aborted waiter without granting it', async () => {
    const limiter = new RateLimiter(100, 0);
    const never = new AbortController().signal;
    await limiter.acquire(never);
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    controller.abort(new Error('deadline passed'));
    await expect(aborted).rejects.toThrow('deadline passed');
    expect(limiter.queued).toBe(0);
  });
});
