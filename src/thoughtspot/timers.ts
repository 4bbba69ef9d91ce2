// Internal to src/thoughtspot: abortable waiting on one monotonic clock. Every wait in the adapter (backoff,
// rate-limiter slot, concurrency slot) is bound to the call's signal, so a deadline or a caller's abort ends it at
// once instead of after the sleep. Pacing, backoff and deadlines all read the same injected clock, so tests can drive
// them in virtual time and assert order and counts instead of measuring the wall clock (house-style §4.4).

/** The clock and one-shot timer behind pacing, backoff and deadlines. */
export interface MonotonicClock {
  /** Milliseconds on a monotonic scale (`performance.now()` in production); only differences are meaningful. */
  now(): number;
  /** Run `callback` once, `ms` from now. The returned function cancels it (a no-op once it ran). */
  setTimer(callback: () => void, ms: number): () => void;
}

/** The production clock: `performance.now` and Node's timers. */
export const SYSTEM_CLOCK: MonotonicClock = Object.freeze({
  now: () => performance.now(),
  setTimer: (callback: () => void, ms: number) => {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
});

interface AbortFanOut {
  readonly listener: () => void;
  readonly subscribers: Set<{ readonly callback: () => void }>;
}

const fanOuts = new WeakMap<AbortSignal, AbortFanOut>();

/**
 * Call `callback` when `signal` aborts; the returned function unsubscribes. However many subscribe, the signal gets
 * one listener. One GraphQL request's signal bounds every call the request makes, often hundreds at once; a listener
 * each would trip Node's MaxListenersExceededWarning (10 per EventTarget) for every such request. A signal that has
 * already aborted never calls back: check `aborted` first.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) return () => {};
  let fanOut = fanOuts.get(signal);
  if (fanOut === undefined) {
    const subscribers = new Set<{ readonly callback: () => void }>();
    const listener = (): void => {
      fanOuts.delete(signal);
      for (const subscriber of subscribers) subscriber.callback();
    };
    fanOut = { listener, subscribers };
    fanOuts.set(signal, fanOut);
    signal.addEventListener('abort', listener, { once: true });
  }
  const { listener, subscribers } = fanOut;
  const subscription = { callback };
  subscribers.add(subscription);
  return () => {
    if (!subscribers.delete(subscription) || subscribers.size > 0) return;
    if (fanOuts.get(signal)?.subscribers === subscribers) fanOuts.delete(signal);
    signal.removeEventListener('abort', listener);
  };
}

/** Resolve after `ms`, or reject with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal, clock: MonotonicClock = SYSTEM_CLOCK): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      cancel();
      reject(signal.reason as Error);
    };
    const cancel = clock.setTimer(() => {
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
 * One call's cancellation: fires when the deadline passes (reason `DeadlineExceeded`) or when one of the caller's
 * signals fires (with that signal's own reason, untouched, so the caller can recognise it). `dispose` clears the
 * timer and the listeners; call it when the call settles.
 */
export interface CallSignal {
  readonly signal: AbortSignal;
  /** Clock time at which the call started. */
  readonly startedAt: number;
  /** Clock time at which the deadline passes. */
  readonly deadlineAt: number;
  remainingMs(): number;
  /** Time since the call started. */
  elapsedMs(): number;
  dispose(): void;
}

/**
 * Build a call's signal from its deadline and the caller's signals (the per-call option and the ambient call
 * context; either may be absent). The first to fire wins, in the order given when several already have.
 */
export function createCallSignal(
  deadlineMs: number,
  callerSignals: readonly (AbortSignal | undefined)[],
  clock: MonotonicClock = SYSTEM_CLOCK,
): CallSignal {
  const controller = new AbortController();
  const startedAt = clock.now();
  const deadlineAt = startedAt + deadlineMs;
  const cancelTimer = clock.setTimer(() => controller.abort(new DeadlineExceeded(deadlineMs)), deadlineMs);
  const unsubscribers: (() => void)[] = [];
  for (const callerSignal of callerSignals) {
    if (callerSignal === undefined || controller.signal.aborted) continue;
    if (callerSignal.aborted) {
      controller.abort(callerSignal.reason);
      continue;
    }
    unsubscribers.push(onAbort(callerSignal, () => controller.abort(callerSignal.reason)));
  }
  return {
    signal: controller.signal,
    startedAt,
    deadlineAt,
    remainingMs: () => Math.max(0, deadlineAt - clock.now()),
    elapsedMs: () => Math.max(0, clock.now() - startedAt),
    dispose: () => {
      cancelTimer();
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}
