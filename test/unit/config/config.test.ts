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
      directory: { kind: 'embedded', seed: 'demo' },
      connectionId: 'emulator',
      upstream: { timeoutMs: 20_000, maxRetries: 5, rateLimit: { requestsPerSecond: 90, burst: 5 } },
      userBatch: { lookupMaxKeys: 10, scanPageSize: 1_000 },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.upstream)).toBe(true);
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
});
