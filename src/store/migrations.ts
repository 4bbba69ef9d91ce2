// Internal to src/store: the database schema, as ordered migrations, and what both backends' runners share.
//
// Migrations are TypeScript string constants rather than .sql files because the build (`tsc -p
// src/tsconfig.build.json`) copies nothing but compiled TypeScript into dist/, and the image must carry its schema.
// Each backend applies the pending ones at start, in version order, inside one transaction, and records each in
// `schema_migrations`; how it keeps two processes starting at once from applying the same one twice is its own
// (postgres.ts: an advisory lock; sqlite.ts: the write lock plus the version row's primary key).
//
// Rules for adding one: append with the next version; never edit or reorder a migration that has been released,
// since databases that applied it will not apply it again; keep changes additive where a rolling deploy runs old
// and new replicas side by side.

/** The SQL dialects the store runs on. */
export type Dialect = 'postgres' | 'sqlite';

/** One schema change, with its SQL for each dialect (one or more statements, separated by semicolons). */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: Readonly<Record<Dialect, string>>;
}

/** The bookkeeping table, created before anything else. Valid in both dialects. */
export const MIGRATIONS_TABLE_SQL =
  'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)';

/** The statement recording a migration as applied; `$1` version, `$2` name, `$3` epoch milliseconds. */
export const RECORD_MIGRATION_SQL = 'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)';

/** The statement listing the versions already applied. */
export const APPLIED_MIGRATIONS_SQL = 'SELECT version FROM schema_migrations';

// The first schema. The dialects differ in one type only: JSON payloads. PostgreSQL gets `json`, which validates
// and keeps the text exactly as written (jsonb would reorder keys and refuses the \u0000 escape that JSON.stringify
// produces for a NUL character in a caller's input, so one odd string would make an audit append fail). SQLite gets
// TEXT: a column declared JSON would take NUMERIC affinity there and turn a payload such as "42" into an integer.
// Timestamps are BIGINT epoch milliseconds in both (types.ts says why); BIGINT has INTEGER affinity in SQLite.
function initialSchema(json: string): string {
  return `
CREATE TABLE connections (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  base_url TEXT NOT NULL,
  username TEXT NOT NULL,
  secret_kind TEXT NOT NULL CHECK (secret_kind IN ('SECRET_KEY', 'PASSWORD')),
  secret_key_id TEXT NOT NULL,
  secret_ciphertext TEXT NOT NULL,
  default_org_name TEXT,
  version INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by TEXT NOT NULL,
  health_status TEXT CHECK (health_status IN ('HEALTHY', 'UNHEALTHY')),
  health_checked_at BIGINT,
  health_message TEXT
);

CREATE TABLE audit_events (
  id TEXT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  operation TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT,
  input ${json} NOT NULL,
  connection_id TEXT,
  organization_id BIGINT,
  organization_name TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE', 'DENIED')),
  error_code TEXT,
  request_id TEXT
);
CREATE INDEX audit_events_at_id ON audit_events (at, id);
CREATE INDEX audit_events_actor_at_id ON audit_events (actor, at, id);
CREATE INDEX audit_events_connection_at_id ON audit_events (connection_id, at, id);
CREATE INDEX audit_events_organization_at_id ON audit_events (organization_name, at, id);

CREATE TABLE idempotency_records (
  actor TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  operation TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('PENDING', 'DONE')),
  result ${json},
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (actor, connection_id, operation, idempotency_key)
);
CREATE INDEX idempotency_records_expires_at ON idempotency_records (expires_at);

CREATE TABLE provisioning_runs (
  id TEXT PRIMARY KEY,
  actor TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  organization_id BIGINT,
  organization_name TEXT NOT NULL,
  blueprint_fingerprint TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('RUNNING', 'SUCCEEDED', 'FAILED')),
  changes ${json} NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX provisioning_runs_organization_started ON provisioning_runs (organization_name, started_at, id);
CREATE INDEX provisioning_runs_connection_started ON provisioning_runs (connection_id, started_at, id);
CREATE INDEX provisioning_runs_started ON provisioning_runs (started_at, id);
`;
}

/** Every migration, in the order they apply. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: '001_init', sql: { postgres: initialSchema('json'), sqlite: initialSchema('TEXT') } },
];

/** The migrations not among `applied` (the `version` rows of schema_migrations), in order. */
export function pendingMigrations(applied: readonly { readonly [column: string]: unknown }[]): Migration[] {
  const done = new Set(applied.map((row) => Number(row['version'])));
  return MIGRATIONS.filter((migration) => !done.has(migration.version));
}
