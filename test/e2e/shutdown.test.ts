import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Dispatcher } from 'undici';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { fault, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { isAlive, portIsFree } from '../support/processes.js';
import { authHeader, mintTestToken, TEST_AUTH_ENV } from '../support/tokens.js';
import { upstreamGate } from '../support/upstream-gate.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const children: ChildProcess[] = [];
/** Processes below `npm start`, which the test cannot reach through a ChildProcess. */
const grandchildren: number[] = [];

afterAll(() => {
  // Only if a failed assertion left one running: every test ends its processes itself.
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of grandchildren.filter(isAlive)) process.kill(pid, 'SIGKILL');
});

/** Collects a stream into a string and resolves when `pattern` appears in it. */
function watch(stream: NodeJS.ReadableStream): { text: () => string; waitFor: (pattern: RegExp) => Promise<RegExpMatchArray> } {
  let text = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text += chunk;
    for (const waiter of [...waiters]) {
      const match = text.match(waiter.pattern);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  return {
    text: () => text,
    waitFor: (pattern) =>
      new Promise((resolve) => {
        const match = text.match(pattern);
        if (match) resolve(match);
        else waiters.push({ pattern, resolve });
      }),
  };
}

/**
 * A minimal environment: nothing of the test runner's (NODE_ENV=test, VITEST…) leaks into the server. The store is
 * in memory, never the default file under the working directory, which another copy of the suite may be using.
 */
function baseEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? root, STORE_PATH: ':memory:', ...extra };
}

/** Runs src/main.ts as `npm start` does (`exec node --import tsx src/main.ts`), optionally with preloaded modules. */
function startMain(env: Record<string, string>, preload: readonly string[] = []): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...preload.flatMap((url) => ['--import', url]), 'src/main.ts'], {
    cwd: root,
    env: baseEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return child;
}

