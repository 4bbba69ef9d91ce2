// Public to the rest of src: the configuration, read from environment variables by `loadConfig` (the only reader of
// process.env in the project, and only through main.ts). Every variable is validated up front and every problem is
// reported at once, each as "<VARIABLE> must be …, but got: <value>" (house rule 12). Secrets are never echoed.

import { trustedUrl } from './url-policy.js';

/** Which directory the embedded emulator loads (the emulator's own SeedSpec, restated: config never imports it). */
export type SeedSpec = 'demo' | 'minimal' | { readonly large: { readonly users: number } };

/** Log levels, most verbose first; `silent` logs nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * `production` only when NODE_ENV is exactly `production`, the same comparison Apollo Server and most of the Node
 * ecosystem make; anything else, unset and `test` included, is `development`.
 */
export type Environment = 'production' | 'development';

/**
 * Which browser origins may call the subgraph across origins (CORS). No `Access-Control-Allow-Credentials` is ever
 * sent: callers authenticate with an `Authorization` header, which needs no credentialed CORS, so even `*` never
 * exposes responses that a browser fetched with the user's cookies.
 */
export interface CorsPolicy {
  /** Exact origins allowed (normalized: lower-case scheme and host, no default port), or `*` for every http(s) origin. */
  readonly origins: readonly string[] | '*';
  /**
   * Also allow `http://localhost`, `http://127.0.0.1` and `http://[::1]` on any port: the development default
   * (CORS_ORIGINS unset outside production), so a front end on a local dev server can call `npm start`.
   */
  readonly allowLocalhost: boolean;
}

/** Where the directory comes from. */
export type DirectorySource =
  /**
   * Nothing configured: an in-process emulator with a seed (development, demos, `npm start`). In production only
   * with ALLOW_EMBEDDED_EMULATOR=true.
   */
  | { readonly kind: 'embedded'; readonly seed: SeedSpec }
  /** A real ThoughtSpot cluster. */
  | {
      readonly kind: 'remote';
      readonly baseUrl: string;
      readonly credentials:
        | { readonly username: string; readonly secretKey: string }
        | { readonly username: string; readonly password: string };
    };

/**
 * How callers authenticate (DESIGN.md §7a); `createAuthenticator` in src/auth takes this shape as it is.
 * - `jwt`: every request carries a bearer JWT, verified with a shared HS256 secret or the issuer's JWKS (RS256 or
 *   ES256), with a required issuer and audience; the default whenever THOUGHTSPOT_URL is set.
 * - `none`: no authentication, every request acts with every scope in every Organization. Only the embedded emulator
 *   allows it (its directory is made up), which keeps `npm start` free of configuration; with THOUGHTSPOT_URL set it
 *   is a configuration error, in every environment.
 */
export type AuthConfig =
  | { readonly mode: 'none' }
  | {
      readonly mode: 'jwt';
      /** AUTH_JWT_SECRET (its UTF-8 bytes are the HS256 key) or AUTH_JWKS_URL; exactly one. */
      readonly key: { readonly kind: 'secret'; readonly secret: string } | { readonly kind: 'jwks'; readonly url: string };
      /** AUTH_JWT_ISSUER: the exact `iss` of every token. */
      readonly issuer: string;
      /** AUTH_JWT_AUDIENCE: an `aud` every token must carry. */
      readonly audience: string;
      /** AUTH_CLOCK_TOLERANCE_S: the clock skew forgiven on `exp` and `nbf`. */
      readonly clockToleranceS: number;
      /** AUTH_CLAIM_*: where the caller's claims are, for IdPs that namespace custom claims. */
      readonly claims: {
        /** The scope claims, tried in order: `scope` then `scp` by default, only AUTH_CLAIM_SCOPE when it is set. */
        readonly scope: readonly string[];
        readonly orgs: string;
        readonly connection: string;
      };
    };

/**
 * The keys that encrypt connection credentials at rest (src/secrets.ts). The Buffers are not frozen (a typed array
 * with elements cannot be) and print their bytes: never log the configuration whole.
 */
export interface SecretsConfig {
  /**
   * SECRETS_KEY, 32 bytes. Required in production; null when unset outside production, and then registering a
   * connection is refused at run time with a message naming SECRETS_KEY, while everything else works.
   */
  readonly key: Buffer | null;
  /** SECRETS_KEY_PREVIOUS: keys of earlier rotations, tried for decryption only; empty when unset. */
  readonly previousKeys: readonly Buffer[];
}

/** Where the subgraph keeps its operational state (connections, audit log, idempotency records). */
export type StoreConfig =
  /** DATABASE_URL: shared PostgreSQL, for N replicas (DESIGN.md §7). The URL holds a password: never log it. */
  | { readonly kind: 'postgres'; readonly url: string }
  /** STORE_PATH: an SQLite file for one process, or `:memory:`; the default when DATABASE_URL is unset. */
  | { readonly kind: 'sqlite'; readonly path: string };

