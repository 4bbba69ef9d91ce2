// The test stack: a ThoughtSpot emulator on 127.0.0.1:0 and the subgraph configured against it exactly as against a
// real cluster (THOUGHTSPOT_URL + trusted-authentication credentials), with a short keep-alive undici Pool so a test
// file's sockets close promptly (undici's writing-tests guide).

import { Pool } from 'undici';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startEmulator, type Emulator, type SeedSpec, type StartEmulatorOptions } from '../../src/emulator/index.js';
import type { FormattedExecutionResult } from 'graphql';
import { executeSingle, type Operation } from './graphql.js';
import type { RequestLogEntry } from '../../src/plugins/request-log.js';
import { addFixtureOrg, type FixtureOrg } from './fixtures.js';

/** Options of `startTestStack`. */
export interface TestStackOptions {
  readonly seed?: SeedSpec;
  /** Latency the emulator adds to every API call (benchmarks). */
  readonly latencyMs?: number;
  /** Extra environment for `loadConfig` (e.g. `THOUGHTSPOT_CONNECTION_ID`). */
  readonly env?: Readonly<Record<string, string>>;
  readonly fidelity?: StartEmulatorOptions['fidelity'];
}

/** A running emulator and the subgraph in front of it. */
export interface TestStack {
  readonly app: App;
  readonly emulator: Emulator;
  /** Every request-log entry so far (the plugin's view of upstream calls, token mints included). */
  readonly requestLog: RequestLogEntry[];
  /** `executeSingle` bound to this stack's app. */
  execute<TData = Record<string, unknown>>(operation: Operation): Promise<FormattedExecutionResult<TData>>;
  close(): Promise<void>;
}

/** Starts an emulator and the subgraph against it. Call `close()` in `afterAll`. */
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
    ...options.env,
  });
  const dispatcher = new Pool(emulator.url, { connections: 16, keepAliveTimeout: 1_000 });
  const requestLog: RequestLogEntry[] = [];
  const app = await createApp(config, { dispatcher, onRequestLog: (entry) => requestLog.push(entry) });
  return {
    app,
    emulator,
    requestLog,
    execute: (operation) => executeSingle(app, operation),
    async close() {
      await app.stop();
      await dispatcher.close();
      await emulator.close();
    },
  };
}

/**
 * The stack most query tests share: the `demo` seed (unless `options.seed` says otherwise) plus the deterministic
 * Fixture-Co Organization of fixtures.ts. Call `stack.close()` in `afterAll`.
 */
export async function startFixtureStack(options: TestStackOptions = {}): Promise<{ stack: TestStack; fixture: FixtureOrg }> {
  const stack = await startTestStack({ seed: 'demo', ...options });
  return { stack, fixture: addFixtureOrg(stack.emulator) };
}