/** `npm start` in its own process group, so that only the signals a test sends reach it. */
function startNpm(): { npm: ChildProcess; stdout: ReturnType<typeof watch>; exited: Promise<unknown[]> } {
  const npm = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: baseEnv({ PORT: '0', HOST: '127.0.0.1', EMULATOR_SEED: 'minimal', LOG_LEVEL: 'warn', npm_config_update_notifier: 'false' }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.push(npm);
  const stdout = watch(npm.stdout as NodeJS.ReadableStream);
  watch(npm.stderr as NodeJS.ReadableStream);
  return { npm, stdout, exited: once(npm, 'exit') };
}

/** Every process below `pid` (POSIX `ps`, so it works on Linux and macOS alike). */
function descendantsOf(pid: number): number[] {
  const rows = execFileSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const [child, ppid] of rows) {
      if (ppid === parent && !found.includes(child)) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

describe('npm start (src/main.ts)', () => {
  it('starts the embedded emulator, prints its URL and a first query, and drains in-flight requests on SIGTERM', async () => {
    const child = startMain({ PORT: '0', HOST: '127.0.0.1', EMULATOR_SEED: 'minimal', LOG_LEVEL: 'info' });
    const stdout = watch(child.stdout as NodeJS.ReadableStream);
    const stderr = watch(child.stderr as NodeJS.ReadableStream);
    const exited = once(child, 'exit');

    const [, url] = await stdout.waitFor(/ready at (http:\/\/127\.0\.0\.1:\d+\/)/);
    await stdout.waitFor(/query FirstLook \{[\s\S]*\n\}\n/);
    expect(stdout.text()).toContain('Directory: an embedded ThoughtSpot emulator (seed: minimal;');
    expect(stdout.text()).toContain('Callers: no authentication (AUTH_MODE=none');
    const [, emulatorUrl] = await stderr.waitFor(/"message":"embedded ThoughtSpot emulator started","url":"(http:\/\/127\.0\.0\.1:\d+)"/);

    const health = await fetch(new URL('health', url));
    expect(health.status).toBe(200);

    // Slow the directory down, start a query, then ask the process to stop while the query is in flight.
    const patched = await fetch(`${emulatorUrl}/__emulator/config`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 400 }),
    });
    expect(patched.status).toBe(200);
    const inFlight = fetch(url as string, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ organizations { nodes { name } } }' }),
    });
    // Wait (bounded) until the query has reached the directory, so it is provably in flight when the signal lands.
    for (let attempt = 0; attempt < 250; attempt++) {
      const calls = (await (await fetch(`${emulatorUrl}/__emulator/calls`)).json()) as unknown;
      if (JSON.stringify(calls).includes('orgs/search')) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    child.kill('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { organizations: { nodes: [{ name: 'Primary' }] } } });
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stdout.text()).toContain('SIGTERM received, draining requests…');
    expect(stdout.text()).toContain('Stopped.');
    await expect(fetch(new URL('health', url))).rejects.toThrow();
  }, 60_000);

  // npm runs a script through `sh -c`, and dash (Debian's /bin/sh) does not exec a lone command: with
  // `"start": "tsx src/main.ts"` the server was npm's grandchild, npm forwarded SIGTERM to the shell only, the shell
  // died, and the server kept running as an orphan holding the port. The script now execs the server itself.
  it('leaves no process behind and frees the port when npm itself gets SIGTERM', async () => {
    const { npm, stdout, exited } = startNpm();
    const [, url] = await stdout.waitFor(/ready at (http:\/\/127\.0\.0\.1:(\d+)\/)/);
    const port = Number(new URL(url as string).port);
    const tree = descendantsOf(npm.pid as number);
    grandchildren.push(...tree);
    expect(tree.length).toBeGreaterThan(0);

    process.kill(npm.pid as number, 'SIGTERM'); // npm only, as a supervisor or `docker stop` would
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stdout.text()).toContain('Stopped.');
    // npm exits after its child, so the server is gone by now: nothing is left of the tree and the port is free.
    expect(tree.filter(isAlive)).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
  }, 60_000);

  it('stops cleanly on Ctrl+C, when SIGINT reaches the whole process group (and npm forwards a second one)', async () => {
    const { npm, stdout, exited } = startNpm();
    const [, url] = await stdout.waitFor(/ready at (http:\/\/127\.0\.0\.1:(\d+)\/)/);
    const tree = descendantsOf(npm.pid as number);
    grandchildren.push(...tree);

    process.kill(-(npm.pid as number), 'SIGINT'); // what a terminal does on Ctrl+C
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stdout.text()).toContain('SIGINT received, draining requests…');
    expect(stdout.text()).toContain('Stopped.');
    expect(tree.filter(isAlive)).toEqual([]);
    expect(await portIsFree(Number(new URL(url as string).port))).toBe(true);
  }, 60_000);

  it('still drains and exits 0 when the reader of its output has gone away', async () => {
    const child = startMain({ PORT: '0', HOST: '127.0.0.1', EMULATOR_SEED: 'minimal', LOG_LEVEL: 'info' });
    const stdout = watch(child.stdout as NodeJS.ReadableStream);
    watch(child.stderr as NodeJS.ReadableStream);
    const exited = once(child, 'exit');
    await stdout.waitFor(/query FirstLook \{[\s\S]*\n\}\n/);
    // Closing our ends of both pipes: the "draining" and "Stopped." lines and the log lines now hit EPIPE.
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.kill('SIGTERM');
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  }, 60_000);

  it('exits with a configuration error listing every problem', async () => {
    const bad = startMain({ PORT: 'eighty', THOUGHTSPOT_URL: 'https://acme.thoughtspot.cloud' });
    const stderr = watch(bad.stderr as NodeJS.ReadableStream);
    const [code] = (await once(bad, 'exit')) as [number | null];
    expect(code).toBe(78);
    expect(stderr.text()).toBe(
      [
        'Invalid configuration:',
        '- PORT must be an integer from 0 to 65535, but got: "eighty".',
        '- THOUGHTSPOT_USERNAME must be set when THOUGHTSPOT_URL is set, but got: nothing.',
        '- Exactly one of THOUGHTSPOT_SECRET_KEY and THOUGHTSPOT_PASSWORD must be set when THOUGHTSPOT_URL is set, but got: neither.',
        // A subgraph in front of a real cluster authenticates its callers: without JWT settings it does not start.
        '- Exactly one of AUTH_JWT_SECRET and AUTH_JWKS_URL must be set when AUTH_MODE is jwt (the default when THOUGHTSPOT_URL is set), but got: neither.',
        '- AUTH_JWT_ISSUER must be set when AUTH_MODE is jwt (the default when THOUGHTSPOT_URL is set), but got: nothing.',
        '- AUTH_JWT_AUDIENCE must be set when AUTH_MODE is jwt (the default when THOUGHTSPOT_URL is set), but got: nothing.',
        '',
      ].join('\n'),
    );
  }, 60_000);

  it('refuses to serve the embedded emulator in production unless told to', async () => {
    // Production also requires SECRETS_KEY; given one, the embedded emulator is the only problem left to report.
    const bad = startMain({ NODE_ENV: 'production', PORT: '0', SECRETS_KEY: randomBytes(32).toString('hex') });
    const stderr = watch(bad.stderr as NodeJS.ReadableStream);
    const stdout = watch(bad.stdout as NodeJS.ReadableStream);
    const [code] = (await once(bad, 'exit')) as [number | null];
    expect(code).toBe(78);
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toBe(
      'Invalid configuration:\n- THOUGHTSPOT_URL must be set when NODE_ENV is production (set ALLOW_EMBEDDED_EMULATOR=true to serve the embedded emulator on purpose), but got: nothing.\n',
    );
  }, 60_000);

  it('logs and counts unhandled rejections and keeps serving, but exits 70 on an uncaught exception', async () => {
    // A preloaded module gives the test two triggers inside the real process: SIGUSR2 leaves a rejection unhandled,
    // SIGHUP throws from a callback (nothing in src/ can be made to do either on purpose).
    const trigger = `
      process.on('SIGUSR2', () => { Promise.reject(new Error('probe rejection')); });
      process.on('SIGHUP', () => { setImmediate(() => { throw new TypeError('probe exception'); }); });
    `;
    const child = startMain({ PORT: '0', HOST: '127.0.0.1', EMULATOR_SEED: 'minimal', LOG_LEVEL: 'info' }, [
      `data:text/javascript,${encodeURIComponent(trigger)}`,
    ]);
    const stdout = watch(child.stdout as NodeJS.ReadableStream);
    const stderr = watch(child.stderr as NodeJS.ReadableStream);
    const exited = once(child, 'exit');
    const [, url] = await stdout.waitFor(/ready at (http:\/\/127\.0\.0\.1:\d+\/)/);

    child.kill('SIGUSR2');
    const [first] = await stderr.waitFor(/\{[^\n]*"unhandledRejections":1[^\n]*\}/);
    expect(JSON.parse(first as string)).toMatchObject({
      level: 'error',
      message: 'unhandled promise rejection; the process keeps serving',
      error: 'Error: probe rejection',
      unhandledRejections: 1,
    });
    expect(first).not.toContain(' at '); // the message only, no stack
    child.kill('SIGUSR2');
    await stderr.waitFor(/"unhandledRejections":2/);
    expect((await fetch(new URL('health', url))).status).toBe(200);

    child.kill('SIGHUP');
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }).toEqual({ code: 70, signal: null });
    const crash = stderr
      .text()
      .split('\n')
      .find((line) => line.includes('uncaught exception'));
    expect(JSON.parse(crash as string)).toMatchObject({ level: 'error', message: 'uncaught exception; exiting', exitCode: 70 });
    expect(crash).toContain('TypeError: probe exception\\n    at ');
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------------------------
// The drain, in-process over real sockets. Every step waits for an event (a call reaching the gate, a socket
// closing), never for a duration: the only timer involved is the app's own grace period.

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The connection the response came on. */
  readonly socket: Socket;
}

