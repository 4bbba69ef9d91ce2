// Internal to src/store: the checks on what callers hand the store. The GraphQL layer validates its arguments at
// the edge; these checks guard the database itself, so that no caller (a script, a future admin tool, a bug) can
// write a row the other readers cannot handle. Messages say what was expected and what arrived (house rule 12),
// except for secrets, which are never echoed. The areas import this module whole, as `check`, so a call reads as
// what it checks: `check.text('name', input.name)`.

import { StoreValidationError, echo } from './errors.js';
import type { EncryptedSecret } from './types.js';

/** Connection ids: the slug a JWT's `conn` claim carries. */
export const CONNECTION_ID_PATTERN = /^[a-z0-9-]{1,64}$/;
/** Page size when the caller gives none (DESIGN.md §4's default). */
export const DEFAULT_PAGE_SIZE = 20;
/** Largest page the store serves (DESIGN.md §4's maximum). */
export const MAX_PAGE_SIZE = 100;
/** How long an idempotency record lives when the claim names no TTL: a day covers any client's retry window. */
export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Longest TTL a claim may ask for. */
export const MAX_IDEMPOTENCY_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Longest short text field (names, usernames, actors, operations, keys). */
const MAX_TEXT_LENGTH = 255;
/** Longest URL or encrypted secret accepted. */
const MAX_LONG_TEXT_LENGTH = 8192;
/** Health-check messages longer than this are cut, not refused: a check must always be recordable. */
const MAX_HEALTH_MESSAGE_LENGTH = 1000;

/** A connection id, or a `StoreValidationError` saying what one looks like. */
export function connectionId(value: unknown, field = 'id'): string {
  if (typeof value !== 'string' || !CONNECTION_ID_PATTERN.test(value)) {
    throw new StoreValidationError(
      field,
      `${field} must be 1 to 64 characters of a-z, 0-9 and "-", but got: ${echo(value)}.`,
    );
  }
  return value;
}

/** A non-blank string of at most `maxLength` characters. */
export function text(field: string, value: unknown, maxLength = MAX_TEXT_LENGTH): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > maxLength) {
    throw new StoreValidationError(
      field,
      `${field} must be a non-blank string of at most ${maxLength} characters, but got: ${echo(value)}.`,
    );
  }
  return value;
}

/** `text`, or null for null and undefined. */
export function optionalText(field: string, value: unknown, maxLength = MAX_TEXT_LENGTH): string | null {
  return value === null || value === undefined ? null : text(field, value, maxLength);
}

/** One of `allowed`. */
export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new StoreValidationError(field, `${field} must be one of ${allowed.join(', ')}, but got: ${echo(value)}.`);
  }
  return value as T;
}

/**
 * An http(s) URL without credentials. A URL with a user or password in it is refused without being echoed: the
 * store keeps credentials only in the encrypted secret.
 */
export function baseUrl(value: unknown, field = 'baseUrl'): string {
  const written = text(field, value, MAX_LONG_TEXT_LENGTH);
  let url: URL;
  try {
    url = new URL(written);
  } catch {
    throw new StoreValidationError(field, `${field} must be an http or https URL, but got: ${echo(written)}.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new StoreValidationError(field, `${field} must not carry credentials; put them in the encrypted secret.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new StoreValidationError(field, `${field} must be an http or https URL, but got: ${echo(written)}.`);
  }
  return written;
}

/** An encrypted secret: two non-blank strings. Neither is ever echoed. */
export function secret(value: unknown, field = 'secret'): EncryptedSecret {
  const given = value as Partial<Record<keyof EncryptedSecret, unknown>> | null | undefined;
  const keyId = given?.keyId;
  const ciphertext = given?.ciphertext;
  if (
    typeof keyId !== 'string' ||
    keyId.trim().length === 0 ||
    keyId.length > MAX_TEXT_LENGTH ||
    typeof ciphertext !== 'string' ||
    ciphertext.length === 0 ||
    ciphertext.length > MAX_LONG_TEXT_LENGTH
  ) {
    throw new StoreValidationError(
      field,
      `${field} must be { keyId, ciphertext } with a keyId of at most ${MAX_TEXT_LENGTH} characters and a ciphertext of at most ${MAX_LONG_TEXT_LENGTH}.`,
    );
  }
  return { keyId, ciphertext };
}

/** A health-check message, cut to its maximum length. */
export function healthMessage(value: string | null): string | null {
  return value === null || value.length <= MAX_HEALTH_MESSAGE_LENGTH ? value : `${value.slice(0, MAX_HEALTH_MESSAGE_LENGTH - 1)}…`;
}

/** An integer in [min, max]; `fallback` when undefined. */
export function integer(field: string, value: unknown, min: number, max: number, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new StoreValidationError(field, `${field} must be an integer from ${min} to ${max}, but got: ${echo(value)}.`);
  }
  return value;
}

/** A page size: `DEFAULT_PAGE_SIZE` when undefined, else 0 to `MAX_PAGE_SIZE`. */
export function pageSize(field: string, value: unknown): number {
  return integer(field, value, 0, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE);
}

/** A valid `Date`. */
export function date(field: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new StoreValidationError(field, `${field} must be a valid Date, but got: ${echo(value)}.`);
  }
  return value;
}

/** A ThoughtSpot Org id: a non-negative integer. */
export function orgId(field: string, value: unknown): number {
  return integer(field, value, 0, Number.MAX_SAFE_INTEGER);
}

/**
 * The JSON text of a payload. Refuses what JSON cannot hold (undefined, functions, BigInts, cycles) instead of
 * letting `JSON.stringify` drop it silently or throw a TypeError from deep inside the store.
 */
export function jsonText(field: string, value: unknown): string {
  let serialised: string | undefined;
  try {
    serialised = JSON.stringify(value);
  } catch (error) {
    throw new StoreValidationError(field, `${field} must be serialisable as JSON, but: ${(error as Error).message}.`);
  }
  if (serialised === undefined) {
    throw new StoreValidationError(field, `${field} must be serialisable as JSON, but got: ${typeof value}.`);
  }
  return serialised;
}
