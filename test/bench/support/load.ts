// Shared helpers of the load benchmarks (soak.ts, fairness.ts): a production-like stack on loopback, an HTTP client
// for it, and the statistics both suites print.
//
// Why not `startTestStack` (test/support/harness.ts): the harness turns the adapter's pacing off
// (THOUGHTSPOT_RATE_LIMIT_RPS=0) and the emulator's rate limit off, routes upstream calls through a tracking pool,
// gives the app no logger of ours (its log is silent), and runs the emulator in the test's process. These benchmarks
// need the production defaults, the emulator's documented limit on, the adapter's log lines (circuit-breaker
// transitions, masked internal errors), and an emulator on its own event loop: with 50 clients, the subgraph and the
// emulator sharing one event loop, every stall of that loop delivers the adapter's evenly paced calls to the
// emulator's limiter in one bunch, and the emulator answers 429s a real cluster (another machine) would not. So this
// file starts the emulator as the CLI in a child process (as test/bench/suites/adapter.ts does; LOAD_EMULATOR=
// in-process keeps it in this process), drives its faults and reads its call log through its admin route, and
// starts the subgraph the way the harness does (`loadConfig` with trusted authentication against the emulator's URL,
// the test JWT settings and a store in memory, then `createApp`), serving HTTP on 127.0.0.1. Its callers authenticate
// as in production: the HTTP client below sends a bearer token (test/support/tokens.ts) with every request.

import { Pool } from 'undici';
import { startEmulatorCli, stopEmulatorCli } from './emulator-cli.js';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig, type Config } from '../../../src/config.js';
import {
  startEmulator,
  type CallRecord,
  type Emulator,
  type EmulatorState,
  type Fault,
  type RateLimitOptions,
  type SeedSpec,
} from '../../../src/emulator/index.js';
import type { RequestLogEntry } from '../../../src/plugins/request-log.js';
import type { Logger } from '../../../src/logger.js';
import { mintTestToken, TEST_AUTH_ENV } from '../../support/tokens.js';

// ---------------------------------------------------------------------------------------------------------------
// The emulator
// ---------------------------------------------------------------------------------------------------------------

/** The CLI's call log keeps this many calls (its default; the CLI has no option for it). */
export const CLI_CALL_LOG_LIMIT = 50_000;

/** An emulator in a child process or in this one, driven the same way. */
export interface EmulatorHandle {
  readonly mode: 'process' | 'in-process';
  readonly url: string;
  readonly username: string;
  readonly secretKey: string;
  readonly rateLimit: Readonly<RateLimitOptions>;
  /**
   * The directory it serves. For a child process, a twin built in this process from the same seed (seeds are
   * deterministic: same GUIDs, names and memberships), read-only.
   */
  readonly state: EmulatorState;
  /** Installs faults (after those already installed). */
  use(faults: readonly Fault[]): Promise<void>;
  /** Removes every fault. */
  clearFaults(): Promise<void>;
  /** The call log, oldest first. */
  calls(): Promise<CallRecord[]>;
  close(): Promise<void>;
}

/** Options of `startEmulatorHandle`. */
export interface EmulatorHandleOptions {
  readonly seed?: 'demo' | 'minimal';
  readonly latencyMs?: number;
  readonly rateLimit?: { readonly requestsPerSecond: number; readonly burst: number } | false;
  readonly mode?: 'process' | 'in-process';
}

