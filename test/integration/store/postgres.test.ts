// The store contract against the PostgreSQL backend, plus what only that backend has: schemas, and a connection
// string whose password must never surface.
//
// The server is TEST_DATABASE_URL, by default the CI machine's postgres://postgres@127.0.0.1:5432/test. Nothing here
// is skipped when it cannot be reached: the first test says so and fails, and so does every contract test, because
// a store suite that passes without its database proves nothing.
//
// Isolation: every database this file opens is a schema of its own, `test_store_<random>`, dropped at the end; two
// copies of the suite running against one server at once never see each other's rows.

import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  openStore,
  redactDatabaseUrl,
  StoreUnavailableError,
  StoreValidationError,
  type OpenStoreOptions,
} from '../../../src/store/index.js';
import { describeStoreContract, STORE_TEST_TIMEOUT_MS } from './contract.js';

const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'S3cret-Pw!never-shown';

const schemas: string[] = [];
const newSchema = (): string => {
  const schema = `test_store_${randomBytes(6).toString('hex')}`;
  schemas.push(schema);
  return schema;
};
const mainSchema = newSchema();

/** Runs `sql` on the test server with a client of its own, bypassing the store. */
async function rawQuery(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await rawQuery(schemas.map((schema) => `DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`).join(';\n'));
}, STORE_TEST_TIMEOUT_MS);

/** A URL for the test server with a password in it, and another database or port where asked. */
function urlWithPassword(changes: { pathname?: string; port?: string } = {}): string {
  const url = new URL(DATABASE_URL);
  url.password = encodeURIComponent(PASSWORD);
  if (changes.pathname !== undefined) url.pathname = changes.pathname;
  if (changes.port !== undefined) url.port = changes.port;
  return url.toString();
}

/** Asserts the password shows nowhere in what logging the error would print, cause chain included. */
function expectNoPassword(error: unknown): void {
  const shown = `${inspect(error, { depth: 8 })}\n${JSON.stringify(error)}\n${String((error as Error).stack)}`;
  expect(shown).not.toContain(PASSWORD);
  expect(shown).not.toContain(encodeURIComponent(PASSWORD));
  expect(shown).not.toContain('S3cret');
}

describe('postgres backend', { timeout: STORE_TEST_TIMEOUT_MS }, () => {
  it('reaches the PostgreSQL server at TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)', async () => {
    expect(await rawQuery('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });

  it('keeps its tables in the schema it was given', async () => {
    const schema = newSchema();
    const store = await openStore({ databaseUrl: DATABASE_URL, schema });
    await store.close();
    const tables = await rawQuery('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
    expect(tables.map((row) => row['table_name'])).toEqual([
      'audit_events',
      'connections',
      'idempotency_records',
      'provisioning_runs',
      'schema_migrations',
    ]);
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    const error = await openStore({ databaseUrl: DATABASE_URL, schema: 'Robert"; DROP' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreValidationError);
    expect((error as Error).message).toBe(
      'schema must be 1 to 63 characters of a-z, 0-9 and "_", not starting with a digit, but got: "Robert\\"; DROP".',
    );
  });

  it('never shows the password when the server cannot be reached', async () => {
    const error = await openStore({ databaseUrl: urlWithPassword({ port: '1' }), schema: newSchema() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).message).toMatch(/^Could not open the store \(PostgreSQL at [^)]+:1\/[^)]+\): /);
    expect((error as StoreUnavailableError).driverCode).toBe('ECONNREFUSED');
    expectNoPassword(error);
  });

  it('never shows the password when the server refuses the connection', async () => {
    const error = await openStore({ databaseUrl: urlWithPassword({ pathname: '/no_such_database_for_store_tests' }) }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expectNoPassword(error);
  });

  it('refuses a DATABASE_URL that is not a postgres URL without echoing it', async () => {
    const cases: [string, string][] = [
      [`postgres://postgres:${PASSWORD}@127.0.0.1:notaport/test`, 'databaseUrl must be a postgres:// or postgresql:// URL, but got a value that is not a URL.'],
      [`mysql://root:${encodeURIComponent(PASSWORD)}@127.0.0.1/test`, 'databaseUrl must be a postgres:// or postgresql:// URL, but got a "mysql:" URL.'],
    ];
    for (const [databaseUrl, message] of cases) {
      const error = await openStore({ databaseUrl }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoreValidationError);
      expect((error as Error).message).toBe(message);
      expectNoPassword(error);
    }
  });

  it('redacts a DATABASE_URL for logging', () => {
    expect(redactDatabaseUrl(`postgres://svc:${encodeURIComponent(PASSWORD)}@db.internal:5432/directory?sslmode=require`)).toBe(
      'postgres://svc:[REDACTED]@db.internal:5432/directory?sslmode=[REDACTED]',
    );
    expect(redactDatabaseUrl('postgres://svc@db.internal/directory')).toBe('postgres://svc@db.internal/directory');
    expect(redactDatabaseUrl(`not a url ${PASSWORD}`)).toBe('[REDACTED]');
  });
});

describeStoreContract({
  backend: 'postgres',
  database: (): OpenStoreOptions => ({ databaseUrl: DATABASE_URL, schema: mainSchema }),
  emptyDatabase: (): OpenStoreOptions => ({ databaseUrl: DATABASE_URL, schema: newSchema() }),
  migrationVersions: async (options) =>
    (await rawQuery(`SELECT version FROM ${pg.escapeIdentifier(options.schema ?? 'public')}.schema_migrations ORDER BY version`)).map(
      (row) => Number(row['version']),
    ),
});