function send(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string; agent?: Agent } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let socket: Socket | undefined;
    const req = request(
      new URL(options.path ?? '/', url),
      { method: options.method ?? 'POST', headers: options.headers ?? { 'content-type': 'application/json' }, agent: options.agent ?? false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, socket: socket as Socket }));
        res.on('error', reject);
      },
    );
    // Taken here: a kept-alive response gives its socket back to the agent, and `res.socket` is null by its end.
    req.on('socket', (assigned: Socket) => (socket = assigned));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Resolves once `socket` is closed (at once if it already is). */
function closed(socket: Socket): Promise<void> {
  return socket.destroyed ? Promise.resolve() : once(socket, 'close').then(() => undefined);
}

/** A raw TCP connection, for requests sent in pieces. */
async function rawConnection(port: number): Promise<{ socket: Socket; received: () => string }> {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  await once(socket, 'connect');
  return { socket, received: () => text };
}

function write(socket: Socket, text: string): Promise<void> {
  return new Promise((resolve, reject) => socket.write(text, (error) => (error ? reject(error) : resolve())));
}

const QUERY = JSON.stringify({ query: '{ organizations { nodes { name } } }' });
const SHUTTING_DOWN = { errors: [{ message: 'The server is shutting down; retry on another instance.', extensions: { code: 'SHUTTING_DOWN' } }] };

