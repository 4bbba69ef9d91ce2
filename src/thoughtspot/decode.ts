// Internal to src/thoughtspot: small readers that check a wire value's shape while converting it. A value of the
// wrong type raises WireShapeError, which the pipeline turns into a ThoughtSpotProtocolError naming the endpoint; a
// missing optional field becomes null, and a list that is null upstream becomes [] (records.ts promises both).

import type { OrgRef, PrincipalRef } from './records.js';

/** A response did not have the shape the contract describes. Internal: surfaces as TS_ERR_PROTOCOL. */
export class WireShapeError extends Error {
  override readonly name = 'WireShapeError';
}

/** A short, printable description of a received value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  const kind = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  return `${kind} ${text.length > 60 ? `${text.slice(0, 59)}…` : text}`;
}

/** The value as an object, or WireShapeError naming `what`. */
export function expectObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WireShapeError(`expected ${what} to be an object, but got: ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

/** The value as an array, or WireShapeError naming `what`. */
export function expectArray(value: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new WireShapeError(`expected ${what} to be an array, but got: ${describe(value)}`);
  return value;
}

/** A required non-empty string field. */
export function requiredString(object: Record<string, unknown>, key: string, what: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') {
    throw new WireShapeError(`expected ${what}.${key} to be a non-empty string, but got: ${describe(value)}`);
  }
  return value;
}

/** An optional string field (null when absent or null). */
export function optionalString(object: Record<string, unknown>, key: string, what: string): string | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new WireShapeError(`expected ${what}.${key} to be a string, but got: ${describe(value)}`);
  return value;
}

/** An optional boolean field (null when absent or null). */
export function optionalBoolean(object: Record<string, unknown>, key: string, what: string): boolean | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'boolean') throw new WireShapeError(`expected ${what}.${key} to be a boolean, but got: ${describe(value)}`);
  return value;
}

/** A boolean flag that ThoughtSpot often omits; absent means false. */
export function flag(object: Record<string, unknown>, key: string, what: string): boolean {
  return optionalBoolean(object, key, what) ?? false;
}

/** An optional number (epoch ms, counts). Numeric strings are accepted: role timestamps are typed `object`. */
export function optionalNumber(object: Record<string, unknown>, key: string, what: string): number | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  throw new WireShapeError(`expected ${what}.${key} to be a number, but got: ${describe(value)}`);
}

/**
 * A documented enum value, or null. Values added by later releases are read as null rather than failing the whole
 * response: the record type is closed, and one unknown status must not make a directory page unreadable.
 */
export function enumOrNull<T extends string>(object: Record<string, unknown>, key: string, allowed: readonly T[]): T | null {
  const value = object[key];
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** A list of strings (privileges); null upstream becomes []. Non-string items are a shape error. */
export function stringList(object: Record<string, unknown>, key: string, what: string): readonly string[] {
  const value = object[key];
  if (value === undefined || value === null) return [];
  const list = expectArray(value, `${what}.${key}`);
  return list.map((item, index) => {
    if (typeof item !== 'string') throw new WireShapeError(`expected ${what}.${key}[${index}] to be a string, but got: ${describe(item)}`);
    return item;
  });
}

/** A list of `{ id, name }` references. Entries without an id cannot be followed and are dropped. */
export function refList(object: Record<string, unknown>, key: string, what: string): readonly PrincipalRef[] {
  const value = object[key];
  if (value === undefined || value === null) return [];
  const out: PrincipalRef[] = [];
  expectArray(value, `${what}.${key}`).forEach((item, index) => {
    const ref = expectObject(item, `${what}.${key}[${index}]`);
    const id = ref['id'];
    if (id === undefined || id === null || id === '') return;
    if (typeof id !== 'string' && typeof id !== 'number') {
      throw new WireShapeError(`expected ${what}.${key}[${index}].id to be a string, but got: ${describe(id)}`);
    }
    const name = ref['name'];
    out.push({ id: String(id), name: typeof name === 'string' ? name : '' });
  });
  return out;
}

/** An Org id: an integer on users, a numeric string on groups and roles (CONTRACT.md §12). */
export function orgId(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  throw new WireShapeError(`expected ${what} to be an integer Org id, but got: ${describe(value)}`);
}

/** One Org reference, or null for a missing or empty object (`"current_org": {}` occurs, CONTRACT.md §12). */
export function orgRefOrNull(object: Record<string, unknown>, key: string, what: string): OrgRef | null {
  const value = object[key];
  if (value === undefined || value === null) return null;
  const ref = expectObject(value, `${what}.${key}`);
  if (ref['id'] === undefined || ref['id'] === null) return null;
  const name = ref['name'];
  return { id: orgId(ref['id'], `${what}.${key}.id`), name: typeof name === 'string' ? name : '' };
}

/** A list of Org references; null upstream (clusters without Orgs) becomes []. */
export function orgRefList(object: Record<string, unknown>, key: string, what: string): readonly OrgRef[] {
  const value = object[key];
  if (value === undefined || value === null) return [];
  const out: OrgRef[] = [];
  expectArray(value, `${what}.${key}`).forEach((item, index) => {
    const ref = expectObject(item, `${what}.${key}[${index}]`);
    if (ref['id'] === undefined || ref['id'] === null) return;
    const name = ref['name'];
    out.push({ id: orgId(ref['id'], `${what}.${key}[${index}].id`), name: typeof name === 'string' ? name : '' });
  });
  return out;
}