/** The validated, frozen configuration. */
export interface Config {
  /** Port the subgraph listens on; 0 picks a free one (the real URL is printed). */
  readonly port: number;
  /** Interface to bind; undefined binds every interface, as Node does by default. */
  readonly host: string | undefined;
  readonly logLevel: LogLevel;
  /** From NODE_ENV; decides the defaults of ALLOW_EMBEDDED_EMULATOR and CORS_ORIGINS, and Apollo's `nodeEnv`. */
  readonly environment: Environment;
  readonly directory: DirectorySource;
  /**
   * Names the ThoughtSpot connection inside every global ID, so IDs issued for one cluster are rejected by a subgraph
   * serving another. Defaults to the cluster's host name, `emulator` in embedded mode.
   */
  readonly connectionId: string;
  readonly upstream: {
    /** Deadline of one ThoughtSpot call, retries included. */
    readonly timeoutMs: number;
    /** Retries of a failed read. */
    readonly maxRetries: number;
    /** Client-side pacing below ThoughtSpot's 100 requests/s; null disables it. */
    readonly rateLimit: { readonly requestsPerSecond: number; readonly burst: number } | null;
  };
  /**
   * How a batch of users wanted at once in one Org (`nodes`, `_entities`, `userByUsername`, the per-Org views of a
   * query level) is read, since ThoughtSpot has no batch-get: up to `lookupMaxKeys` users are looked up one
   * identifier search each; more are found by scanning the Org's user list at most `scanPageSize` rows at a time
   * until all have turned up, within a row budget (loaders/user-lookup.ts SCAN_ROWS_PER_KEY).
   */
  readonly userBatch: {
    readonly lookupMaxKeys: number;
    readonly scanPageSize: number;
  };
  /** The runtime backstops of one GraphQL request (DESIGN.md §7b). */
  readonly request: {
    /**
     * Whole-request deadline, upstream retries and queueing included. It may be shorter than `upstream.timeoutMs`:
     * then the request deadline is the one that ends a slow call.
     */
    readonly deadlineMs: number;
    /** Upstream calls one request may send, retries included (token mints serve every request and are not counted). */
    readonly maxUpstreamCalls: number;
  };
  /** How much GraphQL executes at once (plugins/execution-gate.ts). */
  readonly execution: {
    /** Units executing at once; an operation weighs the nodes it can return, 1 unit per 1,000 (at least 1). */
    readonly capacity: number;
    /** Operations waiting at once; one more is refused 503 `OVERLOADED`. */
    readonly queueMax: number;
  };
  /** The static limits a query is checked against before execution (DESIGN.md §7b). */
  readonly queryLimits: {
    /** Deepest field nesting. */
    readonly maxDepth: number;
    /** Most nodes the query can return, connection sizes multiplied down the tree (GitHub's node limit). */
    readonly maxNodes: number;
    /** Most upstream lists the query can open. */
    readonly maxLists: number;
    /** Most lexical tokens in a document; the parser stops at this many (Apollo Server's `parseOptions.maxTokens`). */
    readonly maxTokens: number;
  };
  readonly cors: CorsPolicy;
  /**
   * How long `stop()` lets in-flight requests finish; those still running then are answered 503 SHUTTING_DOWN. Keep
   * it below the orchestrator's kill timeout (Kubernetes' default `terminationGracePeriodSeconds` is 30 s).
   */
  readonly shutdownGraceMs: number;
  readonly auth: AuthConfig;
  readonly secrets: SecretsConfig;
  readonly store: StoreConfig;
  /**
   * REDIS_URL: what every replica shares (DESIGN.md §7), today each ThoughtSpot connection's rate budget; null when
   * unset, and then each process paces itself alone. The URL may hold a password: never log it.
   */
  readonly redis: { readonly url: string } | null;
  /** Tokens `embedTokenCreate` mints for end users of the host application. */
  readonly embed: {
    /** EMBED_TOKEN_MAX_VALIDITY_S: the longest validity a caller may ask for, in seconds. */
    readonly maxTokenValidityS: number;
  };
  /** Metrics, tracing and the readiness probe (README, Operations). */
  readonly observability: ObservabilityConfig;
}

/** What the operations endpoints and exporters do. */
export interface ObservabilityConfig {
  /** METRICS_ENABLED: serve Prometheus metrics on `GET /metrics` (otherwise that path is a 404). */
  readonly metrics: boolean;
  /**
   * OTEL_EXPORTER_OTLP_ENDPOINT: base URL of an OTLP/HTTP collector (spans go to `<url>/v1/traces`); null disables
   * tracing, and then no OpenTelemetry module is loaded at all.
   */
  readonly otlpEndpoint: string | null;
  /** OTEL_SERVICE_NAME: the `service.name` resource attribute of the spans. */
  readonly serviceName: string;
  /** READY_CACHE_MS: how long `/ready` reuses its last answer from ThoughtSpot, so probes cost at most one call each. */
  readonly readyCacheMs: number;
}

