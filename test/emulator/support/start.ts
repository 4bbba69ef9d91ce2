// Test support: the one way the emulator tests start an emulator. `startTestEmulator` starts one on 127.0.0.1:0 with
// a client and an administrator token; `useEmulator` does the same once per file (or describe block) and registers
// the vitest hooks that stop it and put it back between tests.

import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type Clock, type Emulator, type StartEmulatorOptions } from '../../../src/emulator/index.js';
import { Api } from './http.js';

/**
 * Options of a test emulator: those of `startEmulator`, with two test defaults. The seed is `'demo'` as in the
 * product; the rate limiter is off unless `rateLimit` is given, so that a busy test is never refused (give `{}` for
 * the product's limiter).
 */
export type TestEmulatorOptions = Omit<StartEmulatorOptions, 'host' | 'port'>;

/** A started emulator, a client bound to it, and a full-access token of its administrator. */
export interface TestEmulator {
  readonly emulator: Emulator;
  readonly api: Api;
  /** A bearer token of the administrator in the Primary Org, valid for an hour of the emulator's clock. */
  readonly admin: string;
}

/** Mints a full-access token for the administrator in the Primary Org (one API call, logged like any other). */
export async function mintAdminToken(emulator: Emulator): Promise<string> {
  const { username, password } = emulator.adminCredentials;
  const minted = await new Api(emulator.url).mint({ username, password, org_id: 0, validity_time_in_sec: 3600 });
  return minted['token'] as string;
}

/**
 * Starts an emulator, mints an administrator token, then clears the call log and rate-limit buckets so the test
 * starts from a clean slate. Stops the emulator again when minting fails.
 */
export async function startTestEmulator(options: TestEmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ seed: 'demo', ...options, port: 0, rateLimit: options.rateLimit ?? { enabled: false } });
  try {
    const admin = await mintAdminToken(emulator);
    emulator.reset();
    return { emulator, api: new Api(emulator.url), admin };
  } catch (err) {
    await emulator.close();
    throw err;
  }
}

/**
 * What every test of a `useEmulator` block starts from.
 * - `'state'`: the seed's directory and the start-up controls. After every test the state is rebuilt
 *   (`resetState()`) and the controls restored (`reset()`); the admin token is minted before every test, because a
 *   rebuilt state has forgotten every token.
 * - `'controls'`: the directory is shared by the block, the controls are not: after every test `reset()` removes
 *   faults, clears the call log and rate-limit buckets and restores fidelity, rate limit and latency.
 * - `'shared'`: nothing is put back between tests; for blocks whose tests only read, or clean up themselves.
 */
export type Isolation = 'state' | 'controls' | 'shared';

/** Options of `useEmulator`. */
export interface UseEmulatorOptions extends TestEmulatorOptions {
  /** Default `'state'`. */
  readonly isolation?: Isolation;
}

/**
 * Starts a test emulator before the tests of the enclosing file or describe block and stops it after them, putting
 * it back between tests as `isolation` says. The returned context is filled in by the hooks, so read its fields
 * inside tests and hooks only.
 *
 * @example
 * const t = useEmulator({ seed: 'minimal' });
 * it('lists users', async () => {
 *   expect((await t.api.post('/users/search', {}, t.admin)).status).toBe(200);
 * });
 */
export function useEmulator(options: UseEmulatorOptions = {}): TestEmulator {
  const { isolation = 'state', ...startOptions } = options;
  let started: TestEmulator | undefined;
  let admin: string | undefined;
  const current = (): TestEmulator => {
    if (started === undefined) throw new Error('The test emulator is not running: read its context inside tests and hooks.');
    return started;
  };

  beforeAll(async () => {
    started = await startTestEmulator(startOptions);
    admin = started.admin;
  });
  afterAll(() => started?.emulator.close());
  if (isolation === 'state') {
    beforeEach(async () => {
      const { emulator } = current();
      admin = await mintAdminToken(emulator);
      emulator.reset();
    });
  }
  if (isolation !== 'shared') {
    afterEach(() => {
      const { emulator } = current();
      if (isolation === 'state') emulator.resetState();
      emulator.reset();
    });
  }

  return {
    get emulator() {
      return current().emulator;
    },
    get api() {
      return current().api;
    },
    get admin() {
      current();
      return admin as string;
    },
  };
}

/** A clock a test moves by hand, for token and activation-link expiry without waiting. */
export class TestClock implements Clock {
  constructor(public ms: number = Date.UTC(2025, 5, 1, 12, 0, 0)) {}

  now(): number {
    return this.ms;
  }

  /** Moves the clock forward. */
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}
