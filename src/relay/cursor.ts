// Public to the rest of src: opaque connection cursors. Pure functions, no I/O.
//
// ThoughtSpot pages by offset only (`record_offset`/`record_size`, CONTRACT.md §5) and has no "after this key"
// filter, so a cursor is an offset. What makes it safe to hand out is the binding: a cursor is the unpadded
// base64url encoding of `c1:<offset>:<scope>`, where <scope> is a short hash of the list it came from (the field,
// its parent object, its filter and its order). A cursor replayed on another list, or on the same list with
// another filter or order, would silently point somewhere meaningless; it is rejected instead.
//
// What the binding is not: a signature. Anyone can build a cursor for an offset of a list they are allowed to read,
// which gains them nothing they could not get with `first`/`after`. Cursors stay valid across replicas and
// restarts because nothing about them is secret or stored.

import { createHash } from 'node:crypto';
import { badUserInput } from '../errors/codes.js';
import { echo } from './global-id.js';

const VERSION = 'c1';
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SCOPE_LENGTH = 12;
/**
 * No cursor points at or past this offset. ThoughtSpot's `record_offset` is an int32 (CONTRACT.md §5), and the page
 * after a cursor starts one row further on, so the largest offset a cursor can name and still lead to a request
 * ThoughtSpot accepts is one less than the int32 maximum. No real list comes anywhere near it.
 */
const MAX_OFFSET = 2_147_483_647;

/**
 * Identifies the list a cursor belongs to: the schema coordinate (`Group.members`), the parent object's key
 * (empty for root fields) and every argument except the pagination ones.
 */
export interface CursorScope {
  readonly coordinate: string;
  readonly parent: string;
  readonly args: Readonly<Record<string, unknown>>;
}

/** Hashes a scope into the short tag cursors carry. Argument order and absent-vs-null do not matter. */
export function scopeTag(scope: CursorScope): string {
  const canonical = JSON.stringify([scope.coordinate, scope.parent, canonicalize(scope.args)]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, SCOPE_LENGTH);
}

/** The cursor of the row at `offset` in the list tagged `tag`. */
export function encodeCursor(offset: number, tag: string): string {
  return Buffer.from(`${VERSION}:${offset}:${tag}`, 'utf8').toString('base64url');
}

/**
 * The offset a cursor points at. Throws `BAD_USER_INPUT` naming `argumentName` when the cursor is malformed, and
 * when it was issued for another list or for this list under another filter or order.
 */
export function decodeCursor(cursor: string, tag: string, argumentName: string): number {
  const parts = decodeStrict(cursor)?.split(':');
  const offset = parts?.[1];
  if (parts?.length !== 3 || parts[0] !== VERSION || offset === undefined || !/^(0|[1-9][0-9]{0,9})$/.test(offset)) {
    throw badUserInput(
      `Argument "${argumentName}" must be a cursor returned by this connection, but got: ${echo(cursor)}.`,
      argumentName,
    );
  }
  if (parts[2] !== tag) {
    throw badUserInput(
      `Argument "${argumentName}" is a cursor from another list, or from this list with different filter or ordering arguments; start again without "${argumentName}".`,
      argumentName,
    );
  }
  const value = Number(offset);
  if (value >= MAX_OFFSET) {
    throw badUserInput(
      `Argument "${argumentName}" must be a cursor returned by this connection, but got: ${echo(cursor)}.`,
      argumentName,
    );
  }
  return value;
}

// Private: accept exactly what encodeCursor produces (see global-id.ts for why re-encoding is the check).
function decodeStrict(value: string): string | null {
  if (value.length === 0 || value.length > 128 || !BASE64URL.test(value)) return null;
  const bytes = Buffer.from(value, 'base64url');
  return bytes.toString('base64url') === value ? bytes.toString('utf8') : null;
}

// Private: a stable JSON form, so that `{ a, b }` and `{ b, a }`, and an absent versus a null argument, hash alike.
function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined && item !== null) out[key] = canonicalize(item);
    }
    return out;
  }
  return value;
}
