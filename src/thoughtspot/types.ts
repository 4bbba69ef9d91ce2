// Public to the rest of src (through thoughtspot/index.ts): the adapter's call surface. Every call names the Org it
// runs in, because ThoughtSpot scopes every v2 call to the Org of its bearer token (CONTRACT.md §3); the adapter
// keeps one token per Org and mints it on demand.

import type { Dispatcher } from 'undici';
import type { Logger } from '../logger.js';
import type {
  AccountStatus,
  AccountType,
  GroupRecord,
  GroupType,
  ImportResult,
  OrgRecord,
  RoleRecord,
  SystemConfigRecord,
  SystemInfoRecord,
  TokenRecord,
  TokenValidationRecord,
  UserRecord,
  Visibility,
} from './records.js';

/** One upstream HTTP attempt, reported after it settles (for request logs and upstream-call metrics). */
export interface UpstreamCallEvent {
  /** Contract endpoint id, e.g. `POST /api/rest/2.0/users/search` (path parameters left as templates). */
  readonly endpoint: string;
  readonly orgId: number | null;
  /** HTTP status, or null when no response arrived (network error, timeout). */
  readonly status: number | null;
  /** Time on the wire, from handing the request to the transport to the end of the answer; queueing is not included. */
  readonly durationMs: number;
  /** 1 for the first attempt, 2 for the first retry… */
  readonly attempt: number;
  /** The adapter error code when the attempt failed (`TS_ERR_*`). */
  readonly errorCode: string | null;
  /** Records in a successful list answer (the searches); absent for other answers. For rows-read metrics. */
  readonly rows?: number;
  /** Time the attempt waited for a client-side rate-limit slot; absent when the client has no rate limiter. */
  readonly rateLimitWaitMs?: number;
  /** True on the adapter's own service-token mints (one serves every request), absent otherwise. */
  readonly serviceTokenMint?: true;
}

/** Service credentials: trusted authentication (secret key) or a password. Never both (CONTRACT.md §2.1). */
export type ServiceCredentials =
  | { readonly username: string; readonly secretKey: string }
  | { readonly username: string; readonly password: string };

/**
 * What the surrounding request tells the adapter about the calls made on its behalf (see
 * `ThoughtSpotClientOptions.callContext`). Read once per call, when the call starts.
 */
export interface CallContext {
  /**
   * Identifies the unit of work the call belongs to (the app passes its per-GraphQL-request scope object), compared
   * by identity. Calls waiting for a concurrency or rate-limiter slot are served in turn between flows, FIFO within
   * one, so one request with a thousand queued calls delays another request's call by about one slot per waiting
   * request, not by a thousand. When absent, the context object itself is the flow (so returning one stable object
   * per request, such as an AsyncLocalStorage store, is enough); calls without any context share one anonymous flow.
   */
  readonly flow?: object;
  /**
   * Bounds the call exactly like `CallOptions.signal` (both apply when both are given). When it fires, the call fails
   * with `ThoughtSpotAbortedError`, whose `reason` is this signal's `reason`.
   */
  readonly signal?: AbortSignal;
  /**
   * Called before each attempt of the call is sent, once it has its token and concurrency slot and before it waits for
   * a rate-limit slot, so a per-request budget can be reserved before the call reaches ThoughtSpot rather than counted
   * after it did (an attempt that then fails in the rate-limit queue was reserved but never sent).
   * If it throws, the attempt is not sent and the call fails with `ThoughtSpotAbortedError` whose `reason` is the
   * thrown value. Service-token mints, which serve every request, do not call it.
   */
  readonly beforeSend?: () => void;
}

/** The rate a shared budget paces at, as `rateLimit` states it. */
export interface SharedRateLimits {
  readonly requestsPerSecond: number;
  /** Requests beyond the steady rate that may leave at once (nginx `burst`: the bucket holds burst + 1). */
  readonly burst: number;
}

