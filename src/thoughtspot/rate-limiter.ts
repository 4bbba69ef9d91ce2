// Internal to src/thoughtspot: the client-side rate limiter. ThoughtSpot allows 100 requests/s per client IP with a
// burst of 10 and answers 429 beyond that (CONTRACT.md §7); pacing ourselves is cheaper than being told to wait.

import { WaiterQueue } from './waiters.js';
import { SYSTEM_CLOCK, type MonotonicClock } from './timers.js';

/**
 * Waits shorter than this are no wait: the schedule adds and subtracts the burst tolerance, and the floating-point
 * residue (1e-13 ms and the like) would otherwise become a whole extra millisecond once the timer rounds it up.
 */
const RESIDUE_MS = 1e-6;

/** How `acquire` is asked for a slot. */
export interface AcquireOptions {
  /** Refuse at once, without queueing, when the expected wait exceeds this (ms). Default: no limit. */
  readonly maxWaitMs?: number;
  /** The GraphQL request the caller belongs to (see waiters.ts). Callers without one share the anonymous flow. */
  readonly flow?: object | undefined;
}

/**
 * What the pipeline needs of a rate limiter (pipeline.ts): a slot before each attempt leaves, handed out in turn
 * between flows and refused at once when it would come after the call's deadline; and a way to slow every call down
 * after ThoughtSpot answered 429. `RateLimiter` below is the default, one budget per process; `SharedRateLimiter`
 * (shared-limiter.ts) keeps the same queue and takes its slots from a budget that every replica shares.
 */
export interface Limiter {
  /**
   * Wait for a slot and take it. Resolves when the request may leave; rejects with the signal's reason if it aborts
   * first. When the expected wait exceeds `maxWaitMs`, it does not queue and returns `{ refused: expectedWaitMs }`.
   */
  acquire(signal: AbortSignal, options?: AcquireOptions): Promise<{ readonly refused: number } | undefined>;
  /** Grant no slot before `time` (on the pipeline's monotonic clock), then resume with the burst allowance spent. */
  holdUntil(time: number): void;
  /** Empty the bucket: the next requests go at the steady rate. */
  drain(): void;
  /** Requests waiting for a slot. */
  readonly queued: number;
  /** Release what the limiter holds outside this process (the client's `close()` calls it). */
  close?(): Promise<void>;
}

/**
 * A token bucket written as GCRA (the "virtual scheduling" form): one number, the theoretical arrival time of the
 * next request, replaces the bucket level, so every decision is O(1) and exact. `burst` means what it means in
 * nginx's `limit_req burst=N nodelay`, which is how ThoughtSpot documents its limit: N requests beyond the steady
 * rate may go at once, so the bucket holds `burst + 1`.
 *
 * Waiters queue behind one timer, FIFO within a flow and round-robin between flows (waiters.ts says why), and a slot
 * is taken at the moment its request leaves, never booked ahead. Booking ahead would let an event-loop stall release
 * every booked request at once when the timers finally fire; taking slots at departure means that after a stall at
 * most `burst + 1` go together, then pacing resumes. It also means fairness costs nothing: who goes next is decided
 * only when a slot is free, so a flow that starts waiting late is not stuck behind slots promised earlier.
 */
export class RateLimiter implements Limiter {
  /** Milliseconds between two requests at the steady rate. */
  readonly intervalMs: number;
  /** How far ahead of the steady schedule a burst may run, in milliseconds. */
  private readonly toleranceMs: number;
  /** Theoretical arrival time of the next request at the steady rate. */
  private tat = Number.NEGATIVE_INFINITY;
  private readonly waiters = new WaiterQueue();
  private timerArmed = false;

