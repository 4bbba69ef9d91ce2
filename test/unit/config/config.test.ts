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

const REMOTE = {
  THOUGHTSPOT_URL: 'https://acme.thoughtspot.cloud',
  THOUGHTSPOT_USERNAME: 'svc-directory',
  THOUGHTSPOT_SECRET_KEY: 's3cret',
};

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
      userBatch: { lookupMaxKeys: 10, scanPageSize: 1_000 },
      request: { deadlineMs: 25_000, maxUpstreamCalls: 250 },
      queryLimits: { maxDepth: 15, maxNodes: 500_000, maxLists: 50, maxTokens: 15_000 },
      cors: { origins: [], allowLocalhost: true },
      shutdownGraceMs: 10_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.upstream)).toBe(true);
    expect(Object.isFrozen(config.request)).toBe(true);
    expect(Object.isFrozen(config.queryLimits)).toBe(true);
    expect(Object.isFrozen(config.cors)).toBe(true);
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
    expect(problemsOf({ THOUGHTSPOT_URL: 'https://acme.thoughtspot.cloud', THOUGHTSPOT_USERNAME: 'svc' })).toEqual([
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
      expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
        'THOUGHTSPOT_URL must be set when NODE_ENV is production (set ALLOW_EMBEDDED_EMULATOR=true to serve the embedded emulator on purpose), but got: nothing.',
      ]);
      // Every other problem is still reported with it.
      expect(problemsOf({ NODE_ENV: 'production', EMULATOR_SEED: 'huge', PORT: '-1' })).toEqual([
        'PORT must be an integer from 0 to 65535, but got: "-1".',
        'THOUGHTSPOT_URL must be set when NODE_ENV is production (set ALLOW_EMBEDDED_EMULATOR=true to serve the embedded emulator on purpose), but got: nothing.',
        'EMULATOR_SEED must be demo, minimal or large:<users> (1 to 1000000), but got: "huge".',
      ]);
    });

    it('serves the embedded emulator only when ALLOW_EMBEDDED_EMULATOR=true says so', () => {
      const config = loadConfig({ NODE_ENV: 'production', ALLOW_EMBEDDED_EMULATOR: 'true', EMULATOR_SEED: 'minimal' });
      expect(config.environment).toBe('production');
      expect(config.directory).toEqual({ kind: 'embedded', seed: 'minimal' });
      expect(problemsOf({ NODE_ENV: 'production', ALLOW_EMBEDDED_EMULATOR: 'false' })).toEqual([
        'THOUGHTSPOT_URL must be set when ALLOW_EMBEDDED_EMULATOR is false, but got: nothing.',
      ]);
    });

    it('runs against a real cluster, with no CORS origin allowed unless configured', () => {
      const config = loadConfig({ ...REMOTE, NODE_ENV: 'production' });
      expect(config.environment).toBe('production');
      expect(config.directory.kind).toBe('remote');
      expect(config.cors).toEqual({ origins: [], allowLocalhost: false });
      // The flag is validated but has nothing to decide when a cluster is configured.
      expect(loadConfig({ ...REMOTE, NODE_ENV: 'production', ALLOW_EMBEDDED_EMULATOR: 'true' }).directory.kind).toBe('remote');
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
    expect(problemsOf({ NODE_ENV: 'production', ALLOW_EMBEDDED_EMULATOR: '1' })).toEqual([
      'ALLOW_EMBEDDED_EMULATOR must be true or false, but got: "1".',
      'THOUGHTSPOT_URL must be set when NODE_ENV is production (set ALLOW_EMBEDDED_EMULATOR=true to serve the embedded emulator on purpose), but got: nothing.',
    ]);
  });

  it('reads the request backstops and the query limits, at both ends of their ranges', () => {
    const low = loadConfig({
      REQUEST_DEADLINE_MS: '1',
      REQUEST_MAX_UPSTREAM_CALLS: '1',
      QUERY_MAX_DEPTH: '1',
      QUERY_MAX_NODES: '1',
      QUERY_MAX_LISTS: '1',
      QUERY_MAX_TOKENS: '100',
      SHUTDOWN_GRACE_MS: '0',
    });
    expect({ request: low.request, queryLimits: low.queryLimits, shutdownGraceMs: low.shutdownGraceMs }).toEqual({
      request: { deadlineMs: 1, maxUpstreamCalls: 1 },
      queryLimits: { maxDepth: 1, maxNodes: 1, maxLists: 1, maxTokens: 100 },
      shutdownGraceMs: 0,
    });
    const high = loadConfig({
      REQUEST_DEADLINE_MS: '600000',
      REQUEST_MAX_UPSTREAM_CALLS: '100000',
      QUERY_MAX_DEPTH: '100',
      QUERY_MAX_NODES: '100000000',
      QUERY_MAX_LISTS: '10000',
      QUERY_MAX_TOKENS: '20000',
      SHUTDOWN_GRACE_MS: '600000',
    });
    expect({ request: high.request, queryLimits: high.queryLimits, shutdownGraceMs: high.shutdownGraceMs }).toEqual({
      request: { deadlineMs: 600_000, maxUpstreamCalls: 100_000 },
      queryLimits: { maxDepth: 100, maxNodes: 100_000_000, maxLists: 10_000, maxTokens: 20_000 },
      shutdownGraceMs: 600_000,
    });
  });

  it('reports out-of-range and malformed limits verbatim', () => {
    expect(
      problemsOf({
        REQUEST_DEADLINE_MS: '0',
        REQUEST_MAX_UPSTREAM_CALLS: '100001',
        QUERY_MAX_DEPTH: '101',
        QUERY_MAX_NODES: '1e6',
        QUERY_MAX_LISTS: '0',
        QUERY_MAX_TOKENS: '20001',
        SHUTDOWN_GRACE_MS: '10s',
      }),
    ).toEqual([
      'REQUEST_DEADLINE_MS must be an integer from 1 to 600000, but got: "0".',
      'REQUEST_MAX_UPSTREAM_CALLS must be an integer from 1 to 100000, but got: "100001".',
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
      expect(loadConfig({ ...REMOTE, NODE_ENV: 'production' }).cors).toEqual({ origins: [], allowLocalhost: false });
    });

    it('reads * as every origin', () => {
      expect(loadConfig({ CORS_ORIGINS: '*' }).cors).toEqual({ origins: '*', allowLocalhost: false });
      expect(loadConfig({ ...REMOTE, NODE_ENV: 'production', CORS_ORIGINS: ' * ' }).cors).toEqual({ origins: '*', allowLocalhost: false });
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
