// Internal to src/thoughtspot: helpers the resource modules share.

import type { ImportResult } from './records.js';
import type { SortOptions } from './types.js';
import type { SortOptionsWire } from './wire.js';
import { expectArray, expectObject, describe, WireShapeError } from './decode.js';

/** The sort every search sends unless the caller chose one: offset paging is only stable over a fixed order. */
const DEFAULT_SORT: SortOptions = { field: 'NAME', order: 'ASC' };

/** `sort_options` for a search body. */
export function sortOptions(sort: SortOptions | undefined): SortOptionsWire {
  const chosen = sort ?? DEFAULT_SORT;
  return { field_name: chosen.field, order: chosen.order };
}

/** Read a search response: an array whose items `read` turns into records, each named by its index in errors. */
export function recordList<T>(value: unknown, what: string, read: (item: unknown, what: string) => T): T[] {
  return expectArray(value, what).map((item, index) => read(item, `${what}[${index}]`));
}

/** A copy of a request body without `undefined` members (arrays are copied, never shared with the caller). */
export function withoutUndefined(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
  }
  return out;
}

function importList(object: Record<string, unknown>, key: string, what: string): ImportResult['added'] {
  const value = object[key];
  if (value === undefined || value === null) return [];
  return expectArray(value, `${what}.${key}`).map((item, index) => {
    const entry = expectObject(item, `${what}.${key}[${index}]`);
    const name = entry['name'];
    const id = entry['id'];
    if (typeof name !== 'string') {
      throw new WireShapeError(`expected ${what}.${key}[${index}].name to be a string, but got: ${describe(name)}`);
    }
    return { id: typeof id === 'string' && id !== '' ? id : null, name };
  });
}

/** Read `ImportUsersResponse` (`users_*`) or `ImportUserGroupsResponse` (`groups_*`). */
export function importResult(value: unknown, prefix: 'users' | 'groups', what: string): ImportResult {
  const wire = expectObject(value, what);
  return {
    added: importList(wire, `${prefix}_added`, what),
    updated: importList(wire, `${prefix}_updated`, what),
    deleted: importList(wire, `${prefix}_deleted`, what),
  };
}
