// Test support for the adapter: a virtual monotonic clock to inject wherever the adapter paces, backs off or keeps a
// deadline (src/thoughtspot/timers.ts `MonotonicClock`). Time moves only when a test moves it, and timers fire in due
// order at their due time, so tests assert order and counts, never how long something took on the wall clock
// (house-style §4.4).

import type { MonotonicClock } from '../../../src/thoughtspot/timers.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** A clock that only moves when told to. */
export interface VirtualClock extends MonotonicClock {
  /**
   * Move time forward by `ms`, firing every timer that falls due on the way, each at its own due time and in due
   * order; what a timer sets off (promise callbacks) runs before the next one fires.
   */
  advance(ms: number): Promise<void>;
  /**
   * Jump to the earliest pending timer and fire it, if it falls due within `withinMs` from now (default: however far
   * off). Returns false when there was none.
   */
  runNext(withinMs?: number): Promise<boolean>;
  /**
   * Move time forward by `ms` without firing anything, as an event-loop stall does: the timers that fell due fire
   * late, at the new time, on the next `advance`.
   */
  stall(ms: number): void;
  /** Timers not yet fired or cancelled. */
  readonly pending: number;
}

/** Let every promise callback already queued run (one macrotask turn; no I/O is waited for). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A virtual clock starting at `start`. */
export function virtualClock(start = 0): VirtualClock {
  let time = start;
  let seq = 0;
  const timers: Timer[] = [];

  const nextDue = (limit: number): Timer | undefined => {
    let best: Timer | undefined;
    for (const timer of timers) {
      if (timer.cancelled || timer.at > limit) continue;
      if (best === undefined || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq)) best = timer;
    }
    return best;
  };
  const fire = async (timer: Timer): Promise<void> => {
    timers.splice(timers.indexOf(timer), 1);
    time = Math.max(time, timer.at);
    timer.callback();
    await settle();
  };

  return {
    now: () => time,
    setTimer(callback, ms) {
      const timer: Timer = { at: time + Math.max(0, ms), seq: (seq += 1), callback, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
        const index = timers.indexOf(timer);
        if (index !== -1) timers.splice(index, 1);
      };
    },
    async advance(ms) {
      const target = time + ms;
      for (let timer = nextDue(target); timer !== undefined; timer = nextDue(target)) await fire(timer);
      time = target;
      await settle();
    },
    async runNext(withinMs = Number.POSITIVE_INFINITY) {
      const timer = nextDue(time + withinMs);
      if (timer === undefined) return false;
      await fire(timer);
      return true;
    },
    stall(ms) {
      time += ms;
    },
    get pending() {
      return timers.filter((timer) => !timer.cancelled).length;
    },
  };
}