/** Thrown by `loadConfig`; `problems` lists every invalid variable, in the order of the README's configuration table. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  }
}

/** The environment variables `loadConfig` reads, with their defaults (the README's configuration table). */
export const CONFIG_DEFAULTS = {
  PORT: 4000,
  LOG_LEVEL: 'info',
  THOUGHTSPOT_TIMEOUT_MS: 20_000,
  THOUGHTSPOT_MAX_RETRIES: 5,
  THOUGHTSPOT_RATE_LIMIT_RPS: 90,
  THOUGHTSPOT_RATE_LIMIT_BURST: 5,
  EMULATOR_SEED: 'demo',
  // The two user-batch settings trade calls against bytes. An identifier search answers one user in one small row
  // (about 2 KB); a scan page answers any number of users, but brings every row before the last one wanted (about
  // 1.7 MB per 1,000 users), one page after the other. Sized for a SaaS whose tenant Orgs hold 50 to 50,000 users:
  // - 1,000 rows a page reads every tenant of up to 1,000 users (the many small ones) in one call, keeps an answer
  //   under 2 MB, and bounds the largest tenants at 50 calls; larger pages would make every page of a large tenant
  //   a multi-megabyte answer for ThoughtSpot to build, for no fewer calls on the small ones.
  // - 1 key: two or more users of one Org are scanned for. A scan of one Org keeps to a row budget (10 rows per
  //   user, at least 100; loaders/user-lookup.ts), then looks up the few still missing, so it costs at most one call
  //   more than looking every user up and at most about 150 KB more per Org, and it answers the whole batch in one
  //   call when the Org fits in the budget (the many small tenants) or when the users sort early in it, as a query
  //   level's members do (member pages and scans both go by name). On the demo directory that took the nested query
  //   Q1 from 23 calls to 16 and the README's first query on a 20,000-user directory from 45 to 39, for about 0.3 MB
  //   more each (README "Benchmarks"). It was 10 before scans had a budget, when a scan could read a whole tenant.
  THOUGHTSPOT_USER_LOOKUP_MAX_KEYS: 1,
  THOUGHTSPOT_USER_SCAN_PAGE_SIZE: 1_000,
  // Under the 30 s a router gives a subgraph by default, so the subgraph answers (with the finished parts and a coded
  // error for the rest) before the router gives up on it and the caller gets nothing at all.
  REQUEST_DEADLINE_MS: 25_000,
  // Batching makes a query cost about one call per list per Organization it touches (README, Cost model): 250 covers
  // the lists QUERY_MAX_LISTS allows across a few Organizations, with room for retries and token mints, while one
  // request can take at most about 3 s of the shared rate budget (250 calls at 90/s).
  REQUEST_MAX_UPSTREAM_CALLS: 250,
  // Memory is held by the operations in flight (2–3 MB each for a nested query), and ThoughtSpot's rate budget, not
  // the number of operations executing, bounds throughput. An operation weighs its nodes, 1 unit per 1,000: 32 units
  // admit four nested queries like the README's (7 units, 13 calls each: more than 90 calls a second can send, so
  // the budget stays busy) or 32 lookups at once, and the memory of 50 clients' nested queries is never held together
  // (README "Benchmarks").
  EXECUTION_CAPACITY: 32,
  // A queued operation holds its document and context, a few kilobytes; 1,000 bounds that and still absorbs a burst.
  EXECUTION_QUEUE_MAX: 1_000,
  QUERY_MAX_DEPTH: 15,
  // GitHub's GraphQL API limit: 500,000 nodes per query.
  QUERY_MAX_NODES: 500_000,
  QUERY_MAX_LISTS: 50,
  // Apollo Router's default parser limit. Real queries are a few hundred tokens; the bound keeps graphql-js's
  // recursive validation (fragment cycle detection walks a chain of fragments by recursion) far from the stack's end:
  // a document of 4,000 chained fragments (about 32,000 tokens) overflowed it, so the setting stops at 20,000.
  QUERY_MAX_TOKENS: 15_000,
  // Kubernetes kills a pod 30 s after SIGTERM by default, so 10 s of grace leaves ample room for the closing steps;
  // `docker stop` waits only 10 s, so a container needs a longer stop timeout (README, Docker).
  SHUTDOWN_GRACE_MS: 10_000,
  // Enough for the skew of machines that keep time with NTP, and short enough that an expired token is not honoured
  // for long; the upper bound of 300 s is the largest skew Kerberos tolerates by default, beyond which the clocks
  // want fixing rather than forgiving.
  AUTH_CLOCK_TOLERANCE_S: 30,
  AUTH_CLAIM_SCOPE: 'scope',
  AUTH_CLAIM_ORGS: 'orgs',
  AUTH_CLAIM_CONNECTION: 'conn',
  STORE_PATH: './.data/directory.db',
  // An embedded session usually outlives its first token, and the embedding SDK asks the host for a new one when it
  // expires; an hour keeps a leaked token useful for an hour at most while sparing the host a mint every few minutes.
  // The bounds: under a minute a token can expire before the page that asked for it has loaded; a day is the
  // longest validity ThoughtSpot's own examples use (CONTRACT.md §2.2).
  EMBED_TOKEN_MAX_VALIDITY_S: 3_600,
  METRICS_ENABLED: true,
  OTEL_SERVICE_NAME: 'thoughtspot-directory-subgraph',
  // Kubernetes probes every 10 s by default: 5 s of reuse means each replica costs ThoughtSpot at most one
  // `auth/session/user` call per probe period, however many probes (readiness, a load balancer's, a person's) ask.
  READY_CACHE_MS: 5_000,
} as const;

/**
 * The defaults that depend on NODE_ENV (the README's configuration table): outside production the embedded emulator
 * serves when THOUGHTSPOT_URL is unset and the localhost origins may call across origins; in production neither.
 */
export const ENVIRONMENT_DEFAULTS = {
  development: { ALLOW_EMBEDDED_EMULATOR: true, CORS_ORIGINS: 'localhost' },
  production: { ALLOW_EMBEDDED_EMULATOR: false, CORS_ORIGINS: 'none' },
} as const;

