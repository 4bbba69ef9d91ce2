// The test stack: a ThoughtSpot emulator on 127.0.0.1:0 and the subgraph configured against it exactly as against a
// real cluster (THOUGHTSPOT_URL + trusted-authentication credentials), with a short keep-alive undici Pool so a test
// file's sockets close promptly (undici's writing-tests guide).
//
// Why the stack measures work itself: the emulator's call log is shared by every test of a file, and on a loaded
// machine a test's calls can land in another test's window of it (a walk that outlived its timeout went on calling
// into the tests after it). So a test never reads the shared log by sequence number or time. It asks the stack to
// `measure` its work: the upstream calls are counted from the app's request log, one entry per GraphQL request
// attributed to the measurement through the async context the work runs in (the same mechanism as the app's own
// request scope), and the emulator's records of the window are checked against those counts before any test sees
// them. Between tests the stack settles: it waits for everything in flight and refuses operations started by a test
// that has already ended, so nothing a test started can reach the next one.

import { AsyncLocalStorage } from 'node:async_hooks';
import { Pool, type Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import type { FormattedExecutionResult } from 'graphql';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { TEST_AUTH_ENV } from './tokens.js';
import {
  startEmulator,
  type CallRecord,
  type Emulator,
  type SeedSpec,
  type StartEmulatorOptions,
} from '../../src/emulator/index.js';
import type { Logger } from '../../src/logger.js';
import type { RequestLogEntry } from '../../src/plugins/request-log.js';
import { executeData, executeSingle, isTokenMint, type Operation } from './graphql.js';

/**
 * Time budget of every test and hook in a file that calls `useTestStack`. These tests wait on loopback I/O and share
 * the machine with whatever else runs, so their speed says nothing about the code: the budget only has to catch a
 * hang, and is many times what the slowest of them needs on an idle machine.
 */
export const STACK_TEST_TIMEOUT_MS = 60_000;

/** Options of `startTestStack`. */
export interface TestStackOptions {
  readonly seed?: SeedSpec;
  /** Latency the emulator adds to every API call (benchmarks). */
  readonly latencyMs?: number;
  /** Extra environment for `loadConfig` (e.g. `THOUGHTSPOT_CONNECTION_ID`). */
  readonly env?: Readonly<Record<string, string>>;
  readonly fidelity?: StartEmulatorOptions['fidelity'];
  /** The app's logger (default: the console logger at LOG_LEVEL silent), for tests that read what is logged. */
  readonly logger?: Logger;
}

/** What a piece of work cost upstream, as `TestStack.measure` reports it. */
export interface Measured<T> {
  /** What the work resolved to. */
  readonly value: T;
  /**
   * The upstream calls of the GraphQL requests the work made, token mints excluded, as `{ endpoint: count }` with the
   * `POST /api/rest/2.0/` prefix stripped and keys sorted, e.g. `{ 'orgs/search': 1, 'users/search': 3 }`.
   */
  readonly calls: Record<string, number>;
  /**
   * The emulator's records of exactly those calls, token mints excluded, in arrival order. Calls made concurrently
   * arrive in any order: compare them as a set, or per Org, never by position.
   */
  readonly records: CallRecord[];
}

/** What `TestStack.run` returns: the operation's data and what it cost upstream. */
export interface RunResult<TData> {
  readonly data: TData;
  readonly calls: Record<string, number>;
  readonly records: CallRecord[];
}

/** A running emulator and the subgraph in front of it. */
export interface TestStack {
  /** The app; its `execute` is tracked by the stack (see `settle`). */
  readonly app: App;
  readonly emulator: Emulator;
  /** Every request-log entry so far (the plugin's view of upstream calls, token mints included). */
  readonly requestLog: RequestLogEntry[];
  /** `executeSingle` bound to this stack's app. */
  execute<TData = Record<string, unknown>>(operation: Operation): Promise<FormattedExecutionResult<TData>>;
  /**
   * Runs `work` and reports the upstream calls of the GraphQL requests it made, and only those: calls of requests
   * made outside `work` are never counted, whenever they happen. It first waits for operations already in flight,
   * resolves once every upstream call of the work has been answered, and throws when the emulator's log of the window
   * disagrees with the app's request log (a call from outside the work, or one a request made after answering).
   * Measurements do not nest.
   */
  measure<T>(work: () => Promise<T>): Promise<Measured<T>>;
  /** Executes one operation inside `measure`; fails on any GraphQL error (`executeData`). */
  run<TData = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<RunResult<TData>>;
  /**
   * Waits until no operation and no upstream call is in flight, refusing operations started meanwhile (they can only
   * come from a test that has ended). `useTestStack` calls it after every test.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** The request-log entries of one measurement, found through the async context of the work. */
interface Measurement {
  readonly entries: RequestLogEntry[];
}

const measurements = new AsyncLocalStorage<Measurement>();

/** Starts an emulator and the subgraph against it. Call `close()` in `afterAll`, or use `useTestStack`. */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const emulator = await startEmulator({
    seed: options.seed ?? 'minimal',
    host: '127.0.0.1',
    port: 0,
    rateLimit: { enabled: false },
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
    ...(options.fidelity === undefined ? {} : { fidelity: options.fidelity }),
  });
  const config = loadConfig({
    THOUGHTSPOT_URL: emulator.url,
    THOUGHTSPOT_USERNAME: emulator.adminCredentials.username,
    THOUGHTSPOT_SECRET_KEY: emulator.adminCredentials.secretKey,
    THOUGHTSPOT_CONNECTION_ID: 'test',
    THOUGHTSPOT_RATE_LIMIT_RPS: '0',
    LOG_LEVEL: 'silent',
    // Callers over HTTP present tokens from tokens.ts; in-process executions run as the local caller.
    ...TEST_AUTH_ENV,
    // Each stack its own store, so two suites side by side share nothing.
    STORE_PATH: ':memory:',
    ...options.env,
  });
  const activity = createActivity();
  const pool = new Pool(emulator.url, { connections: 16, keepAliveTimeout: 1_000 });
  const requestLog: RequestLogEntry[] = [];
  const created = await createApp(config, {
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    dispatcher: trackUpstream(pool, activity),
    onRequestLog: (entry) => {
      requestLog.push(entry);
      // The plugin reports from inside the request, so the entry reaches the measurement whose work made it.
      measurements.getStore()?.entries.push(entry);
    },
  });

  let refusing = false;
  const app: App = {
    ...created,
    execute(request, executeOptions) {
      if (refusing) {
        return Promise.reject(new Error('This operation was started by a test that has already ended; the stack refused it.'));
      }
      activity.operations += 1;
      return created.execute(request, executeOptions).finally(() => activity.end('operations'));
    },
  };

  const measure = async <T>(work: () => Promise<T>): Promise<Measured<T>> => {
    if (measurements.getStore() !== undefined) throw new Error('TestStack.measure() calls do not nest.');
    // Whatever was started before is finished first, so the emulator's window holds this work's calls alone.
    await activity.quiet('operations', 'upstream');
    const since = emulator.calls().at(-1)?.seq ?? 0;
    const measurement: Measurement = { entries: [] };
    const value = await measurements.run(measurement, work);
    await activity.quiet('upstream');
    const records = emulator.calls((call) => call.seq > since && !isTokenMint(call));
    const calls = countByEndpoint(measurement.entries.flatMap((entry) => Object.entries(entry.upstreamByEndpoint)));
    const seen = countByEndpoint(records.map((call) => [call.endpoint ?? `${call.method} ${call.path}`, 1]));
    if (JSON.stringify(seen) !== JSON.stringify(calls)) {
      throw new Error(
        `The emulator logged ${JSON.stringify(seen)} while the measured requests made ${JSON.stringify(calls)}: ` +
          'something outside them called upstream during the measurement, or a request called upstream after answering.',
      );
    }
    return { value, calls, records };
  };

  return {
    app,
    emulator,
    requestLog,
    execute: (operation) => executeSingle(app, operation),
    measure,
    async run<TData>(query: string, variables?: Record<string, unknown>) {
      const operation = { query, ...(variables === undefined ? {} : { variables }) };
      const { value, calls, records } = await measure(() => executeData<TData>(app, operation));
      return { data: value, calls, records };
    },
    async settle() {
      refusing = true;
      try {
        await activity.quiet('operations', 'upstream');
      } finally {
        refusing = false;
      }
    },
    async close() {
      await created.stop();
      await pool.close();
      await emulator.close();
    },
  };
}

/**
 * Starts a test stack before the tests of the enclosing file (or describe block) and closes it after them. After
 * every test it settles the stack (nothing the test started outlives it) and resets the emulator's overrides
 * (faults, call log, fidelity, latency: house rule 10); the directory itself is shared, so a test that changes it
 * puts it back. It also gives every test and hook of the file `STACK_TEST_TIMEOUT_MS`. The returned stack is filled
 * in by the hooks: use it inside tests and hooks only.
 *
 * @example
 * const stack = useTestStack({ seed: 'demo' });
 * let fixture: FixtureOrg;
 * beforeAll(() => { fixture = addFixtureOrg(stack.emulator); });
 * it('lists Organizations from one orgs/search', async () => {
 *   const { calls } = await stack.run('{ organizations { nodes { name } } }');
 *   expect(calls).toEqual({ 'orgs/search': 1 });
 * });
 */
export function useTestStack(options: TestStackOptions = {}): TestStack {
  vi.setConfig({ testTimeout: STACK_TEST_TIMEOUT_MS, hookTimeout: STACK_TEST_TIMEOUT_MS });
  let started: TestStack | undefined;
  const current = (): TestStack => {
    if (started === undefined) throw new Error('The test stack is not running: use it inside tests and hooks.');
    return started;
  };
  beforeAll(async () => {
    started = await startTestStack(options);
  }, STACK_TEST_TIMEOUT_MS);
  afterEach(async () => {
    await current().settle();
    current().emulator.reset();
  }, STACK_TEST_TIMEOUT_MS);
  afterAll(() => started?.close(), STACK_TEST_TIMEOUT_MS);
  return {
    get app() {
      return current().app;
    },
    get emulator() {
      return current().emulator;
    },
    get requestLog() {
      return current().requestLog;
    },
    execute: (operation) => current().execute(operation),
    measure: (work) => current().measure(work),
    run: (query, variables) => current().run(query, variables),
    settle: () => current().settle(),
    close: () => current().close(),
  };
}

// Private: what is in flight on a stack, and a way to wait until none of it is.
interface Activity {
  operations: number;
  upstream: number;
  end(kind: 'operations' | 'upstream'): void;
  /** Resolves once none of `kinds` is in flight, and none started again in the turn of the event loop after. */
  quiet(...kinds: ('operations' | 'upstream')[]): Promise<void>;
}

function createActivity(): Activity {
  let wake: (() => void)[] = [];
  const activity: Activity = {
    operations: 0,
    upstream: 0,
    end(kind) {
      activity[kind] -= 1;
      const woken = wake;
      wake = [];
      for (const resolve of woken) resolve();
    },
    async quiet(...kinds) {
      for (;;) {
        while (kinds.some((kind) => activity[kind] > 0)) await new Promise<void>((resolve) => wake.push(resolve));
        // A request can go on calling upstream after a timer or an I/O callback, not only in microtasks.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (kinds.every((kind) => activity[kind] === 0)) return;
      }
    },
  };
  return activity;
}

// Private: `pool`, counting its requests in flight (from dispatch to the end of the response or its error).
function trackUpstream(pool: Pool, activity: Activity): Dispatcher {
  const endings = new Set<string | symbol>(['onResponseEnd', 'onResponseError', 'onComplete', 'onError']);
  return pool.compose((dispatch) => (options, handler) => {
    activity.upstream += 1;
    let ended = false;
    // A proxy rather than a new handler, so undici sees exactly the methods the caller's handler has.
    const tracked = new Proxy(handler, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        // Called on the handler itself: undici's handlers keep their state in private fields.
        const method = (value as (...a: unknown[]) => unknown).bind(target);
        if (!endings.has(key)) return method;
        return (...args: unknown[]) => {
          try {
            return method(...args);
          } finally {
            if (!ended) {
              ended = true;
              activity.end('upstream');
            }
          }
        };
      },
    });
    return dispatch(options, tracked);
  });
}

// Private: `[endpoint, count]` pairs as `{ endpoint: total }`, token mints left out, the common prefix stripped.
function countByEndpoint(pairs: readonly (readonly [string, number])[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [endpoint, count] of pairs) {
    if (endpoint.includes('/auth/token/')) continue;
    const name = endpoint.replace(/^(GET|POST) \/api\/rest\/2\.0\//, '');
    counts[name] = (counts[name] ?? 0) + count;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}
