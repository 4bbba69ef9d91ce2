// Shared helpers of the hostile black-box suites (fuzz.test.ts, abuse.test.ts).
//
// The stack under attack runs out of process: one child process for the ThoughtSpot emulator and one for the
// subgraph (`createApp` + `listen(0, '127.0.0.1')`, configured exactly as test/support/harness.ts configures it).
// The suites only speak HTTP to the subgraph. Two reasons:
//   - a pathological input (a catastrophic `%` pattern, an unbounded fragment expansion) can block an event loop
//     synchronously for minutes. In process, that would freeze the vitest worker itself, so no timeout could fire
//     and nobody would learn which check failed; out of process, the suite keeps its clock, reports, and kills the
//     wedged child by its pid;
//   - "the process is alive at the end" and "/health answers while a hostile query is in flight" mean something
//     only when the server is a process of its own, and the emulator sits in another one, as ThoughtSpot would.
//
// The same file is the children's entry point: `node --import tsx hostile.ts` with HOSTILE_ROLE set. The children
// talk to the suite over the fork IPC channel (ready, call-log counts, faults, unhandled-rejection diagnostics).
//
// The subgraph authenticates its callers as in production (JWTs, test/support/tokens.ts): `exchange` sends every
// request with a valid full-access token, so what the suites probe is what an authenticated caller can send.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { authHeader, TEST_AUTH_ENV } from '../../support/tokens.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SELF = fileURLToPath(import.meta.url);

// ------------------------------------------------------------------------------------------------ child side

type Message = { readonly type: string; readonly id?: number | undefined; readonly [key: string]: unknown };

/** What the emulator child reports when it is ready: enough of the seeded directory to forge IDs from. */
export interface DirectoryFacts {
  readonly emulatorUrl: string;
  readonly username: string;
  readonly secretKey: string;
  /** Every Org of the seed plus the fixture Org: ThoughtSpot's integer id and name. */
  readonly orgs: readonly { readonly id: number; readonly name: string }[];
  /** The Fixture-Co Org (test/support/fixtures.ts) and its records. */
  readonly fixture: {
    readonly orgId: number;
    readonly groups: readonly { readonly guid: string; readonly name: string }[];
    readonly roles: readonly { readonly guid: string; readonly name: string }[];
    readonly users: readonly { readonly guid: string; readonly name: string }[];
  };
}

function send(message: Message): void {
  process.send?.(message);
}

function describeReason(reason: unknown): string {
  if (reason instanceof Error) return `${reason.name}: ${reason.message}\n${reason.stack ?? ''}`;
  try {
    return JSON.stringify(reason) ?? String(reason);
  } catch {
    return String(reason);
  }
}

async function runEmulatorChild(): Promise<void> {
  const { startEmulator, fault } = await import('../../../src/emulator/index.js');
  const { addFixtureOrg } = await import('../../support/fixtures.js');
  const emulator = await startEmulator({ seed: 'demo', host: '127.0.0.1', port: 0, rateLimit: { enabled: false } });
  const fixture = addFixtureOrg(emulator);
  const facts: DirectoryFacts = {
    emulatorUrl: emulator.url,
    username: emulator.adminCredentials.username,
    secretKey: emulator.adminCredentials.secretKey,
    orgs: [...emulator.state.orgs.values()].map((org) => ({ id: org.id, name: org.name })),
    fixture: {
      orgId: fixture.org.id,
      groups: [...fixture.groups.values()].map((g) => ({ guid: g.id, name: g.name })),
      roles: [...fixture.roles.values()].map((r) => ({ guid: r.id, name: r.name })),
      users: fixture.users.map((u) => ({ guid: u.id, name: u.name })),
    },
  };
  process.on('message', (raw: Message) => {
    try {
      switch (raw.type) {
        case 'lastSeq':
          send({ type: 'reply', id: raw.id, value: emulator.calls().at(-1)?.seq ?? 0 });
          break;
        case 'callsSince': {
          const since = Number(raw['since']);
          const calls = emulator.calls((c) => c.seq > since).map((c) => ({ seq: c.seq, endpoint: c.endpoint ?? c.path, status: c.status, fault: c.fault }));
          send({ type: 'reply', id: raw.id, value: calls });
          break;
        }
        case 'fault':
          emulator.use(fault(String(raw['route']), raw['spec'] as Parameters<typeof fault>[1]));
          send({ type: 'reply', id: raw.id, value: true });
          break;
        case 'reset':
          emulator.reset();
          send({ type: 'reply', id: raw.id, value: true });
          break;
        default:
          send({ type: 'reply', id: raw.id, error: `unknown message ${raw.type}` });
      }
    } catch (error) {
      send({ type: 'reply', id: raw.id, error: describeReason(error) });
    }
  });
  process.on('disconnect', () => {
    void emulator.close().finally(() => process.exit(0));
  });
  send({ type: 'ready', facts });
}

