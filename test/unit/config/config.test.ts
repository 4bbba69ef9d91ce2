import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

// A real cluster always comes with caller authentication (AUTH_MODE=jwt is its default and its only mode).
const JWT = {
  AUTH_JWT_SECRET: 'a-shared-hs256-secret-of-32-bytes',
  AUTH_JWT_ISSUER: 'https://idp.example.com/',
  AUTH_JWT_AUDIENCE: 'directory',
};

const REMOTE = {
  THOUGHTSPOT_URL: 'https://acme.thoughtspot.cloud',
  THOUGHTSPOT_USERNAME: 'svc-directory',
  THOUGHTSPOT_SECRET_KEY: 's3cret',
  ...JWT,
};

// One AES-256 key in the three spellings SECRETS_KEY accepts.
const KEY_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const KEY = Buffer.from(KEY_HEX, 'hex');
const KEY_BASE64 = KEY.toString('base64');
const KEY_BASE64URL = KEY.toString('base64url');
const OTHER_KEY = Buffer.alloc(32, 7);

// Production always needs a key for the credentials it stores.
const PRODUCTION = { NODE_ENV: 'production', SECRETS_KEY: KEY_BASE64 };

const JWT_DEFAULT = 'when AUTH_MODE is jwt (the default when THOUGHTSPOT_URL is set)';