const CONNECTION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * Reads and validates the configuration from `env` (pass `process.env`). Pure: the same input gives the same frozen
 * output. Empty values count as unset, as container tooling often sets variables to "".
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  const port = integer(read('PORT'), 'PORT', 0, 65_535, CONFIG_DEFAULTS.PORT, problems);
  const host = read('HOST');
  const logLevelRaw = read('LOG_LEVEL') ?? CONFIG_DEFAULTS.LOG_LEVEL;
  if (!(LOG_LEVELS as readonly string[]).includes(logLevelRaw)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, but got: ${JSON.stringify(logLevelRaw)}.`);
  }

  // Exactly `production`, untrimmed: the comparison Apollo Server and most of the ecosystem make, so the landing page,
  // introspection and this file never disagree about which environment they are in.
  const environment: Environment = env['NODE_ENV'] === 'production' ? 'production' : 'development';
  const allowRaw = read('ALLOW_EMBEDDED_EMULATOR');
  let allowEmbedded: boolean = ENVIRONMENT_DEFAULTS[environment].ALLOW_EMBEDDED_EMULATOR;
  if (allowRaw === 'true' || allowRaw === 'false') allowEmbedded = allowRaw === 'true';
  else if (allowRaw !== undefined) {
    problems.push(`ALLOW_EMBEDDED_EMULATOR must be true or false, but got: ${JSON.stringify(allowRaw)}.`);
  }

  const url = read('THOUGHTSPOT_URL');
  const username = read('THOUGHTSPOT_USERNAME');
  const secretKey = read('THOUGHTSPOT_SECRET_KEY');
  const password = read('THOUGHTSPOT_PASSWORD');
  const seedRaw = read('EMULATOR_SEED');
  let directory: DirectorySource | undefined;
  if (url === undefined) {
    for (const name of ['THOUGHTSPOT_USERNAME', 'THOUGHTSPOT_SECRET_KEY', 'THOUGHTSPOT_PASSWORD'] as const) {
      if (read(name) !== undefined) problems.push(`${name} is set, so THOUGHTSPOT_URL must be set too, but got: nothing.`);
    }
    // Production never serves the emulator's demo directory by accident: a deployment that lost its THOUGHTSPOT_URL
    // must fail to start, not answer with made-up Organizations (DESIGN.md §7).
    if (!allowEmbedded) {
      problems.push(
        allowRaw === 'false'
          ? 'THOUGHTSPOT_URL must be set when ALLOW_EMBEDDED_EMULATOR is false, but got: nothing.'
          : 'THOUGHTSPOT_URL must be set when NODE_ENV is production (set ALLOW_EMBEDDED_EMULATOR=true to serve the embedded emulator on purpose), but got: nothing.',
      );
    }
    const seed = parseSeed(seedRaw ?? CONFIG_DEFAULTS.EMULATOR_SEED);
    if (seed === null) {
      problems.push(`EMULATOR_SEED must be demo, minimal or large:<users> (1 to 1000000), but got: ${JSON.stringify(seedRaw)}.`);
    } else if (allowEmbedded) directory = { kind: 'embedded', seed };
  } else {
    const baseUrl = parseBaseUrl(url);
    if (baseUrl === null) {
      problems.push(
        `THOUGHTSPOT_URL must be an http(s) URL of the cluster without path, query or credentials (e.g. https://acme.thoughtspot.cloud), but got: ${JSON.stringify(redactUrl(url))}.`,
      );
    }
    if (username === undefined) problems.push('THOUGHTSPOT_USERNAME must be set when THOUGHTSPOT_URL is set, but got: nothing.');
    if ((secretKey === undefined) === (password === undefined)) {
      problems.push(
        `Exactly one of THOUGHTSPOT_SECRET_KEY and THOUGHTSPOT_PASSWORD must be set when THOUGHTSPOT_URL is set, but got: ${secretKey === undefined ? 'neither' : 'both'}.`,
      );
    }
    if (seedRaw !== undefined) {
      problems.push(`EMULATOR_SEED applies only when THOUGHTSPOT_URL is unset, but got: ${JSON.stringify(seedRaw)}.`);
    }
    if (baseUrl !== null && username !== undefined && (secretKey === undefined) !== (password === undefined)) {
      directory = {
        kind: 'remote',
        baseUrl,
        credentials: secretKey !== undefined ? { username, secretKey } : { username, password: password as string },
      };
    }
  }

  const connectionRaw = read('THOUGHTSPOT_CONNECTION_ID');
  if (connectionRaw !== undefined && !CONNECTION_ID.test(connectionRaw)) {
    problems.push(
      `THOUGHTSPOT_CONNECTION_ID must be 1 to 63 letters, digits, dots, hyphens or underscores, starting with a letter or digit, but got: ${JSON.stringify(connectionRaw)}.`,
    );
  }

  const timeoutMs = integer(read('THOUGHTSPOT_TIMEOUT_MS'), 'THOUGHTSPOT_TIMEOUT_MS', 1, 600_000, CONFIG_DEFAULTS.THOUGHTSPOT_TIMEOUT_MS, problems);
  const maxRetries = integer(read('THOUGHTSPOT_MAX_RETRIES'), 'THOUGHTSPOT_MAX_RETRIES', 0, 20, CONFIG_DEFAULTS.THOUGHTSPOT_MAX_RETRIES, problems);
  const rps = integer(read('THOUGHTSPOT_RATE_LIMIT_RPS'), 'THOUGHTSPOT_RATE_LIMIT_RPS', 0, 10_000, CONFIG_DEFAULTS.THOUGHTSPOT_RATE_LIMIT_RPS, problems);
  const burst = integer(read('THOUGHTSPOT_RATE_LIMIT_BURST'), 'THOUGHTSPOT_RATE_LIMIT_BURST', 0, 1_000, CONFIG_DEFAULTS.THOUGHTSPOT_RATE_LIMIT_BURST, problems);

  const lookupMaxKeys = integer(
    read('THOUGHTSPOT_USER_LOOKUP_MAX_KEYS'),
    'THOUGHTSPOT_USER_LOOKUP_MAX_KEYS',
    1,
    1_000,
    CONFIG_DEFAULTS.THOUGHTSPOT_USER_LOOKUP_MAX_KEYS,
    problems,
  );
  const scanPageSize = integer(
    read('THOUGHTSPOT_USER_SCAN_PAGE_SIZE'),
    'THOUGHTSPOT_USER_SCAN_PAGE_SIZE',
    1,
    100_000,
    CONFIG_DEFAULTS.THOUGHTSPOT_USER_SCAN_PAGE_SIZE,
    problems,
  );

  // THOUGHTSPOT_TIMEOUT_MS above REQUEST_DEADLINE_MS is allowed on purpose: each bounds a different thing (one call,
  // one request), and whichever ends first wins, so no combination is contradictory.
  const deadlineMs = integer(read('REQUEST_DEADLINE_MS'), 'REQUEST_DEADLINE_MS', 1, 600_000, CONFIG_DEFAULTS.REQUEST_DEADLINE_MS, problems);
  const maxUpstreamCalls = integer(
    read('REQUEST_MAX_UPSTREAM_CALLS'),
    'REQUEST_MAX_UPSTREAM_CALLS',
    1,
    100_000,
    CONFIG_DEFAULTS.REQUEST_MAX_UPSTREAM_CALLS,
    problems,
  );
  const capacity = integer(read('EXECUTION_CAPACITY'), 'EXECUTION_CAPACITY', 1, 10_000, CONFIG_DEFAULTS.EXECUTION_CAPACITY, problems);
  const queueMax = integer(read('EXECUTION_QUEUE_MAX'), 'EXECUTION_QUEUE_MAX', 0, 1_000_000, CONFIG_DEFAULTS.EXECUTION_QUEUE_MAX, problems);
  const maxDepth = integer(read('QUERY_MAX_DEPTH'), 'QUERY_MAX_DEPTH', 1, 100, CONFIG_DEFAULTS.QUERY_MAX_DEPTH, problems);
  const maxNodes = integer(read('QUERY_MAX_NODES'), 'QUERY_MAX_NODES', 1, 100_000_000, CONFIG_DEFAULTS.QUERY_MAX_NODES, problems);
  const maxLists = integer(read('QUERY_MAX_LISTS'), 'QUERY_MAX_LISTS', 1, 10_000, CONFIG_DEFAULTS.QUERY_MAX_LISTS, problems);
  const maxTokens = integer(read('QUERY_MAX_TOKENS'), 'QUERY_MAX_TOKENS', 100, 20_000, CONFIG_DEFAULTS.QUERY_MAX_TOKENS, problems);
  const cors = parseCors(read('CORS_ORIGINS'), environment, problems);
  const shutdownGraceMs = integer(read('SHUTDOWN_GRACE_MS'), 'SHUTDOWN_GRACE_MS', 0, 600_000, CONFIG_DEFAULTS.SHUTDOWN_GRACE_MS, problems);
  const auth = parseAuth(read, url !== undefined, environment, problems);
  const secrets = parseSecrets(read, environment, problems);
  const store = parseStore(read, problems);
  const redis = parseRedis(read, problems);
  const maxTokenValidityS = integer(
    read('EMBED_TOKEN_MAX_VALIDITY_S'),
    'EMBED_TOKEN_MAX_VALIDITY_S',
    60,
    86_400,
    CONFIG_DEFAULTS.EMBED_TOKEN_MAX_VALIDITY_S,
    problems,
  );

  const observability = parseObservability(read, problems);

  if (problems.length > 0 || directory === undefined || auth === null || store === null) throw new ConfigError(problems);
  const connectionId =
    connectionRaw ?? (directory.kind === 'remote' ? new URL(directory.baseUrl).hostname.toLowerCase() : 'emulator');
  return deepFreeze({
    port,
    host,
    logLevel: logLevelRaw as LogLevel,
    environment,
    directory,
    connectionId,
    upstream: { timeoutMs, maxRetries, rateLimit: rps === 0 ? null : { requestsPerSecond: rps, burst } },
    userBatch: { lookupMaxKeys, scanPageSize },
    request: { deadlineMs, maxUpstreamCalls },
    execution: { capacity, queueMax },
    queryLimits: { maxDepth, maxNodes, maxLists, maxTokens },
    cors,
    shutdownGraceMs,
    auth,
    secrets,
    store,
    redis,
    embed: { maxTokenValidityS },
    observability,
  });
}

