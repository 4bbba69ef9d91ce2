// The read-path benchmark's instrument (test/bench/suites/queries.ts): what one GraphQL execution costs upstream
// (calls, dependent levels, response bytes and rows), what it costs the subgraph (CPU time), and how much memory the
// subgraph holds under concurrent clients.
//
// Processes. The emulator runs in a child process (emulator-process.ts) and, for the memory figure, the subgraph runs
// in another (subgraph-process.ts). So `process.cpuUsage()` in the benchmark's process counts the subgraph (and the
// few microseconds of the in-process driver calling `app.execute`) but none of the emulator's searches and JSON
// encoding, which would otherwise be most of it; and the RSS sampled in the subgraph child holds neither the emulator
// nor the 50-client load driver.
//
// Upstream accounting is done on the subgraph's side of the wire: `startMeteredStack` builds the subgraph as the
// test harness does (`loadConfig` with trusted authentication, client-side pacing off, `createApp`) over an undici
// Pool composed with a metering interceptor. The interceptor sees every HTTP attempt the adapter sends (retries and
// token mints included) and records its path, when it was dispatched, when its response ended, its status and its
// response body bytes (as received: the adapter sends no Accept-Encoding, so these are the JSON bytes); with
// `capture` on it also keeps the bodies, so the rows of each answer can be counted (a search answers a JSON array:
// rows are its length). The emulator's own call log is read over IPC as a cross-check of the count, and any
// numeric field it gains (bytes, rows) is reported beside ours.
//
// Levels (the critical path) are derived from the same records: a call's level is 1 + the highest level among the
// calls whose response had ended before it was dispatched (1 when none had). The deepest level of an execution is
// the number of upstream round trips it waits for one after the other. Measured at 20 ms added latency, calls of
// one level go out together and come back 20 ms later, so the chain is unambiguous; a call held back by the
// adapter's concurrency cap, or dispatched late because the subgraph was busy, counts as a level too, since it
// costs a round trip on the critical path all the same.

import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool, type Dispatcher } from 'undici';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { executeData, type Operation } from '../../support/graphql.js';
import { TEST_AUTH_ENV } from '../../support/tokens.js';
import type { CompactCall, DemoInputs, EmulatorRequest } from './emulator-process.js';
import { imageNodeOptions } from './image.js';
import type { MemoryWindow, SubgraphRequest } from './subgraph-process.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');

// ---------------------------------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------------------------------

/** `Omit` over each member of a union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Child<Request extends { id: number; op: string }> {
  readonly child: ChildProcess;
  readonly ready: Record<string, unknown>;
  request<T>(message: WithoutId<Request>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Forks `entry` (a .ts file next to this one, run with tsx, or a compiled .js path), waits for its
 * `{ type: 'ready' }` message, and returns a request/reply channel to it.
 */
async function forkChild<Request extends { id: number; op: string }>(
  entry: string,
  args: readonly string[],
  options: { execArgv?: readonly string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<Child<Request>> {
  const compiled = entry.endsWith('.js');
  const child = fork(compiled ? entry : join(HERE, entry), [...args], {
    cwd: ROOT,
    execArgv: [...(compiled ? [] : ['--import', 'tsx']), ...(options.execArgv ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      for (const waiter of pending.values()) waiter.reject(new Error(`${entry} exited (${String(code ?? signal)}) before it answered.`));
      pending.clear();
      resolve();
    });
  });
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} was not ready after 60 s.`)), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${String(code)} before it was ready.`));
    });
    child.on('message', (message: { type?: string; id?: number; result?: unknown; error?: string }) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message as Record<string, unknown>);
        return;
      }
      if (message.id === undefined) return;
      const waiter = pending.get(message.id);
      if (waiter === undefined) return;
      pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(`${entry}: ${message.error}`));
      else waiter.resolve(message.result);
    });
  });
  return {
    child,
    ready,
    request<T>(message: WithoutId<Request>): Promise<T> {
      if (exited) return Promise.reject(new Error(`${entry} has exited.`));
      nextId += 1;
      const id = nextId;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ ...message, id });
      });
    },
    async close() {
      if (exited) return;
      try {
        nextId += 1;
        const id = nextId;
        await Promise.race([
          new Promise<unknown>((resolve, reject) => {
            pending.set(id, { resolve, reject });
            child.send({ op: 'close', id });
          }),
          new Promise((resolve) => setTimeout(resolve, 10_000)),
        ]);
      } catch {
        // It exited while closing: fine.
      }
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}

/** The emulator in a child process (rate limit off). */
export interface EmulatorProcess {
  readonly url: string;
  readonly username: string;
  readonly secretKey: string;
  readonly pid: number;
  /** The demo seed's query inputs; null for `large:N`. */
  readonly inputs: DemoInputs | null;
  setLatency(ms: number): Promise<void>;
  lastSeq(): Promise<number>;
  /** Its call log after `since` (a seq, exclusive), token mints included. */
  callsSince(since: number): Promise<CompactCall[]>;
  close(): Promise<void>;
}