async function runSubgraphChild(): Promise<void> {
  // Registered before anything of the app is loaded: every unhandled rejection of the subgraph's process is kept
  // and reported to the suite (which asserts there are none). Uncaught exceptions are deliberately not caught: they
  // kill the process, which the suite sees as an exit.
  const rejections: string[] = [];
  process.on('unhandledRejection', (reason) => {
    rejections.push(describeReason(reason));
  });
  const env = JSON.parse(process.env['HOSTILE_CONFIG'] ?? '{}') as Record<string, string>;
  const { loadConfig } = await import('../../../src/config.js');
  const { createApp } = await import('../../../src/app.js');
  const config = loadConfig(env);
  const app = await createApp(config);
  const url = await app.listen(0, '127.0.0.1');
  process.on('message', (raw: Message) => {
    if (raw.type === 'diagnostics') {
      send({ type: 'reply', id: raw.id, value: { unhandledRejections: rejections, rssBytes: process.memoryUsage().rss } });
    } else send({ type: 'reply', id: raw.id, error: `unknown message ${raw.type}` });
  });
  process.on('disconnect', () => {
    void app.stop().finally(() => process.exit(0));
  });
  send({ type: 'ready', url });
}

const role = process.env['HOSTILE_ROLE'];
if (role !== undefined && typeof process.send === 'function') {
  (role === 'emulator' ? runEmulatorChild() : runSubgraphChild()).catch((error: unknown) => {
    process.stderr.write(`hostile ${role} child failed to start: ${describeReason(error)}\n`);
    process.exit(70);
  });
}

// ------------------------------------------------------------------------------------------------ suite side

/** A child process of the stack, with its IPC request helper and the tail of its stderr. */
export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private stderr = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(
    readonly name: string,
    readonly handle: ChildProcess,
  ) {
    handle.stderr?.setEncoding('utf8');
    handle.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-64_000);
    });
    handle.stdout?.resume();
    handle.on('message', (raw: Message) => {
      if (raw.type !== 'reply' || raw.id === undefined) return;
      const waiter = this.pending.get(raw.id);
      if (waiter === undefined) return;
      this.pending.delete(raw.id);
      if (typeof raw['error'] === 'string') waiter.reject(new Error(raw['error']));
      else waiter.resolve(raw['value']);
    });
    handle.on('exit', (code, signal) => {
      this.exit = { code, signal };
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} child exited (code ${code}, signal ${signal})`));
      this.pending.clear();
    });
  }

  get alive(): boolean {
    return this.exit === null && this.handle.exitCode === null && this.handle.signalCode === null;
  }

  stderrTail(chars = 4_000): string {
    return this.stderr.slice(-chars);
  }

  /** Sends a request over IPC; rejects after `timeoutMs` (a wedged child never answers). */
  request<T>(type: string, payload: Record<string, unknown> = {}, timeoutMs = 10_000): Promise<T> {
    if (!this.alive) return Promise.reject(new Error(`${this.name} child is not running (${JSON.stringify(this.exit)})`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name} child did not answer "${type}" over IPC`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.handle.send({ type, id, ...payload });
    });
  }

  kill(): Promise<void> {
    if (!this.alive) return Promise.resolve();
    return new Promise((resolve) => {
      this.handle.once('exit', () => resolve());
      this.handle.kill('SIGKILL');
    });
  }
}

function startChild(name: string, env: Record<string, string>): Promise<{ child: Child; ready: Message }> {
  const processHandle = fork(SELF, [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const child = new Child(name, processHandle);
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      reject(new Error(`${name} child exited before it was ready (code ${code}, signal ${signal}):\n${child.stderrTail()}`));
    processHandle.once('exit', onExit);
    processHandle.on('message', (raw: Message) => {
      if (raw.type === 'ready') {
        processHandle.off('exit', onExit);
        resolve({ child, ready: raw });
      }
    });
  });
}

