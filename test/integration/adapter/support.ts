// Test support for the adapter's integration tests: an emulator on a loopback port, a client wired to it, and
// captures of everything the client writes (log lines, upstream-call events) and every bearer token it sends.

import { Pool, type Dispatcher } from 'undici';
import { vi } from 'vitest';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../../src/emulator/index.js';
import { createEmulatorServer } from '../../../src/emulator/server.js';
import { handlers } from '../../../src/emulator/handlers/index.js';
import { createState, type EmulatorState } from '../../../src/emulator/domain/index.js';
import { createThoughtSpotClient, type ThoughtSpotClient, type ThoughtSpotClientOptions } from '../../../src/thoughtspot/index.js';
import { buildThoughtSpotClient } from '../../../src/thoughtspot/client.js';
import type { Logger } from '../../../src/logger.js';
import type { UpstreamCallEvent } from '../../../src/thoughtspot/types.js';
import { settle, virtualClock, type VirtualClock } from '../../unit/thoughtspot/virtual-clock.js';

/** A clock the test moves by hand (epoch milliseconds). */
export interface ManualClock {
  now(): number;
  advance(ms: number): void;
}

/** Start at the real time so tokens and call records look ordinary. */
export function manualClock(start = Date.now()): ManualClock {
  let time = start;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

/** Every line the client logged, serialised as it would be by a JSON logger. */
export interface Capture {
  readonly logger: Logger;
  readonly lines: string[];
  readonly events: UpstreamCallEvent[];
  readonly onUpstreamCall: (event: UpstreamCallEvent) => void;
}

export function capture(): Capture {
  const lines: string[] = [];
  const events: UpstreamCallEvent[] = [];
  const write =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push(JSON.stringify({ level, message, ...fields }));
    };
  return {
    lines,
    events,
    logger: { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') },
    onUpstreamCall: (event) => events.push(event),
  };
}

/**
 * A loopback pool that also records the Authorization header of every request, so tests know exactly which tokens the
 * client used and can search for them in its output.
 */
export function recordingPool(url: string): { readonly dispatcher: Dispatcher; readonly tokens: Set<string>; close(): Promise<void> } {
  const tokens = new Set<string>();
  const pool = new Pool(url, { connections: 16, keepAliveTimeout: 1_000 });
  const dispatcher = pool.compose((dispatch) => (options, handler) => {
    const headers = options.headers as Record<string, string> | undefined;
    const authorization = headers?.['authorization'];
    if (typeof authorization === 'string') tokens.add(authorization.replace(/^Bearer /, ''));
    return dispatch(options, handler);
  });
  return { dispatcher, tokens, close: () => pool.close() };
}

export interface Stack {
  readonly emulator: Emulator;
  readonly client: ThoughtSpotClient;
  readonly capture: Capture;
  readonly secretKey: string;
  readonly username: string;
  close(): Promise<void>;
}

/** Start an emulator and a client against it (secret-key credentials unless `password` is asked for). */
export async function startStack(
  emulatorOptions: StartEmulatorOptions = {},
  clientOptions: Partial<ThoughtSpotClientOptions> & { readonly usePassword?: boolean } = {},
): Promise<Stack> {
  const emulator = await startEmulator({ seed: 'minimal', rateLimit: { enabled: false }, ...emulatorOptions });
  const output = capture();
  const { username, password, secretKey } = emulator.adminCredentials;
  const { usePassword, ...rest } = clientOptions;
  const client = createThoughtSpotClient({
    baseUrl: emulator.url,
    credentials: usePassword === true ? { username, password } : { username, secretKey },
    logger: output.logger,
    onUpstreamCall: output.onUpstreamCall,
    retry: { minDelayMs: 5, maxDelayMs: 50 },
    ...rest,
  });
  return {
    emulator,
    client,
    capture: output,
    secretKey,
    username,
    close: async () => {
      await client.close();
      await emulator.close();
    },
  };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`expected an Error, but the promise rejected with: ${String(error)}`);
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Everything an error exposes as text: message, stack, own properties and the whole cause chain. */
export function everythingIn(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== undefined && current !== null; depth += 1) {
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? '');
      parts.push(JSON.stringify({ ...current }));
      current = current.cause;
    } else {
      parts.push(JSON.stringify(current));
      current = undefined;
    }
  }
  return parts.join('\n');
}