/**
 * A connection's rate budget shared by every process that talks to it: replicas behind one router reach ThoughtSpot
 * from one client IP, and ThoughtSpot's limit is per IP. The adapter asks for one slot before each attempt leaves
 * (retries and service-token mints included), one question at a time per client, and decides locally which of its
 * waiting calls gets it. src/ratelimit implements it in Redis. Answers that take longer than
 * `SHARED_BUDGET_TIMEOUT_MS` (250 ms) are not waited for: the adapter then paces locally.
 */
export interface SharedRateBudget {
  /**
   * Take one slot if the shared bucket has one now and resolve to 0; otherwise take nothing and resolve to how many
   * milliseconds until one may be free. Rejects when the budget cannot be reached.
   */
  take(limits: SharedRateLimits): Promise<number>;
  /** Grant nobody a slot for `ms`, then resume at the steady rate with the burst spent (after ThoughtSpot's 429). */
  hold(ms: number, limits: SharedRateLimits): Promise<void>;
  /** Processes that shared the budget lately, this one included (at least 1): what local pacing divides the rate by. */
  readonly sharers: number;
  /** Leave the budget (this process stops counting as a sharer). Connections behind it are their owner's to close. */
  close(): Promise<void>;
}

/** Options of `createThoughtSpotClient`. Everything but `baseUrl` and `credentials` has a production default. */
export interface ThoughtSpotClientOptions {
  /** Cluster URL, e.g. `https://acme.thoughtspot.cloud` (no trailing `/api/rest/2.0`). */
  readonly baseUrl: string;
  readonly credentials: ServiceCredentials;
  /** Injected transport (an undici Dispatcher); default: a keep-alive Pool for `baseUrl`. Never the global one. */
  readonly dispatcher?: Dispatcher;
  readonly timeouts?: {
    readonly connectMs?: number;
    readonly headersMs?: number;
    readonly bodyMs?: number;
    /** Overall deadline of one call including retries and waits. */
    readonly deadlineMs?: number;
  };
  readonly retry?: { readonly maxRetries?: number; readonly minDelayMs?: number; readonly maxDelayMs?: number };
  /**
   * Client-side token bucket; `false` disables it. With `shared`, the bucket is one that every replica shares
   * (`SharedRateBudget`) and this process keeps only the fair queue in front of it; while the shared budget does not
   * answer, calls are paced locally at `requestsPerSecond / shared.sharers` (burst likewise) until it does.
   */
  readonly rateLimit?:
    | { readonly requestsPerSecond?: number; readonly burst?: number; readonly shared?: SharedRateBudget }
    | false;
  readonly breaker?: { readonly failureThreshold?: number; readonly cooldownMs?: number };
  /** Validity requested for service tokens (seconds). */
  readonly tokenValiditySeconds?: number;
  readonly logger?: Logger;
  readonly onUpstreamCall?: (event: UpstreamCallEvent) => void;
  /** Injected clock (ms since epoch) for token expiry and the breaker. */
  readonly now?: () => number;
  readonly userAgent?: string;
  /**
   * Most requests in flight at once (and connections of the built-in pool). Added by the adapter; default 16.
   * Requests beyond it wait in the adapter, not in undici, so the rate limiter's pacing survives stalls.
   */
  readonly maxConcurrency?: number;
  /**
   * The ambient call context: called once at the start of every call, in the caller's async context, so an app can
   * answer from an AsyncLocalStorage (`callContext: () => requestScope.getStore()`) instead of threading options
   * through every loader. Returning undefined means no context. The service account's own token mints ignore it:
   * one mint serves every request waiting for that Org's token, so no single request's signal may cancel it.
   * Added by the adapter.
   */
  readonly callContext?: () => CallContext | undefined;
}

/** The Org a call runs in. `orgId` 0 is the Primary Org. */
export interface OrgScope {
  readonly orgId: number;
}

/** Offset paging as ThoughtSpot does it (`record_offset`, `record_size`). `size` -1 means "everything". */
export interface PageRequest {
  readonly offset: number;
  readonly size: number;
}

