// Internal to src/thoughtspot: one HTTP attempt over an injected undici Dispatcher, and the translation of undici's
// failures into adapter errors. Nothing here retries, waits or authenticates; pipeline.ts does.

import { Pool, type Dispatcher } from 'undici';
import {
  ThoughtSpotAbortedError,
  ThoughtSpotNetworkError,
  ThoughtSpotProtocolError,
  ThoughtSpotRequestError,
  ThoughtSpotTimeoutError,
  type AnyThoughtSpotError,
} from './errors.js';
import { sanitizeCause, type SecretRegistry } from './redact.js';
import { DeadlineExceeded } from './timers.js';

/**
 * Error bodies are read up to this many bytes: enough for any JSON envelope and an HTML page's title, and a gateway
 * that streams megabytes of HTML cannot make the adapter buffer them.
 */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** The pool the adapter builds when none is injected. */
export interface PoolSettings {
  readonly connections: number;
  readonly connectMs: number;
  readonly headersMs: number;
  readonly bodyMs: number;
}

/**
 * A keep-alive pool for one cluster. `keepAliveTimeout` stays at undici's 4 s default and undici also honours the
 * server's `Keep-Alive: timeout=` hint, so a socket is dropped before the server drops it; a write sent on a socket
 * the server is closing could not be safely re-sent.
 */
export function createPool(origin: string, settings: PoolSettings): Pool {
  return new Pool(origin, {
    connections: settings.connections,
    pipelining: 1,
    connect: { timeout: settings.connectMs },
    headersTimeout: settings.headersMs,
    bodyTimeout: settings.bodyMs,
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 60_000,
  });
}

/** One request as the transport sends it. */
export interface AttemptRequest {
  readonly method: 'GET' | 'POST';
  /** Absolute path including the `/api/rest/2.0` prefix (and the base URL's own path prefix, if any). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
}

/** What came back: the status, the headers the adapter reads, and the body as text. */
export interface RawResponse {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly retryAfter: string | undefined;
  readonly location: string | undefined;
  readonly bodyText: string;
}

/** Send one request and read the whole answer. Throws undici's error (or the signal's reason) on failure. */
export async function sendOnce(dispatcher: Dispatcher, origin: string, request: AttemptRequest): Promise<RawResponse> {
  const response = await dispatcher.request({
    origin,
    path: request.path,
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
    signal: request.signal,
    headersTimeout: request.headersTimeoutMs,
    bodyTimeout: request.bodyTimeoutMs,
  });
  const status = response.statusCode;
  const bodyText =
    status >= 200 && status < 300 ? await response.body.text() : await readCapped(response.body, MAX_ERROR_BODY_BYTES);
  return {
    status,
    contentType: header(response.headers['content-type']),
    retryAfter: header(response.headers['retry-after']),
    location: header(response.headers['location']),
    bodyText,
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readCapped(body: AsyncIterable<Buffer | string> & { destroy(): unknown }, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(buffer);
    size += buffer.length;
    if (size >= maxBytes) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

// Connection-phase failures: the socket never opened, so the request never reached ThoughtSpot.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/** Where the failed attempt was going, for the error's details. */
export interface TransportContext {
  readonly endpoint: string;
  readonly orgId: number | undefined;
  readonly attempt: number;
  readonly signal: AbortSignal;
  readonly registry: SecretRegistry;
}

/** Translate whatever one attempt threw (undici error, abort reason) into an adapter error. */
export function errorFromTransport(thrown: unknown, context: TransportContext): AnyThoughtSpotError {
  const { endpoint, orgId, attempt, signal, registry } = context;
  const where = `${endpoint}${orgId === undefined ? '' : ` (Org ${orgId})`}`;
  const base = { endpoint, orgId, attempts: attempt, cause: sanitizeCause(thrown, registry) };
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof DeadlineExceeded) {
      return new ThoughtSpotTimeoutError(`${where} did not complete within its deadline of ${reason.deadlineMs} ms.`, {
        ...base,
        phase: 'deadline',
      });
    }
    return new ThoughtSpotAbortedError(`${where} was aborted by the caller.`, { ...base, reason });
  }
  const code = errorCode(thrown);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new ThoughtSpotTimeoutError(`Connecting to ThoughtSpot for ${where} timed out.`, { ...base, phase: 'connect' });
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new ThoughtSpotTimeoutError(`ThoughtSpot sent no response headers for ${where} in time.`, {
        ...base,
        phase: 'headers',
      });
    case 'UND_ERR_BODY_TIMEOUT':
      return new ThoughtSpotTimeoutError(`ThoughtSpot stopped sending the response body of ${where}.`, {
        ...base,
        phase: 'body',
      });
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return new ThoughtSpotAbortedError(`${where} was not sent: the adapter's connection pool is closed.`, base);
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
      // The request itself was malformed (an adapter bug or an unusable injected dispatcher): nothing was sent and
      // sending it again would fail the same way.
      return new ThoughtSpotRequestError(`${where} was not sent: undici refused the request (${code}).`, base);
    case 'UND_ERR_INFO':
    case 'UND_ERR_HEADERS_OVERFLOW':
      return new ThoughtSpotProtocolError(`ThoughtSpot's response to ${where} was not valid HTTP (${code}).`, base);
    default:
      break;
  }
  if (code !== undefined && code.startsWith('HPE_')) {
    return new ThoughtSpotProtocolError(`ThoughtSpot's response to ${where} was not valid HTTP (${code}).`, base);
  }
  const notSent = code !== undefined && NOT_SENT_CODES.has(code);
  const what = notSent ? 'could not connect to ThoughtSpot' : 'lost the connection to ThoughtSpot';
  return new ThoughtSpotNetworkError(`${where} ${what}${code === undefined ? '' : ` (${code})`}.`, { ...base, notSent });
}

function errorCode(thrown: unknown): string | undefined {
  // Undici reports connection failures either directly or wrapped (AggregateError for happy-eyeballs, `cause`).
  let current: unknown = thrown;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    if (typeof code === 'string') return inner(current) ?? code;
    if (current instanceof AggregateError && current.errors.length > 0) current = current.errors[0];
    else current = current.cause;
  }
  return undefined;
}

function inner(error: Error): string | undefined {
  const cause = error.cause;
  const code = cause instanceof Error ? (cause as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
