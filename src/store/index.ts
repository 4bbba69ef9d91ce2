// Public to the rest of src: the operational store's whole surface (DESIGN.md §3, §7). Connections, the audit log,
// idempotency records and provisioning runs live behind one `Store` interface; the rest of src imports from here
// and never from a backend file.
//
// Two backends stand behind it. With a DATABASE_URL, PostgreSQL (postgres.ts): the production choice, shared by
// every replica. Without one, an embedded SQLite file (sqlite.ts): nothing to set up, open in milliseconds, for
// development, tests and a single replica. Both run the same SQL (sql.ts and the per-area files), and one contract
// suite (test/integration/store/) holds them to the same behaviour. Only the chosen backend's driver is loaded.

import { createAuditStore } from './audit.js';
import { createConnectionStore } from './connections.js';
import { StoreValidationError } from './errors.js';
import { createIdempotencyStore } from './idempotency.js';
import { createRunStore } from './runs.js';
import type { Clock, SqlDriver } from './sql.js';
import type { Store, StoreLogger } from './types.js';

export type * from './types.js';
export {
  StoreError,
  StoreValidationError,
  StoreNotFoundError,
  StoreConflictError,
  StoreVersionConflictError,
  StoreUnavailableError,
  isStoreError,
  redactDatabaseUrl,
} from './errors.js';
export type { StoreErrorCode, StoreEntity } from './errors.js';
export {
  CONNECTION_ID_PATTERN,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  DEFAULT_IDEMPOTENCY_TTL_MS,
  MAX_IDEMPOTENCY_TTL_MS,
} from './validate.js';

/** Where the embedded backend keeps its file when `sqlitePath` is not given, relative to the working directory. */
export const DEFAULT_SQLITE_PATH = 'data/store.db';

/** Options of `openStore`. */
export interface OpenStoreOptions {
  /** A `postgres://` URL: selects the PostgreSQL backend. Never logged or echoed in errors. */
  readonly databaseUrl?: string | undefined;
  /** Without `databaseUrl`: the SQLite file (default `DEFAULT_SQLITE_PATH`), or `:memory:`. */
  readonly sqlitePath?: string | undefined;
  /**
   * PostgreSQL only: the schema to keep the tables in, created if missing (1 to 63 of a-z, 0-9, `_`). Tests give each
   * file its own; production leaves it unset and uses the role's search_path.
   */
  readonly schema?: string | undefined;
  /** The clock records are stamped with; default the system clock. */
  readonly now?: Clock | undefined;
  readonly logger?: StoreLogger | undefined;
}

/**
 * Opens the store: PostgreSQL when `databaseUrl` is given, otherwise SQLite; applies pending migrations (safe when
 * several processes start at once); returns the `Store`. Throws `StoreValidationError` for bad options and
 * `StoreUnavailableError` when the database cannot be opened or migrated.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const now = options.now ?? ((): Date => new Date());
  let driver: SqlDriver;
  if (options.databaseUrl !== undefined) {
    const { openPostgres } = await import('./postgres.js');
    driver = await openPostgres({ databaseUrl: options.databaseUrl, schema: options.schema, now, logger: options.logger });
  } else {
    if (options.schema !== undefined) {
      throw new StoreValidationError('schema', 'schema applies to PostgreSQL only, but was given without a databaseUrl.');
    }
    const { openSqlite } = await import('./sqlite.js');
    driver = await openSqlite({ path: options.sqlitePath ?? DEFAULT_SQLITE_PATH, now, logger: options.logger });
  }
  return {
    backend: driver.backend,
    connections: createConnectionStore(driver, now),
    audit: createAuditStore(driver, now),
    idempotency: createIdempotencyStore(driver, now),
    runs: createRunStore(driver, now),
    ping: () => driver.ping(),
    close: () => driver.close(),
  };
}
