// Internal to src/observability (re-exported by index.ts): the readiness check behind `GET /ready`. Ready means this
// replica can serve what it exists for: the default ThoughtSpot connection answers, and the operational store does.
// `/health` stays a liveness probe that touches neither, so an outage of ThoughtSpot takes replicas out of the load
// balancer (ready) without getting them restarted (alive).
//
// ThoughtSpot is asked with its cheapest authenticated call (`GET /auth/session/user`, which also proves the service
// credential still works), at most once per `cacheMs`: concurrent probes share one call in flight, and its answer,
// success or failure, is reused until it is `cacheMs` old, so any number of probers cost ThoughtSpot one call per
// period. The store is pinged on every check (a local query or one round trip to PostgreSQL). Answers name the check
// that failed and, for a coded failure, its code; never a message, a URL or an upstream body.

import type { Logger } from '../logger.js';

/** How long one check may take before it counts as failed: inside the 3 s a Kubernetes probe should be given. */
export const READY_CHECK_TIMEOUT_MS = 2_000;

/** Options of `createReadiness`. */
export interface ReadinessOptions {
  /** One cheap authenticated call on the default connection, bounded by `timeoutMs`; rejects when it fails. */
  readonly probeThoughtSpot: (timeoutMs: number) => Promise<unknown>;
  readonly pingStore: () => Promise<unknown>;
  /** How long a ThoughtSpot answer is reused (config `READY_CACHE_MS`); 0 asks on every check. */
  readonly cacheMs: number;
  readonly logger: Pick<Logger, 'warn'>;
  /** Injected clock in milliseconds (default `performance.now`). */
  readonly now?: () => number;
  readonly timeoutMs?: number;
}

/** The state of one check. */
export type CheckState = 'ok' | 'failed';

/** What `/ready` answers. */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly body: {
    readonly status: 'ready' | 'not ready';
    readonly checks: { readonly thoughtspot: CheckState; readonly store: CheckState };
    /** For each failed check, the code of its failure (`TS_ERR_*`, `TIMEOUT`, or `ERROR` when uncoded). */
    readonly errors?: { readonly thoughtspot?: string; readonly store?: string };
  };
}

/** The readiness check of one app. */
export interface Readiness {
  check(): Promise<ReadinessReport>;
}

type Outcome = { readonly ok: true } | { readonly ok: false; readonly code: string };

/** Creates the readiness check. */
export function createReadiness(options: ReadinessOptions): Readiness {
  const now = options.now ?? (() => performance.now());
  const timeoutMs = options.timeoutMs ?? READY_CHECK_TIMEOUT_MS;
  let cached: { readonly outcome: Promise<Outcome>; expiresAt: number } | undefined;

  const settle = async (check: 'thoughtspot' | 'store', run: () => Promise<unknown>): Promise<Outcome> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, code: 'TIMEOUT' }), timeoutMs);
      timer.unref();
    });
    const attempt = (async (): Promise<Outcome> => {
      try {
        await run();
        return { ok: true };
      } catch (error) {
        const code = (error as { code?: unknown } | null)?.code;
        return { ok: false, code: typeof code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'ERROR' };
      }
    })();
    const outcome = await Promise.race([attempt, timeout]);
    clearTimeout(timer);
    if (!outcome.ok) options.logger.warn('readiness check failed', { check, code: outcome.code });
    return outcome;
  };

  const thoughtSpot = (): Promise<Outcome> => {
    if (cached !== undefined && now() < cached.expiresAt) return cached.outcome;
    // In flight: never expires, so every probe meanwhile joins this call.
    const entry = { outcome: settle('thoughtspot', () => options.probeThoughtSpot(timeoutMs)), expiresAt: Number.POSITIVE_INFINITY };
    cached = entry;
    void entry.outcome.then(() => {
      entry.expiresAt = now() + options.cacheMs;
    });
    return entry.outcome;
  };

  return {
    async check() {
      const [ts, store] = await Promise.all([thoughtSpot(), settle('store', options.pingStore)]);
      const ready = ts.ok && store.ok;
      const errors: { thoughtspot?: string; store?: string } = {};
      if (!ts.ok) errors.thoughtspot = ts.code;
      if (!store.ok) errors.store = store.code;
      return {
        ready,
        body: {
          status: ready ? 'ready' : 'not ready',
          checks: { thoughtspot: ts.ok ? 'ok' : 'failed', store: store.ok ? 'ok' : 'failed' },
          ...(ready ? {} : { errors }),
        },
      };
    },
  };
}