describe('App.stop() drain', () => {
  let emulator: Emulator | undefined;
  let pool: Dispatcher | undefined;
  let app: App | undefined;
  let release: (() => void) | undefined;
  afterEach(async () => {
    release?.(); // a failed assertion must not leave a request waiting at the gate for the whole grace period
    await app?.stop();
    await pool?.destroy();
    await emulator?.close();
    app = undefined;
    pool = undefined;
    emulator = undefined;
    release = undefined;
  });

  it('stops accepting, closes idle connections, refuses late requests with a coded 503, and lets running ones finish', async () => {
    emulator = await startEmulator({ seed: 'minimal', host: '127.0.0.1', port: 0, rateLimit: { enabled: false } });
    // Org searches wait at a gate the test opens, so "still running" is a fact, not a timing.
    const gate = upstreamGate(emulator.url, '/orgs/search', { connections: 4, keepAliveTimeout: 1_000 });
    const { firstReached: atGate, open: openGate } = gate;
    release = openGate;
    pool = gate.pool;
    const gated = gate.dispatcher;
    const config = loadConfig({
      THOUGHTSPOT_URL: emulator.url,
      THOUGHTSPOT_USERNAME: emulator.adminCredentials.username,
      THOUGHTSPOT_SECRET_KEY: emulator.adminCredentials.secretKey,
      THOUGHTSPOT_RATE_LIMIT_RPS: '0',
      LOG_LEVEL: 'silent',
      SHUTDOWN_GRACE_MS: '600000', // the running request must finish by itself, never by the grace period ending
      ...TEST_AUTH_ENV,
      STORE_PATH: ':memory:',
    });
    app = await createApp(config, { dispatcher: gated });
    const url = await app.listen(0, '127.0.0.1');
    const port = Number(new URL(url).port);

    // An idle kept-alive connection.
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const idle = await send(url, { method: 'GET', path: 'health', agent: keepAlive });
    expect(idle.headers.connection).toBe('keep-alive');
    // A kept-alive connection whose next request has begun to arrive.
    const late = await rawConnection(port);
    await write(late.socket, 'GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    while (!late.received().endsWith('{"status":"ok"}')) await once(late.socket, 'data');
    const firstAnswer = late.received().length;
    // Its caller is authenticated like any other: the drain, not a missing token, is what refuses it.
    const lateToken = await mintTestToken();
    await write(late.socket, 'POST /graphql HTTP/1.1\r\nHost: x\r\n');
    // A running request, on a kept-alive connection of its own (without an agent Node's client asks for
    // `Connection: close` itself, and the server would echo it whatever the drain did).
    const runningAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const running = send(url, { body: QUERY, headers: { 'content-type': 'application/json', ...(await authHeader()) }, agent: runningAgent });
    await atGate;
    // One more round trip: loopback delivers the partial request to the server before this one, so once this
    // answer is back the server has read those bytes (and the connection is no longer idle).
    await send(url, { method: 'GET', path: 'health', agent: keepAlive });

    const stopped = app.stop();
    // The listening socket is closed at once.
    const refused = connect(port, '127.0.0.1');
    const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
    // The idle connection is closed at once, while the running request still waits at the gate.
    await closed(idle.socket);
    // The request that arrives now is refused with the coded 503, and its connection closed after it.
    await write(late.socket, `authorization: Bearer ${lateToken}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(QUERY)}\r\n\r\n${QUERY}`);
    await closed(late.socket);
    const [head, body] = late.received().slice(firstAnswer).split('\r\n\r\n') as [string, string];
    expect(head).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(head.toLowerCase()).toContain('\r\nconnection: close');
    expect(head.toLowerCase()).toContain('\r\nretry-after: 1');
    expect(head.toLowerCase()).toContain('\r\ncontent-type: application/json');
    expect(JSON.parse(body)).toEqual(SHUTTING_DOWN);

    // The running request completes normally, on a connection its response closes.
    openGate();
    const answer = await running;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ data: { organizations: { nodes: [{ name: 'Primary' }] } } });
    expect(answer.headers.connection).toBe('close');
    await stopped;
    await closed(answer.socket);
    keepAlive.destroy();
    runningAgent.destroy();
  }, 30_000);

  it('answers requests still running when the grace period ends with the coded 503, then closes every connection', async () => {
    app = await createApp(
      loadConfig({ EMULATOR_SEED: 'minimal', LOG_LEVEL: 'silent', THOUGHTSPOT_MAX_RETRIES: '0', SHUTDOWN_GRACE_MS: '50', STORE_PATH: ':memory:' }),
    );
    const embedded = app.emulator as Emulator;
    embedded.use(fault('POST /api/rest/2.0/orgs/search', { hang: true })); // never answers
    const url = await app.listen(0, '127.0.0.1');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const running = send(url, { body: QUERY, headers: { 'content-type': 'application/json', 'x-request-id': 'req-hung' }, agent });
    // A connection that never sends a request: it holds no request, so nothing waits for it.
    const silent = await rawConnection(Number(new URL(url).port));
    while (embedded.calls('POST /api/rest/2.0/orgs/search').length === 0) await new Promise((resolve) => setImmediate(resolve));

    const stopped = app.stop();
    const answer = await running;
    expect(answer.status).toBe(503);
    expect(answer.headers.connection).toBe('close');
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.headers['x-request-id']).toBe('req-hung');
    expect(JSON.parse(answer.body)).toEqual(SHUTTING_DOWN);
    await stopped;
    await closed(answer.socket);
    await closed(silent.socket);
    expect(silent.received()).toBe('');
    agent.destroy();
  }, 30_000);

  it('stops at once when nothing is in flight, and stop() is idempotent', async () => {
    app = await createApp(loadConfig({ EMULATOR_SEED: 'minimal', LOG_LEVEL: 'silent', STORE_PATH: ':memory:' }));
    const url = await app.listen(0, '127.0.0.1');
    expect((await send(url, { method: 'GET', path: 'health' })).status).toBe(200);
    const first = app.stop();
    expect(app.stop()).toBe(first);
    await first;
    await expect(send(url, { method: 'GET', path: 'health' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
