// Internal to src/emulator/handlers: what every handler needs: typed reads of an already-validated body, the
// caller and privilege gates, paging and sorting, name patterns, and the ADD / REMOVE / REPLACE list operation.

import { compileNamePattern, NAME_PATTERN_MAX_LENGTH } from '../../name-pattern.js';
import type { EmulatorState, SortField } from '../domain/state.js';
import type { OrgRec, UserRec } from '../domain/model.js';
import { PRIMARY_ORG_ID } from '../domain/model.js';
import type { UserView, GroupView } from '../domain/serialize.js';
import type { HandlerContext, Principal } from '../types.js';
import { EmulatorError, VendorCode, badRequest, forbidden, unauthenticated } from '../types.js';

/** The context every domain handler receives. */
export type Ctx = HandlerContext<EmulatorState>;

// ---------------------------------------------------------------- body reads
// The shell has checked types, enums and required fields against contract.json, so these reads only turn absent and
// null into `undefined` and apply the contract's defaults.

/** A string field; null or absent is undefined. */
export function str(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' ? value : undefined;
}

/** A boolean field with its contract default. */
export function bool(body: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = body[key];
  return typeof value === 'boolean' ? value : fallback;
}

/** A boolean field, undefined when absent or null (filters that apply only when present). */
export function optBool(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** An integer field; null or absent is undefined. */
export function int(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A string-array field; null or absent is undefined (an absent list is left untouched, CONTRACT.md §8.1). */
export function strings(body: Record<string, unknown>, key: string): string[] | undefined {
  const value = body[key];
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string');
}

/** An object field; null or absent is undefined. */
export function obj(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = body[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** An array of objects; null or absent is undefined. */
export function objects(body: Record<string, unknown>, key: string): Record<string, unknown>[] | undefined {
  const value = body[key];
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v));
}

/** A required string that must not be empty or blank (the SDK's negative vectors, CONTRACT.md §6.3). */
export function requiredText(body: Record<string, unknown>, key: string): string {
  const value = str(body, key);
  if (value === undefined || value.trim() === '') {
    throw badRequest(`${key} must be a non-empty string, but got: ${JSON.stringify(body[key] ?? null)}`);
  }
  return value;
}

/** An optional string that, when present, must not be blank. */
export function optionalText(body: Record<string, unknown>, key: string): string | undefined {
  const value = str(body, key);
  if (value !== undefined && value.trim() === '') {
    throw badRequest(`${key} must not be empty when given.`);
  }
  return value;
}

// ---------------------------------------------------------------- callers and privileges

/** The authenticated principal. The shell only lets `auth: none` endpoints through without one. */
export function principalOf(ctx: Ctx): Principal {
  if (ctx.principal === null) throw unauthenticated('Authentication is required: send a valid bearer token.');
  return ctx.principal;
}

/** The user behind the principal. */
export function callerOf(ctx: Ctx): UserRec {
  const principal = principalOf(ctx);
  const user = ctx.state.users.get(principal.userId);
  if (user === undefined) throw unauthenticated('The user behind this token no longer exists.');
  return user;
}

/**
 * A permission failure: 403 / 10023, or 500 / 10023 when `fidelity.permissionErrorsAs500` mimics the live quirk
 * (CONTRACT.md §6.2, §16 Q15).
 */
export function denied(ctx: Ctx, message: string): EmulatorError {
  return ctx.fidelity.permissionErrorsAs500
    ? new EmulatorError(500, VendorCode.FORBIDDEN, message)
    : forbidden(message);
}

/** True when the caller holds any of the privileges in the token's Org through a full-access token. */
export function holds(ctx: Ctx, anyOf: readonly string[]): boolean {
  const principal = principalOf(ctx);
  if (principal.accessType !== 'FULL') return false;
  const caller = callerOf(ctx);
  const privileges = ctx.state.effectivePrivileges(caller, principal.orgId);
  return anyOf.some((p) => privileges.includes(p));
}

/** Fails with a permission error unless the caller holds one of the privileges in the token's Org. */
export function requirePrivilege(ctx: Ctx, anyOf: readonly string[], action: string): UserRec {
  const caller = callerOf(ctx);
  if (!holds(ctx, anyOf)) {
    throw denied(ctx, `${caller.name} may not ${action}: it needs one of ${anyOf.join(', ')} in this Org.`);
  }
  return caller;
}

/** True for a cluster administrator calling with a Primary-Org full-access token. */
export function isPrimaryClusterAdmin(ctx: Ctx): boolean {
  const principal = principalOf(ctx);
  return (
    principal.orgId === PRIMARY_ORG_ID && principal.accessType === 'FULL' && ctx.state.isClusterAdmin(callerOf(ctx))
  );
}

/** The token's Org record. */
export function tokenOrg(ctx: Ctx): OrgRec {
  const org = ctx.state.orgs.get(principalOf(ctx).orgId);
  if (org === undefined) throw unauthenticated('The Org of this token no longer exists.');
  return org;
}

// ---------------------------------------------------------------- views

/** How users are serialized for this caller. */
export function userView(ctx: Ctx, options: Partial<Pick<UserView, 'includeFavorites' | 'includeVariables' | 'currentOrgId'>> = {}): UserView {
  const orgId = principalOf(ctx).orgId;
  return {
    orgId,
    spanOrgs: orgId === PRIMARY_ORG_ID && ctx.fidelity.primaryGroupSearchSpansOrgs && ctx.fidelity.orgsEnabled,
    listAllGroup: ctx.fidelity.listAllGroup,
    includeFavorites: options.includeFavorites ?? true,
    includeVariables: options.includeVariables ?? false,
    currentOrgId: options.currentOrgId ?? null,
  };
}

/** How groups are serialized for this caller. */
export function groupView(ctx: Ctx, includeUsers = true, includeSubGroups = true): GroupView {
  return {
    includeUsers,
    includeSubGroups,
    listAllGroup: ctx.fidelity.listAllGroup,
    rbacEnabled: ctx.fidelity.rbacEnabled,
  };
}

// ---------------------------------------------------------------- paging, sorting, patterns

/** A parsed page request. `size` is Infinity for `record_size: -1`. */
export interface Page {
  readonly offset: number;
  readonly size: number;
}

/**
 * `record_offset` (default 0) and `record_size` (default 10). `-1` means every record from the offset; 0 and other
 * negatives are refused, and so is a size above `fidelity.maxRecordSize` (CONTRACT.md §5, §16 Q5).
 */
export function pageOf(ctx: Ctx): Page {
  const offset = int(ctx.body, 'record_offset') ?? 0;
  const size = int(ctx.body, 'record_size') ?? 10;
  if (!Number.isInteger(offset) || offset < 0) {
    throw badRequest(`record_offset must be an integer >= 0, but got: ${offset}`);
  }
  if (!Number.isInteger(size) || size === 0 || size < -1) {
    throw badRequest(`record_size must be a positive integer or -1 (all records), but got: ${size}`);
  }
  if (size > ctx.fidelity.maxRecordSize) {
    throw badRequest(`record_size must be at most ${ctx.fidelity.maxRecordSize}, but got: ${size}`);
  }
  return { offset, size: size === -1 ? Number.POSITIVE_INFINITY : size };
}

/** `sort_options`: one key, default `NAME ASC` (CONTRACT.md §16 Q19). */
export function sortOf(ctx: Ctx): { field: SortField; descending: boolean } {
  const options = obj(ctx.body, 'sort_options');
  const field = (options !== undefined && typeof options['field_name'] === 'string' ? options['field_name'] : 'NAME') as SortField;
  const descending = options !== undefined && options['order'] === 'DESC';
  return { field, descending };
}

/**
 * Walks a sorted list (backwards for DESC), keeps the rows the predicate accepts, skips `offset` of them and returns
 * at most `size`. The walk stops as soon as the page is full; without a predicate the page is sliced directly.
 */
export function pageThrough<T>(
  sorted: readonly T[],
  descending: boolean,
  page: Page,
  accept: ((row: T) => boolean) | null,
): T[] {
  const n = sorted.length;
  if (accept === null) {
    const end = Math.min(n, page.offset + page.size);
    const out: T[] = [];
    for (let i = page.offset; i < end; i++) out.push(sorted[descending ? n - 1 - i : i] as T);
    return out;
  }
  const out: T[] = [];
  let skipped = 0;
  for (let i = 0; i < n && out.length < page.size; i++) {
    const row = sorted[descending ? n - 1 - i : i] as T;
    if (!accept(row)) continue;
    if (skipped < page.offset) {
      skipped++;
      continue;
    }
    out.push(row);
  }
  return out;
}

/**
 * The request's `name_pattern` as a predicate over names, or undefined when absent or null. The matching itself is
 * `compileNamePattern`'s (case-insensitive SQL-LIKE, `%` the only wildcard, nothing implied: CONTRACT.md §5), the
 * same function the subgraph uses, so the two never disagree on what a pattern means.
 *
 * A pattern longer than `NAME_PATTERN_MAX_LENGTH` is refused with 400 / 10002. ThoughtSpot documents no limit
 * (CONTRACT.md §5, §11.2, §11.3), so the bound is our choice: it keeps the cost of one search proportional to the
 * directory, not to whatever a client sends.
 */
export function namePatternOf(ctx: Ctx): ((name: string) => boolean) | undefined {
  const pattern = str(ctx.body, 'name_pattern');
  if (pattern === undefined) return undefined;
  if (pattern.length > NAME_PATTERN_MAX_LENGTH) {
    throw badRequest(
      `name_pattern must be at most ${NAME_PATTERN_MAX_LENGTH} characters long, but got: ${pattern.length} characters.`,
    );
  }
  return compileNamePattern(pattern);
}

/** Whether two sets share at least one element (a filter matches when any wanted id is present). */
export function intersects<T>(set: ReadonlySet<T>, wanted: ReadonlySet<T>): boolean {
  for (const x of set) if (wanted.has(x)) return true;
  return false;
}

// ---------------------------------------------------------------- list operations

/** `ADD`, `REMOVE` or `REPLACE` (CONTRACT.md §8.1). */
export type Operation = 'ADD' | 'REMOVE' | 'REPLACE';

/** The request's `operation`, or the endpoint's default. */
export function operationOf(ctx: Ctx, fallback: Operation): Operation {
  const value = str(ctx.body, 'operation');
  return value === 'ADD' || value === 'REMOVE' || value === 'REPLACE' ? value : fallback;
}

/**
 * Applies one operation to a current set: what to add and what to remove. ADD unions, REMOVE subtracts, REPLACE
 * makes the set exactly the given values.
 */
export function diff<T>(current: Iterable<T>, given: readonly T[], operation: Operation): { add: T[]; remove: T[] } {
  const have = new Set(current);
  const want = new Set(given);
  switch (operation) {
    case 'ADD':
      return { add: [...want].filter((x) => !have.has(x)), remove: [] };
    case 'REMOVE':
      return { add: [], remove: [...want].filter((x) => have.has(x)) };
    case 'REPLACE':
      return { add: [...want].filter((x) => !have.has(x)), remove: [...have].filter((x) => !want.has(x)) };
  }
}

/** Checks a password against the policy (non-empty, `fidelity.minPasswordLength`, §16 Q16). */
export function checkPassword(ctx: Ctx, password: string, field = 'password'): void {
  if (password.length === 0 || password.length < ctx.fidelity.minPasswordLength) {
    throw badRequest(
      `${field} must be at least ${Math.max(1, ctx.fidelity.minPasswordLength)} characters long, but got ${password.length}.`,
    );
  }
}

/** Checks that the Orgs feature is on. */
export function requireOrgsFeature(ctx: Ctx): void {
  if (!ctx.fidelity.orgsEnabled) throw forbidden('The Orgs feature is not enabled on this cluster.');
}

/** Checks that RBAC is on (roles/* fail on non-RBAC clusters, CONTRACT.md §11.5). */
export function requireRbac(ctx: Ctx): void {
  if (!ctx.fidelity.rbacEnabled) throw forbidden('Role-based access control (RBAC) is not enabled on this cluster.');
}

/** The current time from the injected clock. */
export function now(ctx: Ctx): number {
  return ctx.clock.now();
}
