// Internal to src/store: idempotency records, in the SQL both backends share (sql.ts).
//
// A claim is one statement, so the database decides the race and nothing in this process has to: an INSERT that
// does nothing when a live record holds the key (ON CONFLICT … DO UPDATE … WHERE expired), then a SELECT of the
// record that won. Of any number of concurrent claims of one key, in any number of processes, exactly one inserts;
// PostgreSQL makes the others wait on the winner's row and then skip, SQLite runs them one after the other. An
// expired record is replaced in the same statement, so an abandoned claim (a process that died mid-operation) does
// not block its key past its expiry.
//
// A claim is identified by its key and its `createdAt`. A replacement only happens once the old record has expired,
// which is at least a millisecond after it was created, so a claimant whose claim expired and was taken over cannot
// complete or release the new claimant's record by mistake.

import { StoreConflictError, StoreNotFoundError, echo } from './errors.js';
import * as sql from './sql.js';
import type { IdempotencyKey, IdempotencyRecord, IdempotencyStatus, IdempotencyStore } from './types.js';
import * as check from './validate.js';

/**
 * `connection_id` is part of the primary key, and primary-key columns cannot be NULL in PostgreSQL; an operation on
 * no connection is stored under the empty string, which `check.optionalText` refuses as a connection id, so the two
 * can never clash.
 */
const NO_CONNECTION = '';
/** Claims retried when the record that beat this one vanished before it could be read (released meanwhile). */
const CLAIM_ATTEMPTS = 5;
const KEY_WHERE = 'actor = $1 AND connection_id = $2 AND operation = $3 AND idempotency_key = $4';

/** The idempotency area over `db`, with `now` deciding what has expired. */
export function createIdempotencyStore(db: sql.SqlExecutor, now: sql.Clock): IdempotencyStore {
  return {
    async claim(input) {
      const key = keyParams(input);
      const fingerprint = check.text('fingerprint', input.fingerprint);
      const ttlMs = check.integer('ttlMs', input.ttlMs, 1, check.MAX_IDEMPOTENCY_TTL_MS, check.DEFAULT_IDEMPOTENCY_TTL_MS);
      for (let attempt = 1; ; attempt += 1) {
        const createdAt = sql.toMillis(now());
        const insert = sql.insertStatement('idempotency_records', {
          actor: key[0],
          connection_id: key[1],
          operation: key[2],
          idempotency_key: key[3],
          fingerprint,
          status: 'PENDING',
          result: null,
          created_at: createdAt,
          expires_at: createdAt + ttlMs,
        });
        const claimed = sql.first(
          await db.query(
            `${insert.sql} ON CONFLICT (actor, connection_id, operation, idempotency_key) DO UPDATE SET
               fingerprint = excluded.fingerprint, status = excluded.status, result = excluded.result,
               created_at = excluded.created_at, expires_at = excluded.expires_at
             WHERE idempotency_records.expires_at <= excluded.created_at
             RETURNING *`,
            insert.params,
          ),
        );
        if (claimed !== null) return { outcome: 'CLAIMED', record: toRecord(claimed) };
        const existing = sql.first(await db.query(`SELECT * FROM idempotency_records WHERE ${KEY_WHERE}`, key));
        if (existing !== null) {
          const record = toRecord(existing);
          if (record.fingerprint !== fingerprint) return { outcome: 'MISMATCH', record };
          return { outcome: record.status === 'DONE' ? 'COMPLETED' : 'IN_PROGRESS', record };
        }
        // The record that beat this claim was released between the two statements; the key is free again.
        if (attempt >= CLAIM_ATTEMPTS) {
          throw new StoreConflictError('IdempotencyRecord', input.key, `Idempotency key ${echo(input.key)} kept changing hands; try again.`);
        }
      }
    },

    async complete(claim, result) {
      const key = keyParams(claim);
      const createdAt = sql.toMillis(check.date('createdAt', claim.createdAt));
      const row = sql.first(
        await db.query(
          `UPDATE idempotency_records SET status = 'DONE', result = $5
           WHERE ${KEY_WHERE} AND created_at = $6 AND status = 'PENDING' RETURNING *`,
          [...key, check.jsonText('result', result), createdAt],
        ),
      );
      if (row === null) {
        throw new StoreNotFoundError('IdempotencyRecord', claim.key, `No pending idempotency claim holds key ${echo(claim.key)}.`);
      }
      return toRecord(row);
    },

    async release(claim) {
      const key = keyParams(claim);
      const createdAt = sql.toMillis(check.date('createdAt', claim.createdAt));
      const rows = await db.query(
        `DELETE FROM idempotency_records WHERE ${KEY_WHERE} AND created_at = $5 AND status = 'PENDING' RETURNING actor`,
        [...key, createdAt],
      );
      return rows.length > 0;
    },

    async purgeExpired() {
      const rows = await db.query('DELETE FROM idempotency_records WHERE expires_at <= $1 RETURNING actor', [sql.toMillis(now())]);
      return rows.length;
    },
  };
}

// Private: the four key columns, validated, in KEY_WHERE's order.
function keyParams(key: IdempotencyKey): [sql.SqlValue, sql.SqlValue, sql.SqlValue, sql.SqlValue] {
  return [
    check.text('actor', key.actor),
    check.optionalText('connectionId', key.connectionId) ?? NO_CONNECTION,
    check.text('operation', key.operation),
    check.text('key', key.key),
  ];
}

// Private: an `idempotency_records` row as a record.
function toRecord(row: sql.Row): IdempotencyRecord {
  const read = sql.columns(row);
  const connectionId = read.text('connection_id');
  return {
    actor: read.text('actor'),
    connectionId: connectionId === NO_CONNECTION ? null : connectionId,
    operation: read.text('operation'),
    key: read.text('idempotency_key'),
    fingerprint: read.text('fingerprint'),
    status: read.text('status') as IdempotencyStatus,
    result: read.nullableJson('result'),
    createdAt: read.timestamp('created_at'),
    expiresAt: read.timestamp('expires_at'),
  };
}
