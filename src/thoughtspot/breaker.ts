// Internal to src/thoughtspot: the circuit breaker. When a cluster is dead, every call would otherwise wait out its
// timeouts and retries, holding a GraphQL request (and a socket) for the whole deadline; the breaker makes calls fail
// in microseconds instead, and lets one probe through now and then to notice recovery.

/** The breaker's state, as reported to the logger. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** How an attempt ended, from the breaker's point of view. */
export type BreakerOutcome =
  /** The cluster answered (any status that says it is alive, including 4xx and 429). */
  | 'success'
  /** The cluster or the path to it looks unhealthy: network error, timeout, 502/503/504, maintenance page. */
  | 'failure'
  /** No verdict: the attempt was abandoned (caller abort) or refused client-side. */
  | 'neutral';

/** The breaker's answer to "may I send?". */
export type Admission =
  | { readonly allowed: true; readonly probe: boolean }
  | { readonly allowed: false; readonly retryAfterMs: number };

/**
 * Consecutive-failure breaker. Closed: everything passes; `failureThreshold` failures in a row open it. Open: every
 * call is refused until `cooldownMs` has passed. Half-open: exactly one probe is let through; its success closes the
 * breaker, its failure re-opens it for another cooldown, and everything else is refused while it is in flight.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probeInFlight = false;

  constructor(
    readonly failureThreshold: number,
    readonly cooldownMs: number,
    private readonly now: () => number,
    private readonly onStateChange: (from: BreakerState, to: BreakerState, consecutiveFailures: number) => void = () => {},
  ) {
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
      throw new RangeError(`failureThreshold must be a positive integer, but got: ${failureThreshold}`);
    }
    if (!Number.isFinite(cooldownMs) || cooldownMs < 0) {
      throw new RangeError(`cooldownMs must be a non-negative number, but got: ${cooldownMs}`);
    }
  }

  /** The state as of now (an open breaker whose cooldown has passed reads as half-open). */
  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.cooldownMs) return 'half-open';
    return this.current;
  }

  /** Ask before every attempt. A granted probe must be settled with `record(…, true)`. */
  admit(): Admission {
    if (this.current === 'closed') return { allowed: true, probe: false };
    const elapsed = this.now() - this.openedAt;
    if (this.current === 'open') {
      if (elapsed < this.cooldownMs) return { allowed: false, retryAfterMs: Math.ceil(this.cooldownMs - elapsed) };
      this.transition('half-open');
    }
    if (this.probeInFlight) return { allowed: false, retryAfterMs: Math.max(1, Math.ceil(this.cooldownMs)) };
    this.probeInFlight = true;
    return { allowed: true, probe: true };
  }

  /** Report how an admitted attempt ended. */
  record(outcome: BreakerOutcome, probe: boolean): void {
    if (probe) this.probeInFlight = false;
    if (outcome === 'neutral') return;
    if (outcome === 'success') {
      this.consecutiveFailures = 0;
      if (this.current !== 'closed') this.transition('closed');
      return;
    }
    this.consecutiveFailures += 1;
    if (this.current === 'half-open' || (this.current === 'closed' && this.consecutiveFailures >= this.failureThreshold)) {
      this.openedAt = this.now();
      this.transition('open');
    } else if (this.current === 'open') {
      // A failure from an attempt admitted before the breaker opened: the cooldown restarts from the latest evidence.
      this.openedAt = this.now();
    }
  }

  private transition(to: BreakerState): void {
    const from = this.current;
    this.current = to;
    if (from !== to) this.onStateChange(from, to, this.consecutiveFailures);
  }
}