/** A stack whose pacing, backoff and deadlines run on one virtual clock (see `startVirtualStack`). */
export interface VirtualStack extends Stack {
  readonly clock: VirtualClock;
}

/**
 * Start an emulator and a client whose rate limiter, backoff sleeps and call deadlines all read one virtual clock,
 * which also drives the emulator's own rate limiter. Move it with `drive` (or the clock's methods): time then passes
 * only while no request is on the wire, so every request reaches the emulator at the virtual moment it left the
 * client, and tests can assert pacing and queue timeouts by order and count instead of by the wall clock. The
 * network and undici's own socket timeouts stay real.
 */
export async function startVirtualStack(
  emulatorOptions: Pick<StartEmulatorOptions, 'rateLimit'> = {},
  clientOptions: Partial<ThoughtSpotClientOptions> = {},
): Promise<VirtualStack> {
  const clock = virtualClock(0);
  const emulator = await createEmulatorServer<EmulatorState>({
    handlers,
    createState: (deps) => createState('minimal', deps),
    rateLimit: { enabled: false, ...emulatorOptions.rateLimit },
    rateLimitClock: clock.now,
  });
  const output = capture();
  const { username, secretKey } = emulator.adminCredentials;
  const client = buildThoughtSpotClient(
    {
      baseUrl: emulator.url,
      credentials: { username, secretKey },
      logger: output.logger,
      onUpstreamCall: output.onUpstreamCall,
      retry: { minDelayMs: 5, maxDelayMs: 50 },
      ...clientOptions,
    },
    { clock },
  );
  return {
    emulator,
    client,
    capture: output,
    secretKey,
    username,
    clock,
    close: async () => {
      await client.close();
      await emulator.close();
    },
  };
}

/** Wait (on real I/O) until the client has no request on the wire: every call it holds is queued or settled. */
export async function quiescent(client: ThoughtSpotClient): Promise<void> {
  await waitUntilQuiet(client, () => false);
}

async function waitUntilQuiet(client: ThoughtSpotClient, done: () => boolean): Promise<void> {
  await settle();
  await vi.waitFor(
    () => {
      const inFlight = client.status?.().inFlight;
      if (inFlight !== 0 && !done()) throw new Error(`expected no request on the wire, but got: ${String(inFlight)}`);
    },
    { timeout: 10_000, interval: 1 },
  );
}

/**
 * Run the virtual clock until `done()` holds: wait until no request is on the wire (or `done()` already holds), fire
 * the next timer, repeat. `withinMs` leaves timers further off than that unfired (say, call deadlines while a test
 * watches pacing).
 */
export async function runUntil(stack: VirtualStack, done: () => boolean, withinMs?: number): Promise<void> {
  for (;;) {
    await waitUntilQuiet(stack.client, done);
    if (done()) return;
    // Nothing due: the next step is I/O (a response on its way), so let the event loop turn.
    if (!(await stack.clock.runNext(withinMs))) await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Run the virtual clock until `work` settles (see `runUntil`), and return it. */
export async function drive<T>(stack: VirtualStack, work: Promise<T>, withinMs?: number): Promise<T> {
  let settled = false;
  work.then(
    () => (settled = true),
    () => (settled = true),
  );
  await runUntil(stack, () => settled, withinMs);
  return work;
}

/**
 * Run the virtual clock until the emulator has received `count` calls of `route` (which may then hang on the wire),
 * firing nothing further off than `withinMs`.
 */
export async function driveUntilReceived(stack: VirtualStack, route: string, count = 1, withinMs = 1_000): Promise<void> {
  await runUntil(stack, () => stack.emulator.calls(route).length >= count, withinMs);
}
