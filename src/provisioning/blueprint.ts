// Public to src/resolvers: a tenant blueprint (the desired state of one tenant: its Organization, roles, groups and
// users) and the checks it must pass before anything is read or planned. Pure: no I/O, no GraphQL.
//
// What a blueprint decides (the semantics tenantPlan and tenantApply document in schema/provisioning-tenant.graphql):
// - the Organization, by name: it is created when it does not exist; its description is set when the blueprint gives
//   one;
// - the roles it declares: they exist, with exactly the declared privileges (and description, when given);
// - the groups it declares: they exist, with the declared display name and description (when given); among the
//   declared groups, a declared group's sub-groups are exactly those it lists; among the declared roles, a declared
//   group holds exactly those it lists;
// - the users it declares: they are members of the Organization, with the display name, e-mail and account type it
//   gives (when given); among the declared groups and the Organization's built-in `Administrator` group, a declared
//   user is a direct member of exactly those it lists.
// Everything else is left alone: a role, group or user it does not declare, a sub-group or role it does not declare
// on a declared group, a group it does not declare on a declared user. A blueprint never deletes anything; removing
// users is the churn's job (churn.ts), and removing groups and roles is a deliberate act of its own.

import type { AccountType } from '../thoughtspot/index.js';

/** The Organization a blueprint describes. */
export interface OrganizationSpec {
  readonly name: string;
  /** Set when given; left alone when null. */
  readonly description: string | null;
}

/** A role the blueprint declares. */
export interface RoleSpec {
  readonly name: string;
  readonly description: string | null;
  /** Exactly these (ThoughtSpot privilege names). */
  readonly privileges: readonly string[];
}

/** A group the blueprint declares. */
export interface GroupSpec {
  readonly name: string;
  /** Defaults to `name` for a new group; left alone on an existing one when null. */
  readonly displayName: string | null;
  readonly description: string | null;
  /** Names of declared groups that are this group's direct sub-groups. */
  readonly subGroups: readonly string[];
  /** Names of declared roles this group holds. */
  readonly roles: readonly string[];
}

/** A user the blueprint declares. */
export interface UserSpec {
  readonly username: string;
  /** Defaults to `username` for a new user; left alone on an existing one when null. */
  readonly displayName: string | null;
  readonly email: string | null;
  /** Defaults to `LOCAL_USER` for a new user; left alone on an existing one when null. */
  readonly accountType: AccountType | null;
  /** Names of declared groups (or `Administrator`) the user is a direct member of. */
  readonly groups: readonly string[];
}

/** The desired state of one tenant. */
export interface Blueprint {
  readonly organization: OrganizationSpec;
  readonly roles: readonly RoleSpec[];
  readonly groups: readonly GroupSpec[];
  readonly users: readonly UserSpec[];
}

/** Why a blueprint cannot be planned (the codes are `UserErrorCode` values). */
export type ProblemCode = 'INVALID' | 'NOT_FOUND' | 'ALREADY_EXISTS' | 'NOT_ALLOWED' | 'CYCLE';

/** One reason a blueprint cannot be planned, at a path inside the blueprint (`['users', '3', 'groups', '0']`). */
export interface BlueprintProblem {
  readonly path: readonly string[];
  readonly message: string;
  readonly code: ProblemCode;
}

/**
 * The Organization's built-in administrators group. Every Organization has it (CONTRACT.md §3), so a blueprint puts
 * users in it without declaring it, and decides the membership of the users it declares.
 */
export const ADMINISTRATOR_GROUP = 'Administrator';

/** Group names ThoughtSpot reserves in every Organization: a blueprint cannot declare them (CONTRACT.md §4). */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set(['All', 'Administrator', 'System']);

/** The well-known principals (CONTRACT.md §4): never provisioned, never churned. */
export const PROTECTED_USERNAMES: ReadonlySet<string> = new Set(['tsadmin', 'su', 'system', 'guest']);

/**
 * Most roles, groups and users one blueprint declares. One apply must fit a request's upstream budget and deadline:
 * roles and groups cost a call each, users share one `users/import` call per IMPORT_CHUNK_ROWS (plan.ts).
 */
export const MAX_BLUEPRINT_ROLES = 50;
export const MAX_BLUEPRINT_GROUPS = 100;
export const MAX_BLUEPRINT_USERS = 5_000;

/** Org names: letters, digits and hyphens, at most 48 characters (CONTRACT.md §3). */
const ORG_NAME = /^[A-Za-z0-9-]{1,48}$/;
const MAX_ORG_DESCRIPTION = 124;
const MAX_NAME = 255;
/** Role names and descriptions: at most 48 and 124 characters (the v1 Role API's documented rules, CONTRACT.md §11.5). */
const MAX_ROLE_NAME = 48;
const MAX_ROLE_DESCRIPTION = 124;