  constructor(
    readonly requestsPerSecond: number,
    readonly burst: number,
    private readonly clock: MonotonicClock = SYSTEM_CLOCK,
  ) {
    if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) {
      throw new RangeError(`requestsPerSecond must be a positive number, but got: ${requestsPerSecond}`);
    }
    if (!Number.isInteger(burst) || burst < 0) {
      throw new RangeError(`burst must be a non-negative integer, but got: ${burst}`);
    }
    this.intervalMs = 1000 / requestsPerSecond;
    this.toleranceMs = burst * this.intervalMs;
  }

  /**
   * Wait for a slot and take it. Resolves when the request may leave; rejects with the signal's reason if it aborts
   * first. When the expected wait (`expectedWaitMs`) exceeds `maxWaitMs`, it does not queue and returns
   * `{ refused: expectedWaitMs }` at once.
   */
  async acquire(signal: AbortSignal, options: AcquireOptions = {}): Promise<{ readonly refused: number } | undefined> {
    if (signal.aborted) throw signal.reason;
    const expected = this.expectedWaitMs(options.flow);
    if (expected > (options.maxWaitMs ?? Number.POSITIVE_INFINITY)) return { refused: expected };
    if (expected === 0 && this.waiters.length === 0) {
      this.reserve();
      return undefined;
    }
    const turn = this.waiters.wait(signal, options.flow);
    this.pump();
    await turn;
    return undefined;
  }

  /**
   * How long a caller of `flow` asking now would wait, if nobody else joined or left: the bucket's own wait, plus one
   * interval per waiter that round-robin would serve first. While anyone waits the bucket is empty, so those waiters
   * leave exactly one interval apart. A newly arriving flow waits for about one slot per waiting flow, however long
   * their queues; a flow's own backlog counts in full against its own newcomers.
   */
  expectedWaitMs(flow?: object): number {
    return this.peekWaitMs() + this.waiters.aheadOf(flow) * this.intervalMs;
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.waiters.length;
  }

  // Private: grant slots to the waiter whose turn it is while the bucket allows, then sleep until the next slot.
  private pump(): void {
    if (this.timerArmed) return;
    while (this.waiters.length > 0) {
      const wait = this.peekWaitMs();
      if (wait > 0) {
        this.timerArmed = true;
        this.clock.setTimer(() => {
          this.timerArmed = false;
          this.pump();
        }, Math.ceil(wait));
        return;
      }
      this.reserve();
      this.waiters.wakeNext();
    }
  }

  /**
   * Take the next slot on the steady schedule and return how long after now it is (0 = now). When that would exceed
   * `maxWaitMs`, nothing is taken and the would-be wait is returned as `{ refused }`. The arithmetic behind
   * `acquire`, exposed for tests and for callers that schedule their own departures.
   */
  reserve(maxWaitMs = Number.POSITIVE_INFINITY): { readonly waitMs: number } | { readonly refused: number } {
    const now = this.clock.now();
    const tat = Math.max(this.tat, now);
    const waitMs = this.waitAt(now);
    if (waitMs > maxWaitMs) return { refused: waitMs };
    this.tat = tat + this.intervalMs;
    return { waitMs };
  }

  /** How long a reservation made now would wait, without making it. */
  peekWaitMs(): number {
    return this.waitAt(this.clock.now());
  }

  private waitAt(now: number): number {
    const wait = Math.max(this.tat, now) - this.toleranceMs - now;
    return wait > RESIDUE_MS ? wait : 0;
  }

  /**
   * Grant no slot before `time` (same clock as `now`), then resume at the steady rate with the burst allowance spent:
   * ThoughtSpot's Retry-After applies to every call from this host, not only the one that received it, and nothing
   * says its bucket is full again when the wait ends.
   */
  holdUntil(time: number): void {
    this.tat = Math.max(this.tat, time + this.toleranceMs);
  }

  /**
   * Empty the bucket: after a 429 the server's bucket is empty, so the burst allowance is gone on our side too and
   * the next requests go at the steady rate.
   */
  drain(): void {
    this.holdUntil(this.clock.now() + this.intervalMs);
  }
}