describe('loadConfig', () => {
  it('runs the embedded emulator with the demo seed when nothing is configured', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      port: 4000,
      host: undefined,
      logLevel: 'info',
      environment: 'development',
      directory: { kind: 'embedded', seed: 'demo' },
      connectionId: 'emulator',
      upstream: { timeoutMs: 20_000, maxRetries: 5, rateLimit: { requestsPerSecond: 90, burst: 5 } },
      userBatch: { lookupMaxKeys: 1, scanPageSize: 1_000 },
      request: { deadlineMs: 25_000, maxUpstreamCalls: 250 },
      execution: { capacity: 32, queueMax: 1_000 },
      queryLimits: { maxDepth: 15, maxNodes: 500_000, maxLists: 50, maxTokens: 15_000 },
      cors: { origins: [], allowLocalhost: true },
      shutdownGraceMs: 10_000,
      auth: { mode: 'none' },
      secrets: { key: null, previousKeys: [] },
      store: { kind: 'sqlite', path: './.data/directory.db' },
      redis: null,
      embed: { maxTokenValidityS: 3_600 },
      observability: { metrics: true, otlpEndpoint: null, serviceName: 'thoughtspot-directory-subgraph', readyCacheMs: 5_000 },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.upstream)).toBe(true);
    expect(Object.isFrozen(config.request)).toBe(true);
    expect(Object.isFrozen(config.queryLimits)).toBe(true);
    expect(Object.isFrozen(config.cors)).toBe(true);
    expect(Object.isFrozen(config.auth)).toBe(true);
    expect(Object.isFrozen(config.secrets)).toBe(true);
    expect(Object.isFrozen(config.store)).toBe(true);
  });

  it('reads a real cluster, deriving the connection id from its host', () => {
    const config = loadConfig({ ...REMOTE, PORT: '8080', HOST: '127.0.0.1', LOG_LEVEL: 'warn', THOUGHTSPOT_RATE_LIMIT_RPS: '0' });
    expect(config.directory).toEqual({
      kind: 'remote',
      baseUrl: 'https://acme.thoughtspot.cloud',
      credentials: { username: 'svc-directory', secretKey: 's3cret' },
    });
    expect(config.connectionId).toBe('acme.thoughtspot.cloud');
    expect(config.port).toBe(8080);
    expect(config.host).toBe('127.0.0.1');
    expect(config.upstream.rateLimit).toBeNull();
  });

  it('accepts a password instead of a secret key, a trailing slash, and an explicit connection id', () => {
    const config = loadConfig({
      THOUGHTSPOT_URL: 'https://acme.thoughtspot.cloud/',
      THOUGHTSPOT_USERNAME: 'svc',
      THOUGHTSPOT_PASSWORD: 'pw',
      THOUGHTSPOT_CONNECTION_ID: 'acme-prod',
      ...JWT,
    });
    expect(config.directory).toEqual({
      kind: 'remote',
      baseUrl: 'https://acme.thoughtspot.cloud',
      credentials: { username: 'svc', password: 'pw' },
    });
    expect(config.connectionId).toBe('acme-prod');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', THOUGHTSPOT_URL: '  ', EMULATOR_SEED: '' }).port).toBe(4000);
  });

  it('parses the embedded seeds', () => {
    expect(loadConfig({ EMULATOR_SEED: 'minimal' }).directory).toEqual({ kind: 'embedded', seed: 'minimal' });
    expect(loadConfig({ EMULATOR_SEED: 'large:5000' }).directory).toEqual({ kind: 'embedded', seed: { large: { users: 5000 } } });
  });

  it('reports every problem at once, verbatim', () => {
    expect(
      problemsOf({
        PORT: '80a',
        LOG_LEVEL: 'verbose',
        THOUGHTSPOT_URL: 'ftp://acme/path?x=1',
        THOUGHTSPOT_SECRET_KEY: 'k',
        THOUGHTSPOT_PASSWORD: 'p',
        EMULATOR_SEED: 'demo',
        THOUGHTSPOT_CONNECTION_ID: 'no spaces',
        THOUGHTSPOT_TIMEOUT_MS: '5s',
        THOUGHTSPOT_MAX_RETRIES: '21',
        THOUGHTSPOT_RATE_LIMIT_RPS: '-1',
        THOUGHTSPOT_RATE_LIMIT_BURST: '1.5',
      }),
    ).toEqual([
      'PORT must be an integer from 0 to 65535, but got: "80a".',
      'LOG_LEVEL must be one of debug, info, warn, error, silent, but got: "verbose".',
      'THOUGHTSPOT_URL must be an http(s) URL of the cluster without path, query or credentials (e.g. https://acme.thoughtspot.cloud), but got: "ftp://acme/path?x=1".',
      'THOUGHTSPOT_USERNAME must be set when THOUGHTSPOT_URL is set, but got: nothing.',
      'Exactly one of THOUGHTSPOT_SECRET_KEY and THOUGHTSPOT_PASSWORD must be set when THOUGHTSPOT_URL is set, but got: both.',
      'EMULATOR_SEED applies only when THOUGHTSPOT_URL is unset, but got: "demo".',
      'THOUGHTSPOT_CONNECTION_ID must be 1 to 63 letters, digits, dots, hyphens or underscores, starting with a letter or digit, but got: "no spaces".',
      'THOUGHTSPOT_TIMEOUT_MS must be an integer from 1 to 600000, but got: "5s".',
      'THOUGHTSPOT_MAX_RETRIES must be an integer from 0 to 20, but got: "21".',
      'THOUGHTSPOT_RATE_LIMIT_RPS must be an integer from 0 to 10000, but got: "-1".',
      'THOUGHTSPOT_RATE_LIMIT_BURST must be an integer from 0 to 1000, but got: "1.5".',
      `Exactly one of AUTH_JWT_SECRET and AUTH_JWKS_URL must be set ${JWT_DEFAULT}, but got: neither.`,
      `AUTH_JWT_ISSUER must be set ${JWT_DEFAULT}, but got: nothing.`,
      `AUTH_JWT_AUDIENCE must be set ${JWT_DEFAULT}, but got: nothing.`,
    ]);
  });

  it('reads how batched user lookups split between identifier searches and a paged scan', () => {
    expect(loadConfig({ THOUGHTSPOT_USER_LOOKUP_MAX_KEYS: '1', THOUGHTSPOT_USER_SCAN_PAGE_SIZE: '100000' }).userBatch).toEqual({
      lookupMaxKeys: 1,
      scanPageSize: 100_000,
    });
    expect(loadConfig({ THOUGHTSPOT_USER_LOOKUP_MAX_KEYS: '1000', THOUGHTSPOT_USER_SCAN_PAGE_SIZE: '1' }).userBatch).toEqual({
      lookupMaxKeys: 1_000,
      scanPageSize: 1,
    });
    expect(problemsOf({ THOUGHTSPOT_USER_LOOKUP_MAX_KEYS: '0', THOUGHTSPOT_USER_SCAN_PAGE_SIZE: '-1' })).toEqual([
      'THOUGHTSPOT_USER_LOOKUP_MAX_KEYS must be an integer from 1 to 1000, but got: "0".',
      'THOUGHTSPOT_USER_SCAN_PAGE_SIZE must be an integer from 1 to 100000, but got: "-1".',
    ]);
    expect(problemsOf({ THOUGHTSPOT_USER_LOOKUP_MAX_KEYS: 'ten', THOUGHTSPOT_USER_SCAN_PAGE_SIZE: '100001' })).toEqual([
      'THOUGHTSPOT_USER_LOOKUP_MAX_KEYS must be an integer from 1 to 1000, but got: "ten".',
      'THOUGHTSPOT_USER_SCAN_PAGE_SIZE must be an integer from 1 to 100000, but got: "100001".',
    ]);
  });

  it('requires a URL when credentials are set, and a credential when the URL is set', () => {
    expect(problemsOf({ THOUGHTSPOT_USERNAME: 'svc', THOUGHTSPOT_PASSWORD: 'pw' })).toEqual([
      'THOUGHTSPOT_USERNAME is set, so THOUGHTSPOT_URL must be set too, but got: nothing.',
      'THOUGHTSPOT_PASSWORD is set, so THOUGHTSPOT_URL must be set too, but got: nothing.',
    ]);
    expect(problemsOf({ THOUGHTSPOT_URL: 'https://acme.thoughtspot.cloud', THOUGHTSPOT_USERNAME: 'svc', ...JWT })).toEqual([
      'Exactly one of THOUGHTSPOT_SECRET_KEY and THOUGHTSPOT_PASSWORD must be set when THOUGHTSPOT_URL is set, but got: neither.',
    ]);
    expect(problemsOf({ EMULATOR_SEED: 'large:0' })).toEqual([
      'EMULATOR_SEED must be demo, minimal or large:<users> (1 to 1000000), but got: "large:0".',
    ]);
  });

  it('never echoes a secret in its messages', () => {
    const error = (() => {
      try {
        loadConfig({ ...REMOTE, THOUGHTSPOT_PASSWORD: 'hunter2', THOUGHTSPOT_URL: 'https://user:hunter3@acme.example' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.message).not.toContain('s3cret');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('hunter3');
    expect(error.problems).toContain(
      'THOUGHTSPOT_URL must be an http(s) URL of the cluster without path, query or credentials (e.g. https://acme.thoughtspot.cloud), but got: "https://[REDACTED]@acme.example".',
    );
    expect(error.message.startsWith('Invalid configuration:\n- ')).toBe(true);
  });

  describe('in production (NODE_ENV=production)', () => {
    it('refuses to start without THOUGHTSPOT_URL instead of serving the embedded emulator', () => {
      expect(problemsOf({ ...PRODUCTION })).toEqual([
        'THOUGHTSPOT_URL must be set when NODE_ENV is production (set ALLOW_EMBEDDED_EMULATOR=true to serve the embedded emulator on purpose), but got: nothing.',
      ]);
      // Every other problem is still reported with it.
      expect(problemsOf({ NODE_ENV: 'production', EMULATOR_SEED: 'huge', PORT: '-1' })).toEqual([
        'PORT must be an integer from 0 to 65535, but got: "-1".',
        'THOUGHTSPOT_URL must be set when NODE_ENV is production (set ALLOW_EMBEDDED_EMULATOR=true to serve the embedded emulator on purpose), but got: nothing.',
        'EMULATOR_SEED must be demo, minimal or large:<users> (1 to 1000000), but got: "huge".',
        'SECRETS_KEY must be 32 bytes given as base64 (44 characters, e.g. from openssl rand -base64 32) or as 64 hexadecimal digits when NODE_ENV is production, but got: nothing.',
      ]);
    });

    it('serves the embedded emulator only when ALLOW_EMBEDDED_EMULATOR=true says so', () => {
      const config = loadConfig({ ...PRODUCTION, ALLOW_EMBEDDED_EMULATOR: 'true', EMULATOR_SEED: 'minimal' });
      expect(config.environment).toBe('production');
      expect(config.directory).toEqual({ kind: 'embedded', seed: 'minimal' });
      // A demo deployment of the emulator on purpose: its made-up directory needs no caller authentication.
      expect(config.auth).toEqual({ mode: 'none' });
      expect(problemsOf({ ...PRODUCTION, ALLOW_EMBEDDED_EMULATOR: 'false' })).toEqual([
        'THOUGHTSPOT_URL must be set when ALLOW_EMBEDDED_EMULATOR is false, but got: nothing.',
      ]);
    });

    it('runs against a real cluster, with no CORS origin allowed unless configured', () => {
      const config = loadConfig({ ...REMOTE, ...PRODUCTION });
      expect(config.environment).toBe('production');
      expect(config.directory.kind).toBe('remote');
      expect(config.cors).toEqual({ origins: [], allowLocalhost: false });
      // The flag is validated but has nothing to decide when a cluster is configured.
      expect(loadConfig({ ...REMOTE, ...PRODUCTION, ALLOW_EMBEDDED_EMULATOR: 'true' }).directory.kind).toBe('remote');
    });

    it('is production only for exactly "production"', () => {
      for (const NODE_ENV of ['development', 'test', 'Production', 'prod', ' production']) {
        const config = loadConfig({ NODE_ENV });
        expect(config.environment).toBe('development');
        expect(config.directory).toEqual({ kind: 'embedded', seed: 'demo' });
      }
    });
  });

  it('accepts only true or false for ALLOW_EMBEDDED_EMULATOR, and false forbids the embedded default anywhere', () => {
    expect(loadConfig({ ALLOW_EMBEDDED_EMULATOR: 'true' }).directory.kind).toBe('embedded');
    expect(problemsOf({ ALLOW_EMBEDDED_EMULATOR: 'false' })).toEqual([
      'THOUGHTSPOT_URL must be set when ALLOW_EMBEDDED_EMULATOR is false, but got: nothing.',
    ]);
    expect(problemsOf({ ALLOW_EMBEDDED_EMULATOR: 'yes' })).toEqual(['ALLOW_EMBEDDED_EMULATOR must be true or false, but got: "yes".']);
    // In production an invalid flag does not allow the emulator either, so both problems are reported.
    expect(problemsOf({ ...PRODUCTION, ALLOW_EMBEDDED_EMULATOR: '1' })).toEqual([
      'ALLOW_EMBEDDED_EMULATOR must be true or false, but got: "1".',
      'THOUGHTSPOT_URL must be set when NODE_ENV is production (set ALLOW_EMBEDDED_EMULATOR=true to serve the embedded emulator on purpose), but got: nothing.',
    ]);
  });

  it('reads the request backstops and the query limits, at both ends of their ranges', () => {
    const low = loadConfig({
      REQUEST_DEADLINE_MS: '1',
      REQUEST_MAX_UPSTREAM_CALLS: '1',
      EXECUTION_CAPACITY: '1',
      EXECUTION_QUEUE_MAX: '0',
      QUERY_MAX_DEPTH: '1',
      QUERY_MAX_NODES: '1',
      QUERY_MAX_LISTS: '1',
      QUERY_MAX_TOKENS: '100',
      SHUTDOWN_GRACE_MS: '0',
    });
    expect({ request: low.request, execution: low.execution, queryLimits: low.queryLimits, shutdownGraceMs: low.shutdownGraceMs }).toEqual({
      request: { deadlineMs: 1, maxUpstreamCalls: 1 },
      execution: { capacity: 1, queueMax: 0 },
      queryLimits: { maxDepth: 1, maxNodes: 1, maxLists: 1, maxTokens: 100 },
      shutdownGraceMs: 0,
    });
    const high = loadConfig({
      REQUEST_DEADLINE_MS: '600000',
      REQUEST_MAX_UPSTREAM_CALLS: '100000',
      EXECUTION_CAPACITY: '10000',
      EXECUTION_QUEUE_MAX: '1000000',
      QUERY_MAX_DEPTH: '100',
      QUERY_MAX_NODES: '100000000',
      QUERY_MAX_LISTS: '10000',
      QUERY_MAX_TOKENS: '20000',
      SHUTDOWN_GRACE_MS: '600000',
    });
    expect({ request: high.request, execution: high.execution, queryLimits: high.queryLimits, shutdownGraceMs: high.shutdownGraceMs }).toEqual({
      request: { deadlineMs: 600_000, maxUpstreamCalls: 100_000 },
      execution: { capacity: 10_000, queueMax: 1_000_000 },
      queryLimits: { maxDepth: 100, maxNodes: 100_000_000, maxLists: 10_000, maxTokens: 20_000 },
      shutdownGraceMs: 600_000,
    });
  });

  it('reports out-of-range and malformed limits verbatim', () => {
    expect(
      problemsOf({
        REQUEST_DEADLINE_MS: '0',
        REQUEST_MAX_UPSTREAM_CALLS: '100001',
        EXECUTION_CAPACITY: '0',
        EXECUTION_QUEUE_MAX: 'many',
        QUERY_MAX_DEPTH: '101',
        QUERY_MAX_NODES: '1e6',
        QUERY_MAX_LISTS: '0',
        QUERY_MAX_TOKENS: '20001',
        SHUTDOWN_GRACE_MS: '10s',
      }),
    ).toEqual([
      'REQUEST_DEADLINE_MS must be an integer from 1 to 600000, but got: "0".',
      'REQUEST_MAX_UPSTREAM_CALLS must be an integer from 1 to 100000, but got: "100001".',
      'EXECUTION_CAPACITY must be an integer from 1 to 10000, but got: "0".',
      'EXECUTION_QUEUE_MAX must be an integer from 0 to 1000000, but got: "many".',
      'QUERY_MAX_DEPTH must be an integer from 1 to 100, but got: "101".',
      'QUERY_MAX_NODES must be an integer from 1 to 100000000, but got: "1e6".',
      'QUERY_MAX_LISTS must be an integer from 1 to 10000, but got: "0".',
      'QUERY_MAX_TOKENS must be an integer from 100 to 20000, but got: "20001".',
      'SHUTDOWN_GRACE_MS must be an integer from 0 to 600000, but got: "10s".',
    ]);
    expect(problemsOf({ REQUEST_DEADLINE_MS: '600001', SHUTDOWN_GRACE_MS: '-1' })).toEqual([
      'REQUEST_DEADLINE_MS must be an integer from 1 to 600000, but got: "600001".',
      'SHUTDOWN_GRACE_MS must be an integer from 0 to 600000, but got: "-1".',
    ]);
  });

  it('lets the request deadline be shorter than one upstream call\'s timeout (the request deadline wins)', () => {
    const config = loadConfig({ THOUGHTSPOT_TIMEOUT_MS: '60000', REQUEST_DEADLINE_MS: '1000' });
    expect(config.upstream.timeoutMs).toBe(60_000);
    expect(config.request.deadlineMs).toBe(1_000);
  });

  describe('CORS_ORIGINS', () => {
    it('defaults to the localhost origins in development and to none in production', () => {
      expect(loadConfig({}).cors).toEqual({ origins: [], allowLocalhost: true });
      expect(loadConfig({ ...REMOTE, ...PRODUCTION }).cors).toEqual({ origins: [], allowLocalhost: false });
    });

    it('reads * as every origin', () => {
      expect(loadConfig({ CORS_ORIGINS: '*' }).cors).toEqual({ origins: '*', allowLocalhost: false });
      expect(loadConfig({ ...REMOTE, ...PRODUCTION, CORS_ORIGINS: ' * ' }).cors).toEqual({ origins: '*', allowLocalhost: false });
    });

    it('reads a list as the complete set of origins, normalized as browsers send them', () => {
      const config = loadConfig({
        CORS_ORIGINS: 'https://App.Example.com, https://app.example.com:443/,http://localhost:3000,https://admin.example.com:8443,',
      });
      expect(config.cors).toEqual({
        origins: ['https://app.example.com', 'http://localhost:3000', 'https://admin.example.com:8443'],
        allowLocalhost: false,
      });
    });

    it('names every entry that is not an http(s) origin, hiding credentials', () => {
      expect(
        problemsOf({ CORS_ORIGINS: 'https://app.example.com,https://app.example.com/graphql,ftp://files.example.com,https://*.example.com,*,null,https://a.example.com?x=1' }),
      ).toEqual([
        'CORS_ORIGINS must be * or a comma-separated list of http(s) origins without path, query, credentials or wildcards (e.g. https://app.example.com,http://localhost:3000), but got: "https://app.example.com/graphql", "ftp://files.example.com", "https://*.example.com", "*", "null", "https://a.example.com?x=1".',
      ]);
      expect(problemsOf({ CORS_ORIGINS: 'https://user:pw@app.example.com,app.example.com' })).toEqual([
        'CORS_ORIGINS must be * or a comma-separated list of http(s) origins without path, query, credentials or wildcards (e.g. https://app.example.com,http://localhost:3000), but got: "https://[REDACTED]@app.example.com", "app.example.com".',
      ]);
      expect(problemsOf({ CORS_ORIGINS: ' , ' })).toEqual([
        'CORS_ORIGINS must be * or a comma-separated list of http(s) origins without path, query, credentials or wildcards (e.g. https://app.example.com,http://localhost:3000), but got: ",".',
      ]);
    });
  });
});

describe('loadConfig: caller authentication (AUTH_*)', () => {
  it('needs no authentication with the embedded emulator, so npm start stays free of configuration', () => {
    expect(loadConfig({}).auth).toEqual({ mode: 'none' });
    expect(loadConfig({ AUTH_MODE: 'none', EMULATOR_SEED: 'minimal' }).auth).toEqual({ mode: 'none' });
  });

  it('authenticates callers with JWTs whenever THOUGHTSPOT_URL is set, with the documented defaults', () => {
    expect(loadConfig(REMOTE).auth).toEqual({
      mode: 'jwt',
      key: { kind: 'secret', secret: 'a-shared-hs256-secret-of-32-bytes' },
      issuer: 'https://idp.example.com/',
      audience: 'directory',
      clockToleranceS: 30,
      claims: { scope: ['scope', 'scp'], orgs: 'orgs', connection: 'conn' },
    });
    expect(loadConfig({ ...REMOTE, AUTH_MODE: 'jwt' }).auth.mode).toBe('jwt');
  });

  it('reads a JWKS URL instead of a shared secret', () => {
    const { AUTH_JWT_SECRET: _secret, ...jwks } = REMOTE;
    const config = loadConfig({ ...jwks, AUTH_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json' });
    expect(config.auth).toMatchObject({ mode: 'jwt', key: { kind: 'jwks', url: 'https://idp.example.com/.well-known/jwks.json' } });
  });

  it('lets the embedded emulator authenticate callers too, when AUTH_MODE=jwt asks for it', () => {
    expect(loadConfig({ AUTH_MODE: 'jwt', ...JWT }).auth).toMatchObject({ mode: 'jwt', issuer: 'https://idp.example.com/' });
  });

  it('refuses AUTH_MODE=none in front of a real cluster, in every environment and for a local cluster too', () => {
    const refusal = 'AUTH_MODE must be jwt when THOUGHTSPOT_URL is set (none is for the embedded emulator only), but got: "none".';
    expect(problemsOf({ ...REMOTE, AUTH_MODE: 'none' })).toEqual([refusal]);
    expect(problemsOf({ ...REMOTE, ...PRODUCTION, AUTH_MODE: 'none' })).toEqual([refusal]);
    expect(problemsOf({ ...REMOTE, THOUGHTSPOT_URL: 'http://127.0.0.1:8088', AUTH_MODE: 'none' })).toEqual([refusal]);
  });

  it('requires exactly one key source, an issuer and an audience', () => {
    const { AUTH_JWT_SECRET: _secret, AUTH_JWT_ISSUER: _issuer, AUTH_JWT_AUDIENCE: _audience, ...cluster } = REMOTE;
    expect(problemsOf(cluster)).toEqual([
      `Exactly one of AUTH_JWT_SECRET and AUTH_JWKS_URL must be set ${JWT_DEFAULT}, but got: neither.`,
      `AUTH_JWT_ISSUER must be set ${JWT_DEFAULT}, but got: nothing.`,
      `AUTH_JWT_AUDIENCE must be set ${JWT_DEFAULT}, but got: nothing.`,
    ]);
    expect(problemsOf({ ...REMOTE, AUTH_JWKS_URL: 'https://idp.example.com/jwks' })).toEqual([
      `Exactly one of AUTH_JWT_SECRET and AUTH_JWKS_URL must be set ${JWT_DEFAULT}, but got: both.`,
    ]);
  });

  it('counts the shared secret in UTF-8 bytes, at least 32, and never echoes it', () => {
    expect(problemsOf({ ...REMOTE, AUTH_JWT_SECRET: 'hunter2-is-31-bytes-long-secret' })).toEqual([
      'AUTH_JWT_SECRET must be at least 32 bytes (RFC 7518 §3.2), but got: 31 bytes.',
    ]);
    // Sixteen two-byte characters are 32 bytes.
    expect(loadConfig({ ...REMOTE, AUTH_JWT_SECRET: 'é'.repeat(16) }).auth).toMatchObject({ key: { kind: 'secret' } });
  });

  it('takes the JWKS over https only, but for a local issuer outside production', () => {
    const { AUTH_JWT_SECRET: _secret, ...cluster } = REMOTE;
    const message = (got: string): string =>
      `AUTH_JWKS_URL must be an https URL without credentials (http only for localhost outside production), but got: ${got}.`;
    for (const url of ['http://localhost:8080/jwks', 'http://127.0.0.1:8080/jwks', 'http://[::1]:8080/jwks']) {
      expect(loadConfig({ ...cluster, AUTH_JWKS_URL: url }).auth).toMatchObject({ key: { kind: 'jwks', url } });
      expect(problemsOf({ ...cluster, ...PRODUCTION, AUTH_JWKS_URL: url })).toEqual([message(JSON.stringify(url))]);
    }
    expect(problemsOf({ ...cluster, AUTH_JWKS_URL: 'http://idp.example.com/jwks' })).toEqual([message('"http://idp.example.com/jwks"')]);
    expect(problemsOf({ ...cluster, AUTH_JWKS_URL: 'jwks.json' })).toEqual([message('"jwks.json"')]);
    expect(problemsOf({ ...cluster, AUTH_JWKS_URL: 'https://idp:hunter2@idp.example.com/jwks' })).toEqual([
      message('"https://[REDACTED]@idp.example.com/jwks"'),
    ]);
  });

  it('bounds the clock tolerance from 0 to 300 seconds', () => {
    expect(loadConfig({ ...REMOTE, AUTH_CLOCK_TOLERANCE_S: '0' }).auth).toMatchObject({ clockToleranceS: 0 });
    expect(loadConfig({ ...REMOTE, AUTH_CLOCK_TOLERANCE_S: '300' }).auth).toMatchObject({ clockToleranceS: 300 });
    expect(problemsOf({ ...REMOTE, AUTH_CLOCK_TOLERANCE_S: '301' })).toEqual([
      'AUTH_CLOCK_TOLERANCE_S must be an integer from 0 to 300, but got: "301".',
    ]);
    expect(problemsOf({ ...REMOTE, AUTH_CLOCK_TOLERANCE_S: '30s' })).toEqual([
      'AUTH_CLOCK_TOLERANCE_S must be an integer from 0 to 300, but got: "30s".',
    ]);
  });

  it('reads the caller claims under the names an IdP gives them, the scope claim alone once it is named', () => {
    const config = loadConfig({
      ...REMOTE,
      AUTH_CLAIM_SCOPE: 'scp',
      AUTH_CLAIM_ORGS: 'https://example.com/orgs',
      AUTH_CLAIM_CONNECTION: 'https://example.com/conn',
    });
    expect(config.auth).toMatchObject({ claims: { scope: ['scp'], orgs: 'https://example.com/orgs', connection: 'https://example.com/conn' } });
  });

  it('refuses registered claims, blank-containing names and one claim read for two things', () => {
    const message = (name: string, got: string): string =>
      `${name} must be a claim name of 1 to 256 characters without spaces, other than the registered claims iss, sub, aud, exp, nbf, iat, jti, but got: ${got}.`;
    expect(problemsOf({ ...REMOTE, AUTH_CLAIM_SCOPE: 'my scopes', AUTH_CLAIM_ORGS: 'aud', AUTH_CLAIM_CONNECTION: 'x'.repeat(257) })).toEqual([
      message('AUTH_CLAIM_SCOPE', '"my scopes"'),
      message('AUTH_CLAIM_ORGS', '"aud"'),
      message('AUTH_CLAIM_CONNECTION', JSON.stringify('x'.repeat(257))),
    ]);
    const shared = (got: string): string =>
      `AUTH_CLAIM_SCOPE, AUTH_CLAIM_ORGS and AUTH_CLAIM_CONNECTION must name different claims (the scope claim defaults to scope, then scp), but got: ${got} for more than one.`;
    expect(problemsOf({ ...REMOTE, AUTH_CLAIM_ORGS: 'scp' })).toEqual([shared('"scp"')]);
    expect(problemsOf({ ...REMOTE, AUTH_CLAIM_ORGS: 'tenant', AUTH_CLAIM_CONNECTION: 'tenant' })).toEqual([shared('"tenant"')]);
  });

  it('refuses JWT settings under AUTH_MODE=none, which would look like protection that is not there', () => {
    expect(problemsOf({ AUTH_JWT_ISSUER: 'https://idp.example.com/', AUTH_CLAIM_ORGS: 'tenants' })).toEqual([
      'AUTH_JWT_ISSUER is set, so AUTH_MODE must be jwt, but got: none (the default when THOUGHTSPOT_URL is unset).',
      'AUTH_CLAIM_ORGS is set, so AUTH_MODE must be jwt, but got: none (the default when THOUGHTSPOT_URL is unset).',
    ]);
    expect(problemsOf({ AUTH_MODE: 'none', ...JWT })).toEqual([
      'AUTH_JWT_SECRET is set, so AUTH_MODE must be jwt, but got: "none".',
      'AUTH_JWT_ISSUER is set, so AUTH_MODE must be jwt, but got: "none".',
      'AUTH_JWT_AUDIENCE is set, so AUTH_MODE must be jwt, but got: "none".',
    ]);
  });

  it('reports an unknown AUTH_MODE, and still checks the JWT settings that come with it', () => {
    expect(problemsOf({ AUTH_MODE: 'oidc' })).toEqual(['AUTH_MODE must be jwt or none, but got: "oidc".']);
    expect(problemsOf({ AUTH_MODE: 'JWT', AUTH_JWT_SECRET: 'short' })).toEqual([
      'AUTH_MODE must be jwt or none, but got: "JWT".',
      'AUTH_JWT_SECRET must be at least 32 bytes (RFC 7518 §3.2), but got: 5 bytes.',
      `AUTH_JWT_ISSUER must be set ${JWT_DEFAULT}, but got: nothing.`,
      `AUTH_JWT_AUDIENCE must be set ${JWT_DEFAULT}, but got: nothing.`,
    ]);
  });
});

describe('loadConfig: the secrets key (SECRETS_KEY, SECRETS_KEY_PREVIOUS)', () => {
  const expected = '32 bytes given as base64 (44 characters, e.g. from openssl rand -base64 32) or as 64 hexadecimal digits';

  it('has no key outside production when none is set (registering connections is then refused at run time)', () => {
    expect(loadConfig({}).secrets).toEqual({ key: null, previousKeys: [] });
    expect(loadConfig(REMOTE).secrets).toEqual({ key: null, previousKeys: [] });
  });

  it('reads the key as base64 (padded or not, standard or URL-safe) or as hex', () => {
    for (const spelling of [KEY_BASE64, KEY_BASE64.replace(/=$/, ''), KEY_BASE64URL, KEY_HEX, KEY_HEX.toUpperCase()]) {
      const { key } = loadConfig({ SECRETS_KEY: spelling }).secrets;
      expect(key).toBeInstanceOf(Buffer);
      expect(key?.equals(KEY)).toBe(true);
    }
  });

  it('reads previous keys as a comma-separated list, for decryption during a rotation', () => {
    const { secrets } = loadConfig({ SECRETS_KEY: KEY_BASE64, SECRETS_KEY_PREVIOUS: ` ${OTHER_KEY.toString('hex')} , ${KEY_BASE64URL},` });
    expect(secrets.key?.equals(KEY)).toBe(true);
    expect(secrets.previousKeys.map((key) => key.toString('hex'))).toEqual([OTHER_KEY.toString('hex'), KEY_HEX]);
  });

  it('refuses anything but 32 bytes, naming the variable and never echoing the value', () => {
    const short = Buffer.alloc(31, 1).toString('base64');
    const long = Buffer.alloc(33, 1).toString('base64');
    // The last character of a 32-byte base64 text carries two bits that an encoder always leaves at zero.
    const strayBits = `${KEY_BASE64.slice(0, 42)}B=`;
    for (const value of ['hunter2', short, long, KEY_HEX.slice(1), `${KEY_HEX}00`, strayBits, `${KEY_BASE64.slice(0, 40)}!!!=`]) {
      const problems = problemsOf({ SECRETS_KEY: value });
      expect(problems).toEqual([`SECRETS_KEY must be ${expected}, but got: a value of ${value.length} characters.`]);
      expect(problems.join('\n')).not.toContain(value);
    }
    expect(problemsOf({ SECRETS_KEY: KEY_BASE64, SECRETS_KEY_PREVIOUS: `${OTHER_KEY.toString('hex')},${short}` })).toEqual([
      `SECRETS_KEY_PREVIOUS must be a comma-separated list of keys of ${expected}, but got: an entry of ${short.length} characters.`,
    ]);
  });

  it('requires the key in production, and with previous keys', () => {
    expect(problemsOf({ ...REMOTE, NODE_ENV: 'production' })).toEqual([`SECRETS_KEY must be ${expected} when NODE_ENV is production, but got: nothing.`]);
    expect(loadConfig({ ...REMOTE, ...PRODUCTION }).secrets.key?.equals(KEY)).toBe(true);
    expect(problemsOf({ SECRETS_KEY_PREVIOUS: KEY_BASE64 })).toEqual(['SECRETS_KEY_PREVIOUS is set, so SECRETS_KEY must be set too, but got: nothing.']);
  });
});

describe('loadConfig: the operational store (DATABASE_URL, STORE_PATH)', () => {
  const message = (got: string): string =>
    `DATABASE_URL must be a postgres:// or postgresql:// URL with a host (e.g. postgres://directory:password@db.internal:5432/directory), but got: ${got}.`;

  it('keeps state in a local SQLite file by default, or wherever STORE_PATH says', () => {
    expect(loadConfig({}).store).toEqual({ kind: 'sqlite', path: './.data/directory.db' });
    expect(loadConfig({ STORE_PATH: ':memory:' }).store).toEqual({ kind: 'sqlite', path: ':memory:' });
    expect(loadConfig({ STORE_PATH: '/var/lib/directory/state.db' }).store).toEqual({ kind: 'sqlite', path: '/var/lib/directory/state.db' });
  });

  it('uses PostgreSQL when DATABASE_URL is set, a Unix socket included', () => {
    for (const url of [
      'postgres://directory:pw@db.internal:5432/directory',
      'postgresql://db.internal/directory?sslmode=require',
      'postgresql:///directory?host=/var/run/postgresql',
    ]) {
      expect(loadConfig({ DATABASE_URL: url }).store).toEqual({ kind: 'postgres', url });
    }
  });

  it('refuses other URLs, describing them without quoting them, since they carry a password', () => {
    const cases: [string, string][] = [
      ['mysql://directory:hunter2@db.internal/directory', 'a URL with the scheme "mysql"'],
      ['db.internal:5432 user=directory password=hunter2', 'a value that is not a URL'],
      ['directory:hunter2@db.internal/directory', 'a value that is not a URL'],
      ['postgres://directory:hunter2@db internal/directory', 'a value that is not a URL'],
      ['postgres:///directory?password=hunter2', 'a URL without a host'],
    ];
    for (const [url, got] of cases) {
      const problems = problemsOf({ DATABASE_URL: url });
      expect(problems).toEqual([message(got)]);
      expect(problems.join('\n')).not.toContain('hunter2');
    }
  });

  it('refuses STORE_PATH beside DATABASE_URL, where it would be ignored', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://db.internal/directory', STORE_PATH: './state.db' })).toEqual([
      'STORE_PATH applies only when DATABASE_URL is unset, but got: "./state.db".',
    ]);
  });
});

describe('loadConfig: the shared rate budget (REDIS_URL)', () => {
  const message = (got: string): string =>
    `REDIS_URL must be a redis:// or rediss:// URL with a host and at most a database number (e.g. rediss://:password@cache.internal:6380/0), but got: ${got}.`;

  it('shares nothing when REDIS_URL is unset: each process paces itself alone', () => {
    expect(loadConfig({}).redis).toBeNull();
    expect(loadConfig({ REDIS_URL: '  ' }).redis).toBeNull();
  });

  it('reads redis:// and rediss:// URLs, with credentials, a port and a database number', () => {
    for (const url of ['redis://127.0.0.1:6379', 'rediss://:hunter2@cache.internal:6380/0', 'redis://directory:hunter2@cache.internal/2', 'redis://cache.internal/']) {
      const config = loadConfig({ REDIS_URL: url });
      expect(config.redis).toEqual({ url });
      expect(Object.isFrozen(config.redis)).toBe(true);
    }
  });

  it('refuses other values, describing them without quoting them, since they carry a password', () => {
    const cases: [string, string][] = [
      ['http://:hunter2@cache.internal:6379', 'a URL with the scheme "http"'],
      ['cache.internal:6379 password=hunter2', 'a value that is not a URL'],
      [':hunter2@cache.internal:6379', 'a value that is not a URL'],
      ['redis://:hunter2@cache internal:6379', 'a value that is not a URL'],
      ['redis:///0?password=hunter2', 'a URL without a host'],
      ['redis://:hunter2@cache.internal:6379/queue', 'a URL whose path is not a database number'],
    ];
    for (const [url, got] of cases) {
      const problems = problemsOf({ REDIS_URL: url });
      expect(problems).toEqual([message(got)]);
      expect(problems.join('\n')).not.toContain('hunter2');
    }
  });

  it('reports a bad REDIS_URL together with every other problem', () => {
    expect(problemsOf({ PORT: 'eighty', DATABASE_URL: 'mysql://db.internal/directory', REDIS_URL: 'memcached://cache.internal' })).toEqual([
      'PORT must be an integer from 0 to 65535, but got: "eighty".',
      'DATABASE_URL must be a postgres:// or postgresql:// URL with a host (e.g. postgres://directory:password@db.internal:5432/directory), but got: a URL with the scheme "mysql".',
      message('a URL with the scheme "memcached"'),
    ]);
  });
});

describe('loadConfig: embed tokens (EMBED_TOKEN_MAX_VALIDITY_S)', () => {
  it('lets embed tokens live an hour at most by default, and reads a maximum from a minute to a day', () => {
    expect(loadConfig({}).embed).toEqual({ maxTokenValidityS: 3_600 });
    expect(Object.isFrozen(loadConfig({}).embed)).toBe(true);
    expect(loadConfig({ EMBED_TOKEN_MAX_VALIDITY_S: '60' }).embed.maxTokenValidityS).toBe(60);
    expect(loadConfig({ EMBED_TOKEN_MAX_VALIDITY_S: '86400' }).embed.maxTokenValidityS).toBe(86_400);
  });

  it('reports a maximum out of range or malformed verbatim, together with every other problem', () => {
    expect(problemsOf({ EMBED_TOKEN_MAX_VALIDITY_S: '59' })).toEqual([
      'EMBED_TOKEN_MAX_VALIDITY_S must be an integer from 60 to 86400, but got: "59".',
    ]);
    expect(problemsOf({ EMBED_TOKEN_MAX_VALIDITY_S: '1h', QUERY_MAX_DEPTH: '0' })).toEqual([
      'QUERY_MAX_DEPTH must be an integer from 1 to 100, but got: "0".',
      'EMBED_TOKEN_MAX_VALIDITY_S must be an integer from 60 to 86400, but got: "1h".',
    ]);
    expect(problemsOf({ EMBED_TOKEN_MAX_VALIDITY_S: '86401' })).toEqual([
      'EMBED_TOKEN_MAX_VALIDITY_S must be an integer from 60 to 86400, but got: "86401".',
    ]);
  });
});

describe('loadConfig: observability (METRICS_ENABLED, OTEL_*, READY_CACHE_MS)', () => {
  it('serves metrics, traces nothing and reuses a readiness answer for 5 s by default', () => {
    const { observability } = loadConfig({});
    expect(observability).toEqual({ metrics: true, otlpEndpoint: null, serviceName: 'thoughtspot-directory-subgraph', readyCacheMs: 5_000 });
    expect(Object.isFrozen(observability)).toBe(true);
  });

  it('reads the switches, the collector URL (without a trailing slash) and the service name', () => {
    expect(
      loadConfig({
        METRICS_ENABLED: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318/',
        OTEL_SERVICE_NAME: 'directory-eu',
        READY_CACHE_MS: '0',
      }).observability,
    ).toEqual({ metrics: false, otlpEndpoint: 'http://otel-collector:4318', serviceName: 'directory-eu', readyCacheMs: 0 });
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://gateway.example.com/otlp' }).observability.otlpEndpoint).toBe(
      'https://gateway.example.com/otlp',
    );
  });

  it('reports every bad observability variable verbatim, together with every other problem, and never echoes a credential', () => {
    expect(
      problemsOf({
        PORT: 'eighty',
        METRICS_ENABLED: 'yes',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:hunter2@collector.example.com',
        OTEL_SERVICE_NAME: 'my service',
        READY_CACHE_MS: '5s',
      }),
    ).toEqual([
      'PORT must be an integer from 0 to 65535, but got: "eighty".',
      'METRICS_ENABLED must be true or false, but got: "yes".',
      'OTEL_EXPORTER_OTLP_ENDPOINT must be the http(s) URL of an OTLP/HTTP collector without credentials, query or fragment (e.g. http://otel-collector:4318), but got: "https://[REDACTED]@collector.example.com".',
      'OTEL_SERVICE_NAME must be 1 to 128 characters without spaces, but got: "my service".',
      'READY_CACHE_MS must be an integer from 0 to 300000, but got: "5s".',
    ]);
    expect(problemsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT must be the http(s) URL of an OTLP/HTTP collector without credentials, query or fragment (e.g. http://otel-collector:4318), but got: "grpc://collector:4317".',
    ]);
    expect(problemsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', READY_CACHE_MS: '300001' })).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT must be the http(s) URL of an OTLP/HTTP collector without credentials, query or fragment (e.g. http://otel-collector:4318), but got: "collector:4318".',
      'READY_CACHE_MS must be an integer from 0 to 300000, but got: "300001".',
    ]);
  });
});
