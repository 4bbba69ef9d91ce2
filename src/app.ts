// Public to the rest of src: the composition root. `createApp` wires the adapter (or, with nothing configured, an
// in-process emulator and the adapter pointed at it), the schema, Apollo Server, its plugins and a node:http server.
// It is the only module besides the emulator's own that imports the emulator (DESIGN.md §3).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type GraphQLRequest, type GraphQLResponse } from '@apollo/server';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import type { Dispatcher } from 'undici';
import { AuthenticationError, createAuthenticator, LOCAL_CALLER, type AuthenticatorOverrides, type Caller } from './auth/index.js';
import type { Config, CorsPolicy, LogLevel } from './config.js';
import { createConnectionRegistry, UnknownConnectionError } from './connections/index.js';
import { createContextFunction, createRequestScope, requestScope, type Context, type RequestScope } from './context.js';
import type { Emulator } from './emulator/index.js';
import { ERROR_MESSAGES, ErrorCode, RequestAborted } from './errors/codes.js';
import { createFormatError } from './errors/format.js';
import type { Logger } from './logger.js';
import { createMetrics, createPinoLogger, createReadiness, startTracing, type HttpRoute, type Metrics, type Readiness } from './observability/index.js';
import { createExecutionGate, executionGatePlugin } from './plugins/execution-gate.js';
import { inputLimitsPlugin } from './plugins/input-limits.js';
import { metricsPlugin } from './plugins/metrics.js';
import { noStorePlugins } from './plugins/no-store.js';
import { queryCostPlugin } from './plugins/query-cost.js';
import { readScopePlugin } from './plugins/read-scope.js';
import { requestLogPlugin, type RequestLogEntry } from './plugins/request-log.js';
import { tracingPlugin } from './plugins/tracing.js';
import { closeRedis, connectRedis, createRedisRateBudget } from './ratelimit/index.js';
import { buildSchema } from './schema.js';
import { createSecretBox } from './secrets.js';
import { openStore, type Store } from './store/index.js';
import { KnownOperationTypesRule } from './validation/operation-types.js';
import { createThoughtSpotClient, type ServiceCredentials, type ThoughtSpotClient, type UpstreamCallEvent } from './thoughtspot/index.js';

