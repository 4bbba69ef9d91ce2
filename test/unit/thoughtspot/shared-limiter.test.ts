import { describe, expect, it } from 'vitest';
import { createThoughtSpotClient } from '../../../src/thoughtspot/index.js';
import type { SharedRateBudget, SharedRateLimits } from '../../../src/thoughtspot/index.js';
import { RateLimiter } from '../../../src/thoughtspot/rate-limiter.js';
import { SHARED_BUDGET_RETRY_MS, SHARED_BUDGET_TIMEOUT_MS, SharedRateLimiter } from '../../../src/thoughtspot/shared-limiter.js';
import { settle, virtualClock, type VirtualClock } from './virtual-clock.js';

const NEVER = new AbortController().signal;

/**
 * A shared budget on the virtual clock, as Redis would keep it: one GCRA bucket (the in-process limiter's arithmetic)
 * that every replica's limiter asks. `mode` makes it fail or stop answering, as an unreachable Redis does.
 */
function fakeBudget(clock: VirtualClock, requestsPerSecond: number, burst: number, sharers = 1) {
  const bucket = new RateLimiter(requestsPerSecond, burst, clock);
  const calls: { op: string; at: number; ms?: number; limits: SharedRateLimits }[] = [];
  let closed = 0;
  const state = { mode: 'up' as 'up' | 'down' | 'silent' };
  const answer = <T>(value: () => T): Promise<T> =>
    state.mode === 'up' ? Promise.resolve(value()) : state.mode === 'down' ? Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) : new Promise<T>(() => {});
  const budget: SharedRateBudget = {
    sharers,
    take(limits) {
      calls.push({ op: 'take', at: clock.now(), limits });
      return answer(() => {
        const slot = bucket.reserve(0);
        return 'refused' in slot ? slot.refused : 0;
      });
    },
    hold(ms, limits) {
      calls.push({ op: 'hold', at: clock.now(), ms, limits });
      return answer(() => bucket.holdUntil(clock.now() + ms));
    },
    close() {
      closed += 1;
      return Promise.resolve();
    },
  };
  return { budget, calls, state, closed: () => closed };
}

/** Departures recorded as `label@time`, in the order the limiters let callers go. */
function departures(clock: VirtualClock) {
  const order: string[] = [];
  const times: number[] = [];
  return { order, times, go: (label: string) => () => void (order.push(label), times.push(clock.now())) };
}

async function drain(clock: VirtualClock): Promise<void> {
  await settle();
  while (await clock.runNext()) await settle();
}

type Logged = { level: string; message: string; fields: Record<string, unknown> };
function logSink(): { lines: Logged[]; log: (level: 'info' | 'warn' | 'debug', message: string, fields: Record<string, unknown>) => void } {
  const lines: Logged[] = [];
  return { lines, log: (level, message, fields) => void lines.push({ level, message, fields }) };
}

