// Internal to src/store (re-exported by store/index.ts): the store's closed error family. Every failure the store
// reports is one of these classes with a stable `STORE_ERR_*` code, so callers switch on `code` (house rule 3).
//
// Driver errors never leave the store as they are. A PostgreSQL or SQLite error is wrapped in
// `StoreUnavailableError`, and what the wrapper keeps of it (message, stack, SQLSTATE code) first passes through
// `redactSecrets`, which strips the DATABASE_URL and its password: a connection string is the one credential the
// store holds, and an error is the usual way a credential reaches a log.

/** Every code the store can raise. */
export type StoreErrorCode =
  | 'STORE_ERR_INVALID'
  | 'STORE_ERR_NOT_FOUND'
  | 'STORE_ERR_CONFLICT'
  | 'STORE_ERR_STALE'
  | 'STORE_ERR_UNAVAILABLE';

/** The kinds of record the store keeps, as error messages and fields name them. */
export type StoreEntity = 'Connection' | 'IdempotencyRecord' | 'ProvisioningRun';

/** What a redacted credential is replaced with. */
export const REDACTED = '[REDACTED]';

/** Longest received value echoed back in a validation message. */
const ECHO_LIMIT = 80;

/** Base of the family; never thrown itself. */
export abstract class StoreError extends Error {
  /** Stable machine-readable code; switch on it. */
  abstract readonly code: StoreErrorCode;
}

/** An argument the store was given is not acceptable (an id, a page size, a cursor, an option). */
export class StoreValidationError extends StoreError {
  override readonly name = 'StoreValidationError';
  readonly code = 'STORE_ERR_INVALID' as const;

  /** `field` names the offending argument (`id`, `first`, `after`, `databaseUrl`…) for programmatic callers. */
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** Private base of the errors about one stored record: they name its kind and key for programmatic callers. */
abstract class StoreRecordError extends StoreError {
  constructor(readonly entity: StoreEntity, readonly key: string, message: string) {
    super(message);
  }
}

/** The record an update, completion or health check targets does not exist. */
export class StoreNotFoundError extends StoreRecordError {
  override readonly name = 'StoreNotFoundError';
  readonly code = 'STORE_ERR_NOT_FOUND' as const;

  constructor(entity: StoreEntity, key: string, message = `${entity} ${echo(key)} does not exist.`) {
    super(entity, key, message);
  }
}

/** The write clashes with what is stored: the id is taken, or the record is in a state that forbids the change. */
export class StoreConflictError extends StoreRecordError {
  override readonly name = 'StoreConflictError';
  readonly code = 'STORE_ERR_CONFLICT' as const;

  constructor(entity: StoreEntity, key: string, message = `${entity} ${echo(key)} already exists.`) {
    super(entity, key, message);
  }
}

/** An optimistic update named a version that is no longer the stored one: someone else updated in between. */
export class StoreVersionConflictError extends StoreRecordError {
  override readonly name = 'StoreVersionConflictError';
  readonly code = 'STORE_ERR_STALE' as const;

  constructor(entity: StoreEntity, key: string, readonly expectedVersion: number, readonly actualVersion: number) {
    super(entity, key, `${entity} ${echo(key)} is at version ${actualVersion}, but the update expected version ${expectedVersion}.`);
  }
}

/** The database could not be reached or failed; `cause` is the driver's error with credentials removed. */
export class StoreUnavailableError extends StoreError {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'STORE_ERR_UNAVAILABLE' as const;
  /** The driver's error code (a PostgreSQL SQLSTATE, a Node `ECONNREFUSED`, a libSQL `SQLITE_BUSY`), when it had one. */
  readonly driverCode: string | undefined;

  constructor(message: string, options: { readonly cause?: Error | undefined; readonly driverCode?: string | undefined } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.driverCode = options.driverCode;
  }
}

/** Whether `value` is one of the store's errors. */
export function isStoreError(value: unknown): value is StoreError {
  return value instanceof StoreError;
}

/** A received value quoted for a message, truncated so that garbage cannot flood a log line. */
export function echo(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}…"` : text;
}

/**
 * Replaces every occurrence of each secret (ignoring empty ones) in `text`, longest first. Short secrets are replaced
 * too, however much of the message that takes with them: a garbled message is better than a leaked password.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].filter((item) => item.length > 0).sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * Wraps a driver error as `StoreUnavailableError`: `${context}: <driver message>`, with the secrets redacted from
 * the message and from a fresh copy of the driver error kept as `cause`. The copy holds name, message, stack and
 * code only: pg errors also carry `detail`, `where` and the like, which can quote row values, and Node's URL errors
 * carry the whole `input` string. A store error passes through unchanged.
 */
export function toUnavailable(context: string, error: unknown, secrets: readonly string[]): StoreError {
  if (error instanceof StoreError) return error;
  const message = redactSecrets(driverMessage(error), secrets);
  const rawCode = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  const driverCode = typeof rawCode === 'string' || typeof rawCode === 'number' ? String(rawCode) : undefined;
  const cause = new Error(message);
  if (error instanceof Error) {
    cause.name = error.name;
    if (error.stack !== undefined) cause.stack = redactSecrets(error.stack, secrets);
  }
  if (driverCode !== undefined) (cause as Error & { code?: string }).code = driverCode;
  return new StoreUnavailableError(`${context}: ${message}`, { cause, driverCode });
}

// Private: the text of a driver error. Node reports a connection refused on every address of a host name (IPv4
// and IPv6 for localhost) as an AggregateError whose own message is empty; its inner errors say what happened.
function driverMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message === '' && error instanceof AggregateError) {
    return error.errors.map((inner: unknown) => (inner instanceof Error ? inner.message : String(inner))).join('; ');
  }
  return error.message;
}

/**
 * The strings of a DATABASE_URL that must never be logged: the URL itself and its password (as written, decoded,
 * and from a `?password=` parameter, which libpq-style clients also read).
 */
export function databaseUrlSecrets(databaseUrl: string): string[] {
  const secrets = [databaseUrl];
  try {
    const url = new URL(databaseUrl);
    for (const password of [url.password, url.searchParams.get('password') ?? '']) {
      if (password === '') continue;
      secrets.push(password);
      try {
        secrets.push(decodeURIComponent(password));
      } catch {
        // A malformed escape leaves only the raw form to search for.
      }
    }
  } catch {
    // Not a URL: the whole string is all there is to redact.
  }
  return secrets;
}

/**
 * A DATABASE_URL fit for a log line: scheme, user, host, port and database, the password and every query parameter
 * replaced. A value that is not a URL becomes `[REDACTED]` whole, since there is no telling where its secret is.
 */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') url.password = REDACTED;
    for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, REDACTED);
    return url.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
  } catch {
    return REDACTED;
  }
}