type Read = (name: string) => string | undefined;

/** The variables that configure AUTH_MODE=jwt, each meaningless under AUTH_MODE=none. */
const JWT_VARIABLES = [
  'AUTH_JWT_SECRET',
  'AUTH_JWKS_URL',
  'AUTH_JWT_ISSUER',
  'AUTH_JWT_AUDIENCE',
  'AUTH_CLOCK_TOLERANCE_S',
  'AUTH_CLAIM_SCOPE',
  'AUTH_CLAIM_ORGS',
  'AUTH_CLAIM_CONNECTION',
] as const;

/** The JWT's registered claims (RFC 7519 §4.1), which jose checks itself and no caller claim may be read from. */
const REGISTERED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'];

/** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output, 256 bits. */
const MIN_JWT_SECRET_BYTES = 32;

// Private: AUTH_MODE and what it needs. The subgraph in front of a real cluster always authenticates its callers:
// there is no loopback or development exception for AUTH_MODE=none with THOUGHTSPOT_URL, because such a deployment
// differs from production by nothing but an environment variable. Tests against the emulator's HTTP server give a
// JWT secret, issuer and audience instead, and mint real tokens.
function parseAuth(read: Read, remote: boolean, environment: Environment, problems: string[]): AuthConfig | null {
  const modeRaw = read('AUTH_MODE');
  let mode: AuthConfig['mode'] = remote ? 'jwt' : 'none';
  if (modeRaw === 'jwt' || modeRaw === 'none') mode = modeRaw;
  else if (modeRaw !== undefined) {
    problems.push(`AUTH_MODE must be jwt or none, but got: ${JSON.stringify(modeRaw)}.`);
    // A misspelt mode beside JWT variables was meant to be jwt: check those too, so every problem is reported at once.
    if (JWT_VARIABLES.some((name) => read(name) !== undefined)) mode = 'jwt';
  }

  if (mode === 'none') {
    if (remote) {
      problems.push('AUTH_MODE must be jwt when THOUGHTSPOT_URL is set (none is for the embedded emulator only), but got: "none".');
      return null;
    }
    // A JWT variable under AUTH_MODE=none most likely means someone believes callers are checked when they are not.
    const unused = JWT_VARIABLES.filter((name) => read(name) !== undefined);
    for (const name of unused) {
      problems.push(`${name} is set, so AUTH_MODE must be jwt, but got: ${modeRaw === undefined ? 'none (the default when THOUGHTSPOT_URL is unset)' : '"none"'}.`);
    }
    return unused.length > 0 ? null : { mode: 'none' };
  }

  const when = 'when AUTH_MODE is jwt (the default when THOUGHTSPOT_URL is set)';
  const before = problems.length;
  const secret = read('AUTH_JWT_SECRET');
  const jwksRaw = read('AUTH_JWKS_URL');
  let key: Extract<AuthConfig, { mode: 'jwt' }>['key'] | undefined;
  if ((secret === undefined) === (jwksRaw === undefined)) {
    problems.push(`Exactly one of AUTH_JWT_SECRET and AUTH_JWKS_URL must be set ${when}, but got: ${secret === undefined ? 'neither' : 'both'}.`);
  } else if (secret !== undefined) {
    const bytes = Buffer.byteLength(secret, 'utf8');
    if (bytes < MIN_JWT_SECRET_BYTES) {
      problems.push(`AUTH_JWT_SECRET must be at least ${MIN_JWT_SECRET_BYTES} bytes (RFC 7518 §3.2), but got: ${bytes} bytes.`);
    } else key = { kind: 'secret', secret };
  } else if (jwksRaw !== undefined) {
    const url = parseJwksUrl(jwksRaw, environment);
    if (url === null) {
      problems.push(
        `AUTH_JWKS_URL must be an https URL without credentials (http only for localhost outside production), but got: ${JSON.stringify(redactUrl(jwksRaw))}.`,
      );
    } else key = { kind: 'jwks', url };
  }
  const issuer = read('AUTH_JWT_ISSUER');
  if (issuer === undefined) problems.push(`AUTH_JWT_ISSUER must be set ${when}, but got: nothing.`);
  const audience = read('AUTH_JWT_AUDIENCE');
  if (audience === undefined) problems.push(`AUTH_JWT_AUDIENCE must be set ${when}, but got: nothing.`);
  const clockToleranceS = integer(read('AUTH_CLOCK_TOLERANCE_S'), 'AUTH_CLOCK_TOLERANCE_S', 0, 300, CONFIG_DEFAULTS.AUTH_CLOCK_TOLERANCE_S, problems);
  const scopeRaw = claimName(read, 'AUTH_CLAIM_SCOPE', problems);
  const orgs = claimName(read, 'AUTH_CLAIM_ORGS', problems) ?? CONFIG_DEFAULTS.AUTH_CLAIM_ORGS;
  const connection = claimName(read, 'AUTH_CLAIM_CONNECTION', problems) ?? CONFIG_DEFAULTS.AUTH_CLAIM_CONNECTION;
  // `scp` is the scope claim of several IdPs (Okta, Microsoft Entra ID); it is read when `scope` is absent, unless
  // AUTH_CLAIM_SCOPE names the one claim to read.
  const scope = scopeRaw === undefined ? [CONFIG_DEFAULTS.AUTH_CLAIM_SCOPE, 'scp'] : [scopeRaw];
  const named = [...scope, orgs, connection];
  const shared = [...new Set(named.filter((name, index) => named.indexOf(name) !== index))];
  if (shared.length > 0) {
    problems.push(
      `AUTH_CLAIM_SCOPE, AUTH_CLAIM_ORGS and AUTH_CLAIM_CONNECTION must name different claims (the scope claim defaults to scope, then scp), but got: ${shared.map((name) => JSON.stringify(name)).join(', ')} for more than one.`,
    );
  }
  if (problems.length > before || key === undefined || issuer === undefined || audience === undefined) return null;
  return { mode: 'jwt', key, issuer, audience, clockToleranceS, claims: { scope, orgs, connection } };
}