/** Largest request body accepted (a GraphQL document with variables is a few kilobytes). */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** The request headers a browser may send cross-origin, besides the CORS-safelisted ones (the Fetch standard's list). */
export const CORS_ALLOWED_HEADERS = ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'] as const;
const CORS_ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** How long a browser may reuse a preflight answer: two hours, Chromium's cap (Firefox allows a day). */
export const CORS_MAX_AGE_SECONDS = 7_200;
// Response headers a cross-origin script may read besides the safelisted ones: the request id for support tickets,
// Retry-After for the shutdown answer, WWW-Authenticate for why a token was refused (RFC 6750 §3).
const CORS_EXPOSED_HEADERS = 'x-request-id, retry-after, www-authenticate';
// A serialized http(s) origin as browsers send it in the Origin header (used to vet what `*` reflects), and the
// development default's loopback origins on any port.
const HTTP_ORIGIN = /^https?:\/\/[A-Za-z0-9.\-[\]:]+$/;
const LOCALHOST_ORIGIN = /^http:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/;

/** Seconds a client refused during shutdown is told to wait (`Retry-After`) before retrying on another instance. */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 1;
// After the grace period, how long the final 503 answers get to reach their clients before every connection is
// closed: the answers are small, so only a client that has stopped reading needs this long.
const SHUTDOWN_FLUSH_MS = 1_000;
/** The body of the 503 answered to requests refused or cut short by shutdown. */
export const SHUTTING_DOWN_BODY = {
  errors: [{ message: ERROR_MESSAGES.SHUTTING_DOWN, extensions: { code: ErrorCode.SHUTTING_DOWN } }],
} as const;

/** Replaceable parts, for tests and embedding. */
export interface AppOverrides {
  /** The adapter's transport (default: a keep-alive pool for the cluster URL). Ignored when `client` is given. */
  readonly dispatcher?: Dispatcher;
  readonly logger?: Logger;
  /** A ready adapter; the app then neither creates nor closes one. */
  readonly client?: ThoughtSpotClient;
  /** Receives every request-log entry. */
  readonly onRequestLog?: (entry: RequestLogEntry) => void;
  /** A ready store; the app then neither opens nor closes one (default: `config.store`). */
  readonly store?: Store;
  /** Replaceable parts of the authenticator (its clock, its JWKS transport). */
  readonly auth?: AuthenticatorOverrides;
}

/** The caller of a request that executes nothing (see handleHttp): no scope, no Organization. */
const NO_CALLER: Caller = Object.freeze({ subject: 'anonymous', scopes: new Set<never>(), orgs: new Set<string>(), connectionId: null });

/** Options of one in-process execution. */
export interface ExecuteOptions {
  /** Who runs it; default `LOCAL_CALLER` (every scope, every Organization): in-process code is trusted code. */
  readonly caller?: Caller;
}

/** A running subgraph. */
export interface App {
  readonly server: ApolloServer<Context>;
  readonly schema: GraphQLSchema;
  /** The default connection's adapter. */
  readonly client: ThoughtSpotClient;
  /** The operational store (connections, audit log, idempotency records, provisioning runs). */
  readonly store: Store;
  /** The in-process emulator in embedded mode, null against a real cluster. */
  readonly emulator: Emulator | null;
  /** The app's Prometheus metrics (served on `GET /metrics`); null with METRICS_ENABLED=false. */
  readonly metrics: Metrics | null;
  /**
   * Executes one operation in-process, inside its own request scope (upstream calls are attributed to it), as
   * `options.caller` on the connection that caller names. Rejects when the caller names a connection that is not
   * registered.
   */
  execute(request: GraphQLRequest, options?: ExecuteOptions): Promise<GraphQLResponse>;
  /** Starts serving HTTP; resolves to the URL clients use (`http://localhost:PORT/` when bound to every interface). */
  listen(port?: number, host?: string): Promise<string>;
  /**
   * Stops: the listening socket closes at once, idle keep-alive connections are closed, requests arriving on other
   * connections are answered 503 `SHUTTING_DOWN`, and requests in flight get up to `config.shutdownGraceMs` to finish
   * (their responses carry `Connection: close`); those still running then are answered 503 `SHUTTING_DOWN` and their
   * upstream work is aborted. Then every connection, Apollo Server, the adapter and the emulator are closed.
   * Idempotent: every call returns the same promise.
   */
  stop(): Promise<void>;
}

/** Creates and starts the subgraph (without listening: call `listen`). */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createConsoleLogger(config.logLevel);
  // Metrics unless METRICS_ENABLED=false; traces only with a collector, and only then is OpenTelemetry loaded at all.
  // Every ThoughtSpot client the app uses is in `clients`, for the breaker and queue gauges read at scrape time.
  const clients = new Set<ThoughtSpotClient>();
  const gate = createExecutionGate(config.execution);
  const metrics = config.observability.metrics ? createMetrics({ clients: () => clients, executions: gate.status }) : null;
  const tracing =
    config.observability.otlpEndpoint === null
      ? null
      : await startTracing({ endpoint: config.observability.otlpEndpoint, serviceName: config.observability.serviceName, logger });
  // Each upstream attempt counts for its request (request log, budget), the metrics and the request's trace.
  const observeUpstream = (event: UpstreamCallEvent): void => {
    const scope = requestScope.getStore();
    scope?.upstream.record(event);
    metrics?.upstreamCall(event);
    tracing?.upstreamCall(scope?.upstream, event);
  };
  // A registered connection's client leaves the gauges when the registry closes it.
  const track = (created: ThoughtSpotClient): ThoughtSpotClient => {
    const tracked: ThoughtSpotClient = {
      ...created,
      close: async () => {
        clients.delete(tracked);
        await created.close();
      },
    };
    clients.add(tracked);
    return tracked;
  };
  // With REDIS_URL, the replicas share each connection's rate budget; without it, each process has its own.
  const redis = config.redis === null ? null : await connectRedis(config.redis.url, logger);
  // Every connection's adapter shares these options; each has its own pool, tokens, rate budget and breaker.
  const createClient = (baseUrl: string, credentials: ServiceCredentials, connectionId: string, dispatcher?: Dispatcher): ThoughtSpotClient =>
    createThoughtSpotClient({
      baseUrl,
      credentials,
      ...(dispatcher === undefined ? {} : { dispatcher }),
      timeouts: { deadlineMs: config.upstream.timeoutMs },
      retry: { maxRetries: config.upstream.maxRetries },
      rateLimit:
        config.upstream.rateLimit === null
          ? false
          : { ...config.upstream.rateLimit, ...(redis === null ? {} : { shared: createRedisRateBudget(redis, { baseUrl, connectionId }) }) },
      logger,
      onUpstreamCall: observeUpstream,
      // Each call runs under its request's scope: bound by the request's deadline and budget (its signal), and
      // queued fairly against other requests (the scope is the flow).
      callContext: () => requestScope.getStore(),
    });
  const store =
    overrides.store ??
    (await openStore(config.store.kind === 'postgres' ? { databaseUrl: config.store.url, logger } : { sqlitePath: config.store.path, logger }));
  const ownsStore = overrides.store === undefined;
  const secrets =
    config.secrets.key === null ? null : createSecretBox({ current: config.secrets.key, previous: config.secrets.previousKeys });
  const authenticator = createAuthenticator(config.auth, overrides.auth);
  let emulator: Emulator | null = null;
  let defaultBaseUrl = config.directory.kind === 'remote' ? config.directory.baseUrl : '';
  let defaultUsername = config.directory.kind === 'remote' ? config.directory.credentials.username : '';
  let client = overrides.client;
  const ownsClient = client === undefined;
  if (client === undefined) {
    let baseUrl: string;
    let credentials: ServiceCredentials;
    if (config.directory.kind === 'embedded') {
      // Loaded only here: a subgraph in front of a real cluster never runs the emulator's code.
      const { startEmulator } = await import('./emulator/index.js');
      emulator = await startEmulator({ seed: config.directory.seed, host: '127.0.0.1', port: 0 });
      baseUrl = emulator.url;
      defaultBaseUrl = emulator.url;
      defaultUsername = emulator.adminCredentials.username;
      // Trusted authentication, as production deployments use it (CONTRACT.md §2.1).
      credentials = { username: emulator.adminCredentials.username, secretKey: emulator.adminCredentials.secretKey };
      logger.info('embedded ThoughtSpot emulator started', { url: emulator.url, seed: config.directory.seed });
    } else {
      baseUrl = config.directory.baseUrl;
      credentials = config.directory.credentials;
    }
    client = createClient(baseUrl, credentials, config.connectionId, overrides.dispatcher);
  }
  clients.add(client);

  const schema = buildSchema();
  const httpServer = createServer();
  const registry = createConnectionRegistry({
    defaultConnection: { id: config.connectionId, client },
    store,
    createClient: (baseUrl, credentials, connectionId) => track(createClient(baseUrl, credentials, connectionId)),
    credentials: (connection) => {
      if (secrets === null) throw new Error(`Connection "${connection.id}" cannot be used: SECRETS_KEY is not set, so its credential cannot be decrypted.`);
      const secret = secrets.decrypt(connection.secret, connection.id);
      return connection.secretKind === 'PASSWORD' ? { username: connection.username, password: secret } : { username: connection.username, secretKey: secret };
    },
  });
  const contextFunction = createContextFunction({
    services: {
      store,
      connections: registry,
      secrets,
      production: config.environment === 'production',
      defaultConnection: { id: config.connectionId, name: config.connectionId, baseUrl: defaultBaseUrl, username: defaultUsername },
      embedTokenMaxValidityS: config.embed.maxTokenValidityS,
    },
    logger,
    loaderOptions: { userBatch: config.userBatch, ...(metrics === null ? {} : { onBatch: (loader, size) => metrics.loaderBatch(loader, size) }) },
  });
  // The context function of `caller`, on the connection its token names (refused when that is not registered).
  const contextOf = async (caller: Caller): Promise<() => Promise<Context>> => {
    const connection = await registry.resolve(caller.connectionId);
    if (connection === null) throw new UnknownConnectionError();
    return () => contextFunction(caller, connection);
  };
  // Who is calling and on which connection, before Apollo sees the request: a caller that is not authenticated, or
  // that names a connection that is not registered, costs no upstream call and no parsing.
  const contextFor = async (authorization: string | undefined | null): Promise<() => Promise<Context>> => {
    let caller: Caller;
    try {
      caller = authorization === null ? NO_CALLER : await authenticator.authenticate(authorization);
    } catch (error) {
      // A refused token is the caller's business (debug); signing keys that cannot be fetched are the operator's.
      if (error instanceof AuthenticationError) {
        const fields = { reason: error.reason, ...(error.cause instanceof Error ? { cause: error.cause.message } : {}) };
        if (error.reason === 'keys_unavailable') logger.error('caller tokens cannot be verified: the JWKS is unavailable', fields);
        else logger.debug('caller token refused', fields);
      }
      throw error;
    }
    return contextOf(caller);
  };
  const server = new ApolloServer<Context>({
    schema,
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    // Apollo's own notices (for example that inline tracing is on, for the router's usage reports) go to our log.
    logger: {
      debug: (message: unknown) => logger.debug(String(message)),
      info: (message: unknown) => logger.debug(String(message)),
      warn: (message: unknown) => logger.warn(String(message)),
      error: (message: unknown) => logger.error(String(message)),
    },
    // The configuration decides the environment (landing page, introspection), not a second read of NODE_ENV.
    nodeEnv: config.environment,
    // An operation type the schema lacks (subscriptions) is a validation error (validation/operation-types.ts).
    validationRules: [KnownOperationTypesRule],
    // A bound on the document before graphql-js's recursive passes see it (config.ts QUERY_MAX_TOKENS).
    parseOptions: { maxTokens: config.queryLimits.maxTokens },
    // main.ts owns the signals: it stops the whole app (emulator and adapter included), not only Apollo.
    stopOnTerminationSignals: false,
    // No ApolloServerPluginDrainHttpServer: the drain below replaces it. That plugin runs inside `server.stop()` and,
    // when its grace period ends, ends and destroys the sockets of requests still running, so their clients see a
    // dropped connection instead of an answer; meanwhile requests arriving on kept-alive connections are served as
    // usual, with keep-alive, and nothing tells a client that its connection is about to go. The drain here answers
    // both with a coded 503 that a router or client can retry elsewhere, and only then stops Apollo.
    plugins: [
      // Instead of Apollo's cache-control plugin, which hooks every field to conclude what this subgraph always
      // answers (no-store); plugins/no-store.ts says why.
      ...noStorePlugins(),
      inputLimitsPlugin(),
      queryCostPlugin(config.queryLimits),
      readScopePlugin(),
      // After every check above: an operation they refuse never waits for a slot.
      executionGatePlugin(gate),
      requestLogPlugin({ logger, ...(overrides.onRequestLog === undefined ? {} : { onEntry: overrides.onRequestLog }) }),
      ...(metrics === null ? [] : [metricsPlugin({ metrics })]),
      ...(tracing === null ? [] : [tracingPlugin(tracing)]),
    ],
  });
  await server.start();
  // `/ready`: the default connection answers its cheapest authenticated call, and the store answers a ping.
  const probed = client;
  const readiness = createReadiness({
    probeThoughtSpot: (timeoutMs) => probed.getCurrentUser({ orgId: 0 }, { deadlineMs: timeoutMs }),
    pingStore: () => store.ping(),
    cacheMs: config.observability.readyCacheMs,
    logger,
  });

  // Every request between its arrival and its response's end, with its scope (so shutdown can abort its upstream
  // work). `close` fires once per response: after the last byte is handed to the OS, or when its socket is destroyed.
  const inFlight = new Map<ServerResponse, RequestScope>();
  let draining = false;
  let onIdle: (() => void) | undefined;
  httpServer.on('request', (req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/' || pathname === '/graphql') setCorsHeaders(res, config.cors, headerValue(req.headers.origin));
    if (draining) return sendShuttingDown(res);
    const scope = createRequestScope(headerValue(req.headers['x-request-id']), config.request);
    res.setHeader('x-request-id', scope.requestId);
    inFlight.set(res, scope);
    res.once('close', () => {
      // A response that never began (its socket went first) has no status to count.
      if (res.headersSent) metrics?.httpResponse(routeOf(pathname), res.statusCode);
      scope.dispose();
      inFlight.delete(res);
      if (inFlight.size === 0) onIdle?.();
    });
    requestScope.run(scope, () => {
      handleHttp(server, contextFor, config.cors, { readiness, metrics }, req, res).catch((error: unknown) => {
        // Already answered (503 at the end of the grace period): the client has what it will get.
        if (res.writableEnded) return;
        logger.error('http handler failed', { message: error instanceof Error ? error.message : String(error) });
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        else res.destroy();
      });
    });
  });

  /** Resolves once no response is in flight, or after `ms` (then to false). */
  const waitForIdle = (ms: number): Promise<boolean> => {
    if (inFlight.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        onIdle = undefined;
        resolve(false);
      }, ms);
      onIdle = () => {
        clearTimeout(timer);
        onIdle = undefined;
        resolve(true);
      };
    });
  };

  const drainHttp = async (): Promise<void> => {
    draining = true;
    // Stops accepting at once (the listening socket closes synchronously); resolves when the last connection is gone.
    const closed = httpServer.listening ? new Promise<void>((resolve) => httpServer.close(() => resolve())) : Promise.resolve();
    // Node 19+ already does this inside close(); stated here because the drain depends on it.
    httpServer.closeIdleConnections();
    // Each running request's response is its connection's last: Node closes the socket after a response that says so.
    for (const res of inFlight.keys()) if (!res.headersSent) res.setHeader('connection', 'close');
    if (!(await waitForIdle(config.shutdownGraceMs))) {
      const stillRunning = [...inFlight];
      logger.warn('shutdown grace period ended; answering requests still running with 503', {
        requests: stillRunning.length,
        graceMs: config.shutdownGraceMs,
      });
      for (const [res, scope] of stillRunning) {
        scope.abort(new RequestAborted(ErrorCode.SHUTTING_DOWN, ERROR_MESSAGES.SHUTTING_DOWN));
        // A response already streaming cannot change its status; cutting it short is the only signal left.
        if (res.headersSent) res.destroy();
        else sendShuttingDown(res);
      }
      await waitForIdle(SHUTDOWN_FLUSH_MS);
    }
    // What is left holds no request: connections that never sent one, or whose request had not fully arrived.
    httpServer.closeAllConnections();
    await closed;
  };

  let stopping: Promise<void> | undefined;
  const resolvedClient = client;
  return {
    server,
    schema,
    client: resolvedClient,
    store,
    emulator,
    metrics,
    execute(request, options = {}) {
      return requestScope.run(createRequestScope(), async () => {
        const context = await contextOf(options.caller ?? LOCAL_CALLER);
        return server.executeOperation(request, { contextValue: await context() });
      });
    },
    listen(port = config.port, host = config.host) {
      return new Promise<string>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          httpServer.off('error', reject);
          resolve(urlOf(httpServer, host));
        });
      });
    },
    stop() {
      stopping ??= (async () => {
        // HTTP first: Apollo refuses to execute once stopped, so it stops only when no response depends on it.
        await drainHttp();
        await server.stop();
        // The emulator closes alongside the adapter, not after it: an upstream call still waiting on it (possible only
        // when the grace period ran out) would otherwise hold the adapter's close for its own grace period.
        await Promise.all([
          ownsClient ? resolvedClient.close() : undefined,
          emulator?.close(),
          registry.close(),
          authenticator.close(),
          ownsStore ? store.close() : undefined,
          // Exports the spans still buffered.
          tracing?.shutdown(),
        ]);
        // Last: the adapters above leave their shared rate budgets through it.
        if (redis !== null) await closeRedis(redis);
      })();
      return stopping;
    },
  };
}

