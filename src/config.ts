// Public to the rest of src: the configuration, read from environment variables by `loadConfig` (the only reader of
// process.env in the project, and only through main.ts). Every variable is validated up front and every problem is
// reported at once, each as "<VARIABLE> must be …, but got: <value>" (house rule 12). Secrets are never echoed.

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
   * identifier search each; more are found by scanning the Org's user list `scanPageSize` rows at a time until all
   * have turned up.
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
  // - 10 keys is where the two cost about the same number of calls on such a population: K random users of an Org
  //   of S users need about S/1,000 pages, about 7 on average when sizes spread evenly from 50 to 50,000 on a log
  //   scale. Up to 10 users cost at most 10 small calls, sent in one parallel round (USER_LOOKUP_CONCURRENCY), so a
  //   handful of users never drags a large tenant's directory across; more users than that are worth one call per
  //   page on the small tenants, and bounded by the tenant's size on the large ones.
  THOUGHTSPOT_USER_LOOKUP_MAX_KEYS: 10,
  THOUGHTSPOT_USER_SCAN_PAGE_SIZE: 1_000,
  // Under the 30 s a router gives a subgraph by default, so the subgraph answers (with the finished parts and a coded
  // error for the rest) before the router gives up on it and the caller gets nothing at all.
  REQUEST_DEADLINE_MS: 25_000,
  // Batching makes a query cost about one call per list per Organization it touches (README, Cost model): 250 covers
  // the lists QUERY_MAX_LISTS allows across a few Organizations, with room for retries and token mints, while one
  // request can take at most about 3 s of the shared rate budget (250 calls at 90/s).
  REQUEST_MAX_UPSTREAM_CALLS: 250,
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
  const maxDepth = integer(read('QUERY_MAX_DEPTH'), 'QUERY_MAX_DEPTH', 1, 100, CONFIG_DEFAULTS.QUERY_MAX_DEPTH, problems);
  const maxNodes = integer(read('QUERY_MAX_NODES'), 'QUERY_MAX_NODES', 1, 100_000_000, CONFIG_DEFAULTS.QUERY_MAX_NODES, problems);
  const maxLists = integer(read('QUERY_MAX_LISTS'), 'QUERY_MAX_LISTS', 1, 10_000, CONFIG_DEFAULTS.QUERY_MAX_LISTS, problems);
  const maxTokens = integer(read('QUERY_MAX_TOKENS'), 'QUERY_MAX_TOKENS', 100, 20_000, CONFIG_DEFAULTS.QUERY_MAX_TOKENS, problems);
  const cors = parseCors(read('CORS_ORIGINS'), environment, problems);
  const shutdownGraceMs = integer(read('SHUTDOWN_GRACE_MS'), 'SHUTDOWN_GRACE_MS', 0, 600_000, CONFIG_DEFAULTS.SHUTDOWN_GRACE_MS, problems);

  if (problems.length > 0 || directory === undefined) throw new ConfigError(problems);
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
    queryLimits: { maxDepth, maxNodes, maxLists, maxTokens },
    cors,
    shutdownGraceMs,
  });
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

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