/** Fields `users/search` and `groups/search` can sort by (one key only). */
export type SortField = 'NAME' | 'DISPLAY_NAME' | 'AUTHOR' | 'CREATED' | 'MODIFIED';
/** Sort direction. */
export type SortOrder = 'ASC' | 'DESC';
/** One sort key and its direction (`sort_options`). */
export interface SortOptions {
  readonly field: SortField;
  readonly order: SortOrder;
}

/** `users/search` filters. Array filters are OR-ed inside, separate filters AND-ed (CONTRACT.md §5). */
export interface UserSearch {
  /** GUID or username: at most one row. */
  readonly identifier?: string;
  readonly displayName?: string;
  /** Case-insensitive, `%` is the wildcard. */
  readonly namePattern?: string;
  readonly email?: string;
  readonly visibility?: Visibility;
  readonly accountType?: AccountType;
  readonly accountStatus?: AccountStatus;
  readonly groupIdentifiers?: readonly string[];
  readonly roleIdentifiers?: readonly string[];
  readonly orgIdentifiers?: readonly string[];
  /** Effective privileges. */
  readonly privileges?: readonly string[];
  readonly sort?: SortOptions;
}

/** `groups/search` filters. */
export interface GroupSearch {
  readonly identifier?: string;
  readonly displayName?: string;
  readonly namePattern?: string;
  readonly description?: string;
  readonly type?: GroupType;
  readonly visibility?: Visibility;
  /** Groups containing any of these users (direct members). */
  readonly userIdentifiers?: readonly string[];
  /** Groups having any of these as direct sub-groups. */
  readonly subGroupIdentifiers?: readonly string[];
  readonly roleIdentifiers?: readonly string[];
  readonly orgIdentifiers?: readonly string[];
  readonly privileges?: readonly string[];
  readonly sort?: SortOptions;
  /** Fill `users` (default true upstream). */
  readonly includeUsers?: boolean;
  /** Fill `subGroups` (default true upstream). */
  readonly includeSubGroups?: boolean;
}

/** `orgs/search` filters (not paginated upstream). */
export interface OrgSearch {
  readonly identifier?: string;
  readonly description?: string;
  readonly visibility?: 'SHOW' | 'HIDDEN';
  readonly status?: 'ACTIVE' | 'IN_ACTIVE';
  /** Orgs any of these users belong to. */
  readonly userIdentifiers?: readonly string[];
}

/** `roles/search` filters (not paginated upstream). */
export interface RoleSearch {
  readonly roleIdentifiers?: readonly string[];
  readonly orgIdentifiers?: readonly string[];
  /** Roles assigned to any of these groups. */
  readonly groupIdentifiers?: readonly string[];
  readonly privileges?: readonly string[];
}

/** How list fields of an update combine with the current lists (CONTRACT.md §8.1). */
export type ListOperation = 'ADD' | 'REMOVE' | 'REPLACE';

/** Input of `createUser` (`users/create`). */
export interface UserCreate {
  readonly name: string;
  readonly displayName: string;
  readonly email: string;
  readonly password?: string;
  readonly accountType?: AccountType;
  readonly accountStatus?: AccountStatus;
  readonly visibility?: Visibility;
  readonly orgIdentifiers?: readonly string[];
  readonly groupIdentifiers?: readonly string[];
  readonly notifyOnShare?: boolean;
  readonly showOnboardingExperience?: boolean;
  readonly onboardingExperienceCompleted?: boolean;
  readonly preferredLocale?: string;
  readonly triggerWelcomeEmail?: boolean;
  readonly triggerActivationEmail?: boolean;
}