/** The operations endpoints' parts (README, Operations). */
interface OperationsRoutes {
  readonly readiness: Readiness;
  readonly metrics: Metrics | null;
}

// Private: how the HTTP response counter names a path (a fixed set: paths are the caller's choice).
function routeOf(pathname: string): HttpRoute {
  if (pathname === '/' || pathname === '/graphql') return 'graphql';
  if (pathname === '/health') return 'health';
  if (pathname === '/ready') return 'ready';
  if (pathname === '/metrics') return 'metrics';
  return 'other';
}

// Private: one HTTP exchange. Only `/` and `/graphql` serve GraphQL (GET for queries and the landing page, POST for
// everything, OPTIONS for CORS preflights); `/health` answers liveness probes without touching ThoughtSpot, `/ready`
// readiness probes (the default connection and the store answer), `/metrics` Prometheus scrapes. After
// each wait the response may already have been answered by shutdown (503 at the end of the grace period), and then
// nothing more is written.
async function handleHttp(
  server: ApolloServer<Context>,
  contextFor: (authorization: string | undefined | null) => Promise<() => Promise<Context>>,
  cors: CorsPolicy,
  operations: OperationsRoutes,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { status: 'method not allowed' }, { allow: 'GET, HEAD' });
    return sendJson(res, 200, { status: 'ok' });
  }
  if (url.pathname === '/ready') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { status: 'method not allowed' }, { allow: 'GET, HEAD' });
    const report = await operations.readiness.check();
    if (res.writableEnded) return;
    return sendJson(res, report.ready ? 200 : 503, report.body, { 'cache-control': 'no-store' });
  }
  if (url.pathname === '/metrics' && operations.metrics !== null) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { status: 'method not allowed' }, { allow: 'GET, HEAD' });
    const scraped = await operations.metrics.scrape();
    if (res.writableEnded) return;
    res.writeHead(200, { 'content-type': scraped.contentType, 'content-length': Buffer.byteLength(scraped.body), 'cache-control': 'no-store' });
    res.end(scraped.body);
    return;
  }
  if (url.pathname !== '/' && url.pathname !== '/graphql') return sendJson(res, 404, { status: 'not found' });
  if (req.method === 'OPTIONS') return answerOptions(cors, req, res);
  // The caller first: an unauthenticated request is refused before its body is read or parsed. A GET with neither a
  // query nor a persisted-query hash executes nothing (Apollo answers it with its landing page, or a 400), so without
  // credentials it runs as NO_CALLER, who may read nothing, and a browser can open the landing page.
  let context: () => Promise<Context>;
  const executesNothing = req.method === 'GET' && !url.searchParams.has('query') && !url.searchParams.has('extensions');
  if (executesNothing && req.headers.authorization === undefined) {
    context = await contextFor(null);
  } else {
    try {
      context = await contextFor(headerValue(req.headers.authorization));
    } catch (error) {
      if (error instanceof AuthenticationError || error instanceof UnknownConnectionError) return sendGraphQLError(res, error);
      throw error;
    }
  }
  if (res.writableEnded) return;
  const text = req.method === 'POST' ? await readBody(req) : '';
  if (res.writableEnded) return;
  if (text === null) {
    return sendJson(res, 413, { errors: [{ message: `Request body exceeds ${MAX_REQUEST_BODY_BYTES} bytes.`, extensions: { code: 'BAD_REQUEST' } }] });
  }
  let body: unknown = text;
  if (req.method === 'POST' && /^application\/(graphql-response\+)?json\b/i.test(req.headers['content-type'] ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      return sendJson(res, 400, { errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    }
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
    context,
  });
  if (res.writableEnded || res.destroyed) return;
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) {
    // Vary is a list: Apollo's values join the `Origin` the CORS handling put there.
    if (name === 'vary') appendVary(res, value);
    else res.setHeader(name, value);
  }
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) {
    if (res.destroyed) return;
    res.write(chunk);
  }
  res.end();
}