/** What a suite gets: the subgraph's URL, the seeded facts, and the controls. */
export interface HostileStack {
  /** The subgraph's base URL, `http://127.0.0.1:PORT/` (a new one after `restartSubgraph`). */
  readonly url: string;
  readonly facts: DirectoryFacts;
  /** The current subgraph child. */
  readonly subgraph: Child;
  readonly emulator: Child;
  /** The `seq` of the emulator's latest API call (token mints included). */
  lastSeq(): Promise<number>;
  /** The emulator's API calls after `since` (token mints included: a refused query should not even mint one). */
  callsSince(since: number): Promise<{ seq: number; endpoint: string; status: number; fault: string | null }[]>;
  /** Installs an emulator fault (see src/emulator/faults.ts). */
  fault(route: string, spec: Record<string, unknown>): Promise<void>;
  /** Clears faults and the call log. */
  resetEmulator(): Promise<void>;
  /** What the subgraph process's `unhandledRejection` listener saw so far. */
  diagnostics(): Promise<{ unhandledRejections: string[]; rssBytes: number }>;
  /** Kills the subgraph child (wedged or dead) and starts a fresh one against the same emulator. */
  restartSubgraph(): Promise<void>;
  close(): Promise<void>;
}

/** The connection id the subgraph child serves (global IDs carry it). */
export const CONNECTION_ID = 'test';

/**
 * Starts an emulator child (demo seed plus the Fixture-Co Org) and a subgraph child configured against it as the
 * test harness configures it; `env` adds or overrides configuration variables (e.g. THOUGHTSPOT_MAX_RETRIES).
 */
export async function startHostileStack(env: Readonly<Record<string, string>> = {}): Promise<HostileStack> {
  const { child: emulator, ready: emulatorReady } = await startChild('emulator', { HOSTILE_ROLE: 'emulator' });
  const facts = emulatorReady['facts'] as DirectoryFacts;
  const subgraphEnv = {
    HOSTILE_ROLE: 'subgraph',
    HOSTILE_CONFIG: JSON.stringify({
      THOUGHTSPOT_URL: facts.emulatorUrl,
      THOUGHTSPOT_USERNAME: facts.username,
      THOUGHTSPOT_SECRET_KEY: facts.secretKey,
      THOUGHTSPOT_CONNECTION_ID: CONNECTION_ID,
      THOUGHTSPOT_RATE_LIMIT_RPS: '0',
      // Callers present tokens minted with these settings (`exchange` does it for every request).
      ...TEST_AUTH_ENV,
      // Each subgraph child its own store, so suites side by side (and restarts) share nothing.
      STORE_PATH: ':memory:',
      // `error` so that masked internal errors ("internal error masked", with the original message) reach the
      // child's stderr, which the suites print next to a failing check.
      LOG_LEVEL: 'error',
      ...env,
    }),
  };
  let subgraph: Child;
  let url: string;
  try {
    const started = await startChild('subgraph', subgraphEnv);
    subgraph = started.child;
    url = String(started.ready['url']);
  } catch (error) {
    await emulator.kill();
    throw error;
  }
  return {
    get url() {
      return url;
    },
    facts,
    get subgraph() {
      return subgraph;
    },
    emulator,
    lastSeq: () => emulator.request<number>('lastSeq'),
    callsSince: (since) => emulator.request('callsSince', { since }),
    fault: async (route, spec) => {
      await emulator.request('fault', { route, spec });
    },
    resetEmulator: async () => {
      await emulator.request('reset');
    },
    diagnostics: () => subgraph.request('diagnostics'),
    restartSubgraph: async () => {
      await subgraph.kill();
      const started = await startChild('subgraph', subgraphEnv);
      subgraph = started.child;
      url = String(started.ready['url']);
    },
    close: async () => {
      await Promise.all([subgraph.kill(), emulator.kill()]);
    },
  };
}

// ------------------------------------------------------------------------------------------------ HTTP

/**
 * One HTTP request, fully described so a failing one can be printed and replayed. The caller's credential is not part
 * of it: `exchange` adds a fresh token (replaying with curl needs one from `mintTestToken`).
 */
export interface HttpRequest {
  readonly method: string;
  /** Path and query relative to the subgraph's base URL, e.g. `graphql` or `?query=…`. */
  readonly path: string;
  /** An `authorization` header here replaces the token `exchange` would add. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What came back. `json` is undefined when the body is not JSON. */
export interface Exchange {
  readonly status: number;
  readonly contentType: string | null;
  readonly text: string;
  readonly json: unknown;
}

/** A GraphQL POST with a JSON body. */
export function gqlPost(payload: unknown, path = ''): HttpRequest {
  return { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) };
}

/**
 * Sends one request as an authenticated caller (a valid full-access bearer token, unless the request carries its own
 * `authorization` header); `signal` lets a caller give up on a wedged server (the failure is then reported).
 */