// Private: a claim name may be a URL (IdPs such as Auth0 require namespaced custom claims, e.g.
// https://example.com/orgs), so any visible characters are allowed; the registered claims are refused, since reading
// the Organizations from `aud` or the scopes from `sub` would hand the caller's grants to whatever those hold.
function claimName(read: Read, name: string, problems: string[]): string | undefined {
  const raw = read(name);
  if (raw === undefined) return undefined;
  if (!/^[^\s\p{Cc}]{1,256}$/u.test(raw) || REGISTERED_CLAIMS.includes(raw)) {
    problems.push(
      `${name} must be a claim name of 1 to 256 characters without spaces, other than the registered claims ${REGISTERED_CLAIMS.join(', ')}, but got: ${JSON.stringify(raw)}.`,
    );
    return undefined;
  }
  return raw;
}

// Private: the JWKS decides which signatures are genuine, so it must come over TLS: a key set fetched over plain http
// could be swapped by anyone on the path. A local issuer (a development IdP on the same machine) is the one exception,
// and not in production.
function parseJwksUrl(raw: string, environment: Environment): string | null {
  return trustedUrl(raw, { production: environment === 'production', allowQuery: true })?.href ?? null;
}


// Private: SECRETS_KEY and its predecessors. Key material is never echoed, not even in part: the messages say only
// how long the value was.
function parseSecrets(read: Read, environment: Environment, problems: string[]): SecretsConfig {
  const keyRaw = read('SECRETS_KEY');
  const previousRaw = read('SECRETS_KEY_PREVIOUS');
  const expected = '32 bytes given as base64 (44 characters, e.g. from openssl rand -base64 32) or as 64 hexadecimal digits';
  let key: Buffer | null = null;
  if (keyRaw !== undefined) {
    key = secretsKey(keyRaw);
    if (key === null) problems.push(`SECRETS_KEY must be ${expected}, but got: a value of ${keyRaw.length} characters.`);
  } else if (environment === 'production') {
    // Production keeps real cluster credentials; refusing to start beats discovering at the first registration
    // that they cannot be stored.
    problems.push(`SECRETS_KEY must be ${expected} when NODE_ENV is production, but got: nothing.`);
  }
  if (previousRaw !== undefined && keyRaw === undefined) {
    problems.push('SECRETS_KEY_PREVIOUS is set, so SECRETS_KEY must be set too, but got: nothing.');
  }
  const previousKeys: Buffer[] = [];
  const entries = (previousRaw ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    const previous = secretsKey(entry);
    if (previous === null) {
      problems.push(`SECRETS_KEY_PREVIOUS must be a comma-separated list of keys of ${expected}, but got: an entry of ${entry.length} characters.`);
    } else previousKeys.push(previous);
  }
  return { key, previousKeys };
}