// Private: CORS (https://fetch.spec.whatwg.org/#http-cors-protocol). Every GraphQL response says it varies by Origin,
// so a cache never hands one origin's answer to another; an allowed origin is echoed exactly (never `*`), and a
// disallowed one gets no CORS header at all, which is how a browser is told no. Credentials are never allowed
// (config.ts CorsPolicy explains why), so echoing the origin for `*` exposes nothing a cookie would unlock.
function allowedOrigin(cors: CorsPolicy, origin: string | undefined): string | null {
  if (origin === undefined) return null;
  if (cors.origins === '*') return HTTP_ORIGIN.test(origin) ? origin : null;
  if (cors.origins.includes(origin)) return origin;
  return cors.allowLocalhost && LOCALHOST_ORIGIN.test(origin) ? origin : null;
}

function setCorsHeaders(res: ServerResponse, cors: CorsPolicy, origin: string | undefined): void {
  appendVary(res, 'Origin');
  const allowed = allowedOrigin(cors, origin);
  if (allowed === null) return;
  res.setHeader('access-control-allow-origin', allowed);
  res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS);
}

// Private: a preflight (OPTIONS with Origin and Access-Control-Request-Method) from an allowed origin gets 204 and the
// methods and headers it may use; from any other origin, 403 naming it, for the person reading the network panel
// (the browser itself only needs the missing Access-Control-Allow-Origin). Any other OPTIONS gets the allowed methods.
function answerOptions(cors: CorsPolicy, req: IncomingMessage, res: ServerResponse): void {
  const origin = headerValue(req.headers.origin);
  const isPreflight = origin !== undefined && req.headers['access-control-request-method'] !== undefined;
  if (!isPreflight) {
    res.writeHead(204, { allow: CORS_ALLOWED_METHODS });
    res.end();
    return;
  }
  if (allowedOrigin(cors, origin) === null) {
    return sendJson(res, 403, {
      errors: [{ message: `Origin ${JSON.stringify(origin)} is not allowed to call this subgraph (CORS_ORIGINS).`, extensions: { code: ErrorCode.FORBIDDEN } }],
    });
  }
  res.writeHead(204, {
    'access-control-allow-methods': CORS_ALLOWED_METHODS,
    'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
    'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
  });
  res.end();
}

