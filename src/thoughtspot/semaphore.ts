// Internal to src/thoughtspot: caps the adapter's in-flight requests. The rate limiter can only keep its promise if a
// request leaves the moment it is granted a slot; were requests to queue inside undici's pool instead, a stall would
// release them back-to-back as connections free up, a burst the limiter never saw. So the adapter waits here first,
// takes its rate slot second, and dispatches straight after.

/** A FIFO counting semaphore whose waits can be aborted. */
export class Semaphore {
  private available: number;
  private readonly waiters: (() => void)[] = [];

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

  /** Wait for a slot; the returned function gives it back (call it exactly once). */
  async acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) throw signal.reason;
    if (this.available > 0) {
      this.available -= 1;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const waiter = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter, so `available` only grows when nobody is waiting.
      if (next !== undefined) next();
      else this.available += 1;
    };
  }
}
