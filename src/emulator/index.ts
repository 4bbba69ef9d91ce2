// Public to the rest of src and to tests: the ThoughtSpot REST v2 emulator. `startEmulator` serves the vendor's
// paths, bodies, status codes and error envelopes on a loopback port, backed by the domain (state, membership
// engine, tokens, handlers, seeds); `fault` builds per-test overrides (DESIGN.md §6, CONTRACT.md §15).

import { createState, type EmulatorState } from './domain/index.js';
import { handlers } from './handlers/index.js';
import { createEmulatorServer, type EmulatorServer } from './server.js';
import type { Clock, Fidelity, RateLimitOptions, SeedSpec } from './types.js';

export { fault, type Fault, type FaultSpec } from './faults.js';
export type { CallRecord } from './call-log.js';
export { DEFAULT_ADMIN_PREFIX, DEFAULT_FIDELITY, DEFAULT_RATE_LIMIT, EmulatorOptionsError } from './options.js';
export type { Clock, Fidelity, RateLimitOptions, SeedSpec } from './types.js';
export type { EmulatorState } from './domain/index.js';

/** Options of `startEmulator`. Every field is optional. */
export interface StartEmulatorOptions {
  /** Which directory to load. Default `'demo'`. */
  readonly seed?: SeedSpec;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 0 (an ephemeral port; read it back from `emulator.port`). */
  readonly port?: number;
  /** Behaviour switches; unspecified ones take the contract's suggested defaults (`DEFAULT_FIDELITY`). */
  readonly fidelity?: Partial<Fidelity>;
  /** Default: enabled, 100 requests/s per client IP, burst 10, no Retry-After (`DEFAULT_RATE_LIMIT`). */
  readonly rateLimit?: Partial<RateLimitOptions>;
  /** Default `Date.now`. Inject one to move time (token expiry) without waiting. */
  readonly clock?: Clock;
  /** Prefix of the admin route. Default `/__emulator`. */
  readonly adminPrefix?: string;
  /** Latency added to every API call, in milliseconds. Default 0. */
  readonly latencyMs?: number;
  /** The call log keeps at least this many recent calls. Default 50,000. */
  readonly callLogLimit?: number;
}

/** A running emulator: its URL, its domain state, and the test controls (call log, faults, switches). */
export type Emulator = EmulatorServer<EmulatorState>;

/**
 * Starts the emulator and resolves once it listens.
 *
 * @example
 * const emulator = await startEmulator({ seed: 'minimal', rateLimit: { enabled: false } });
 * emulator.use(fault('POST /api/rest/2.0/users/search', { status: 503, times: 1 }));
 * // … exercise the client against emulator.url …
 * expect(emulator.calls('POST /api/rest/2.0/users/search')).toHaveLength(2);
 * await emulator.close();
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const seed = options.seed ?? 'demo';
  return createEmulatorServer<EmulatorState>({
    handlers,
    createState: (deps) => createState(seed, deps),
    host: options.host,
    port: options.port,
    fidelity: options.fidelity,
    rateLimit: options.rateLimit,
    clock: options.clock,
    adminPrefix: options.adminPrefix,
    latencyMs: options.latencyMs,
    callLogLimit: options.callLogLimit,
  });
}