/** Starts the emulator (by default the CLI in a child process; LOAD_EMULATOR=in-process overrides). */
export async function startEmulatorHandle(options: EmulatorHandleOptions = {}): Promise<EmulatorHandle> {
  const seed = options.seed ?? 'demo';
  const mode = options.mode ?? (process.env['LOAD_EMULATOR'] === 'in-process' ? 'in-process' : 'process');
  const rateLimit: RateLimitOptions =
    options.rateLimit === false
      ? { enabled: false, requestsPerSecond: 100, burst: 10, retryAfterHeader: false }
      : { enabled: true, requestsPerSecond: options.rateLimit?.requestsPerSecond ?? 100, burst: options.rateLimit?.burst ?? 10, retryAfterHeader: false };
  if (mode === 'in-process') {
    const emulator: Emulator = await startEmulator({
      seed: seed as SeedSpec,
      host: '127.0.0.1',
      port: 0,
      rateLimit,
      callLogLimit: 2_000_000,
      ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
    });
    return {
      mode,
      url: emulator.url,
      username: emulator.adminCredentials.username,
      secretKey: emulator.adminCredentials.secretKey,
      rateLimit: { ...emulator.rateLimit },
      state: emulator.state,
      use: (faults) => Promise.resolve(emulator.use(...faults)),
      clearFaults: () => Promise.resolve(emulator.reset()),
      calls: () => Promise.resolve(emulator.calls()),
      close: () => emulator.close(),
    };
  }
  // The twin: the same seed built here, never served to anyone.
  const twin = await startEmulator({ seed: seed as SeedSpec, host: '127.0.0.1', port: 0, rateLimit: { enabled: false } });
  const state = twin.state;
  await twin.close();
  const args = ['--seed', seed];
  if (options.latencyMs !== undefined) args.push('--latency', String(options.latencyMs));
  if (rateLimit.enabled) args.push('--rate-limit', `${rateLimit.requestsPerSecond}:${rateLimit.burst}`);
  else args.push('--no-rate-limit');
  const cli = await startEmulatorCli(args);
  const admin = new Pool(cli.url, { connections: 2, keepAliveTimeout: 1_000 });
  const call = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> => {
    const response = await admin.request({
      method,
      path: `/__emulator${path}`,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`Emulator admin ${method} ${path} answered ${response.statusCode}: ${text.slice(0, 300)}`);
    return text === '' ? null : (JSON.parse(text) as unknown);
  };
  return {
    mode,
    url: cli.url,
    username: cli.username,
    secretKey: cli.secretKey,
    rateLimit,
    state,
    async use(faults) {
      // In chunks, so no admin body comes near the emulator's body limit.
      for (let i = 0; i < faults.length; i += 500) {
        await call('POST', '/faults', faults.slice(i, i + 500).map((f) => ({ route: f.route, ...f.spec })));
      }
    },
    async clearFaults() {
      await call('DELETE', '/faults');
    },
    async calls() {
      return (await call('GET', '/calls')) as CallRecord[];
    },
    async close() {
      await admin.close();
      await stopEmulatorCli(cli.child);
    },
  };
}


// ---------------------------------------------------------------------------------------------------------------
// The stack
// ---------------------------------------------------------------------------------------------------------------

/** Options of `startLoadStack`. */
export interface LoadStackOptions {
  readonly seed?: 'demo' | 'minimal';
  /** Latency the emulator adds to every API call. */
  readonly latencyMs?: number;
  /** Extra environment for `loadConfig`. Nothing here overrides the adapter's pacing: its defaults (90/s, burst 5) apply. */
  readonly env?: Readonly<Record<string, string>>;
}

/** One log line the app wrote through our logger. */
export interface LogLine {
  readonly at: number;
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** What the app logged, summarised (the per-request `graphql request` lines are counted, not kept). */
export interface LogCapture {
  readonly logger: Logger;
  /** `level message` → count. */
  readonly counts: Map<string, number>;
  /** Circuit-breaker state changes, in order. */
  readonly breaker: LogLine[];
  /** warn and error lines other than breaker changes (the first 500). */
  readonly problems: LogLine[];
}

/** A running emulator (ThoughtSpot's documented rate limit on), and the subgraph in front of it on 127.0.0.1. */
export interface LoadStack {
  readonly emulator: EmulatorHandle;
  readonly app: App;
  readonly config: Config;
  /** The subgraph's URL, `http://127.0.0.1:PORT/`. */
  readonly url: string;
  readonly connectionId: string;
  readonly logs: LogCapture;
  /** Request-log entries by request id (the client sends `x-request-id`, so entries can be joined to responses). */
  readonly requestLog: Map<string, RequestLogEntry>;
  close(): Promise<void>;
}

export const CONNECTION_ID = 'bench';

/** Starts an emulator (documented rate limit on) and the subgraph with its default pacing, listening on 127.0.0.1. */
export async function startLoadStack(options: LoadStackOptions = {}): Promise<LoadStack> {
  const emulator = await startEmulatorHandle({
    seed: options.seed ?? 'demo',
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
  });
  try {
    const config = loadConfig({
      THOUGHTSPOT_URL: emulator.url,
      THOUGHTSPOT_USERNAME: emulator.username,
      THOUGHTSPOT_SECRET_KEY: emulator.secretKey,
      THOUGHTSPOT_CONNECTION_ID: CONNECTION_ID,
      ...TEST_AUTH_ENV,
      // In memory: a benchmark leaves nothing behind, and shares nothing with another run or the test suites.
      STORE_PATH: ':memory:',
      ...options.env,
    });
    const logs = createLogCapture();
    const requestLog = new Map<string, RequestLogEntry>();
    const app = await createApp(config, {
      logger: logs.logger,
      onRequestLog: (entry) => requestLog.set(entry.requestId, entry),
    });
    let url: string;
    try {
      url = await app.listen(0, '127.0.0.1');
    } catch (err) {
      await app.stop();
      throw err;
    }
    return {
      emulator,
      app,
      config,
      url,
      connectionId: CONNECTION_ID,
      logs,
      requestLog,
      async close() {
        try {
          await app.stop();
        } finally {
          await emulator.close();
        }
      },
    };
  } catch (err) {
    await emulator.close();
    throw err;
  }
}

function createLogCapture(): LogCapture {
  const counts = new Map<string, number>();
  const breaker: LogLine[] = [];
  const problems: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      const key = `${level} ${message}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (message.includes('circuit breaker')) breaker.push({ at: performance.now(), level, message, fields });
      else if ((level === 'warn' || level === 'error') && problems.length < 500) problems.push({ at: performance.now(), level, message, fields });
    };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, counts, breaker, problems };
}

/**
 * The effective runtime limits as the app was configured (config.ts `request`, once that lands); the documented
 * defaults when the configuration does not carry them yet.
 */
export function requestLimits(config: Config): { deadlineMs: number; maxUpstreamCalls: number; wired: boolean } {
  const request = (config as unknown as { request?: { deadlineMs?: number; maxUpstreamCalls?: number } }).request;
  return {
    deadlineMs: request?.deadlineMs ?? 25_000,
    maxUpstreamCalls: request?.maxUpstreamCalls ?? 250,
    wired: request !== undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The HTTP client
// ---------------------------------------------------------------------------------------------------------------

/** A GraphQL error as a client sees it. */
export interface ClientError {
  readonly message?: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: Record<string, unknown>;
}

/** One request's outcome as the client saw it. */
export interface Exchange {
  readonly requestId: string;
  readonly kind: string;
  readonly startedAt: number;
  readonly latencyMs: number;
  /** HTTP status, or 0 when no response came (network error, client timeout). */
  readonly status: number;
  /** `ok`: data and no errors; `partial`: data and errors; `failed`: no data, non-200, or no response. */
  readonly outcome: 'ok' | 'partial' | 'failed';
  readonly errors: readonly ClientError[];
  /** Why there was no usable response (network error, unparseable body). */
  readonly transportError: string | null;
  /** The answer's `data`, kept only by a client created with `keepData` (null otherwise, or when there was none). */
  readonly data: unknown;
}

/** Options of `createGraphQLClient`. */
export interface GraphQLClientOptions {
  /** Keep each answer's `data` on its exchange (mutations: the created object's ID, `userErrors`). Default false. */
  readonly keepData?: boolean;
  /** The `sub` of the caller's token. Default `bench-client`. */
  readonly subject?: string;
}

/** A GraphQL-over-HTTP client on one undici pool. */
export interface GraphQLClient {
  send(kind: string, query: string, variables?: Record<string, unknown>): Promise<Exchange>;
  close(): Promise<void>;
}

let requestCounter = 0;

/** How long the client's tokens live, and how much of that may be left before it mints the next one. */
const TOKEN_LIFETIME_S = 600;
const TOKEN_RENEW_BEFORE_MS = 120_000;

/**
 * The `authorization` header value of a caller with full access, as a long benchmark needs it: one token shared by
 * every request (minting costs CPU, and in the load suites the client shares its process with the subgraph), minted
 * again when less than TOKEN_RENEW_BEFORE_MS of it is left, so a soak never runs into its expiry.
 */
function bearerCredential(subject: string): () => Promise<string> {
  let current: { readonly value: Promise<string>; readonly renewAt: number } | null = null;
  return () => {
    const now = Date.now();
    if (current === null || now >= current.renewAt) {
      current = {
        value: mintTestToken({ sub: subject, expiresInS: TOKEN_LIFETIME_S }).then((token) => `Bearer ${token}`),
        renewAt: now + TOKEN_LIFETIME_S * 1000 - TOKEN_RENEW_BEFORE_MS,
      };
    }
    return current.value;
  };
}

/**
 * A client with up to `connections` sockets to `url`, authenticated as a caller with full access. A request the
 * server has not answered after `timeoutMs` is abandoned and counted as failed (`transportError`), so a stuck server
 * cannot stop a benchmark from ending.
 */
export function createGraphQLClient(url: string, connections: number, timeoutMs: number, options: GraphQLClientOptions = {}): GraphQLClient {
  const origin = new URL(url).origin;
  const pool = new Pool(origin, { connections, keepAliveTimeout: 10_000, pipelining: 1 });
  const credential = bearerCredential(options.subject ?? 'bench-client');
  return {
    async send(kind, query, variables) {
      requestCounter += 1;
      const requestId = `${kind}-${requestCounter}`;
      const body = JSON.stringify(variables === undefined ? { query } : { query, variables });
      // Before the clock starts: a renewal is the client's cost, not the server's latency.
      const authorization = await credential();
      const startedAt = performance.now();
      let status = 0;
      let text = '';
      let transportError: string | null = null;
      try {
        const response = await pool.request({
          method: 'POST',
          path: '/graphql',
          headers: { 'content-type': 'application/json', accept: 'application/json', 'x-request-id': requestId, authorization },
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        status = response.statusCode;
        text = await response.body.text();
      } catch (err) {
        transportError = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
      }
      const latencyMs = performance.now() - startedAt;
      let errors: ClientError[] = [];
      let data: unknown = null;
      if (transportError === null) {
        try {
          const parsed = JSON.parse(text) as { data?: unknown; errors?: ClientError[] };
          errors = Array.isArray(parsed.errors) ? parsed.errors : [];
          data = parsed.data ?? null;
        } catch {
          transportError = `unparseable body (HTTP ${status}): ${text.slice(0, 200)}`;
        }
      }
      const outcome: Exchange['outcome'] =
        transportError !== null || status !== 200 || data === null ? 'failed' : errors.length > 0 ? 'partial' : 'ok';
      return { requestId, kind, startedAt, latencyMs, status, outcome, errors, transportError, data: options.keepData === true ? data : null };
    },
    close: () => pool.close(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics and printing
// ---------------------------------------------------------------------------------------------------------------

/** Nearest-rank percentile of an ascending array (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

export function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

export function median(values: readonly number[]): number {
  const sorted = sortedCopy(values);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}

/** `{ key: count }`, largest first, as `key × n` items. */
export function formatCounts(counts: ReadonlyMap<string, number>, empty = '(none)'): string {
  if (counts.size === 0) return empty;
  return [...counts.entries()]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([key, count]) => `${key} × ${count}`)
    .join(', ');
}

export function increment(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

/** A Markdown table, columns padded. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}


/** A positive integer from the environment, or `fallback`; anything else is an error (benchmarks fail loudly). */
export function envInteger(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) throw new Error(`${name} must be an integer ≥ ${min}, but got: ${JSON.stringify(raw)}.`);
  return Number(raw);
}

/** What the emulator saw over a window: rates overall and per second, 429s, injected faults. */
export interface EmulatorWindow {
  readonly calls: number;
  readonly rateLimited: number;
  readonly faulted: Map<string, number>;
  readonly statuses: Map<string, number>;
  readonly spanSeconds: number;
  /** Calls per second over the window (all arrivals, and arrivals the limiter let through). */
  readonly meanRate: number;
  readonly meanAcceptedRate: number;
  /** Arrivals per whole second of the window: median and max (the first and last partial seconds left out). */
  readonly perSecondMedian: number;
  readonly perSecondMax: number;
  /** Most arrivals in any 100 ms. */
  readonly per100msMax: number;
}

/** Summarises the emulator's records (from `emulator.calls`) between two epoch-ms instants. */
export function emulatorWindow(records: readonly CallRecord[], fromEpochMs: number, toEpochMs: number): EmulatorWindow {
  const inWindow = records.filter((r) => r.at >= fromEpochMs && r.at <= toEpochMs);
  const faulted = new Map<string, number>();
  const statuses = new Map<string, number>();
  let rateLimited = 0;
  for (const record of inWindow) {
    if (record.fault === 'rate-limit') rateLimited += 1;
    else if (record.fault !== null) increment(faulted, record.fault);
    increment(statuses, record.status === 0 ? 'no answer' : String(record.status));
  }
  const spanSeconds = Math.max(0.001, (toEpochMs - fromEpochMs) / 1000);
  const seconds = new Map<number, number>();
  for (const record of inWindow) {
    const second = Math.floor((record.at - fromEpochMs) / 1000);
    seconds.set(second, (seconds.get(second) ?? 0) + 1);
  }
  const whole = Math.floor(spanSeconds);
  const perSecond: number[] = [];
  for (let s = 0; s < whole; s++) perSecond.push(seconds.get(s) ?? 0);
  let per100msMax = 0;
  let start = 0;
  for (let end = 0; end < inWindow.length; end++) {
    while ((inWindow[end] as CallRecord).at - (inWindow[start] as CallRecord).at >= 100) start += 1;
    per100msMax = Math.max(per100msMax, end - start + 1);
  }
  return {
    calls: inWindow.length,
    rateLimited,
    faulted,
    statuses,
    spanSeconds,
    meanRate: inWindow.length / spanSeconds,
    meanAcceptedRate: (inWindow.length - rateLimited) / spanSeconds,
    perSecondMedian: median(perSecond),
    perSecondMax: perSecond.length === 0 ? Number.NaN : Math.max(...perSecond),
    per100msMax,
  };
}
