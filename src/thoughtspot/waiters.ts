// Internal to src/thoughtspot: the FIFO queue behind the concurrency cap (semaphore.ts) and the rate limiter
// (rate-limiter.ts). Both make callers wait their turn, and both must let a caller whose signal aborts leave the queue
// at once, without holding up the callers behind it.

/** Callers waiting in arrival order, each wait abortable by its own signal. */
export class WaiterQueue {
  private readonly waiters: (() => void)[] = [];

  /** Callers currently waiting. */
  get length(): number {
    return this.waiters.length;
  }

  /**
   * Join the back of the queue (synchronously, before this returns). The promise resolves when `wakeNext` reaches
   * this caller, or rejects with the signal's reason if the signal aborts first; the caller then leaves the queue.
   */
  wait(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
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
  }

  /** Let the caller at the front go. Returns false when nobody was waiting. */
  wakeNext(): boolean {
    const next = this.waiters.shift();
    if (next === undefined) return false;
    next();
    return true;
  }
}
