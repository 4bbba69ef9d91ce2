// Internal to src/store: the connections area, in the SQL both backends share (sql.ts).

import { StoreConflictError, StoreNotFoundError, StoreVersionConflictError } from './errors.js';
import * as sql from './sql.js';
import type { Connection, ConnectionPatch, ConnectionStore, HealthStatus, SecretKind } from './types.js';
import * as check from './validate.js';

const SECRET_KINDS: readonly SecretKind[] = ['SECRET_KEY', 'PASSWORD'];
const HEALTH_STATUSES: readonly HealthStatus[] = ['HEALTHY', 'UNHEALTHY'];

/** The connections area over `db`, stamping records with `now`. */
export function createConnectionStore(db: sql.SqlExecutor, now: sql.Clock): ConnectionStore {
  const get = (id: string): Promise<Connection | null> =>
    sql.findById(db, 'connections', check.CONNECTION_ID_PATTERN, id, toConnection);

  return {
    get,

    async create(input) {
      const id = check.connectionId(input.id);
      const createdBy = check.text('createdBy', input.createdBy);
      const at = sql.toMillis(now());
      const insert = sql.insertStatement('connections', {
        id,
        ...connectionColumns(input, true),
        version: 1,
        created_at: at,
        created_by: createdBy,
        updated_at: at,
        updated_by: createdBy,
      });
      // ON CONFLICT DO NOTHING rather than catching a unique violation: the two databases report that with
      // different error codes, and a statement that simply returns no row needs no classifying.
      const row = sql.first(await db.query(`${insert.sql} ON CONFLICT (id) DO NOTHING RETURNING *`, insert.params));
      if (row === null) throw new StoreConflictError('Connection', id);
      return toConnection(row);
    },

    async list() {
      const rows = await db.query('SELECT * FROM connections ORDER BY id');
      return rows.map(toConnection);
    },

    async update(id, patch, options) {
      check.connectionId(id);
      const updatedBy = check.text('updatedBy', options.updatedBy);
      const expectedVersion =
        options.expectedVersion === undefined
          ? undefined
          : check.integer('expectedVersion', options.expectedVersion, 1, Number.MAX_SAFE_INTEGER);
      const params = new sql.Params();
      const columns = { ...connectionColumns(patch, false), updated_at: sql.toMillis(now()), updated_by: updatedBy };
      const sets = Object.entries(columns).map(([column, value]) => `${column} = ${params.add(value)}`);
      let where = `id = ${params.add(id)}`;
      if (expectedVersion !== undefined) where += ` AND version = ${params.add(expectedVersion)}`;
      const row = sql.first(
        await db.query(`UPDATE connections SET ${sets.join(', ')}, version = version + 1 WHERE ${where} RETURNING *`, params.values),
      );
      if (row !== null) return toConnection(row);
      // Nothing matched: either there is no such connection, or its version moved on. One more read tells which.
      const current = await get(id);
      if (current === null || expectedVersion === undefined) throw new StoreNotFoundError('Connection', id);
      throw new StoreVersionConflictError('Connection', id, expectedVersion, current.version);
    },

    async recordHealthCheck(id, healthCheck) {
      check.connectionId(id);
      const status = check.oneOf('status', healthCheck.status, HEALTH_STATUSES);
      const checkedAt = sql.toMillis(check.date('checkedAt', healthCheck.checkedAt));
      const message = check.healthMessage(check.optionalText('message', healthCheck.message, Number.MAX_SAFE_INTEGER));
      const row = sql.first(
        await db.query(
          'UPDATE connections SET health_status = $1, health_checked_at = $2, health_message = $3 WHERE id = $4 RETURNING *',
          [status, checkedAt, message, id],
        ),
      );
      if (row === null) throw new StoreNotFoundError('Connection', id);
      return toConnection(row);
    },

    async delete(id) {
      if (typeof id !== 'string' || !check.CONNECTION_ID_PATTERN.test(id)) return false;
      const rows = await db.query('DELETE FROM connections WHERE id = $1 RETURNING id', [id]);
      return rows.length > 0;
    },
  };
}

// Private: the validated columns of the fields a create or an update sets. A create sets every field (`required`),
// so a missing one fails its check; an update sets only those present, so create and update validate alike.
function connectionColumns(fields: ConnectionPatch, required: boolean): Record<string, sql.SqlValue> {
  const columns: Record<string, sql.SqlValue> = {};
  const sets = (value: unknown): boolean => required || value !== undefined;
  if (sets(fields.name)) columns['name'] = check.text('name', fields.name);
  if (sets(fields.baseUrl)) columns['base_url'] = check.baseUrl(fields.baseUrl);
  if (sets(fields.username)) columns['username'] = check.text('username', fields.username);
  if (sets(fields.secretKind)) columns['secret_kind'] = check.oneOf('secretKind', fields.secretKind, SECRET_KINDS);
  if (sets(fields.secret)) {
    const secret = check.secret(fields.secret);
    columns['secret_key_id'] = secret.keyId;
    columns['secret_ciphertext'] = secret.ciphertext;
  }
  if (sets(fields.defaultOrgName)) columns['default_org_name'] = check.optionalText('defaultOrgName', fields.defaultOrgName);
  return columns;
}

// Private: a `connections` row as a record.
function toConnection(row: sql.Row): Connection {
  const read = sql.columns(row);
  const healthStatus = read.nullableText('health_status');
  const checkedAt = read.nullableTimestamp('health_checked_at');
  return {
    id: read.text('id'),
    name: read.text('name'),
    baseUrl: read.text('base_url'),
    username: read.text('username'),
    secretKind: read.text('secret_kind') as SecretKind,
    secret: { keyId: read.text('secret_key_id'), ciphertext: read.text('secret_ciphertext') },
    defaultOrgName: read.nullableText('default_org_name'),
    version: read.integer('version'),
    createdAt: read.timestamp('created_at'),
    createdBy: read.text('created_by'),
    updatedAt: read.timestamp('updated_at'),
    updatedBy: read.text('updated_by'),
    healthCheck:
      healthStatus === null || checkedAt === null
        ? null
        : { status: healthStatus as HealthStatus, checkedAt, message: read.nullableText('health_message') },
  };
}