// Private: 64 hex digits, or base64 (standard or URL-safe, padded or not) of exactly 32 bytes. Buffer.from skips
// characters it does not know, so the text is checked first and decoded second, and a base64 text whose last
// character carries stray bits (not what any encoder writes) is refused too.
function secretsKey(raw: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  const base64 = raw.replace(/-/g, '+').replace(/_/g, '/').replace(/=$/, '');
  if (!/^[A-Za-z0-9+/]{43}$/.test(base64)) return null;
  const bytes = Buffer.from(base64, 'base64');
  return bytes.toString('base64').slice(0, 43) === base64 ? bytes : null;
}

// Private: DATABASE_URL carries a password, so its problems are described, never quoted.
function parseStore(read: Read, problems: string[]): StoreConfig | null {
  const databaseUrl = read('DATABASE_URL');
  const path = read('STORE_PATH');
  if (databaseUrl === undefined) return { kind: 'sqlite', path: path ?? CONFIG_DEFAULTS.STORE_PATH };
  if (path !== undefined) problems.push(`STORE_PATH applies only when DATABASE_URL is unset, but got: ${JSON.stringify(path)}.`);
  let url: URL | null = null;
  try {
    // Without `://` the text is no URL this could mean, and its "scheme" might be a user name (`user:password@host`).
    if (databaseUrl.includes('://')) url = new URL(databaseUrl);
  } catch {
    // Described below.
  }
  const got =
    url === null
      ? 'a value that is not a URL'
      : url.protocol !== 'postgres:' && url.protocol !== 'postgresql:'
        ? `a URL with the scheme ${JSON.stringify(url.protocol.slice(0, -1))}`
        : // A Unix socket is named by the `host` parameter (postgresql:///directory?host=/var/run/postgresql).
          url.hostname === '' && !url.searchParams.has('host')
          ? 'a URL without a host'
          : null;
  if (got !== null) {
    problems.push(
      `DATABASE_URL must be a postgres:// or postgresql:// URL with a host (e.g. postgres://directory:password@db.internal:5432/directory), but got: ${got}.`,
    );
    return null;
  }
  return { kind: 'postgres', url: databaseUrl };
}

// Private: REDIS_URL carries a password too, so its problems are described, never quoted. A database number may
// follow the host (rediss://cache.internal:6380/2), as ioredis reads it.
function parseRedis(read: Read, problems: string[]): { readonly url: string } | null {
  const raw = read('REDIS_URL');
  if (raw === undefined) return null;
  const url = raw.includes('://') && URL.canParse(raw) ? new URL(raw) : null;
  const got =
    url === null
      ? 'a value that is not a URL'
      : url.protocol !== 'redis:' && url.protocol !== 'rediss:'
        ? `a URL with the scheme ${JSON.stringify(url.protocol.slice(0, -1))}`
        : url.hostname === ''
          ? 'a URL without a host'
          : /^\/?\d*$/.test(url.pathname)
            ? null
            : 'a URL whose path is not a database number';
  if (got === null) return { url: raw };
  problems.push(
    `REDIS_URL must be a redis:// or rediss:// URL with a host and at most a database number (e.g. rediss://:password@cache.internal:6380/0), but got: ${got}.`,
  );
  return null;
}

