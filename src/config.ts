// Public to the rest of src: the configuration, read from environment variables by `loadConfig` (the only reader of
// process.env in the project, and only through main.ts). Every variable is validated up front and every problem is
// reported at once, each as "<VARIABLE> must be …, but got: <value>" (house rule 12). Secrets are never echoed.

/** Which directory the embedded emulator loads (the emulator's own SeedSpec, restated: config never imports it). */
export type SeedSpec = 'demo' | 'minimal' | { readonly large: { readonly users: number } };

/** Log levels, most verbose first; `silent` logs nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where the directory comes from. */
export type DirectorySource =
  /** Nothing configured: an in-process emulator with a seed (development, demos, `npm start`). */
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
}

/** Thrown by `loadConfig`; `problems` lists every invalid variable, in variable-name order. */
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
    const seed = parseSeed(seedRaw ?? CONFIG_DEFAULTS.EMULATOR_SEED);
    if (seed === null) {
      problems.push(`EMULATOR_SEED must be demo, minimal or large:<users> (1 to 1000000), but got: ${JSON.stringify(seedRaw)}.`);
    } else directory = { kind: 'embedded', seed };
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

  if (problems.length > 0 || directory === undefined) throw new ConfigError(problems);
  const connectionId =
    connectionRaw ?? (directory.kind === 'remote' ? new URL(directory.baseUrl).hostname.toLowerCase() : 'emulator');
  return deepFreeze({
    port,
    host,
    logLevel: logLevelRaw as LogLevel,
    directory,
    connectionId,
    upstream: { timeoutMs, maxRetries, rateLimit: rps === 0 ? null : { requestsPerSecond: rps, burst } },
    userBatch: { lookupMaxKeys, scanPageSize },
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