/** Starts the emulator child: `demo` (with the benchmark's fixture Org) or `large:N`. */
export async function startEmulatorProcess(seed: 'demo' | `large:${number}`): Promise<EmulatorProcess> {
  const child = await forkChild<EmulatorRequest>('emulator-process.ts', [seed]);
  return {
    url: child.ready['url'] as string,
    username: child.ready['username'] as string,
    secretKey: child.ready['secretKey'] as string,
    pid: child.child.pid ?? -1,
    inputs: child.ready['inputs'] as DemoInputs | null,
    setLatency: (ms) => child.request({ op: 'latency', ms }),
    lastSeq: () => child.request({ op: 'lastSeq' }),
    callsSince: (since) => child.request({ op: 'calls', since }),
    close: () => child.close(),
  };
}

/** The subgraph alone in a child process, serving HTTP, sampling its own memory. */
export interface SubgraphProcess {
  readonly url: string;
  readonly pid: number;
  /** How it runs: `compiled` (node on JavaScript transpiled from src, as the Docker image runs dist/) or `tsx`. */
  readonly runtime: 'compiled' | 'tsx';
  readonly nodeEnv: string;
  /** NODE_OPTIONS it runs with: the image's (image.ts) unless told otherwise; '' is V8's defaults. */
  readonly nodeOptions: string;
  /** The environment its configuration resolved to (`config.environment`); checked against `nodeEnv` at start. */
  readonly environment: 'production' | 'development';
  /** Whether the child can force a collection (it is started with --expose-gc unless told otherwise). */
  readonly gcAvailable: boolean;
  /** Starts a measurement window. */
  reset(): Promise<void>;
  stats(): Promise<MemoryWindow>;
  /** Forces a full collection when available, then reports `process.memoryUsage()`. */
  gc(): Promise<{ forced: boolean; memory: NodeJS.MemoryUsage }>;
  close(): Promise<void>;
}

/**
 * Where `compileSubgraph` writes (node_modules/.cache: ignored by git, and bare imports resolve from there), one
 * directory per benchmark process: the tree is shared, and a second run starting would otherwise delete the
 * compiled subgraph from under the first.
 */
const COMPILED_DIR = join(ROOT, 'node_modules', '.cache', `queries-bench-${process.pid}`);

/**
 * Transpiles src/ and subgraph-process.ts file by file (esbuild, no bundling, the directory tree kept, as `tsc`
 * would emit dist/) into node_modules/.cache/queries-bench-<pid>, with the runtime files src reads beside its code (the
 * schema directory, the emulator's contract.json), and returns the entry's path. Under a second; no type checking.
 * Why: the memory figure is about the subgraph as deployed (`node dist/main.js`), and tsx's loader (its esbuild
 * worker, the transpiled sources it keeps) adds tens of megabytes of RSS that production does not have.
 */
export async function compileSubgraph(): Promise<string> {
  const { build } = await import('esbuild');
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  walk(join(ROOT, 'src'));
  files.push(join(HERE, 'subgraph-process.ts'));
  rmSync(COMPILED_DIR, { recursive: true, force: true });
  await build({ entryPoints: files, outdir: COMPILED_DIR, outbase: ROOT, format: 'esm', platform: 'node', target: 'node20', logLevel: 'error' });
  // node_modules is a package boundary: without a package.json of its own the output would not be ESM.
  writeFileSync(join(COMPILED_DIR, 'package.json'), '{ "type": "module", "private": true }\n');
  symlinkSync(join(ROOT, 'schema'), join(COMPILED_DIR, 'schema'), 'dir');
  for (const file of readdirSync(join(ROOT, 'src', 'emulator')).filter((f) => f.endsWith('.json'))) {
    copyFileSync(join(ROOT, 'src', 'emulator', file), join(COMPILED_DIR, 'src', 'emulator', file));
  }
  return join(COMPILED_DIR, 'test', 'bench', 'support', 'subgraph-process.js');
}

/**
 * The NODE_OPTIONS a subgraph child gets unless its caller says otherwise: the flags the image gives node (its heap
 * ceiling shapes peak RSS and CPU), not whatever this process was started with. BENCH_NODE_OPTIONS replaces them for
 * every child of a run (`BENCH_NODE_OPTIONS=`: V8's defaults).
 */
export function subgraphNodeOptions(): string {
  return process.env['BENCH_NODE_OPTIONS'] ?? imageNodeOptions();
}