function appendVary(res: ServerResponse, value: string): void {
  const current = res.getHeader('vary');
  const names = [...(current === undefined ? [] : String(current).split(',')), ...value.split(',')].map((name) => name.trim()).filter(Boolean);
  const unique = names.filter((name, index) => names.findIndex((other) => other.toLowerCase() === name.toLowerCase()) === index);
  res.setHeader('vary', unique.join(', '));
}

// Private: the answer to a request that shutdown refused or cut short. `Connection: close` makes it the connection's
// last response, so the client sends its retry elsewhere instead of back down this connection.
function sendShuttingDown(res: ServerResponse): void {
  sendJson(res, 503, SHUTTING_DOWN_BODY, { connection: 'close', 'retry-after': String(SHUTDOWN_RETRY_AFTER_SECONDS) });
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

// Private: a coded error refused before Apollo saw the request, in GraphQL's response shape, with the status and
// headers the error carries in `extensions.http` (as Apollo itself would answer it).
function sendGraphQLError(res: ServerResponse, error: GraphQLError): void {
  const { http, ...extensions } = error.extensions as { http?: { status?: number; headers?: Map<string, string> } };
  const headers = Object.fromEntries(http?.headers ?? []);
  sendJson(res, http?.status ?? 400, { errors: [{ message: error.message, extensions }] }, headers);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function urlOf(server: Server, host: string | undefined): string {
  const { port } = server.address() as AddressInfo;
  const shown = host === undefined || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}/`;
}

/** The process-level last line of defence (main.ts installs it on `process`). */
export interface ProcessGuards {
  /** Unhandled promise rejections seen since start; each is logged with the running count. */
  readonly unhandledRejections: number;
  /** For `process.on('unhandledRejection')`. */
  onUnhandledRejection(reason: unknown): void;
  /** For `process.on('uncaughtException')`. */
  onUncaughtException(error: unknown): void;
}

/** Exit status after an uncaught exception: EX_SOFTWARE (sysexits.h), an internal software error. */
export const EXIT_UNCAUGHT_EXCEPTION = 70;

/**
 * Builds the handlers of the two process-level failure events. They differ on purpose:
 *
 * - An unhandled rejection is a promise nobody awaited, typically a fire-and-forget call whose caller has already
 *   answered. Node's default (since 15) is to end the process, which would cut every other request in flight for the
 *   sake of one that has already finished; the state the rejection belongs to is gone with its promise, so the
 *   process keeps serving. It is logged (name and message only: a rejection's value may be any object, and a stack
 *   adds nothing an alert needs) and counted, so a rising count shows up in the logs rather than being swallowed.
 * - An uncaught exception unwound a synchronous stack at an arbitrary point: a half-updated cache, a semaphore slot
 *   never released, a socket in an unknown state. Node's documentation says it is not safe to resume normal operation
 *   after one (https://nodejs.org/api/process.html#warning-using-uncaughtexception-correctly), so it is logged with its
 *   stack (the one thing that makes a crash diagnosable) and the process exits at once with EXIT_UNCAUGHT_EXCEPTION,
 *   without a drain that would run on that state; the orchestrator restarts it and the router retries elsewhere.
 */
export function createProcessGuards(logger: Logger, exit: (code: number) => void): ProcessGuards {
  let unhandledRejections = 0;
  return {
    get unhandledRejections() {
      return unhandledRejections;
    },
    onUnhandledRejection(reason) {
      unhandledRejections += 1;
      logger.error('unhandled promise rejection; the process keeps serving', {
        error: reason instanceof Error ? `${reason.name}: ${reason.message}` : `a non-Error value (${reason === null ? 'null' : typeof reason})`,
        unhandledRejections,
      });
    },
    onUncaughtException(error) {
      logger.error('uncaught exception; exiting', {
        error: error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `a non-Error value (${error === null ? 'null' : typeof error})`,
        exitCode: EXIT_UNCAUGHT_EXCEPTION,
      });
      exit(EXIT_UNCAUGHT_EXCEPTION);
    },
  };
}

/**
 * A JSON-lines logger on stderr (stdout is left to what main.ts prints for people), backed by pino: lines below
 * `level` are dropped, each carries the request id of the request it was written in, credential fields are redacted
 * (on top of the adapter's own redaction) and long strings are cut (observability/logging.ts).
 */
export function createConsoleLogger(level: LogLevel, write?: (line: string) => void): Logger {
  return createPinoLogger({ level, ...(write === undefined ? {} : { write }) });
}
