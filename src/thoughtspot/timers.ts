// Internal to src/thoughtspot: abortable waiting. Every wait in the adapter (backoff, rate-limiter slot, concurrency
// slot) is bound to the call's signal, so a deadline or a caller's abort ends it at once instead of after the sleep.

/** Resolve after `ms`, or reject with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Why a call's signal fired: its own deadline or the caller. */
export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
  constructor(readonly deadlineMs: number) {
    super(`the call's deadline of ${deadlineMs} ms passed`);
  }
}

/**
 * One call's cancellation: fires when the deadline passes (reason `DeadlineExceeded`) or when the caller's signal
 * fires (its own reason). `dispose` clears the timer; call it when the call settles.
 */
export interface CallSignal {
  readonly signal: AbortSignal;
  /** Monotonic time (performance.now) at which the deadline passes. */
  readonly deadlineAt: number;
  remainingMs(): number;
  dispose(): void;
}

/** Build a call's signal from its deadline and the caller's optional signal. */
export function createCallSignal(deadlineMs: number, callerSignal: AbortSignal | undefined): CallSignal {
  const controller = new AbortController();
  const deadlineAt = performance.now() + deadlineMs;
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(deadlineMs)), deadlineMs);
  const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
  if (callerSignal !== undefined) {
    if (callerSignal.aborted) controller.abort(callerSignal.reason);
    else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
  }
  return {
    signal: controller.signal,
    deadlineAt,
    remainingMs: () => Math.max(0, deadlineAt - performance.now()),
    dispose: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}
