// Test support for the adapter's integration tests: an emulator on a loopback port, a client wired to it, and
// captures of everything the client writes (log lines, upstream-call events) and every bearer token it sends.

import { Pool, type Dispatcher } from 'undici';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../../src/emulator/index.js';
import { createThoughtSpotClient, type ThoughtSpotClient, type ThoughtSpotClientOptions } from '../../../src/thoughtspot/index.js';
import type { Logger, UpstreamCallEvent } from '../../../src/thoughtspot/types.js';

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