describe('SharedRateLimiter', () => {
  it('takes every slot from the shared budget, so two replicas together keep its rate, each serving its flows in turn', async () => {
    const clock = virtualClock(0);
    const shared = fakeBudget(clock, 100, 0);
    const replicas = [new SharedRateLimiter(100, 0, shared.budget, undefined, clock), new SharedRateLimiter(100, 0, shared.budget, undefined, clock)];
    const log = departures(clock);
    const a = {};
    const b = {};
    const calls = replicas.flatMap((limiter, replica) => [
      ...[1, 2, 3].map((index) => limiter.acquire(NEVER, { flow: a }).then(log.go(`r${replica}A${index}`))),
      ...[1, 2].map((index) => limiter.acquire(NEVER, { flow: b }).then(log.go(`r${replica}B${index}`))),
    ]);
    await drain(clock);
    await Promise.all(calls);
    expect(log.times).toHaveLength(10);
    // One slot per 10 ms over both replicas: never two in one interval.
    const sorted = [...log.times].sort((x, y) => x - y);
    sorted.slice(1).forEach((time, index) => expect(time - (sorted[index] as number)).toBeGreaterThanOrEqual(10));
    // Within a replica, flows take turns and each flow's calls leave in order.
    expect(log.order.filter((label) => label.startsWith('r0'))).toEqual(['r0A1', 'r0B1', 'r0A2', 'r0B2', 'r0A3']);
    expect(log.order.filter((label) => label.startsWith('r1'))).toEqual(['r1A1', 'r1B1', 'r1A2', 'r1B2', 'r1A3']);
    expect(shared.calls.every((call) => call.limits.requestsPerSecond === 100 && call.limits.burst === 0)).toBe(true);
  });

  it('refuses at once a caller whose turn would come after its deadline, and lets an aborted waiter leave', async () => {
    const clock = virtualClock(0);
    const shared = fakeBudget(clock, 100, 0);
    const limiter = new SharedRateLimiter(100, 0, shared.budget, undefined, clock);
    const log = departures(clock);
    await limiter.acquire(NEVER);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    await settle();
    // The budget said the next slot is 10 ms away; one caller waits for it: a newcomer's turn is 20 ms away.
    expect(await limiter.acquire(NEVER, { maxWaitMs: 19 })).toEqual({ refused: 20 });
    const outcomes = Promise.allSettled([waiting, limiter.acquire(NEVER, { maxWaitMs: 20 }).then(log.go('next'))]);
    controller.abort(new Error('deadline passed'));
    expect(limiter.queued).toBe(1);
    await drain(clock);
    // The aborted caller leaves with its reason; its turn goes to the next one, at the slot the budget announced.
    expect(await outcomes).toEqual([
      { status: 'rejected', reason: new Error('deadline passed') },
      { status: 'fulfilled', value: undefined },
    ]);
    expect(log.times).toEqual([10]);
  });

  it('paces locally at the rate divided by the replicas last seen while the budget fails, says so once, and returns to it', async () => {
    const clock = virtualClock(0);
    const shared = fakeBudget(clock, 90, 5, 3);
    const sink = logSink();
    const limiter = new SharedRateLimiter(90, 5, shared.budget, sink.log, clock);
    shared.state.mode = 'down';
    const log = departures(clock);
    const calls = Array.from({ length: 6 }, (_, index) => limiter.acquire(NEVER).then(log.go(String(index))));
    await drain(clock);
    await Promise.all(calls);
    // 30 requests/s with a burst of 1: two at once, then one every 33.3 ms (timers fire on whole milliseconds, never
    // early).
    expect(log.times).toEqual([0, 0, 34, 67, 100, 134]);
    expect(limiter.local).toBe(true);
    // The budget was asked once; it is not asked again before SHARED_BUDGET_RETRY_MS.
    expect(shared.calls.filter((call) => call.op === 'take')).toHaveLength(1);
    expect(sink.lines).toEqual([
      {
        level: 'warn',
        message: 'the shared rate budget does not answer; pacing locally at the configured rate divided by the replicas last seen',
        fields: { error: 'Error: connect ECONNREFUSED 127.0.0.1:6379', replicas: 3, requestsPerSecond: 30, burst: 1, retryInMs: SHARED_BUDGET_RETRY_MS },
      },
    ]);

    shared.state.mode = 'up';
    await clock.advance(SHARED_BUDGET_RETRY_MS);
    await limiter.acquire(NEVER);
    expect(limiter.local).toBe(false);
    expect(shared.calls.filter((call) => call.op === 'take')).toHaveLength(2);
    expect(sink.lines.map((line) => line.level)).toEqual(['warn', 'info']);
  });

  it('waits no longer than SHARED_BUDGET_TIMEOUT_MS for a budget that does not answer', async () => {
    const clock = virtualClock(0);
    const shared = fakeBudget(clock, 10, 0);
    const limiter = new SharedRateLimiter(10, 0, shared.budget, undefined, clock);
    shared.state.mode = 'silent';
    const log = departures(clock);
    const call = limiter.acquire(NEVER).then(log.go('first'));
    await drain(clock);
    await call;
    expect(log.times).toEqual([SHARED_BUDGET_TIMEOUT_MS]);
    expect(limiter.local).toBe(true);
  });

  it('holds the shared budget after a 429, for every replica, and local pacing started later honours the hold', async () => {
    const clock = virtualClock(0);
    const shared = fakeBudget(clock, 100, 10);
    const first = new SharedRateLimiter(100, 10, shared.budget, undefined, clock);
    const second = new SharedRateLimiter(100, 10, shared.budget, undefined, clock);
    first.holdUntil(2_000);
    await settle();
    expect(shared.calls).toEqual([{ op: 'hold', at: 0, ms: 2_000, limits: { requestsPerSecond: 100, burst: 10 } }]);
    const log = departures(clock);
    const call = second.acquire(NEVER).then(log.go('after the hold'));
    await drain(clock);
    await call;
    expect(log.times).toEqual([2_000]);

    // drain(): the burst is spent; then the budget goes away and local pacing starts inside a hold.
    first.drain();
    first.holdUntil(clock.now() + 500);
    shared.state.mode = 'down';
    const late = first.acquire(NEVER).then(log.go('local, after the hold'));
    await drain(clock);
    await late;
    expect(log.times[1]).toBe(2_500);
  });

  it('leaves the budget when closed', async () => {
    const clock = virtualClock(0);
    const shared = fakeBudget(clock, 100, 0);
    await new SharedRateLimiter(100, 0, shared.budget, undefined, clock).close();
    expect(shared.closed()).toBe(1);
  });

  it('is what the client paces with when given a shared budget, which the client checks', async () => {
    const base = { baseUrl: 'https://acme.thoughtspot.cloud', credentials: { username: 'svc', secretKey: 'k' } };
    expect(() => createThoughtSpotClient({ ...base, rateLimit: { shared: {} as SharedRateBudget } })).toThrow(
      'rateLimit.shared must be a SharedRateBudget (an object with take(), hold() and close()), but got: {}',
    );
    const shared = fakeBudget(virtualClock(0), 10, 0);
    const client = createThoughtSpotClient({ ...base, rateLimit: { requestsPerSecond: 10, shared: shared.budget } });
    await client.close();
    expect(shared.closed()).toBe(1);
  });
});
