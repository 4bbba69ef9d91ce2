// Internal to src/store (only store/index.ts loads it, and only when a DATABASE_URL is given): the PostgreSQL
// backend, on a small node-postgres pool. Production runs N replicas against one database (DESIGN.md §7), so
// everything here assumes other processes use the same tables at the same time.

import { createHash } from 'node:crypto';
import pg from 'pg';
import { StoreValidationError, databaseUrlSecrets, echo, toUnavailable } from './errors.js';
import { APPLIED_MIGRATIONS_SQL, MIGRATIONS_TABLE_SQL, RECORD_MIGRATION_SQL, pendingMigrations } from './migrations.js';
import type { Clock, Row, SqlDriver, SqlValue } from './sql.js';
import type { StoreLogger } from './types.js';

/** Options of `openPostgres`. */
export interface PostgresOptions {
  /** A `postgres://` or `postgresql://` URL. */
  readonly databaseUrl: string;
  /** A schema to keep the tables in (created if missing), instead of the role's default search_path. */
  readonly schema?: string | undefined;
  readonly now: Clock;
  readonly logger?: StoreLogger | undefined;
}

/**
 * Connections per process. The store's statements are short single-statement round trips, so a handful serves a
 * replica; N replicas × this must stay well under the server's max_connections (100 by default).
 */
const POOL_MAX = 5;
/** How long to wait for a connection: an unreachable database fails a request quickly instead of hanging it. */
const CONNECT_TIMEOUT_MS = 5_000;
/** Idle connections are closed after this, so a quiet replica holds none. */
const IDLE_TIMEOUT_MS = 10_000;
/**
 * The server cancels any statement running longer. Nothing the store runs should take a fraction of it; it bounds
 * the damage of a lock held elsewhere, and the wait for a migration another replica is applying.
 */
const STATEMENT_TIMEOUT_MS = 15_000;
/** Names the pool's sessions in pg_stat_activity. */
const APPLICATION_NAME = 'thoughtspot-directory-subgraph';
/** Schema names the store accepts: unquoted PostgreSQL identifiers, so search_path needs no quoting. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const { builtins } = pg.types;

// Rows must come back in the shapes sql.ts describes, identical to SQLite's. node-postgres returns int8 (BIGINT,
// count(*)) as a string, because it may not fit a JS number; the store's are epoch milliseconds and counters that
// do, so they are parsed to numbers, falling back to the string (which sql.ts then refuses) when one would not fit.
// JSON columns are returned as their text, so that row mapping parses them exactly as it parses SQLite's TEXT.
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === builtins.INT8) return parseInt8;
    if (oid === builtins.JSON || oid === builtins.JSONB) return (value: string) => value;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

function parseInt8(value: string): number | string {
  const parsed = Number(value);
  return Number.isSafeInteger(parsed) ? parsed : value;
}

/** Connects, applies pending migrations, and returns the driver. Throws `StoreUnavailableError` when it cannot. */
export async function openPostgres(options: PostgresOptions): Promise<SqlDriver> {
  const secrets = databaseUrlSecrets(options.databaseUrl);
  const target = describeTarget(options.databaseUrl);
  const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: POOL_MAX,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: APPLICATION_NAME,
    // Every session of the pool resolves table names in the schema; a startup parameter rather than a SET after
    // connecting, so no query can ever run on a session that has not got it yet.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    types: TYPES,
    // A forgotten close() must not keep a test run or a CLI alive.
    allowExitOnIdle: true,
  });
  // An idle connection that dies (a server restart, a network cut) is reported on the pool; unheard, that event
  // would crash the process. The next query simply opens a new connection.
  pool.on('error', (error) => {
    options.logger?.warn('store: an idle PostgreSQL connection failed', {
      error: toUnavailable(target, error, secrets).message,
    });
  });

  try {
    const applied = await migrate(pool, schema, options.now);
    if (applied.length > 0) options.logger?.info('store: applied migrations', { backend: 'postgres', migrations: applied });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw toUnavailable(`Could not open the store (${target})`, error, secrets);
  }

  let closing: Promise<void> | undefined;
  return {
    backend: 'postgres',
    async query(sql: string, params: readonly SqlValue[] = []): Promise<Row[]> {
      try {
        return (await pool.query(sql, params as SqlValue[])).rows as Row[];
      } catch (error) {
        throw toUnavailable(`Store query failed (${target})`, error, secrets);
      }
    },
    async ping(): Promise<void> {
      try {
        await pool.query('SELECT 1');
      } catch (error) {
        throw toUnavailable(`Store ping failed (${target})`, error, secrets);
      }
    },
    close(): Promise<void> {
      // pg's Pool.end() throws when called twice; the store's close() is idempotent.
      closing ??= pool.end();
      return closing;
    },
  };
}

// Private: applies the pending migrations in one transaction, under an advisory lock, and returns their names.
//
// The lock is what makes simultaneous starts safe: replicas rolled out together all reach this point at once, and
// without it two of them could both see a migration as pending and both run it (CREATE TABLE IF NOT EXISTS is no
// help either, since concurrent creates of one table can still collide in the catalog). pg_advisory_xact_lock
// queues every other starter until this transaction ends, after which they find nothing pending. The lock key is
// per schema, so isolated schemas (tests) do not queue behind one another.
async function migrate(pool: pg.Pool, schema: string | undefined, now: Clock): Promise<string[]> {
  const client = await pool.connect();
  let failed = false;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [lockKey(schema)]);
    if (schema !== undefined) {
      // Created only when missing: a production role may lack CREATE on the database for a schema that exists.
      const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      if (found.rowCount === 0) await client.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}`);
    }
    await client.query(MIGRATIONS_TABLE_SQL);
    const pending = pendingMigrations((await client.query(APPLIED_MIGRATIONS_SQL)).rows as Row[]);
    for (const migration of pending) {
      await client.query(migration.sql.postgres);
      await client.query(RECORD_MIGRATION_SQL, [migration.version, migration.name, now().getTime()]);
    }
    await client.query('COMMIT');
    return pending.map((migration) => migration.name);
  } catch (error) {
    failed = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    // A client whose transaction failed is discarded rather than returned to the pool in an unknown state.
    client.release(failed);
  }
}

// Private: a 64-bit advisory lock key for the schema's migrations, from a hash so it cannot collide with keys other
// software on the same database picks by hand.
function lockKey(schema: string | undefined): string {
  const digest = createHash('sha256').update(`${APPLICATION_NAME}:store-migrations:${schema ?? ''}`).digest();
  return digest.readBigInt64BE(0).toString();
}

// Private: the schema option, checked, so it can go into search_path and CREATE SCHEMA as it is.
function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreValidationError(
      'schema',
      `schema must be 1 to 63 characters of a-z, 0-9 and "_", not starting with a digit, but got: ${echo(schema)}.`,
    );
  }
  return schema;
}

// Private: how errors name the database: host, port and database name, never the user or password. Also the one
// check that the URL is one: node-postgres would otherwise treat garbage as a socket path or a libpq string.
function describeTarget(databaseUrl: string): string {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new StoreValidationError('databaseUrl', 'databaseUrl must be a postgres:// or postgresql:// URL, but got a value that is not a URL.');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new StoreValidationError(
      'databaseUrl',
      `databaseUrl must be a postgres:// or postgresql:// URL, but got a ${echo(url.protocol)} URL.`,
    );
  }
  return `PostgreSQL at ${url.host || 'localhost'}${url.pathname}`;
}
