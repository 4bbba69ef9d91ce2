// Internal to src/emulator: the HTTP shell. It owns the bytes on the wire (routing, content types, validation,
// authentication, rate limiting, faults, the call log, the admin route) and hands validated requests to the
// domain's handlers, which never see an HTTP object. `startEmulator` (index.ts) wires it to the real domain; tests
// of the shell can inject their own handler table and state.

import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAdminRoute } from './admin.js';
import { createCallLog, type CallRecord, type MutableCallRecord } from './call-log.js';
import { BASE_PATH, ENDPOINTS, ENDPOINTS_BY_ID, isLoginEndpoint, type ContractEndpoint } from './contract.js';
import { codeForStatus, createEnvelopeFactory, gatewayPage, maintenancePage, reasonPhrase } from './envelope.js';
import { createFaultSet, resolveAnswer, type Fault } from './faults.js';
import {
  DEFAULT_ADMIN_PREFIX,
  DEFAULT_FIDELITY,
  DEFAULT_RATE_LIMIT,
  checkFidelityPatch,
  checkLatencyMs,
  checkRateLimitPatch,
} from './options.js';
import { createRateLimiter } from './rate-limit.js';
import { createRouter } from './router.js';
import {
  EmulatorError,
  VendorCode,
  type Clock,
  type Credentials,
  type DomainState,
  type Fidelity,
  type Handler,
  type HandlerResult,
  type Principal,
  type RateLimitOptions,
  type ResponseHeaders,
} from './types.js';
import { compileBodyValidator } from './validate.js';
import { wireBody } from './wire.js';

/** Options of `createEmulatorServer`. */
export interface EmulatorServerOptions<S extends DomainState> {
  /** One handler per contract endpoint id; a missing or unknown id fails at start. */
  readonly handlers: Readonly<Record<string, Handler<S>>>;
  /** Builds a fresh domain state; called at start and by `resetState()`. */
  readonly createState: (deps: { readonly fidelity: Fidelity; readonly clock: Clock }) => S;
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined;
  /** Default 0 (an ephemeral port). */
  readonly port?: number | undefined;
  readonly fidelity?: Partial<Fidelity> | undefined;
  readonly rateLimit?: Partial<RateLimitOptions> | undefined;
  /** Default `Date.now`. Drives the call log's `at` and the domain (token expiry). */
  readonly clock?: Clock | undefined;
  /** Default `/__emulator`. */
  readonly adminPrefix?: string | undefined;
  /** Latency added to every API call, in milliseconds. Default 0. */
  readonly latencyMs?: number | undefined;
  /** The call log keeps at least this many recent calls. Default 50,000. */
  readonly callLogLimit?: number | undefined;
  /** Monotonic milliseconds for the rate limiter. Default `performance.now`. */
  readonly rateLimitClock?: (() => number) | undefined;
  /** Where unexpected handler failures are reported. Default: stderr. */
  readonly log?: ((message: string) => void) | undefined;
}

/** A running emulator. */
export interface EmulatorServer<S extends DomainState = DomainState> {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** The domain state (replaced by `resetState()`). */
  readonly state: S;
  /** The seeded cluster administrator and the cluster's trusted-authentication secret key. */
  readonly adminCredentials: { readonly username: string; readonly password: string; readonly secretKey: string };
  /** The live behaviour switches (shared with the domain; change them with `setFidelity`). */
  readonly fidelity: Readonly<Fidelity>;
  /** The live rate-limit options. */
  readonly rateLimit: Readonly<RateLimitOptions>;
  /** The latency currently added to every API call. */
  readonly latencyMs: number;
  setFidelity(patch: Partial<Fidelity>): void;
  setRateLimit(patch: Partial<RateLimitOptions>): void;
  setLatency(ms: number): void;
  /** Calls in arrival order; filter by endpoint route (`'POST /api/rest/2.0/users/search'`) or by predicate. */
  calls(filter?: string | ((call: CallRecord) => boolean)): CallRecord[];
  clearCalls(): void;
  /** Per-test overrides (msw style); applied in installation order, first match wins. */
  use(...faults: Fault[]): void;
  /** Removes faults, clears the call log and rate-limit buckets, restores the fidelity, rate limit and latency given at start. */
  reset(): void;
  /** Reloads the seed (a fresh domain state). */
  resetState(): void;
  close(): Promise<void>;
}

