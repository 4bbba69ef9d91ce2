// Internal to src/thoughtspot: the rate limiter of a client whose budget is shared with other processes. Replicas of
// the subgraph behind one router reach ThoughtSpot from one client IP (one NAT, one egress), and ThoughtSpot's limit
// of 100 requests/s is per IP (CONTRACT.md §7): three replicas pacing themselves at 90/s each would send 270/s and be
// answered 429. The budget itself lives outside the process (`SharedRateBudget`, implemented in Redis by
// src/ratelimit); this file keeps what must stay local: the fair queue between this process's GraphQL requests
// (waiters.ts), the refusal of a call whose turn would come after its deadline, and the decision of what to do when
// the shared budget does not answer.

import type { AcquireOptions, Limiter } from './rate-limiter.js';
import { RateLimiter } from './rate-limiter.js';
import { WaiterQueue } from './waiters.js';
import { SYSTEM_CLOCK, type MonotonicClock } from './timers.js';
import type { SharedRateBudget, SharedRateLimits } from './types.js';

/** Longest wait for the shared budget's answer to one question; then the call is paced locally instead. */
export const SHARED_BUDGET_TIMEOUT_MS = 250;
/** After the shared budget failed to answer, how long calls are paced locally before it is asked again. */
export const SHARED_BUDGET_RETRY_MS = 1_000;
/**
 * Longest sleep between two questions while calls wait. The budget's "free in N ms" is exact while nothing changes,
 * so this only bounds the cost of an answer that turned out wrong (a failover to a Redis node with another clock).
 */
const MAX_POLL_MS = 1_000;

/** Where the limiter reports that it switched to local pacing and back (the client's redacting log). */
export type SharedLimiterLog = (level: 'info' | 'warn' | 'debug', message: string, fields: Record<string, unknown>) => void;

/**
 * Slots from a `SharedRateBudget`, handed out in turn between this process's flows.
 *
 * One pump asks the budget for a slot whenever someone waits, one question at a time: "taken" lets the waiter whose
 * turn it is go; "free in N ms" puts the pump to sleep that long. A slot is taken at the moment its request leaves,
 * never booked ahead, for the reason rate-limiter.ts gives (a stalled replica releases at most what it holds), and
 * the fairness between replicas is that of the budget: whoever asks first when a slot frees gets it.
 *
 * Fail-open, by design: when the budget does not answer within SHARED_BUDGET_TIMEOUT_MS (Redis down, partitioned,
 * overloaded) the calls are paced by a local bucket at the configured rate divided by the number of processes that
 * shared the budget when it last answered, with a warning in the log, and the budget is asked again after
 * SHARED_BUDGET_RETRY_MS. Refusing every call instead would turn a cache outage into a directory outage, while the
 * worst that local pacing risks is ThoughtSpot's own 429s, which the pipeline already waits out (and which slow every
 * call of this client down). Nothing waits on the budget longer than the timeout, so no request hangs on it.
 */
export class SharedRateLimiter implements Limiter {
  /** Milliseconds between two requests at the steady rate (of the whole fleet, while the budget answers). */
  readonly intervalMs: number;
  private readonly limits: SharedRateLimits;
  private readonly waiters = new WaiterQueue();
  private pumping = false;
  /** When the budget last said the next slot may be free (clock time): the basis of `expectedWaitMs`. */
  private nextFreeAt = Number.NEGATIVE_INFINITY;
  /** The latest `holdUntil` (clock time), so local pacing started afterwards honours it too. */
  private heldUntil = Number.NEGATIVE_INFINITY;
  /** Local pacing while the budget does not answer; null while it does. */
  private fallback: RateLimiter | null = null;
  /** While paced locally: when to ask the budget again. */
  private retryAt = 0;

  constructor(
    readonly requestsPerSecond: number,
    readonly burst: number,
    private readonly budget: SharedRateBudget,
    private readonly log: SharedLimiterLog = () => {},
    private readonly clock: MonotonicClock = SYSTEM_CLOCK,
  ) {
    // The same checks, and the same meaning of the two numbers, as the in-process bucket.
    this.intervalMs = new RateLimiter(requestsPerSecond, burst, clock).intervalMs;
    this.limits = Object.freeze({ requestsPerSecond, burst });
  }

  async acquire(signal: AbortSignal, options: AcquireOptions = {}): Promise<{ readonly refused: number } | undefined> {
    if (signal.aborted) throw signal.reason;
    const expected = this.expectedWaitMs(options.flow);
    if (expected > (options.maxWaitMs ?? Number.POSITIVE_INFINITY)) return { refused: expected };
    const turn = this.waiters.wait(signal, options.flow);
    void this.pump();
    await turn;
    return undefined;
  }