/** Input of `updateUser` (`users/{id}/update`); absent fields are left untouched. */
export interface UserUpdate {
  readonly name?: string;
  readonly displayName?: string;
  readonly email?: string;
  readonly visibility?: Visibility;
  readonly accountStatus?: AccountStatus;
  readonly accountType?: AccountType;
  readonly groupIdentifiers?: readonly string[];
  readonly orgIdentifiers?: readonly string[];
  readonly notifyOnShare?: boolean;
  readonly showOnboardingExperience?: boolean;
  readonly onboardingExperienceCompleted?: boolean;
  readonly preferredLocale?: string;
  /** Required whenever a list field is present: the adapter never relies on the per-endpoint default. */
  readonly operation?: ListOperation;
}

/** Input of `createGroup` (`groups/create`), in the scope's Org. */
export interface GroupCreate {
  readonly name: string;
  readonly displayName: string;
  readonly description?: string;
  readonly type?: GroupType;
  readonly visibility?: Visibility;
  readonly privileges?: readonly string[];
  readonly subGroupIdentifiers?: readonly string[];
  readonly userIdentifiers?: readonly string[];
  readonly roleIdentifiers?: readonly string[];
  readonly defaultLiveboardIdentifiers?: readonly string[];
}

/** Input of `updateGroup` (`groups/{id}/update`); absent fields are left untouched. */
export interface GroupUpdate {
  readonly name?: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly type?: GroupType;
  readonly visibility?: Visibility;
  readonly privileges?: readonly string[];
  readonly subGroupIdentifiers?: readonly string[];
  readonly userIdentifiers?: readonly string[];
  readonly roleIdentifiers?: readonly string[];
  readonly defaultLiveboardIdentifiers?: readonly string[];
  readonly operation?: ListOperation;
}

/** Input of `createOrg` (`orgs/create`). */
export interface OrgCreate {
  readonly name: string;
  readonly description?: string;
}

/** Input of `updateOrg` (`orgs/{id}/update`). */
export interface OrgUpdate {
  readonly name?: string;
  readonly description?: string;
  readonly userIdentifiers?: readonly string[];
  readonly groupIdentifiers?: readonly string[];
  readonly operation?: ListOperation;
}

/** Input of `createRole` (`roles/create`), in the scope's Org. */
export interface RoleCreate {
  readonly name: string;
  readonly description?: string;
  readonly privileges?: readonly string[];
  readonly readOnly?: boolean;
}

/** Input of `updateRole` (`roles/{id}/update`). */
export interface RoleUpdate {
  /** ThoughtSpot requires the name on every role update, even when it does not change. */
  readonly name: string;
  readonly description?: string;
  readonly privileges?: readonly string[];
}

/** One row of `users/import`. */
export interface UserImportRow {
  readonly identifier: string;
  readonly displayName: string;
  readonly password?: string;
  readonly email?: string;
  readonly accountType?: AccountType;
  readonly accountStatus?: AccountStatus;
  readonly visibility?: Visibility;
  readonly orgIdentifiers?: readonly string[];
  readonly groupIdentifiers?: readonly string[];
}

/** Input of `importUsers` (`users/import`). */
export interface UserImport {
  readonly users: readonly UserImportRow[];
  readonly defaultPassword?: string;
  /** Upstream defaults to true; the adapter always sends it explicitly. */
  readonly dryRun: boolean;
  readonly deleteUnspecifiedUsers?: boolean;
}

/** One row of `groups/import`. */
export interface GroupImportRow {
  readonly identifier: string;
  readonly displayName: string;
  readonly description?: string;
  readonly type?: GroupType;
  readonly visibility?: Visibility;
  readonly privileges?: readonly string[];
  readonly subGroupIdentifiers?: readonly string[];
  readonly userIdentifiers?: readonly string[];
}

/** Input of `importGroups` (`groups/import`). */
export interface GroupImport {
  readonly groups: readonly GroupImportRow[];
  readonly dryRun: boolean;
  readonly deleteUnspecifiedGroups?: boolean;
}

