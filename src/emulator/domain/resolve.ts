// Internal to src/emulator: identifier resolution. Every identifier field of the API accepts a GUID or a name
// (CONTRACT.md §4); unknown identifiers in write requests are a 400 / 10002 naming them, never a 404 (§6.3, §16 Q14).

import type { Fidelity } from '../types.js';
import { badRequest } from '../types.js';
import type { GroupRec, OrgRec, RoleRec, UserRec } from './model.js';
import type { EmulatorState } from './state.js';

/** The kinds of principal named in error messages. */
export type Kind = 'user' | 'group' | 'role' | 'org';

/** `Invalid <kind> identifiers: a, b` (the wording observed live on sharing endpoints, CONTRACT.md §3). */
export function invalidIdentifiers(kind: Kind, identifiers: readonly string[]): Error {
  return badRequest(`Invalid ${kind} identifiers: ${identifiers.join(', ')}`);
}

/** Path identifiers containing `/` break the vendor's routing and answer 400 (CONTRACT.md §1). */
export function checkPathIdentifier(kind: Kind, identifier: string): void {
  if (identifier.includes('/')) {
    throw badRequest(`The ${kind} identifier in the path must not contain '/', but got: ${identifier}`);
  }
  if (identifier.trim() === '') throw badRequest(`The ${kind} identifier in the path must not be empty.`);
}

/**
 * Resolves every identifier with `find`, collapsing duplicates (two identifiers of one record give it once); any
 * unknown identifier fails the whole request with one 400 naming all of them.
 */
function resolveAll<T extends { readonly id: string | number }>(
  kind: Kind,
  identifiers: readonly string[],
  find: (identifier: string) => T | undefined,
): T[] {
  const found = new Map<string | number, T>();
  const missing: string[] = [];
  for (const identifier of identifiers) {
    const record = find(identifier);
    if (record === undefined) missing.push(identifier);
    else found.set(record.id, record);
  }
  if (missing.length > 0) throw invalidIdentifiers(kind, missing);
  return [...found.values()];
}

/** A user by GUID, then by username (exact, then ignoring case when the fidelity switch allows, §16 Q6). */
export function findUser(state: EmulatorState, identifier: string, fidelity: Readonly<Fidelity>): UserRec | undefined {
  return state.users.get(identifier) ?? state.userByName(identifier, fidelity.caseInsensitiveUsernames);
}

/** Users for a list of identifiers; any unknown one fails the whole request. Duplicates collapse. */
export function findUsers(
  state: EmulatorState,
  identifiers: readonly string[],
  fidelity: Readonly<Fidelity>,
): UserRec[] {
  return resolveAll('user', identifiers, (identifier) => findUser(state, identifier, fidelity));
}

/** A group of one Org by GUID or exact name. Groups of other Orgs are invisible (CONTRACT.md §3). */
export function findGroupIn(org: OrgRec, identifier: string): GroupRec | undefined {
  return org.groups.get(identifier) ?? org.groupsByName.get(identifier);
}

/** Groups of one Org for a list of identifiers; any unknown one fails the request. */
export function findGroupsIn(org: OrgRec, identifiers: readonly string[]): GroupRec[] {
  return resolveAll('group', identifiers, (identifier) => findGroupIn(org, identifier));
}

/** A role of one Org by GUID or exact name. */
export function findRoleIn(org: OrgRec, identifier: string): RoleRec | undefined {
  return org.roles.get(identifier) ?? org.rolesByName.get(identifier);
}

/** Roles of one Org for a list of identifiers; any unknown one fails the request. */
export function findRolesIn(org: OrgRec, identifiers: readonly string[]): RoleRec[] {
  return resolveAll('role', identifiers, (identifier) => findRoleIn(org, identifier));
}

/** An Org by numeric id (sent as a string in identifier fields, CONTRACT.md §4) or by exact name. */
export function findOrg(state: EmulatorState, identifier: string): OrgRec | undefined {
  if (/^-?\d+$/.test(identifier)) {
    const byId = state.orgs.get(Number(identifier));
    if (byId !== undefined) return byId;
  }
  for (const org of state.orgs.values()) if (org.name === identifier) return org;
  return undefined;
}

/** Orgs for a list of identifiers; any unknown one fails the request. */
export function findOrgs(state: EmulatorState, identifiers: readonly string[]): OrgRec[] {
  return resolveAll('org', identifiers, (identifier) => findOrg(state, identifier));
}