// Large enough for a users/import of tens of thousands of rows; beyond it the request is refused with 413 rather
// than buffered without bound.
const MAX_BODY_CHARS = 32 * 1024 * 1024;
const DEFAULT_CALL_LOG_LIMIT = 50_000;
const EMPTY_BODY: Readonly<Record<string, unknown>> = Object.freeze({});

interface CompiledEndpoint {
  readonly endpoint: ContractEndpoint;
  readonly handler: Handler<never>;
  readonly login: boolean;
  readonly validate: ((body: Record<string, unknown>) => string[]) | null;
}

type ParsedBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string } | null;

/** Starts the HTTP shell around an injected handler table and state factory. */
export async function createEmulatorServer<S extends DomainState>(
  options: EmulatorServerOptions<S>,
): Promise<EmulatorServer<S>> {
  const compiled = compileEndpoints(options.handlers);
  const router = createRouter(ENDPOINTS);
  const clock: Clock = options.clock ?? { now: () => Date.now() };
  const log = options.log ?? ((message: string) => process.stderr.write(message + '\n'));
  const adminPrefix = checkAdminPrefix(options.adminPrefix ?? DEFAULT_ADMIN_PREFIX);

  const initialFidelity: Fidelity = { ...DEFAULT_FIDELITY, ...checkFidelityPatch(options.fidelity ?? {}) };
  const initialRateLimit: RateLimitOptions = { ...DEFAULT_RATE_LIMIT, ...checkRateLimitPatch(options.rateLimit ?? {}) };
  const initialLatencyMs = checkLatencyMs(options.latencyMs ?? 0);
  const callLogLimit = options.callLogLimit ?? DEFAULT_CALL_LOG_LIMIT;
  if (!Number.isInteger(callLogLimit) || callLogLimit < 1) {
    throw new TypeError(`callLogLimit must be a positive integer, but got: ${String(callLogLimit)}.`);
  }

  // One mutable object each, shared by reference with the domain and the limiter, so a change made through
  // setFidelity/setRateLimit (or the admin route) is seen by the very next request.
  const fidelity: Fidelity = { ...initialFidelity };
  const rateLimit: RateLimitOptions = { ...initialRateLimit };
  let latencyMs = initialLatencyMs;

  const limiter = createRateLimiter(rateLimit, options.rateLimitClock);
  const faults = createFaultSet();
  const callLog = createCallLog(callLogLimit);
  const envelopes = createEnvelopeFactory();
  let state = options.createState({ fidelity, clock });

  let baseUrl = '';
  let closed = false;
  // close() aborts it: a pending latency then ends at once instead of holding the shutdown open. Every pending latency
  // listens to it, and under load there are hundreds: no listener limit, or Node would warn of a leak.
  const closing = new AbortController();
  setMaxListeners(0, closing.signal);
  const delay = (ms: number): Promise<void> => sleep(ms, undefined, { signal: closing.signal }).catch(() => {});

  const emulator: EmulatorServer<S> = {
    get url() {
      return baseUrl;
    },
    get port() {
      return (server.address() as AddressInfo | null)?.port ?? 0;
    },
    get state() {
      return state;
    },
    get adminCredentials() {
      return { ...state.adminCredentials, secretKey: fidelity.secretKey };
    },
    fidelity,
    rateLimit,
    get latencyMs() {
      return latencyMs;
    },
    setFidelity(patch) {
      Object.assign(fidelity, checkFidelityPatch(patch));
    },
    setRateLimit(patch) {
      Object.assign(rateLimit, checkRateLimitPatch(patch));
      limiter.clear();
    },
    setLatency(ms) {
      latencyMs = checkLatencyMs(ms);
    },
    calls: (filter) => callLog.list(filter),
    clearCalls: () => callLog.clear(),
    use: (...list) => faults.use(list),
    reset() {
      faults.clear();
      callLog.clear();
      limiter.clear();
      Object.assign(fidelity, initialFidelity);
      Object.assign(rateLimit, initialRateLimit);
      latencyMs = initialLatencyMs;
    },
    resetState() {
      state = options.createState({ fidelity, clock });
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      closing.abort();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Hung requests (the `hang` fault) and idle keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };

  const admin = createAdminRoute({
    emulator,
    faults,
    callLog,
    checkFidelity: checkFidelityPatch,
    checkRateLimit: checkRateLimitPatch,
  });

  // When each logged call arrived (performance.now), kept beside the record so snapshots stay plain data.
  const startedAt = new WeakMap<MutableCallRecord, number>();

  function sendError(
    res: ServerResponse,
    record: MutableCallRecord,
    status: number,
    code: number,
    messages: readonly string[],
    headers?: Record<string, string>,
  ): void {
    send(res, record, status, envelopes.build(fidelity.errorShape, code, messages), 'application/json', headers);
  }

  function send(
    res: ServerResponse,
    record: MutableCallRecord,
    status: number,
    body: string | Buffer,
    contentType: string | null,
    headers?: ResponseHeaders,
  ): void {
    record.status = status;
    record.bytes = Buffer.byteLength(body);
    record.durationMs = performance.now() - startedAt.get(record)!;
    startedAt.delete(record);
    if (res.destroyed) return;
    const out: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(headers ?? {})) out[name] = typeof value === 'string' ? value : [...value];
    if (contentType !== null) out['Content-Type'] = contentType;
    out['Content-Length'] = Buffer.byteLength(body);
    res.writeHead(status, out);
    res.end(body);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string, rawPath: string): Promise<void> {
    const started = performance.now();
    const text = await readBody(req);
    const route = router.match(method, rawPath);
    const endpoint = route.kind === 'found' || route.kind === 'bad-param' ? route.endpoint : null;
    const parsed = parseBody(text);
    const record = callLog.start({
      at: clock.now(),
      method,
      path: rawPath,
      endpoint: endpoint?.id ?? null,
      params: route.kind === 'found' ? route.params : {},
      body: parsed === null ? null : parsed.ok ? parsed.value : text,
      status: 0,
      orgId: null,
      userId: null,
      durationMs: 0,
      fault: null,
      remoteAddress: req.socket.remoteAddress ?? '',
      rows: null,
      bytes: 0,
    });
    startedAt.set(record, started);

    // Stage 1 (admin route) ran in the request listener. Stage 2: the documented per-IP rate limit (CONTRACT.md
    // §7). ThoughtSpot documents no Retry-After (Q9); when switched on, it says when the next token is due.
    if (rateLimit.enabled && !limiter.take(record.remoteAddress)) {
      record.fault = 'rate-limit';
      const headers: Record<string, string> = rateLimit.retryAfterHeader
        ? { 'Retry-After': String(Math.max(1, Math.ceil(1 / rateLimit.requestsPerSecond))) }
        : {};
      sendError(
        res,
        record,
        429,
        codeForStatus(429),
        [
          `Rate limit exceeded: more than ${rateLimit.requestsPerSecond} requests per second (burst ${rateLimit.burst}) ` +
            `from client ${record.remoteAddress}.`,
        ],
        headers,
      );
      return;
    }

    // Stage 3: faults and the global latency.
    if (latencyMs > 0) {
      await delay(latencyMs);
      if (closed) return;
    }
    const picked = faults.size > 0 ? faults.pick(endpoint?.id ?? null) : null;
    if (picked) {
      record.fault = picked.description;
      const { spec } = picked;
      if (spec.latencyMs !== undefined && spec.latencyMs > 0) {
        await delay(spec.latencyMs);
        if (closed) return;
      }
      if (spec.reset === true) {
        record.durationMs = performance.now() - started;
        // resetAndDestroy sends a TCP RST, so the client sees ECONNRESET as on a dropped connection.
        const socket = req.socket as typeof req.socket & { resetAndDestroy?: () => void };
        if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else socket.destroy();
        return;
      }
      if (spec.hang === true) return;
      const answer = resolveAnswer(spec);
      if (answer) {
        const headers: Record<string, string> =
          spec.retryAfterSeconds !== undefined ? { 'Retry-After': String(spec.retryAfterSeconds) } : {};
        switch (answer.body) {
          case 'json':
            sendError(res, record, answer.status, codeForStatus(answer.status), [
              `${reasonPhrase(answer.status)} (fault injected by the emulator).`,
            ], headers);
            return;
          case 'html':
            send(res, record, answer.status, gatewayPage(answer.status), 'text/html', headers);
            return;
          case 'maintenance':
            send(res, record, answer.status, maintenancePage(), 'text/html; charset=utf-8', headers);
            return;
          case 'empty':
            send(res, record, answer.status, '', null, headers);
            return;
          default:
            send(res, record, answer.status, answer.body, spec.contentType ?? 'text/plain; charset=utf-8', headers);
            return;
        }
      }
    }

    // Stage 4: route lookup.
    if (route.kind === 'not-found') {
      sendError(res, record, 404, VendorCode.INVALID_REQUEST, [
        `No endpoint ${method} ${rawPath}: the emulator serves the ThoughtSpot REST v2 endpoints under ${BASE_PATH} ` +
          `listed in contract.json.`,
      ]);
      return;
    }
    if (route.kind === 'method-not-allowed') {
      sendError(
        res,
        record,
        405,
        VendorCode.INVALID_REQUEST,
        [`Method ${method} is not supported on ${rawPath}: expected ${route.allowed.join(' or ')}.`],
        { Allow: route.allowed.join(', ') },
      );
      return;
    }
    if (route.kind === 'bad-param') {
      sendError(res, record, 400, VendorCode.INVALID_REQUEST, [route.message]);
      return;
    }
    const entry = compiled.get(route.endpoint.id)!;

    // Stage 5: content type and body. Every documented body is JSON and required, even when it is `{}`
    // (CONTRACT.md §1); other content types get 415 as the getting-started guide says. Endpoints without a
    // documented body (GETs, deletes, logout) ignore whatever was sent.
    let body: Record<string, unknown> = EMPTY_BODY as Record<string, unknown>;
    if (entry.endpoint.request_body) {
      if (text.length > MAX_BODY_CHARS) {
        sendError(res, record, 413, VendorCode.INVALID_REQUEST, [
          `The request body is larger than the emulator accepts (${MAX_BODY_CHARS} characters).`,
        ]);
        return;
      }
      const contentType = req.headers['content-type'];
      if (!isJsonContentType(contentType)) {
        sendError(res, record, 415, VendorCode.INVALID_REQUEST, [
          `Unsupported Content-Type ${contentType === undefined ? '(none)' : JSON.stringify(contentType)}: expected ` +
            `application/json.`,
        ]);
        return;
      }
      if (parsed === null) {
        sendError(res, record, 400, VendorCode.INVALID_REQUEST, [
          `The request body is required: expected a JSON object (send {} when there are no parameters), but the body was empty.`,
        ]);
        return;
      }
      if (!parsed.ok) {
        sendError(res, record, 400, VendorCode.INVALID_REQUEST, [`The request body is not valid JSON: ${parsed.error}.`]);
        return;
      }
      const value = parsed.value;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        sendError(res, record, 400, VendorCode.INVALID_REQUEST, [
          `The request body must be a JSON object, but got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}.`,
        ]);
        return;
      }
      body = value as Record<string, unknown>;
    }

    // Stage 6: authentication. The three token endpoints and session login are logins themselves.
    let principal: Principal | null = null;
    if (!entry.login) {
      const found = readCredentials(req);
      if (typeof found === 'string') {
        sendError(res, record, 401, VendorCode.UNAUTHENTICATED, [found]);
        return;
      }
      principal = state.authenticate(found);
      if (principal === null) {
        sendError(res, record, 401, VendorCode.UNAUTHENTICATED, [
          found.bearer !== undefined
            ? 'The bearer token is invalid, expired or revoked: mint a new one with POST /api/rest/2.0/auth/token/full.'
            : 'The session is invalid, expired or logged out: log in again.',
        ]);
        return;
      }
      record.orgId = principal.orgId;
      record.userId = principal.userId;
    }

    // Stage 7: validation against contract.json.
    if (entry.validate) {
      const problems = entry.validate(body);
      if (problems.length > 0) {
        sendError(res, record, 400, VendorCode.INVALID_REQUEST, problems);
        return;
      }
    }

    // Stage 8: the handler.
    let result: HandlerResult;
    try {
      result = await (entry.handler as Handler<S>)({
        endpoint: entry.endpoint.id,
        body,
        params: route.params,
        principal,
        state,
        fidelity,
        clock,
        baseUrl,
      });
    } catch (err) {
      if (err instanceof EmulatorError) {
        // Q15: some live endpoints answer permission failures with 500 instead of 403 (CONTRACT.md §6.2).
        const status = err.status === 403 && fidelity.permissionErrorsAs500 ? 500 : err.status;
        sendError(res, record, status, err.code, [err.message]);
      } else {
        log(`[emulator] ${entry.endpoint.id} failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        sendError(res, record, 500, VendorCode.INTERNAL, ['Unexpected server error.']);
      }
      return;
    }
    if (closed) return;
    if (result.status === 204) {
      send(res, record, 204, '', null, result.headers);
    } else {
      record.rows = Array.isArray(result.body) ? result.body.length : null;
      send(res, record, 200, wireBody(result.body), 'application/json', result.headers);
    }
  }

  const server: Server = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q === -1 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    if (rawPath === adminPrefix || rawPath.startsWith(adminPrefix + '/')) {
      admin(req, res, method, rawPath.slice(adminPrefix.length), q === -1 ? '' : url.slice(q + 1)).catch((err: unknown) =>
        crash(res, err),
      );
      return;
    }
    handleApi(req, res, method, rawPath).catch((err: unknown) => crash(res, err));
  });

  function crash(res: ServerResponse, err: unknown): void {
    log(`[emulator] request failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    if (!res.headersSent && !res.destroyed) {
      const body = envelopes.build(fidelity.errorShape, VendorCode.INTERNAL, ['Unexpected server error.']);
      res.writeHead(500, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${urlHost(address.address)}:${address.port}`;
  return emulator;
}

function compileEndpoints(handlers: Readonly<Record<string, Handler<never>>>): Map<string, CompiledEndpoint> {
  const unknown = Object.keys(handlers).filter((id) => !ENDPOINTS_BY_ID.has(id));
  const missing = ENDPOINTS.filter((e) => typeof handlers[e.id] !== 'function').map((e) => e.id);
  if (unknown.length > 0 || missing.length > 0) {
    const parts = [];
    if (missing.length > 0) parts.push(`missing handlers for ${missing.join(', ')}`);
    if (unknown.length > 0) parts.push(`handlers for endpoints not in contract.json: ${unknown.join(', ')}`);
    throw new TypeError(`The handler table must cover exactly the ${ENDPOINTS.length} contract endpoints: ${parts.join('; ')}.`);
  }
  return new Map(
    ENDPOINTS.map((endpoint) => [
      endpoint.id,
      {
        endpoint,
        handler: handlers[endpoint.id]!,
        login: isLoginEndpoint(endpoint),
        validate: endpoint.request_body ? compileBodyValidator(endpoint.request_body.schema) : null,
      },
    ]),
  );
}

function checkAdminPrefix(prefix: string): string {
  if (!/^\/[A-Za-z0-9_.~-]+(\/[A-Za-z0-9_.~-]+)*$/.test(prefix) || prefix.startsWith(BASE_PATH)) {
    throw new TypeError(
      `adminPrefix must be a path like "/__emulator" (no trailing slash, outside ${BASE_PATH}), but got: ${JSON.stringify(prefix)}.`,
    );
  }
  return prefix;
}

function urlHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      // Keep draining past the cap so the connection stays usable, but stop keeping the text.
      if (text.length <= MAX_BODY_CHARS) text += chunk;
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

function parseBody(text: string): ParsedBody {
  if (text.trim().length === 0) return null;
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const semi = header.indexOf(';');
  return (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase() === 'application/json';
}

/** The credentials on a request, or the 401 message when the Authorization header is unusable. */
function readCredentials(req: IncomingMessage): Credentials | string {
  let bearer: string | undefined;
  const authorization = req.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) {
      const scheme = authorization.trim().split(/\s+/)[0] ?? '';
      return `Unsupported Authorization header: expected "Bearer <token>", but got scheme ${JSON.stringify(scheme)}${
        /^bearer$/i.test(scheme) ? ' without a token' : ''
      }.`;
    }
    bearer = match[1]!;
  }
  const sessionId = readCookie(req.headers.cookie, 'JSESSIONID');
  if (bearer === undefined && sessionId === undefined) {
    return 'Authentication required: send "Authorization: Bearer <token>" (from POST /api/rest/2.0/auth/token/full) or a JSESSIONID session cookie.';
  }
  return {
    ...(bearer !== undefined ? { bearer } : {}),
    ...(sessionId !== undefined ? { sessionId } : {}),
  };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return value.length > 0 ? value : undefined;
    }
  }
  return undefined;
}
