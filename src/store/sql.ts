// Internal to src/store: what the shared SQL needs from a backend, and the helpers both backends' rows go through.
//
// Every statement the areas (connections.ts, audit.ts, idempotency.ts, runs.ts) run is written once, in the
// dialect PostgreSQL and SQLite share: `$n` placeholders (the SQLite backend rewrites them to SQLite's own `?n`),
// `INSERT … ON CONFLICT`, `RETURNING`, and no type casts, booleans or dialect functions. Both backends hand back the
// same row shapes: text as strings, BIGINT and INTEGER as JS numbers (the PostgreSQL backend installs a parser for
// int8, which node-postgres otherwise returns as a string), JSON columns as their raw text.

import type { JsonValue, OrganizationRef } from './types.js';

/** A value bound to a placeholder. */
export type SqlValue = string | number | null;

/** A result row, keyed by column name. */
export type Row = Readonly<Record<string, unknown>>;

/** What the shared SQL runs on: one statement at a time, on whatever connection the backend picks. */
export interface SqlExecutor {
  /** Runs one statement and returns its rows (none for a statement without RETURNING). */
  query(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
}

/** An open backend: the executor plus the lifecycle the store exposes. */
export interface SqlDriver extends SqlExecutor {
  readonly backend: 'postgres' | 'sqlite';
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The clock the store stamps records with (injected so tests can move time). */
export type Clock = () => Date;

/**
 * Collects bound values and hands out their placeholders, so a statement built from optional filters numbers its
 * parameters without counting by hand.
 */
export class Params {
  readonly values: SqlValue[] = [];

  /** The placeholder (`$n`) of a new parameter holding `value`. */
  add(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Typed reads of one row's columns, as the store wrote them. A value of another shape means a schema the code does
 * not know (a migration missing, a hand edit), and fails naming the column, never the row's contents.
 */
export class Columns {
  constructor(private readonly row: Row) {}

  /** A string column. */
  text(column: string): string {
    const value = this.row[column];
    if (typeof value !== 'string') throw columnError(column, value, 'a string');
    return value;
  }

  /** A nullable string column. */
  nullableText(column: string): string | null {
    return this.row[column] === null ? null : this.text(column);
  }

  /** An integer column (BIGINT or INTEGER), as a JS number. */
  integer(column: string): number {
    const value = this.row[column];
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    throw columnError(column, value, 'a safe integer');
  }

  /** A nullable integer column. */
  nullableInteger(column: string): number | null {
    return this.row[column] === null ? null : this.integer(column);
  }

  /** A timestamp column (epoch milliseconds). */
  timestamp(column: string): Date {
    return new Date(this.integer(column));
  }

  /** A nullable timestamp column. */
  nullableTimestamp(column: string): Date | null {
    return this.row[column] === null ? null : this.timestamp(column);
  }

  /** A JSON column (stored as its text by both backends), parsed. */
  json(column: string): JsonValue {
    return JSON.parse(this.text(column)) as JsonValue;
  }

  /** A nullable JSON column. */
  nullableJson(column: string): JsonValue | null {
    return this.row[column] === null ? null : this.json(column);
  }

  /** The `organization_id`/`organization_name` pair; null when the name is null. */
  organization(): OrganizationRef | null {
    const name = this.nullableText('organization_name');
    return name === null ? null : { id: this.nullableInteger('organization_id'), name };
  }
}

/** Typed reads of `row` (a shorthand for `new Columns(row)`). */
export function columns(row: Row): Columns {
  return new Columns(row);
}

/** A timestamp as stored: epoch milliseconds. */
export function toMillis(date: Date): number {
  return date.getTime();
}

/**
 * The record of `table` whose `id` column is `id`, or null. An id that does not match `pattern` cannot have been
 * stored, so it is answered without asking the database (and a caller's garbage never reaches a query).
 */
export async function findById<T>(
  db: SqlExecutor,
  table: string,
  pattern: RegExp,
  id: string,
  toRecord: (row: Row) => T,
): Promise<T | null> {
  if (typeof id !== 'string' || !pattern.test(id)) return null;
  const row = first(await db.query(`SELECT * FROM ${table} WHERE id = $1`, [id]));
  return row === null ? null : toRecord(row);
}

/** An `INSERT` of one row into `table` with the given columns, ready for an `ON CONFLICT` or `RETURNING` suffix. */
export function insertStatement(
  table: string,
  values: Readonly<Record<string, SqlValue>>,
): { readonly sql: string; readonly params: SqlValue[] } {
  const params = new Params();
  const names = Object.keys(values);
  const placeholders = names.map((name) => params.add(values[name] ?? null));
  return { sql: `INSERT INTO ${table} (${names.join(', ')}) VALUES (${placeholders.join(', ')})`, params: params.values };
}

/** ` WHERE a AND b …` for the given conditions, or nothing when there are none. */
export function where(conditions: readonly string[]): string {
  return conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
}

/** The first row of a result, or null. */
export function first(rows: readonly Row[]): Row | null {
  return rows[0] ?? null;
}

// Private: the error of a column that does not hold what the store wrote.
function columnError(column: string, value: unknown, expected: string): Error {
  return new Error(`Store column "${column}" must hold ${expected}, but holds a ${value === null ? 'null' : typeof value}.`);
}
