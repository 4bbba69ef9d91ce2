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
  const found = new Map<string, UserRec>();
  const missing: string[] = [];
  for (const identifier of identifiers) {
    const user = findUser(state, identifier, fidelity);
    if (user === undefined) missing.push(identifier);
    else found.set(user.id, user);
  }
  if (missing.length > 0) throw invalidIdentifiers('user', missing);
  return [...found.values()];
}

/** A group of one Org by GUID or exact name. Groups of other Orgs are invisible (CONTRACT.md §3). */
export function findGroupIn(org: OrgRec, identifier: string): GroupRec | undefined {
  return org.groups.get(identifier) ?? org.groupsByName.get(identifier);
}

/** Groups of one Org for a list of identifiers; any unknown one fails the request. */
export function findGroupsIn(org: OrgRec, identifiers: readonly string[]): GroupRec[] {
  const found = new Map<string, GroupRec>();
  const missing: string[] = [];
  for (const identifier of identifiers) {
    const group = findGroupIn(org, identifier);
    if (group === undefined) missing.push(identifier);
    else found.set(group.id, group);
  }
  if (missing.length > 0) throw invalidIdentifiers('group', missing);
  return [...found.values()];
}

/** A role of one Org by GUID or exact name. */
export function findRoleIn(org: OrgRec, identifier: string): RoleRec | undefined {
  return org.roles.get(identifier) ?? org.rolesByName.get(identifier);
}

/** Roles of one Org for a list of identifiers; any unknown one fails the request. */
export function findRolesIn(org: OrgRec, identifiers: readonly string[]): RoleRec[] {
  const found = new Map<string, RoleRec>();
  const missing: string[] = [];
  for (const identifier of identifiers) {
    const role = findRoleIn(org, identifier);
    if (role === undefined) missing.push(identifier);
    else found.set(role.id, role);
  }
  if (missing.length > 0) throw invalidIdentifiers('role', missing);
  return [...found.values()];
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
  const found = new Map<number, OrgRec>();
  const missing: string[] = [];
  for (const identifier of identifiers) {
    const org = findOrg(state, identifier);
    if (org === undefined) missing.push(identifier);
    else found.set(org.id, org);
  }
  if (missing.length > 0) throw invalidIdentifiers('org', missing);
  return [...found.values()];
}
