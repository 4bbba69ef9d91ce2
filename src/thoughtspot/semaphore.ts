// Internal to src/thoughtspot: caps the adapter's in-flight requests. The rate limiter can only keep its promise if a
// request leaves the moment it is granted a slot; were requests to queue inside undici's pool instead, a stall would
// release them back-to-back as connections free up, a burst the limiter never saw. So the adapter waits here first,
// takes its rate slot second, and dispatches straight after.

import { WaiterQueue } from './waiters.js';

/** A counting semaphore whose waits can be aborted; waiters get slots FIFO within a flow, round-robin between flows. */
export class Semaphore {
  private available: number;
  private readonly waiters = new WaiterQueue();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, but got: ${capacity}`);
    }
    this.available = capacity;
  }

  /** Slots currently held. */
  get held(): number {
    return this.capacity - this.available;
  }

  /** Requests currently waiting for a slot. */
  get queued(): number {
    return this.waiters.length;
  }

  /**
   * Wait for a slot; the returned function gives it back (call it exactly once). `flow` names the GraphQL request the
   * caller belongs to (see waiters.ts); callers without one share the anonymous flow.
   */
  async acquire(signal: AbortSignal, flow?: object): Promise<() => void> {
    if (signal.aborted) throw signal.reason;
    if (this.available > 0) {
      this.available -= 1;
      return this.releaser();
    }
    await this.waiters.wait(signal, flow);
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // The slot passes straight to the next waiter, so `available` only grows when nobody is waiting.
      if (!this.waiters.wakeNext()) this.available += 1;
    };
  }
}
