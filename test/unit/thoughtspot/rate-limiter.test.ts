import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/thoughtspot/rate-limiter.js';
import { createRateLimiter } from '../../../src/emulator/rate-limit.js';
import { settle, virtualClock, type VirtualClock } from './virtual-clock.js';

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

const NEVER = new AbortController().signal;

/** Departures recorded as `label@time`, in the order the limiter let callers go. */
function departures(clock: VirtualClock): { readonly order: string[]; readonly times: number[]; go: (label: string) => () => void } {
  const order: string[] = [];
  const times: number[] = [];
  return {
    order,
    times,
    go: (label) => () => {
      order.push(label);
      times.push(clock.now());
    },
  };
}

/** Run the clock until no timer is pending (the queue is empty or every waiter has aborted). */
async function drain(clock: VirtualClock): Promise<void> {
  await settle();
  while (await clock.runNext());
}

describe('RateLimiter', () => {
  it('lets burst + 1 requests go at once, like nginx limit_req burst=N nodelay', () => {
    const limiter = new RateLimiter(100, 10, virtualClock(1_000));
    const waits = burst(limiter, 12);
    expect(waits.slice(0, 11)).toEqual(Array(11).fill(0));
    expect(waits[11]).toBeCloseTo(10, 9);
  });

  it('spaces requests beyond the burst at the steady rate', () => {
    const limiter = new RateLimiter(50, 0, virtualClock(1_000));
    expect(burst(limiter, 4)).toEqual([0, 20, 40, 60]);
  });

  it('refills at the configured rate, never above capacity', async () => {
    const clock = virtualClock(1_000);
    const limiter = new RateLimiter(100, 4, clock);
    burst(limiter, 5);
    await clock.advance(30);
    expect(burst(limiter, 4)).toEqual([0, 0, 0, 10]);
    await clock.advance(10_000);
    expect(burst(limiter, 6)).toEqual([0, 0, 0, 0, 0, 10]);
  });

  it('never grants more than burst + 1 + rate × t slots within any window of t', () => {
    const clock = virtualClock(1_000);
    const limiter = new RateLimiter(90, 5, clock);
    const grants: number[] = [];
    // 1,000 requests arriving in clumps at irregular times.
    for (let index = 0; index < 1_000; index += 1) {
      if (index % 7 === 0) clock.stall((index * 37) % 23);
      const slot = limiter.reserve();
      if ('refused' in slot) throw new Error('unexpected refusal');
      grants.push(clock.now() + slot.waitMs);
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
    const limiter = new RateLimiter(10, 0, virtualClock(1_000));
    burst(limiter, 1);
    expect(limiter.reserve(50)).toEqual({ refused: 100 });
    expect(limiter.peekWaitMs()).toBe(100);
    expect(limiter.reserve(100)).toEqual({ waitMs: 100 });
  });

  it('holds every slot until a Retry-After has passed, then resumes at the steady rate', () => {
    const clock = virtualClock(1_000);
    const limiter = new RateLimiter(100, 10, clock);
    limiter.holdUntil(clock.now() + 2_000);
    expect(burst(limiter, 3)).toEqual([2_000, 2_010, 2_020]);
  });

  it('lets the first request after a hold go exactly when the hold ends, with no floating-point residue', async () => {
    const clock = virtualClock(0);
    // 90/s with burst 5: the tolerance (55.5… ms) is not exact in binary, and is added and then subtracted.
    const limiter = new RateLimiter(90, 5, clock);
    limiter.holdUntil(1_000);
    await clock.advance(1_000);
    expect(limiter.peekWaitMs()).toBe(0);
  });

  it('drains the burst allowance after a 429', () => {
    const limiter = new RateLimiter(100, 10, virtualClock(1_000));
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
  it('lets waiters go one interval apart, in arrival order, each at the moment its slot comes', async () => {
    const clock = virtualClock(0);
    const limiter = new RateLimiter(200, 0, clock);
    const log = departures(clock);
    const grants = [1, 2, 3].map((index) => limiter.acquire(NEVER).then(log.go(String(index))));
    // The first leaves at once; the other two wait for slots 5 ms apart.
    expect(limiter.queued).toBe(2);
    await settle();
    expect(log.order).toEqual(['1']);
    await clock.advance(4);
    expect(log.order).toEqual(['1']);
    await clock.advance(1);
    expect(log.order).toEqual(['1', '2']);
    await drain(clock);
    await Promise.all(grants);
    expect(log.order).toEqual(['1', '2', '3']);
    expect(log.times).toEqual([0, 5, 10]);
  });

  it('refuses at once, without queueing, a caller whose expected wait exceeds its limit', async () => {
    const clock = virtualClock(0);
    const limiter = new RateLimiter(200, 0, clock);
    const grants = [1, 2, 3].map(() => limiter.acquire(NEVER));
    // Two wait behind the first, 5 ms apart: a fourth would leave 15 ms from now.
    expect(await limiter.acquire(NEVER, { maxWaitMs: 14 })).toEqual({ refused: 15 });
    expect(limiter.queued).toBe(2);
    const fourth = limiter.acquire(NEVER, { maxWaitMs: 15 });
    expect(limiter.queued).toBe(3);
    await drain(clock);
    await expect(Promise.all([...grants, fourth])).resolves.toEqual([undefined, undefined, undefined, undefined]);
  });

  it('drops an aborted waiter without granting it, and the next waiter takes its turn', async () => {
    const clock = virtualClock(0);
    const limiter = new RateLimiter(100, 0, clock);
    const log = departures(clock);
    await limiter.acquire(NEVER);
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal).then(log.go('aborted'));
    const next = limiter.acquire(NEVER).then(log.go('next'));
    controller.abort(new Error('deadline passed'));
    await expect(aborted).rejects.toThrow('deadline passed');
    expect(limiter.queued).toBe(1);
    await drain(clock);
    await next;
    expect(log.order).toEqual(['next']);
    expect(log.times).toEqual([10]);
  });

  it('serves a flow that arrives behind a 50-call backlog within the next 2 departures', async () => {
    const clock = virtualClock(0);
    const limiter = new RateLimiter(100, 0, clock);
    const log = departures(clock);
    const a = { name: 'request A' };
    const b = { name: 'request B' };
    const calls = Array.from({ length: 50 }, (_, index) => limiter.acquire(NEVER, { flow: a }).then(log.go(`A${index + 1}`)));
    await settle();
    const departedBeforeB = log.order.length;
    calls.push(limiter.acquire(NEVER, { flow: b }).then(log.go('B1')));
    await drain(clock);
    await Promise.all(calls);
    const position = log.order.indexOf('B1') - departedBeforeB + 1;
    expect(position).toBeGreaterThanOrEqual(1);
    expect(position).toBeLessThanOrEqual(2);
    // A's own calls still leave in their order, and the pace is unchanged: 51 slots, 10 ms apart.
    expect(log.order.filter((label) => label.startsWith('A'))).toEqual(Array.from({ length: 50 }, (_, index) => `A${index + 1}`));
    expect(log.times).toEqual(Array.from({ length: 51 }, (_, index) => index * 10));
  });

  it('serves waiting flows in turn, FIFO within each, with calls without a flow sharing one', async () => {
    const clock = virtualClock(0);
    const limiter = new RateLimiter(100, 0, clock);
    const log = departures(clock);
    await limiter.acquire(NEVER);
    const a = {};
    const b = {};
    const calls = [
      ...[1, 2, 3].map((index) => limiter.acquire(NEVER, { flow: a }).then(log.go(`A${index}`))),
      ...[1, 2].map((index) => limiter.acquire(NEVER, { flow: b }).then(log.go(`B${index}`))),
      ...[1, 2].map((index) => limiter.acquire(NEVER).then(log.go(`anonymous${index}`))),
    ];
    await drain(clock);
    await Promise.all(calls);
    expect(log.order).toEqual(['A1', 'B1', 'anonymous1', 'A2', 'B2', 'anonymous2', 'A3']);
  });

  it('estimates a newcomer\'s wait from its place in the rotation, not from the length of the whole queue', () => {
    const clock = virtualClock(0);
    const limiter = new RateLimiter(100, 0, clock);
    const a = {};
    const b = {};
    void limiter.acquire(NEVER, { flow: a });
    for (let index = 0; index < 49; index += 1) void limiter.acquire(NEVER, { flow: a });
    // The bucket is empty for 10 ms; then a newcomer waits for one of A's calls, its own flow's backlog for all 49.
    expect(limiter.expectedWaitMs(b)).toBe(20);
    expect(limiter.expectedWaitMs(a)).toBe(500);
    void limiter.acquire(NEVER, { flow: b });
    // Now B is in the rotation behind A: B's second call waits for 2 of A's and its own first.
    expect(limiter.expectedWaitMs(b)).toBe(40);
    expect(limiter.expectedWaitMs({})).toBe(30);
  });

  it('refuses the flooding flow\'s next call but not another flow\'s, under the same limit', async () => {
    const clock = virtualClock(0);
    const limiter = new RateLimiter(100, 0, clock);
    const a = {};
    const queued = Array.from({ length: 50 }, () => limiter.acquire(NEVER, { flow: a }));
    expect(await limiter.acquire(NEVER, { maxWaitMs: 100, flow: a })).toEqual({ refused: 500 });
    const other = limiter.acquire(NEVER, { maxWaitMs: 100, flow: {} });
    await drain(clock);
    await expect(other).resolves.toBeUndefined();
    await Promise.all(queued);
  });

  it('keeps within ThoughtSpot\'s documented limit, as the emulator enforces it, across flows and event-loop stalls', async () => {
    const clock = virtualClock(0);
    const limiter = new RateLimiter(90, 5, clock);
    // The emulator's bucket (100 requests/s, burst 10) fed the same departure times.
    const thoughtspot = createRateLimiter({ enabled: true, requestsPerSecond: 100, burst: 10, retryAfterHeader: false }, clock.now);
    const refused: number[] = [];
    const flows = [{}, {}, {}, undefined];
    const calls: Promise<void>[] = [];
    for (let index = 0; index < 600; index += 1) {
      calls.push(
        limiter.acquire(NEVER, { flow: flows[index % flows.length] }).then(() => {
          if (!thoughtspot.take('127.0.0.1')) refused.push(index);
        }),
      );
    }
    // Run the queue, stalling the event loop for 250 ms now and then: timers then fire late, all at once.
    for (let step = 0; clock.pending > 0; step += 1) {
      if (step % 40 === 39) clock.stall(250);
      await clock.runNext();
    }
    await Promise.all(calls);
    expect(refused).toEqual([]);
  });
});
