// Internal to src/auth (the rest of src reaches these through auth/index.ts): who is calling, and what they may do.
// Pure functions over the `Caller` the authenticator builds; nothing here reads a token.

import { ForbiddenError } from './errors.js';

/** Every scope a caller's token can grant; any other value in the token's scope claim is ignored. */
export const SCOPES = ['directory:read', 'directory:write', 'directory:admin', 'directory:embed'] as const;

/** One scope a caller's token can grant. */
export type Scope = (typeof SCOPES)[number];

/**
 * What each scope brings with it. The scopes form a ladder and one side branch:
 * - `directory:admin` implies `directory:write` and `directory:read`, because whoever may manage connections and
 *   provisioning must be able to see and change what they manage;
 * - `directory:write` implies `directory:read`, because a mutation returns the objects it changed;
 * - `directory:embed` implies nothing and is implied by nothing: it is the narrow grant of an embedding back end
 *   (just-in-time users for embedded sessions), which must not come with reading or changing the whole directory,
 *   and which an administrator's token does not carry unless it is granted explicitly.
 */
const IMPLIES: Readonly<Record<Scope, readonly Scope[]>> = {
  'directory:admin': ['directory:admin', 'directory:write', 'directory:read'],
  'directory:write': ['directory:write', 'directory:read'],
  'directory:read': ['directory:read'],
  'directory:embed': ['directory:embed'],
};

/** An authenticated caller of the subgraph, built from the claims of its token. */
export interface Caller {
  /** The token's `sub`: who the caller is, for the audit log. */
  readonly subject: string;
  /** The effective scopes: those the token grants plus those they imply (see `hasScope`). */
  readonly scopes: ReadonlySet<Scope>;
  /**
   * The ThoughtSpot Organizations the caller may see, by name, or `*` for every one. A token without the claim grants
   * none: a forgotten claim must not open every tenant.
   */
  readonly orgs: '*' | ReadonlySet<string>;
  /** The ThoughtSpot connection the caller targets (`conn` claim); null for the default connection. */
  readonly connectionId: string | null;
}

/**
 * The caller of every request when AUTH_MODE=none, which only the embedded emulator allows (DESIGN.md §7a): the
 * emulator's directory is made up, so a local developer sees and may do everything with it.
 */
export const LOCAL_CALLER: Caller = Object.freeze({
  subject: 'local',
  scopes: new Set<Scope>(SCOPES),
  orgs: '*',
  connectionId: null,
});

/** Whether a string is one of the scopes this subgraph knows. */
export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The scopes `granted` amounts to once implication is applied (see `IMPLIES` for the rule and why). */
export function effectiveScopes(granted: Iterable<Scope>): ReadonlySet<Scope> {
  const scopes = new Set<Scope>();
  for (const scope of granted) for (const implied of IMPLIES[scope]) scopes.add(implied);
  return scopes;
}

/**
 * Whether the caller holds `scope`, directly or through a scope that implies it: `directory:admin` implies
 * `directory:write` and `directory:read`, `directory:write` implies `directory:read`, and `directory:embed` stands
 * alone. The implication is applied again here so that a `Caller` built by hand (a test, a background job) obeys the
 * same rule as one built from a token.
 */
export function hasScope(caller: Pick<Caller, 'scopes'>, scope: Scope): boolean {
  for (const held of caller.scopes) if (IMPLIES[held].includes(scope)) return true;
  return false;
}

/** Throws a `ForbiddenError` naming `scope` unless the caller holds it (with implication, as `hasScope`). */
export function requireScope(caller: Pick<Caller, 'scopes'>, scope: Scope): void {
  if (!hasScope(caller, scope)) throw new ForbiddenError(scope);
}

/**
 * Whether the caller may see the Organization with this name. The comparison is exact and case-sensitive: ThoughtSpot
 * does not document whether Org names are case-sensitive (CONTRACT.md §16 Q6), and a grant must never widen by a
 * guess, so compare with the name as ThoughtSpot returns it.
 */
export function allowsOrg(caller: Pick<Caller, 'orgs'>, orgName: string): boolean {
  return caller.orgs === '*' || caller.orgs.has(orgName);
}