/** Every problem of a blueprint's own shape (before anything is read); empty when it can be planned. */
export function checkBlueprint(blueprint: Blueprint): BlueprintProblem[] {
  const problems: BlueprintProblem[] = [];
  const problem = (path: readonly (string | number)[], message: string, code: ProblemCode = 'INVALID'): void => {
    problems.push({ path: path.map(String), message, code });
  };
  const { organization, roles, groups, users } = blueprint;
  if (!ORG_NAME.test(organization.name)) {
    problem(['organization', 'name'], 'An Organization name is 1 to 48 letters, digits and hyphens.');
  }
  if (organization.description !== null && organization.description.length > MAX_ORG_DESCRIPTION) {
    problem(['organization', 'description'], `An Organization description is at most ${MAX_ORG_DESCRIPTION} characters.`);
  }
  for (const [list, max, label] of [
    ['roles', MAX_BLUEPRINT_ROLES, 'roles'],
    ['groups', MAX_BLUEPRINT_GROUPS, 'groups'],
    ['users', MAX_BLUEPRINT_USERS, 'users'],
  ] as const) {
    if (blueprint[list].length > max) problem([list], `A blueprint declares at most ${max} ${label}.`);
  }
  if (problems.length > 0) return problems;

  // Which privileges a role may be given is the resolvers' check (ThoughtSpot's enums, resolvers/shared/role-privileges.ts).
  const roleNames = uniqueNames(roles, (role) => role.name, ['roles'], problem, false, MAX_ROLE_NAME);
  roles.forEach((role, i) => {
    if (role.description !== null && role.description.length > MAX_ROLE_DESCRIPTION) {
      problem(['roles', i, 'description'], `A role description is at most ${MAX_ROLE_DESCRIPTION} characters.`);
    }
  });

  const groupNames = uniqueNames(groups, (group) => group.name, ['groups'], problem, false, MAX_NAME);
  groups.forEach((group, i) => {
    if (BUILT_IN_GROUPS.has(group.name)) {
      problem(['groups', i, 'name'], `${group.name} is a built-in group of every Organization and cannot be declared.`, 'NOT_ALLOWED');
    }
    if (group.displayName !== null && group.displayName.trim().length === 0) {
      problem(['groups', i, 'displayName'], 'A display name is not only spaces.');
    }
    group.subGroups.forEach((name, j) => {
      if (name === group.name) problem(['groups', i, 'subGroups', j], 'A group cannot be its own sub-group.', 'CYCLE');
      else if (!groupNames.has(name)) problem(['groups', i, 'subGroups', j], `No group named ${name} is declared.`, 'NOT_FOUND');
    });
    group.roles.forEach((name, j) => {
      if (!roleNames.has(name)) problem(['groups', i, 'roles', j], `No role named ${name} is declared.`, 'NOT_FOUND');
    });
  });
  const cyclic = cycleAmong(groups.map((group) => [group.name, group.subGroups] as const));
  if (cyclic !== null) {
    const i = groups.findIndex((group) => group.name === cyclic);
    problem(['groups', i, 'subGroups'], `The declared sub-groups make ${cyclic} a sub-group of itself.`, 'CYCLE');
  }

  uniqueNames(users, (user) => user.username, ['users'], problem, true, MAX_NAME);
  users.forEach((user, i) => {
    if (PROTECTED_USERNAMES.has(user.username.toLowerCase())) {
      problem(['users', i, 'username'], `${user.username} is a system user and cannot be provisioned.`, 'NOT_ALLOWED');
    }
    if (user.displayName !== null && user.displayName.trim().length === 0) {
      problem(['users', i, 'displayName'], 'A display name is not only spaces.');
    }
    if (user.email !== null && !/^[^\s@]+@[^\s@]+$/.test(user.email)) {
      problem(['users', i, 'email'], 'An e-mail address has the form name@domain.');
    }
    const seen = new Set<string>();
    user.groups.forEach((name, j) => {
      if (seen.has(name)) problem(['users', i, 'groups', j], `${name} is listed twice.`);
      seen.add(name);
      if (name !== ADMINISTRATOR_GROUP && !groupNames.has(name)) {
        problem(['users', i, 'groups', j], `No group named ${name} is declared.`, 'NOT_FOUND');
      }
    });
  });
  return problems;
}

// Private: the names of `items`, each checked (1 to `max` characters, no surrounding spaces, unique; usernames
// without case).
function uniqueNames<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  path: readonly string[],
  problem: (path: readonly (string | number)[], message: string, code?: ProblemCode) => void,
  ignoreCase: boolean,
  max: number,
): Set<string> {
  const names = new Set<string>();
  const seen = new Set<string>();
  const field = path[0] === 'users' ? 'username' : 'name';
  items.forEach((item, i) => {
    const name = nameOf(item);
    if (name.trim().length === 0 || name.length > max || name !== name.trim()) {
      problem([...path, i, field], `A ${field} is 1 to ${max} characters without leading or trailing spaces.`);
      return;
    }
    const key = ignoreCase ? name.toLowerCase() : name;
    if (seen.has(key)) problem([...path, i, field], `${name} is declared twice.`, 'ALREADY_EXISTS');
    seen.add(key);
    names.add(name);
  });
  return names;
}

/**
 * A node on a cycle of the graph `edges` (node → its children), or null when there is none. Iterative depth-first
 * search (white/grey/black), so a deep hierarchy cannot exhaust the stack.
 */
export function cycleAmong(edges: readonly (readonly [string, readonly string[]])[]): string | null {
  const children = new Map<string, readonly string[]>(edges);
  const colour = new Map<string, 1 | 2>();
  for (const [start] of edges) {
    if (colour.has(start)) continue;
    const stack: [string, number][] = [[start, 0]];
    colour.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [string, number];
      const next = (children.get(top[0]) ?? [])[top[1]];
      if (next === undefined) {
        colour.set(top[0], 2);
        stack.pop();
        continue;
      }
      top[1] += 1;
      const seen = colour.get(next);
      if (seen === 1) return next;
      if (seen === undefined) {
        colour.set(next, 1);
        stack.push([next, 0]);
      }
    }
  }
  return null;
}