/** Runtime filter operators of `user_parameters.runtime_filters` (CONTRACT.md §10). */
export type RuntimeFilterOperator =
  | 'EQ'
  | 'NE'
  | 'LT'
  | 'LE'
  | 'GT'
  | 'GE'
  | 'IN'
  | 'BW'
  | 'CONTAINS'
  | 'BEGINS_WITH'
  | 'ENDS_WITH'
  | 'BW_INC'
  | 'BW_INC_MIN'
  | 'BW_INC_MAX'
  | 'LIKE'
  | 'NOT_IN';

/**
 * Row-level-security values a token carries (`user_parameters` of `auth/token/full`, CONTRACT.md §10): runtime
 * filters on columns and values of parameters, on the given logical tables (every table when `tables` is absent).
 * ThoughtSpot deprecated the field in 10.4.0.cl in favour of `auth/token/custom`, and still honours it.
 */
export interface UserParameters {
  /** GUIDs or names of the logical tables the filters and parameters apply to. */
  readonly tables?: readonly string[];
  readonly runtimeFilters?: readonly {
    readonly columnName: string;
    readonly operator: RuntimeFilterOperator;
    readonly values: readonly string[];
    /** Keep the filter on the user for later sessions too (9.12.0.cl+). */
    readonly persist?: boolean;
  }[];
  readonly parameters?: readonly {
    readonly name: string;
    readonly values: readonly string[];
    readonly persist?: boolean;
  }[];
}

/** `auth/token/full` on behalf of an end user (embedded sessions, JIT provisioning). Needs trusted authentication. */
export interface UserTokenRequest {
  readonly username: string;
  readonly orgId: number;
  readonly validitySeconds?: number;
  readonly autoCreate?: boolean;
  readonly displayName?: string;
  readonly email?: string;
  readonly groupIdentifiers?: readonly string[];
  /** Row-level-security values (`user_parameters`). */
  readonly userParameters?: UserParameters;
}

/** `auth/token/object`: a read-only token for one metadata object, on behalf of an end user (trusted authentication). */
export interface ObjectTokenRequest extends UserTokenRequest {
  /** GUID of the Liveboard or Answer the token grants access to. */
  readonly objectId: string;
}

/** A snapshot of the client's health, for readiness probes and metrics. Added by the adapter. */
export interface ThoughtSpotClientStatus {
  /** `open`: recent calls found the cluster unreachable and calls fail fast; `half-open`: one probe may go. */
  readonly breaker: 'closed' | 'open' | 'half-open';
  /** Requests on the wire now. */
  readonly inFlight: number;
  /** Calls waiting for a concurrency or rate-limiter slot. */
  readonly queued: number;
  /** Orgs with a cached service token. */
  readonly tokenOrgIds: readonly number[];
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call (and its retries); combined with the ambient `CallContext.signal` when both are given. */
  readonly signal?: AbortSignal;
  /** Overall deadline for this call including retries, in ms; defaults to the client's. */
  readonly deadlineMs?: number;
}

/**
 * The adapter. One per ThoughtSpot cluster; safe to share between requests (it holds the connection pool, the
 * token cache, the rate limiter and the circuit breaker). Reads are retried; writes never are.
 */
export interface ThoughtSpotClient {
  searchUsers(scope: OrgScope, query: UserSearch, page: PageRequest, options?: CallOptions): Promise<UserRecord[]>;
  /** Every matching user, page by page; stops on a short page. */
  iterateUsers(scope: OrgScope, query: UserSearch, pageSize?: number, options?: CallOptions): AsyncIterable<UserRecord>;
  createUser(scope: OrgScope, input: UserCreate, options?: CallOptions): Promise<UserRecord>;
  updateUser(scope: OrgScope, identifier: string, input: UserUpdate, options?: CallOptions): Promise<void>;
  deleteUser(scope: OrgScope, identifier: string, options?: CallOptions): Promise<void>;
  /** Returns the activation link. */
  deactivateUser(scope: OrgScope, identifier: string, baseUrl: string, options?: CallOptions): Promise<string>;
  activateUser(
    scope: OrgScope,
    input: { identifier: string; authToken: string; password: string },
    options?: CallOptions,
  ): Promise<UserRecord>;
  importUsers(scope: OrgScope, input: UserImport, options?: CallOptions): Promise<ImportResult>;
  /** Without identifiers ThoughtSpot logs out every user: the adapter requires a non-empty list. */
  forceLogoutUsers(scope: OrgScope, identifiers: readonly string[], options?: CallOptions): Promise<void>;
  resetUserPassword(scope: OrgScope, identifier: string, newPassword: string, options?: CallOptions): Promise<void>;
  changeUserPassword(
    scope: OrgScope,
    input: { identifier: string; currentPassword: string; newPassword: string },
    options?: CallOptions,
  ): Promise<void>;

