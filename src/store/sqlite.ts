// Internal to src/store (only store/index.ts loads it, and only when no DATABASE_URL is given): the embedded
// backend, an SQLite file through @libsql/client. It is the zero-setup default (`npm start`, tests, a single
// replica): opening it creates the file and its tables in a few milliseconds.
//
// One thing shapes this file: libSQL's local client runs each statement synchronously on the calling thread. A
// statement waiting for a lock another connection holds therefore blocks the whole event loop (up to the busy
// timeout), and a lock held across an `await` could be waited for by the very thread that must release it. So the
// store never holds a lock across an await: every statement is its own transaction, and the migrations run as one
// `batch`, which begins, runs and commits in a single synchronous call.

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient, type Client, type InStatement } from '@libsql/client';
import { toUnavailable } from './errors.js';
import { APPLIED_MIGRATIONS_SQL, MIGRATIONS_TABLE_SQL, RECORD_MIGRATION_SQL, pendingMigrations } from './migrations.js';
import type { Clock, Row, SqlDriver, SqlValue } from './sql.js';
import type { StoreLogger } from './types.js';

/** Options of `openSqlite`. */
export interface SqliteOptions {
  /** A file path (its directory is created if missing), or `:memory:` for a private database that dies with the store. */
  readonly path: string;
  readonly now: Clock;
  readonly logger?: StoreLogger | undefined;
}

/** The path that asks for an in-memory database. */
export const MEMORY = ':memory:';
/**
 * How long a statement waits for another process's write lock before failing with SQLITE_BUSY. Writes take
 * microseconds, so only something stuck waits this long; the wait blocks the event loop (see above), so it is short.
 */
const BUSY_TIMEOUT_MS = 2_000;
/**
 * libSQL connections per client. Only transactions hold one beyond a single call, and the store runs none outside
 * `batch`, so a few are plenty.
 */
const CONNECTIONS = 2;
/** Migration batches retried when another process applied the same migrations between our read and our write. */
const MIGRATION_ATTEMPTS = 3;

/** Opens (creating if needed) the database, applies pending migrations, and returns the driver. */
export async function openSqlite(options: SqliteOptions): Promise<SqlDriver> {
  const file = options.path === MEMORY ? MEMORY : resolve(options.path);
  const target = file === MEMORY ? 'SQLite in memory' : `SQLite at ${file}`;
  let client: Client;
  try {
    if (file !== MEMORY) mkdirSync(dirname(file), { recursive: true });
    client = createClient({
      url: file === MEMORY ? MEMORY : pathToFileURL(file).href,
      timeout: BUSY_TIMEOUT_MS,
      concurrency: CONNECTIONS,
      intMode: 'number',
    });
  } catch (error) {
    throw toUnavailable(`Could not open the store (${target})`, error, []);
  }

  try {
    // WAL lets readers run while a writer writes, and is a property of the file, set once for every connection.
    if (file !== MEMORY) await client.execute('PRAGMA journal_mode = WAL');
    const applied = await migrate(client, options.now);
    if (applied.length > 0) options.logger?.info('store: applied migrations', { backend: 'sqlite', migrations: applied });
  } catch (error) {
    client.close();
    throw toUnavailable(`Could not open the store (${target})`, error, []);
  }

  return {
    backend: 'sqlite',
    async query(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
      try {
        return (await client.execute(toSqlite(sql, params))).rows as unknown as Row[];
      } catch (error) {
        throw toUnavailable(`Store query failed (${target})`, error, []);
      }
    },
    async ping(): Promise<void> {
      try {
        await client.execute('SELECT 1');
      } catch (error) {
        throw toUnavailable(`Store ping failed (${target})`, error, []);
      }
    },
    async close(): Promise<void> {
      // libSQL's close() is synchronous and safe to repeat.
      client.close();
    },
  };
}

// Private: applies the pending migrations and returns their names.
//
// The pending list is read first and applied in one write batch (BEGIN IMMEDIATE … COMMIT, one synchronous call).
// When two processes start together, both may read the same list; the second batch then fails, on a table that
// exists or on the version row's primary key, and rolls back whole. Reading the list again tells that case (nothing
// pending any more) from a real failure, which is rethrown.
async function migrate(client: Client, now: Clock): Promise<string[]> {
  for (let attempt = 1; ; attempt += 1) {
    await client.execute(MIGRATIONS_TABLE_SQL);
    const pending = pendingMigrations((await client.execute(APPLIED_MIGRATIONS_SQL)).rows as unknown as Row[]);
    if (pending.length === 0) return [];
    const appliedAt = now().getTime();
    const statements = pending.flatMap((migration) => [
      ...splitStatements(migration.sql.sqlite).map((sql) => toSqlite(sql, [])),
      toSqlite(RECORD_MIGRATION_SQL, [migration.version, migration.name, appliedAt]),
    ]);
    try {
      await client.batch(statements, 'write');
      return pending.map((migration) => migration.name);
    } catch (error) {
      const stillPending = pendingMigrations((await client.execute(APPLIED_MIGRATIONS_SQL)).rows as unknown as Row[]);
      if (stillPending.length === 0) return [];
      if (attempt >= MIGRATION_ATTEMPTS) throw error;
    }
  }
}

// Private: the statements of a migration script. Migrations end each statement with a semicolon at the end of a
// line, and have no semicolons inside string literals, so splitting there is exact.
function splitStatements(script: string): string[] {
  return script
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

// Private: the shared SQL's `$n` placeholders as SQLite's numbered `?n`, which bind the same array by position.
function toSqlite(sql: string, params: readonly SqlValue[]): InStatement {
  return { sql: sql.replace(/\$(\d+)/g, '?$1'), args: [...params] };
}
