// Public to the rest of src: the composition root. `createApp` wires the adapter (or, with nothing configured, an
// in-process emulator and the adapter pointed at it), the schema, Apollo Server, its plugins and a node:http server.
// It is the only module besides the emulator's own that imports the emulator (DESIGN.md §3).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type GraphQLRequest, type GraphQLResponse } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { GraphQLSchema } from 'graphql';
import type { Dispatcher } from 'undici';
import type { Config, LogLevel } from './config.js';
import { LOG_LEVELS } from './config.js';
import { createContextFunction, createRequestScope, requestScope, type Context } from './context.js';
import { startEmulator, type Emulator } from './emulator/index.js';
import { createFormatError } from './errors.js';
import { requestLogPlugin, type RequestLogEntry } from './plugins/request-log.js';
import { buildSchema } from './schema.js';
import { createThoughtSpotClient, type Logger, type ServiceCredentials, type ThoughtSpotClient } from './thoughtspot/index.js';

/** Largest request body accepted (a GraphQL document with variables is a few kilobytes). */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;
/** How long `stop()` lets in-flight requests finish before closing their sockets. */
export const STOP_GRACE_PERIOD_MS = 10_000;

/** Replaceable parts, for tests and embedding. */
export interface AppOverrides {
  /** The adapter's transport (default: a keep-alive pool for the cluster URL). Ignored when `client` is given. */
  readonly dispatcher?: Dispatcher;
  readonly logger?: Logger;
  /** A ready adapter; the app then neither creates nor closes one. */
  readonly client?: ThoughtSpotClient;
  /** Receives every request-log entry. */
  readonly onRequestLog?: (entry: RequestLogEntry) => void;
}

/** A running subgraph. */
export interface App {
  readonly server: ApolloServer<Context>;
  readonly schema: GraphQLSchema;
  readonly client: ThoughtSpotClient;
  /** The in-process emulator in embedded mode, null against a real cluster. */
  readonly emulator: Emulator | null;
  /** Executes one operation in-process, inside its own request scope (upstream calls are attributed to it). */
  execute(request: GraphQLRequest): Promise<GraphQLResponse>;
  /** Starts serving HTTP; resolves to the URL clients use (`http://localhost:PORT/` when bound to every interface). */
  listen(port?: number, host?: string): Promise<string>;
  /** Drains in-flight requests, then closes the HTTP server, the adapter and the emulator. Idempotent. */
  stop(): Promise<void>;
}

/** Creates and starts the subgraph (without listening: call `listen`). */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createConsoleLogger(config.logLevel);
  let emulator: Emulator | null = null;
  let client = overrides.client;
  const ownsClient = client === undefined;
  if (client === undefined) {
    let baseUrl: string;
    let credentials: ServiceCredentials;
    if (config.directory.kind === 'embedded') {
      emulator = await startEmulator({ seed: config.directory.seed, host: '127.0.0.1', port: 0 });
      baseUrl = emulator.url;
      // Trusted authentication, as production deployments use it (CONTRACT.md §2.1).
      credentials = { username: emulator.adminCredentials.username, secretKey: emulator.adminCredentials.secretKey };
      logger.info('embedded ThoughtSpot emulator started', { url: emulator.url, seed: config.directory.seed });
    } else {
      baseUrl = config.directory.baseUrl;
      credentials = config.directory.credentials;
    }
    client = createThoughtSpotClient({
      baseUrl,
      credentials,
      ...(overrides.dispatcher === undefined ? {} : { dispatcher: overrides.dispatcher }),
      timeouts: { deadlineMs: config.upstream.timeoutMs },
      retry: { maxRetries: config.upstream.maxRetries },
      rateLimit: config.upstream.rateLimit ?? false,
      logger,
      onUpstreamCall: (event) => requestScope.getStore()?.upstream.record(event),
    });
  }

  const schema = buildSchema();
  const httpServer = createServer();
  const contextFunction = createContextFunction({
    client,
    connectionId: config.connectionId,
    logger,
    loaderOptions: { userBatch: config.userBatch },
  });
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
    // main.ts owns the signals: it stops the whole app (emulator and adapter included), not only Apollo.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: STOP_GRACE_PERIOD_MS }),
      requestLogPlugin({ logger, ...(overrides.onRequestLog === undefined ? {} : { onEntry: overrides.onRequestLog }) }),
    ],
  });
  await server.start();
  httpServer.on('request', (req, res) => {
    const scope = createRequestScope(headerValue(req.headers['x-request-id']));
    res.setHeader('x-request-id', scope.requestId);
    requestScope.run(scope, () => {
      handleHttp(server, contextFunction, req, res).catch((error: unknown) => {
        logger.error('http handler failed', { message: error instanceof Error ? error.message : String(error) });
        if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
        else res.destroy();
      });
    });
  });

  let stopping: Promise<void> | undefined;
  const resolvedClient = client;
  return {
    server,
    schema,
    client: resolvedClient,
    emulator,
    execute(request) {
      return requestScope.run(createRequestScope(), async () =>
        server.executeOperation(request, { contextValue: await contextFunction() }),
      );
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
        await server.stop();
        if (ownsClient) await resolvedClient.close();
        if (emulator !== null) await emulator.close();
      })();
      return stopping;
    },
  };
}

// Private: one HTTP exchange. Only `/` and `/graphql` serve GraphQL (GET for queries and the landing page, POST for
// everything); `/health` answers liveness probes without touching ThoughtSpot.
async function handleHttp(
  server: ApolloServer<Context>,
  context: () => Promise<Context>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { status: 'method not allowed' }, { allow: 'GET, HEAD' });
    return sendJson(res, 200, { status: 'ok' });
  }
  if (url.pathname !== '/' && url.pathname !== '/graphql') return sendJson(res, 404, { status: 'not found' });
  const text = req.method === 'POST' ? await readBody(req) : '';
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
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
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

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function urlOf(server: Server, host: string | undefined): string {
  const { port } = server.address() as AddressInfo;
  const shown = host === undefined || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}/`;
}

/**
 * A JSON-lines logger on stderr (stdout is left to what main.ts prints for people). Lines below `level` are dropped;
 * the adapter already redacts credentials from the fields it logs.
 */
export function createConsoleLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line + '\n')): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at =
    (name: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      if (LOG_LEVELS.indexOf(name) >= threshold && level !== 'silent') {
        write(JSON.stringify({ time: new Date().toISOString(), level: name, message, ...fields }));
      }
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