  /**
   * How long a caller of `flow` asking now would wait, as far as this process can tell: until the slot the budget
   * last announced, plus one interval per waiter that round-robin would serve first. Other replicas' waiters are not
   * counted (they are not known here), so under contention this is a lower bound; a call it admits that then waits
   * past its deadline still fails as never sent (TS_ERR_OVERLOADED), only later.
   */
  expectedWaitMs(flow?: object): number {
    const interval = this.fallback?.intervalMs ?? this.intervalMs;
    return Math.max(0, this.nextFreeAt - this.clock.now()) + this.waiters.aheadOf(flow) * interval;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** True while calls are paced locally because the shared budget did not answer. */
  get local(): boolean {
    return this.fallback !== null;
  }

  holdUntil(time: number): void {
    this.heldUntil = Math.max(this.heldUntil, time);
    this.nextFreeAt = Math.max(this.nextFreeAt, time);
    this.fallback?.holdUntil(time);
    // The hold is for every replica: ThoughtSpot's Retry-After applies to the IP they share. If it does not reach the
    // budget, the next 429 another replica receives holds it instead.
    this.bounded(() => this.budget.hold(Math.max(0, time - this.clock.now()), this.limits)).catch((error: unknown) => {
      this.log('debug', 'the shared rate budget did not take a hold', { error: describeError(error) });
    });
  }

  drain(): void {
    this.holdUntil(this.clock.now() + (this.fallback?.intervalMs ?? this.intervalMs));
  }

  async close(): Promise<void> {
    try {
      await this.bounded(() => this.budget.close());
    } catch (error) {
      this.log('debug', 'the shared rate budget did not close cleanly', { error: describeError(error) });
    }
  }

  // Private: one question at a time while anyone waits. A slot taken for a waiter who left meanwhile goes unused,
  // which errs on the side of sending less.
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.length > 0) {
        const waitMs = await this.take();
        if (waitMs <= 0) {
          this.waiters.wakeNext();
          continue;
        }
        this.nextFreeAt = this.clock.now() + waitMs;
        await new Promise<void>((resolve) => this.clock.setTimer(resolve, Math.min(Math.ceil(waitMs), MAX_POLL_MS)));
      }
    } finally {
      this.pumping = false;
    }
  }

  /** One slot now (0), or how long until one may be free; never rejects. */
  private async take(): Promise<number> {
    if (this.fallback !== null && this.clock.now() < this.retryAt) return this.takeLocally(this.fallback);
    try {
      const waitMs = await this.bounded(() => this.budget.take(this.limits));
      if (typeof waitMs !== 'number' || !(waitMs >= 0)) throw new TypeError(`the budget answered ${String(waitMs)}`);
      if (this.fallback !== null) {
        this.fallback = null;
        this.log('info', 'the shared rate budget answers again; pacing with the other replicas', {});
      }
      return waitMs;
    } catch (error) {
      this.retryAt = this.clock.now() + SHARED_BUDGET_RETRY_MS;
      return this.takeLocally(this.fallback ?? this.startLocalPacing(error));
    }
  }

  private startLocalPacing(error: unknown): RateLimiter {
    const sharers = Number.isInteger(this.budget.sharers) && this.budget.sharers > 1 ? this.budget.sharers : 1;
    const fallback = new RateLimiter(this.requestsPerSecond / sharers, Math.floor(this.burst / sharers), this.clock);
    if (this.heldUntil > this.clock.now()) fallback.holdUntil(this.heldUntil);
    this.fallback = fallback;
    this.log('warn', 'the shared rate budget does not answer; pacing locally at the configured rate divided by the replicas last seen', {
      error: describeError(error),
      replicas: sharers,
      requestsPerSecond: fallback.requestsPerSecond,
      burst: fallback.burst,
      retryInMs: SHARED_BUDGET_RETRY_MS,
    });
    return fallback;
  }

  private takeLocally(fallback: RateLimiter): number {
    const slot = fallback.reserve(0);
    return 'refused' in slot ? slot.refused : 0;
  }

  /** The budget's answer, or a rejection once SHARED_BUDGET_TIMEOUT_MS has passed without one (or if it throws). */
  private bounded<T>(ask: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const cancel = this.clock.setTimer(
        () => reject(new Error(`no answer within ${SHARED_BUDGET_TIMEOUT_MS} ms`)),
        SHARED_BUDGET_TIMEOUT_MS,
      );
      const settle = (done: () => void): void => {
        cancel();
        done();
      };
      try {
        ask().then(
          (value) => settle(() => resolve(value)),
          (error: unknown) => settle(() => reject(error as Error)),
        );
      } catch (error) {
        settle(() => reject(error as Error));
      }
    });
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