  searchGroups(scope: OrgScope, query: GroupSearch, page: PageRequest, options?: CallOptions): Promise<GroupRecord[]>;
  iterateGroups(scope: OrgScope, query: GroupSearch, pageSize?: number, options?: CallOptions): AsyncIterable<GroupRecord>;
  createGroup(scope: OrgScope, input: GroupCreate, options?: CallOptions): Promise<GroupRecord>;
  updateGroup(scope: OrgScope, identifier: string, input: GroupUpdate, options?: CallOptions): Promise<void>;
  deleteGroup(scope: OrgScope, identifier: string, options?: CallOptions): Promise<void>;
  importGroups(scope: OrgScope, input: GroupImport, options?: CallOptions): Promise<ImportResult>;

  searchOrgs(scope: OrgScope, query: OrgSearch, options?: CallOptions): Promise<OrgRecord[]>;
  createOrg(scope: OrgScope, input: OrgCreate, options?: CallOptions): Promise<OrgRecord>;
  updateOrg(scope: OrgScope, identifier: string, input: OrgUpdate, options?: CallOptions): Promise<void>;
  deleteOrg(scope: OrgScope, identifier: string, options?: CallOptions): Promise<void>;

  searchRoles(scope: OrgScope, query: RoleSearch, options?: CallOptions): Promise<RoleRecord[]>;
  createRole(scope: OrgScope, input: RoleCreate, options?: CallOptions): Promise<RoleRecord>;
  updateRole(scope: OrgScope, identifier: string, input: RoleUpdate, options?: CallOptions): Promise<RoleRecord>;
  deleteRole(scope: OrgScope, identifier: string, options?: CallOptions): Promise<void>;

  /** The service account as ThoughtSpot sees it in this Org (`GET /auth/session/user`): the cheapest health probe. */
  getCurrentUser(scope: OrgScope, options?: CallOptions): Promise<UserRecord>;
  getSystemInfo(scope: OrgScope, options?: CallOptions): Promise<SystemInfoRecord>;
  /** Mint a token for an end user (trusted authentication); used for embedded sessions and JIT provisioning. */
  mintUserToken(input: UserTokenRequest, options?: CallOptions): Promise<TokenRecord>;
  /** Revoke a token minted by `mintUserToken`. */
  revokeToken(scope: OrgScope, token: string, options?: CallOptions): Promise<void>;
  /** Mint an object-scoped, read-only token for an end user (`auth/token/object`). Added by the adapter. */
  mintObjectToken?(input: ObjectTokenRequest, options?: CallOptions): Promise<TokenRecord>;
  /** Ask ThoughtSpot whether a token is live (`auth/token/validate`). Added by the adapter. */
  validateToken?(scope: OrgScope, token: string, options?: CallOptions): Promise<TokenValidationRecord>;
  /** `GET /system/config`. Added by the adapter. */
  getSystemConfig?(scope: OrgScope, options?: CallOptions): Promise<SystemConfigRecord>;

  /** The client's health now (breaker state, load, cached tokens). Added by the adapter. */
  status?(): ThoughtSpotClientStatus;

  /** Drop cached tokens, close the pool. */
  close(): Promise<void>;
}