// Private: METRICS_ENABLED, the OpenTelemetry variables (their standard names, so a platform that sets them for every
// service configures this one too) and READY_CACHE_MS. The collector URL may carry a path (a gateway's prefix) but no
// credentials: those belong in OTEL_EXPORTER_OTLP_HEADERS, which the exporter reads itself.
function parseObservability(read: Read, problems: string[]): ObservabilityConfig {
  const metricsRaw = read('METRICS_ENABLED');
  let metrics: boolean = CONFIG_DEFAULTS.METRICS_ENABLED;
  if (metricsRaw === 'true' || metricsRaw === 'false') metrics = metricsRaw === 'true';
  else if (metricsRaw !== undefined) problems.push(`METRICS_ENABLED must be true or false, but got: ${JSON.stringify(metricsRaw)}.`);
  const endpointRaw = read('OTEL_EXPORTER_OTLP_ENDPOINT');
  let otlpEndpoint: string | null = null;
  if (endpointRaw !== undefined) {
    let url: URL | null = null;
    try {
      url = new URL(endpointRaw);
    } catch {
      // Described below.
    }
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
      problems.push(
        `OTEL_EXPORTER_OTLP_ENDPOINT must be the http(s) URL of an OTLP/HTTP collector without credentials, query or fragment (e.g. http://otel-collector:4318), but got: ${JSON.stringify(redactUrl(endpointRaw))}.`,
      );
    } else otlpEndpoint = url.href.replace(/\/+$/, '');
  }
  const serviceName = read('OTEL_SERVICE_NAME') ?? CONFIG_DEFAULTS.OTEL_SERVICE_NAME;
  if (!/^[^\s\p{Cc}]{1,128}$/u.test(serviceName)) {
    problems.push(`OTEL_SERVICE_NAME must be 1 to 128 characters without spaces, but got: ${JSON.stringify(serviceName)}.`);
  }
  const readyCacheMs = integer(read('READY_CACHE_MS'), 'READY_CACHE_MS', 0, 300_000, CONFIG_DEFAULTS.READY_CACHE_MS, problems);
  return { metrics, otlpEndpoint, serviceName, readyCacheMs };
}

// Private: integers only (no "5s", no "1e3"); the message states the accepted range.
function integer(raw: string | undefined, name: string, min: number, max: number, fallback: number, problems: string[]): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    problems.push(`${name} must be an integer from ${min} to ${max}, but got: ${JSON.stringify(raw)}.`);
    return fallback;
  }
  return Number(raw);
}

// Private: unset means the environment's default; set, the list is complete (localhost is then allowed only if listed),
// so what a deployment allows is always exactly what its variable says. Empty entries (a trailing comma) are ignored.
function parseCors(raw: string | undefined, environment: Environment, problems: string[]): CorsPolicy {
  const fallback: CorsPolicy = { origins: [], allowLocalhost: ENVIRONMENT_DEFAULTS[environment].CORS_ORIGINS === 'localhost' };
  if (raw === undefined) return fallback;
  if (raw === '*') return { origins: '*', allowLocalhost: false };
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const origins = entries.map(parseOrigin);
  const invalid = entries.filter((_, index) => origins[index] === null);
  if (entries.length === 0 || invalid.length > 0) {
    problems.push(
      `CORS_ORIGINS must be * or a comma-separated list of http(s) origins without path, query, credentials or wildcards (e.g. https://app.example.com,http://localhost:3000), but got: ${(invalid.length > 0 ? invalid : [raw]).map((entry) => JSON.stringify(redactUrl(entry))).join(', ')}.`,
    );
    return fallback;
  }
  return { origins: [...new Set(origins as string[])], allowLocalhost: false };
}

// Private: an origin as a browser serializes it in the Origin header (scheme://host[:port], lower case, no default
// port), so the app can compare the header with the list as plain strings. A trailing slash is tolerated.
function parseOrigin(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const bare =
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/' &&
    url.search === '' &&
    url.hash === '' &&
    !/[?#]/.test(raw) &&
    // WHATWG URLs accept `*` in a host name; a wildcard here would look like it works and match nothing.
    !url.hostname.includes('*');
  return bare ? url.origin : null;
}

function parseSeed(raw: string): SeedSpec | null {
  if (raw === 'demo' || raw === 'minimal') return raw;
  const match = /^large:(\d{1,7})$/.exec(raw);
  const users = match?.[1] === undefined ? NaN : Number(match[1]);
  return users >= 1 && users <= 1_000_000 ? { large: { users } } : null;
}

// Private: the adapter appends /api/rest/2.0 itself, so the URL must be the bare origin (a trailing slash is fine).
function parseBaseUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const bare = (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
  return bare && (url.pathname === '/' || url.pathname === '') && url.search === '' && url.hash === '' ? url.origin : null;
}

// Private: a URL may carry a password in its user-info part; the echo keeps its shape and hides the secret.
function redactUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1[REDACTED]@');
}

// Private: typed arrays (the secrets keys) are left as they are: freezing one with elements throws.
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