export async function startSubgraphProcess(
  emulator: Pick<EmulatorProcess, 'url' | 'username' | 'secretKey'>,
  options: { env?: Record<string, string>; exposeGc?: boolean; runtime?: 'compiled' | 'tsx'; nodeEnv?: string; nodeOptions?: string } = {},
): Promise<SubgraphProcess> {
  const runtime = options.runtime ?? 'compiled';
  const nodeEnv = options.nodeEnv ?? 'production';
  const nodeOptions = options.nodeOptions ?? subgraphNodeOptions();
  const entry = runtime === 'compiled' ? await compileSubgraph() : 'subgraph-process.ts';
  // The child authenticates its HTTP callers as production does; load.ts's client presents tokens minted with these
  // settings. Its store is in memory: a benchmark leaves nothing behind, and shares nothing with another run.
  // Production refuses to start without SECRETS_KEY; a fresh random one serves, since the benchmark registers no
  // connection and so never encrypts anything with it.
  const env = { ...TEST_AUTH_ENV, STORE_PATH: ':memory:', SECRETS_KEY: randomBytes(32).toString('base64'), ...options.env };
  const args = JSON.stringify({ url: emulator.url, username: emulator.username, secretKey: emulator.secretKey, env });
  const child = await forkChild<SubgraphRequest>(entry, [args], {
    execArgv: options.exposeGc === false ? [] : ['--expose-gc'],
    env: { ...process.env, NODE_ENV: nodeEnv, NODE_OPTIONS: nodeOptions },
  });
  // A figure labelled NODE_ENV=production must come from production's configuration, not from a child that read
  // NODE_ENV from somewhere else.
  const environment = child.ready['environment'];
  const expected = nodeEnv === 'production' ? 'production' : 'development';
  if (environment !== expected) {
    await child.close();
    throw new Error(`The subgraph child was started with NODE_ENV=${JSON.stringify(nodeEnv)}, so its configuration should be ${expected}, but got: ${JSON.stringify(environment)}.`);
  }
  return {
    url: child.ready['url'] as string,
    pid: child.child.pid ?? -1,
    runtime,
    nodeEnv,
    nodeOptions,
    environment: expected,
    gcAvailable: child.ready['gc'] === true,
    reset: () => child.request({ op: 'reset' }),
    stats: () => child.request({ op: 'stats' }),
    gc: () => child.request({ op: 'gc' }),
    async close() {
      await child.close();
      if (runtime === 'compiled') rmSync(COMPILED_DIR, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The upstream meter
// ---------------------------------------------------------------------------------------------------------------

/** One HTTP attempt the adapter sent. */
export interface UpstreamCall {
  /** `users/search`, `auth/token/full`, … (the `/api/rest/2.0/` prefix stripped). */
  readonly endpoint: string;
  readonly mint: boolean;
  /** performance.now() at dispatch and at the end of the response (or its error). */
  readonly startedAt: number;
  endedAt: number;
  status: number;
  /** Response body bytes received. */
  bytes: number;
  /** The body's chunks, kept only while the meter captures. */
  chunks: Buffer[] | null;
  error: boolean;
}

export interface UpstreamMeter {
  /** The dispatcher to give the app: `pool` composed with the meter. */
  readonly dispatcher: Dispatcher;
  /** Keep response bodies (to count rows) from now on; costs memory and CPU, so only for accounting runs. */
  capture: boolean;
  /** Index of the next call: pass it to `since`. */
  mark(): number;
  since(mark: number): UpstreamCall[];
  /** Resolves once no call is in flight. */
  quiet(): Promise<void>;
  /** Drops the records before `mark` (they are never read again). */
  forget(): void;
}

const ENDINGS = new Set<string | symbol>(['onResponseEnd', 'onResponseError', 'onComplete', 'onError']);

export function createUpstreamMeter(pool: Pool): UpstreamMeter {
  let calls: UpstreamCall[] = [];
  let offset = 0;
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const meter: UpstreamMeter = {
    capture: false,
    dispatcher: pool.compose((dispatch) => (options, handler) => {
      const path = options.path.split('?')[0] ?? options.path;
      const endpoint = path.replace(/^.*\/api\/rest\/2\.0\//, '');
      const call: UpstreamCall = {
        endpoint,
        mint: endpoint.startsWith('auth/token/'),
        startedAt: performance.now(),
        endedAt: 0,
        status: 0,
        bytes: 0,
        chunks: meter.capture ? [] : null,
        error: false,
      };
      calls.push(call);
      inFlight += 1;
      // A proxy rather than a new handler, so undici sees exactly the methods the caller's handler has (the harness's
      // trackUpstream does the same); both handler styles are covered.
      const metered = new Proxy(handler, {
        get(target, key, receiver) {
          const value: unknown = Reflect.get(target, key, receiver);
          if (typeof value !== 'function') return value;
          const method = (value as (...a: unknown[]) => unknown).bind(target);
          if (key === 'onHeaders') {
            return (...args: unknown[]) => {
              call.status = args[0] as number;
              return method(...args);
            };
          }
          if (key === 'onResponseStart') {
            return (...args: unknown[]) => {
              call.status = args[1] as number;
              return method(...args);
            };
          }
          if (key === 'onData' || key === 'onResponseData') {
            return (...args: unknown[]) => {
              const chunk = (key === 'onData' ? args[0] : args[1]) as Buffer;
              call.bytes += chunk.length;
              call.chunks?.push(chunk);
              return method(...args);
            };
          }
          if (!ENDINGS.has(key)) return method;
          return (...args: unknown[]) => {
            try {
              return method(...args);
            } finally {
              if (call.endedAt === 0) {
                call.endedAt = performance.now();
                call.error = key === 'onResponseError' || key === 'onError';
                inFlight -= 1;
                if (inFlight === 0) {
                  const woken = waiters;
                  waiters = [];
                  for (const wake of woken) wake();
                }
              }
            }
          };
        },
      });
      return dispatch(options, metered);
    }),
    mark: () => offset + calls.length,
    since: (mark) => calls.slice(Math.max(0, mark - offset)),
    async quiet() {
      while (inFlight > 0) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    forget() {
      offset += calls.length;
      calls = [];
    },
  };
  return meter;
}

/** Rows in a captured body: the length of a JSON array (every search answers one), 0 for anything else. */
export function rowsOf(call: UpstreamCall): number {
  if (call.chunks === null || call.chunks.length === 0) return 0;
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(call.chunks).toString('utf8'));
    return Array.isArray(parsed) ? parsed.length : 0;
  } catch {
    return 0;
  }
}

/** The deepest chain of upstream calls, each dispatched after the previous one's response ended (see the header). */
export function levelsOf(calls: readonly UpstreamCall[]): number {
  const sorted = [...calls].sort((a, b) => a.startedAt - b.startedAt);
  const level = new Map<UpstreamCall, number>();
  let deepest = 0;
  for (const call of sorted) {
    let below = 0;
    for (const earlier of sorted) {
      if (earlier === call || earlier.startedAt > call.startedAt) break;
      if (earlier.endedAt !== 0 && earlier.endedAt <= call.startedAt) below = Math.max(below, level.get(earlier) ?? 0);
    }
    level.set(call, below + 1);
    deepest = Math.max(deepest, below + 1);
  }
  return deepest;
}

/** `{ endpoint: count }` of the calls, sorted by endpoint. */
export function byEndpoint(calls: readonly UpstreamCall[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) counts[call.endpoint] = (counts[call.endpoint] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}

// ---------------------------------------------------------------------------------------------------------------
// The metered stack
// ---------------------------------------------------------------------------------------------------------------

export interface MeteredStack {
  readonly app: App;
  readonly meter: UpstreamMeter;
  readonly emulator: EmulatorProcess;
  /** Executes one operation in-process (the full Apollo pipeline), failing on any GraphQL error. */
  execute<T = unknown>(operation: Operation): Promise<T>;
  close(): Promise<void>;
}

/**
 * The subgraph in this process against the emulator child, configured as the test harness configures it: trusted
 * authentication, `THOUGHTSPOT_RATE_LIMIT_RPS=0` (no client-side pacing: the figures show the batching), silent log,
 * connection id `test`, the test JWT settings (`execute` runs in-process as the trusted local caller, so it needs no
 * token), a store in memory; the adapter's pool replaced by an equivalent one (16 connections, its default
 * concurrency) composed with the meter.
 */
export async function startMeteredStack(emulator: EmulatorProcess, env: Readonly<Record<string, string>> = {}): Promise<MeteredStack> {
  const config = loadConfig({
    THOUGHTSPOT_URL: emulator.url,
    THOUGHTSPOT_USERNAME: emulator.username,
    THOUGHTSPOT_SECRET_KEY: emulator.secretKey,
    THOUGHTSPOT_CONNECTION_ID: 'test',
    THOUGHTSPOT_RATE_LIMIT_RPS: '0',
    LOG_LEVEL: 'silent',
    ...TEST_AUTH_ENV,
    STORE_PATH: ':memory:',
    ...env,
  });
  const pool = new Pool(emulator.url, { connections: 16, pipelining: 1, keepAliveTimeout: 4_000 });
  const meter = createUpstreamMeter(pool);
  const app = await createApp(config, { dispatcher: meter.dispatcher });
  return {
    app,
    meter,
    emulator,
    execute: <T>(operation: Operation) => executeData<T>(app, operation),
    async close() {
      await app.stop();
      await pool.close();
    },
  };
}

/** User + system CPU time of this process (all its threads: GC helpers included), in milliseconds. */
export function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}