export async function exchange(baseUrl: string, request: HttpRequest, signal?: AbortSignal): Promise<Exchange> {
  const ownCredential = Object.keys(request.headers).some((name) => name.toLowerCase() === 'authorization');
  const init: RequestInit = { method: request.method, headers: { ...(ownCredential ? {} : await authHeader()), ...request.headers } };
  if (request.body !== undefined) init.body = request.body;
  if (signal !== undefined) init.signal = signal;
  const response = await fetch(new URL(request.path, baseUrl), init);
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type'), text, json };
}

/** A GraphQL error as it appears in a response. */
export interface WireError {
  readonly message?: unknown;
  readonly path?: unknown;
  readonly extensions?: Record<string, unknown>;
}

/** The `errors` of a JSON GraphQL answer (empty when there are none or the body is not a GraphQL answer). */
export function errorsOf(result: Exchange): WireError[] {
  const body = result.json as { errors?: unknown } | undefined;
  return body !== null && typeof body === 'object' && Array.isArray(body.errors) ? (body.errors as WireError[]) : [];
}

export function codesOf(result: Exchange): string[] {
  return errorsOf(result).map((e) => String(e.extensions?.['code']));
}

/** The codes the contract allows in a response, apart from the upstream ones. */
export const CLIENT_CODES: ReadonlySet<string> = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_COMPLEX',
]);
/**
 * Upstream and runtime codes: legitimate in general, impossible against a fault-free, unhurried emulator (the request
 * deadline, the per-request upstream budget, the queue and shutdown are runtime backstops that a small fuzz
 * operation never reaches).
 */
export const UPSTREAM_CODES: ReadonlySet<string> = new Set([
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_RATE_LIMITED',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'OVERLOADED',
  'DEADLINE_EXCEEDED',
  'UPSTREAM_BUDGET_EXCEEDED',
  'SHUTTING_DOWN',
]);

/**
 * The contract's invariants of every answer, as a list of violations (empty when it holds): no 5xx; a JSON body
 * (except a 404 of an unknown path); every error with a string `extensions.code`, never INTERNAL_SERVER_ERROR, and
 * one of the client codes (plus the upstream ones when `upstreamAllowed`); QUERY_TOO_COMPLEX errors with `measure`,
 * `value` and `limit`.
 */
export function invariantViolations(result: Exchange, options: { upstreamAllowed?: boolean } = {}): string[] {
  const problems: string[] = [];
  if (result.status >= 500) problems.push(`HTTP ${result.status}`);
  if (result.json === undefined) {
    problems.push(`body is not JSON (HTTP ${result.status}, content-type ${result.contentType})`);
    return problems;
  }
  const body = result.json as Record<string, unknown> | null;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    problems.push('body is not a JSON object');
    return problems;
  }
  if ('errors' in body) {
    if (!Array.isArray(body['errors']) || body['errors'].length === 0) problems.push('`errors` is present but not a non-empty list');
  }
  for (const error of errorsOf(result)) {
    const code = error.extensions?.['code'];
    if (typeof code !== 'string') {
      problems.push(`an error without extensions.code: ${JSON.stringify(error).slice(0, 300)}`);
      continue;
    }
    if (code === 'INTERNAL_SERVER_ERROR') problems.push(`INTERNAL_SERVER_ERROR: ${JSON.stringify(error).slice(0, 300)}`);
    else if (!CLIENT_CODES.has(code) && !(options.upstreamAllowed === true && UPSTREAM_CODES.has(code))) {
      problems.push(`unexpected code ${code}: ${JSON.stringify(error).slice(0, 300)}`);
    }
    if (code === 'QUERY_TOO_COMPLEX') {
      const { measure, value, limit } = error.extensions ?? {};
      if (!['depth', 'nodes', 'lists'].includes(String(measure)) || typeof value !== 'number' || typeof limit !== 'number' || !(value > limit)) {
        problems.push(`QUERY_TOO_COMPLEX without a valid measure/value/limit: ${JSON.stringify(error.extensions)}`);
      }
    }
    if (typeof error.message !== 'string' || error.message === '') problems.push(`an error without a message: ${JSON.stringify(error).slice(0, 300)}`);
  }
  return problems;
}

/** Shortens a text for a failure report, keeping both ends. */
export function clip(text: string, max = 600): string {
  return text.length <= max ? text : `${text.slice(0, max / 2)} …[${text.length - max} chars]… ${text.slice(-max / 2)}`;
}

/** Runs `tasks` with at most `limit` in flight, in order of start. */
export async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  });
  await Promise.all(workers);
  return results;
}
