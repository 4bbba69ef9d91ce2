// Internal to src/store (the rest of src reaches these through store/index.ts): the records the operational store
// keeps and the interface it keeps them behind. Nothing here knows which database stands behind it.
//
// Conventions that hold for every area:
// - Timestamps are `Date`s at the interface and whole milliseconds since the Unix epoch in both databases (BIGINT
//   columns), so PostgreSQL and SQLite compare, order and round-trip them identically, and keyset cursors mean the
//   same thing on both. A `Date` with sub-millisecond precision cannot exist in JavaScript, so nothing is lost.
// - JSON payloads (audit input, idempotent results, provisioning changes) are taken as any JSON-serialisable value
//   and returned parsed, as `JsonValue`.
// - A `connectionId` on an audit event, an idempotency key or a run is any connection the subgraph serves, the
//   configured default included, whose id is the cluster's host name and need not follow the slug rule of stored
//   connections; only `ConnectionStore` enforces that rule.
// - Optional inputs accept an explicit `undefined`, as under `exactOptionalPropertyTypes` a caller forwarding an
//   optional field of its own would otherwise have to branch.

/** Which database a store runs on. */
export type StoreBackend = 'postgres' | 'sqlite';

/** A parsed JSON value, as the store returns the payloads it keeps. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** A ThoughtSpot Organization as the store records it: the name always, the numeric id once it is known. */
export interface OrganizationRef {
  /** ThoughtSpot's integer Org id; null when it is not known yet (a run that is about to create the Org). */
  readonly id: number | null;
  readonly name: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Connections

/**
 * A connection's credential as the store keeps it. The store never sees the plaintext: the caller encrypts before
 * `create`/`update` and decrypts after `get`, and the store moves these two strings in and out unchanged.
 */
export interface EncryptedSecret {
  /** Names the key that encrypted `ciphertext`, so keys can be rotated without re-encrypting every row at once. */
  readonly keyId: string;
  /** The encrypted credential in whatever text encoding the encrypting module chose (base64, typically). */
  readonly ciphertext: string;
}

/** What the encrypted secret is, so the adapter knows how to authenticate with it (config.ts has the same pair). */
export type SecretKind = 'SECRET_KEY' | 'PASSWORD';

/** Outcome of the last health check of a connection. */
export type HealthStatus = 'HEALTHY' | 'UNHEALTHY';

/** The last health check of a connection. */
export interface HealthCheck {
  readonly status: HealthStatus;
  readonly checkedAt: Date;
  /** A short operator-facing explanation; the caller makes sure it carries no credential. */
  readonly message: string | null;
}

/** A ThoughtSpot cluster that callers may target (the `conn` claim of their JWT). */
export interface Connection {
  /** Caller-chosen slug: 1 to 64 characters of a-z, 0-9 and `-`. Immutable. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** The cluster's base URL (http or https, no credentials in it). */
  readonly baseUrl: string;
  /** The ThoughtSpot service account the subgraph signs in as. */
  readonly username: string;
  readonly secretKind: SecretKind;
  readonly secret: EncryptedSecret;
  /** The Organization a call runs in when the caller names none; null for the service account's default. */
  readonly defaultOrgName: string | null;
  /** Starts at 1 and grows by one with every `update`; pass it back as `expectedVersion` for optimistic locking. */
  readonly version: number;
  readonly createdAt: Date;
  /** The `sub` of the caller that created the connection. */
  readonly createdBy: string;
  readonly updatedAt: Date;
  /** The `sub` of the caller that last updated it (the creator until the first update). */
  readonly updatedBy: string;
  /** Null until the first check is recorded. */
  readonly healthCheck: HealthCheck | null;
}

/** The fields of a connection its callers choose; the others are the store's bookkeeping. */
export type ConnectionFields = Pick<Connection, 'name' | 'baseUrl' | 'username' | 'secretKind' | 'secret' | 'defaultOrgName'>;

/** Input of `ConnectionStore.create`; `defaultOrgName` defaults to null. */
export interface ConnectionCreateInput extends Omit<ConnectionFields, 'defaultOrgName'> {
  readonly id: string;
  readonly defaultOrgName?: string | null | undefined;
  /** The caller's JWT `sub`. */
  readonly createdBy: string;
}

/** The fields `ConnectionStore.update` may change; absent (or undefined) fields keep their value. */
export type ConnectionPatch = { readonly [K in keyof ConnectionFields]?: ConnectionFields[K] | undefined };

/** Who updates, and the version they read (optimistic locking). */
export interface ConnectionUpdateOptions {
  readonly updatedBy: string;
  /** When given, the update applies only if the stored version still equals it. */
  readonly expectedVersion?: number | undefined;
}

/** The connections area. */
export interface ConnectionStore {
  /** Creates a connection at version 1. Throws `StoreConflictError` when the id is taken. */
  create(input: ConnectionCreateInput): Promise<Connection>;
  /** The connection with this id, or null. */
  get(id: string): Promise<Connection | null>;
  /** Every connection, ordered by id. */
  list(): Promise<Connection[]>;
  /**
   * Applies `patch`, bumps the version and stamps `updatedAt`/`updatedBy`. Throws `StoreNotFoundError` when the
   * connection does not exist and `StoreVersionConflictError` when `expectedVersion` is stale.
   */
  update(id: string, patch: ConnectionPatch, options: ConnectionUpdateOptions): Promise<Connection>;
  /**
   * Records the outcome of a health check. It changes neither the version nor `updatedAt`: checks run in the
   * background, and an administrator's edit must not fail as stale because a check happened to land in between.
   * Throws `StoreNotFoundError` when the connection does not exist.
   */
  recordHealthCheck(id: string, check: HealthCheck): Promise<Connection>;
  /** Deletes the connection; false when there was none. Its audit events and runs are kept. */
  delete(id: string): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------------------------
// Audit log

/** How an audited operation ended. */
export type AuditOutcome = 'SUCCESS' | 'FAILURE' | 'DENIED';

/** What an audited operation acted on. */
export interface AuditTarget {
  /** The kind of object, e.g. `User`, `Group`, `Connection`. */
  readonly type: string;
  /** Its identifier; null when the operation failed before one existed. */
  readonly id: string | null;
}

/** Input of `AuditStore.append`. */
export interface AuditEventInput {
  /** When the operation happened; defaults to the store's clock. */
  readonly at?: Date | undefined;
  /** The caller's JWT `sub`. */
  readonly actor: string;
  /** The operation, e.g. the mutation's field name `userCreate`. */
  readonly operation: string;
  readonly target: AuditTarget;
  /** The operation's input, already redacted by the caller: the store writes what it is given. */
  readonly input: unknown;
  readonly connectionId: string | null;
  readonly organization: OrganizationRef | null;
  readonly outcome: AuditOutcome;
  /** The error code of a failure or denial. */
  readonly errorCode?: string | null | undefined;
  /** The request that performed the operation, to find its log lines. */
  readonly requestId?: string | null | undefined;
}

/** One entry of the audit log. Entries are never changed once appended. */
export interface AuditEvent {
  readonly id: string;
  readonly at: Date;
  readonly actor: string;
  readonly operation: string;
  readonly target: AuditTarget;
  readonly input: JsonValue;
  readonly connectionId: string | null;
  readonly organization: OrganizationRef | null;
  readonly outcome: AuditOutcome;
  readonly errorCode: string | null;
  readonly requestId: string | null;
}

/** Filters of `AuditStore.list`; every given filter must match (AND). */
export interface AuditFilter {
  readonly actor?: string | undefined;
  readonly operation?: string | undefined;
  readonly connectionId?: string | undefined;
  /** One Organization name, or any of several (a caller restricted to its own Organizations). */
  readonly organizationName?: string | readonly string[] | undefined;
  readonly outcome?: AuditOutcome | undefined;
  /** Events at or after this instant. */
  readonly since?: Date | undefined;
  /** Events strictly before this instant. */
  readonly until?: Date | undefined;
}

/** A forward page request, as Relay's `first`/`after`. */
export interface PageRequest {
  /** How many rows; default `DEFAULT_PAGE_SIZE`, at most `MAX_PAGE_SIZE`. */
  readonly first?: number | undefined;
  /** The `endCursor` of the previous page, issued under the same filter. */
  readonly after?: string | null | undefined;
}

/** One page of a keyset-paged list; the GraphQL layer wraps it as a Relay connection. */
export interface Page<T> {
  readonly edges: readonly { readonly cursor: string; readonly node: T }[];
  readonly pageInfo: {
    readonly hasNextPage: boolean;
    /** The cursor of the last edge; null on an empty page. */
    readonly endCursor: string | null;
  };
}

/** The audit log: append-only, read newest first. */
export interface AuditStore {
  /** Appends an event and returns it with its id. */
  append(event: AuditEventInput): Promise<AuditEvent>;
  /**
   * Events matching `filter`, newest first (ties on `at` broken by id), a page at a time. Throws
   * `StoreValidationError` for a page size out of range or a cursor that is malformed or was issued under another
   * filter.
   */
  list(filter: AuditFilter, page?: PageRequest): Promise<Page<AuditEvent>>;
}

// ---------------------------------------------------------------------------------------------------------------
// Idempotency records

/** What an idempotency key is scoped by: the same key from another caller, connection or operation is another key. */
export interface IdempotencyKey {
  readonly actor: string;
  /** Null for an operation that targets no connection. */
  readonly connectionId: string | null;
  readonly operation: string;
  /** The caller's key (1 to 255 characters). */
  readonly key: string;
}

/** Input of `IdempotencyStore.claim`. */
export interface IdempotencyClaimInput extends IdempotencyKey {
  /** A digest of the operation's input (sha256, say), so a key reused with other input is detected. */
  readonly fingerprint: string;
  /** How long the record lives; default `DEFAULT_IDEMPOTENCY_TTL_MS`. */
  readonly ttlMs?: number | undefined;
}

/** `PENDING` while the claimant works, `DONE` once it has stored the result. */
export type IdempotencyStatus = 'PENDING' | 'DONE';

/** An idempotency record. */
export interface IdempotencyRecord extends IdempotencyKey {
  readonly fingerprint: string;
  readonly status: IdempotencyStatus;
  /** The stored result once `DONE`; null while `PENDING`. */
  readonly result: JsonValue | null;
  readonly createdAt: Date;
  /** After this instant the record no longer counts: a new claim replaces it, and `purgeExpired` deletes it. */
  readonly expiresAt: Date;
}

/**
 * What a claim found. Only `CLAIMED` lets the caller do the work; the others describe a live record that was
 * already there, and are decided by the store so every caller reads them the same way.
 */
export type IdempotencyClaim =
  /** The caller holds the key now: do the work, then `complete` it, or `release` it if nothing was written. */
  | { readonly outcome: 'CLAIMED'; readonly record: IdempotencyRecord }
  /** Another caller holds a pending claim with the same input. */
  | { readonly outcome: 'IN_PROGRESS'; readonly record: IdempotencyRecord }
  /** The same input was completed before: replay `record.result`. */
  | { readonly outcome: 'COMPLETED'; readonly record: IdempotencyRecord }
  /** The key was used with a different input (pending or done). */
  | { readonly outcome: 'MISMATCH'; readonly record: IdempotencyRecord };

/**
 * A claim as `complete` and `release` name it: its key and when it was claimed. The `record` of a `CLAIMED` outcome
 * is one.
 */
export type IdempotencyClaimRef = IdempotencyKey & { readonly createdAt: Date };

/** Idempotency records: at most one live record per key. */
export interface IdempotencyStore {
  /**
   * Atomically claims the key, or reports the live record that holds it. Race-free: of any number of concurrent
   * claims of one key, across processes, exactly one is `CLAIMED`. An expired record counts as absent.
   */
  claim(input: IdempotencyClaimInput): Promise<IdempotencyClaim>;
  /**
   * Stores the result of the caller's pending claim and marks it `DONE`. Throws `StoreNotFoundError` when that claim
   * is no longer pending (completed already, released, or expired and taken over by another claim).
   */
  complete(claim: IdempotencyClaimRef, result: unknown): Promise<IdempotencyRecord>;
  /**
   * Deletes the caller's pending claim, when the work failed before it changed anything, so a retry may run it
   * again; false when that claim was not pending any more.
   */
  release(claim: IdempotencyClaimRef): Promise<boolean>;
  /** Deletes every expired record, pending or done; returns how many. */
  purgeExpired(): Promise<number>;
}

// ---------------------------------------------------------------------------------------------------------------
// Provisioning runs

/** A run is `RUNNING` until it ends in one of the other two; a finished run never changes again. */
export type RunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** One execution of a provisioning blueprint against an Organization. */
export interface ProvisioningRun {
  readonly id: string;
  readonly actor: string;
  readonly connectionId: string;
  readonly organization: OrganizationRef;
  /** A digest of the blueprint that was applied. */
  readonly blueprintFingerprint: string;
  readonly status: RunStatus;
  /** The plan and the per-change results, in whatever shape the provisioning module writes. */
  readonly changes: JsonValue;
  readonly startedAt: Date;
  /** Null while `RUNNING`. */
  readonly finishedAt: Date | null;
}

/** Input of `RunStore.create`. */
export interface RunCreateInput {
  readonly actor: string;
  readonly connectionId: string;
  readonly organization: OrganizationRef;
  readonly blueprintFingerprint: string;
  /** The plan as known at the start; default `[]`. */
  readonly changes?: unknown;
  /** Default: the store's clock. */
  readonly startedAt?: Date | undefined;
}

/** What `RunStore.update` may change. A terminal `status` finishes the run and stamps `finishedAt`. */
export interface RunPatch {
  readonly status?: RunStatus | undefined;
  readonly changes?: unknown;
  /** The Org's id, once a run that created the Org knows it. */
  readonly organizationId?: number | undefined;
}

/** Filters of `RunStore.listRecent`. */
export interface RunListFilter {
  readonly organizationName?: string | undefined;
  readonly connectionId?: string | undefined;
  /** How many runs; default `DEFAULT_PAGE_SIZE`, at most `MAX_PAGE_SIZE`. */
  readonly limit?: number | undefined;
}

/** Provisioning runs. */
export interface RunStore {
  /** Starts a run in status `RUNNING`. */
  create(input: RunCreateInput): Promise<ProvisioningRun>;
  /** The run with this id, or null. */
  get(id: string): Promise<ProvisioningRun | null>;
  /**
   * Updates a running run. Throws `StoreNotFoundError` when it does not exist and `StoreConflictError` when it has
   * already finished.
   */
  update(id: string, patch: RunPatch): Promise<ProvisioningRun>;
  /** The most recently started runs matching the filter, newest first. */
  listRecent(filter?: RunListFilter): Promise<ProvisioningRun[]>;
}

// ---------------------------------------------------------------------------------------------------------------
// The store

/**
 * Where the store reports what it did at start (migrations applied) and what went wrong in the background (an idle
 * PostgreSQL connection dropped). The application's Logger fits it; fields never carry credentials.
 */
export interface StoreLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** The operational store: one interface, whichever database is behind it. */
export interface Store {
  readonly backend: StoreBackend;
  readonly connections: ConnectionStore;
  readonly audit: AuditStore;
  readonly idempotency: IdempotencyStore;
  readonly runs: RunStore;
  /** Resolves when the database answers a trivial query; throws `StoreUnavailableError` otherwise (health checks). */
  ping(): Promise<void>;
  /** Releases the database connections. Idempotent; the store must not be used afterwards. */
  close(): Promise<void>;
}
