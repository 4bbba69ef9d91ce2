// Expected answers computed from the emulator's own domain state, independently of the subgraph: the oracle the
// query tests compare GraphQL results with.

import type { EmulatorState, GroupRec, OrgRec, RoleRec, UserRec } from '../../src/emulator/domain/index.js';

/** Names in the order the subgraph sorts names held in memory: case-insensitively, then exactly. */
export function byName<T extends { readonly name: string }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => {
    const la = a.name.toLowerCase();
    const lb = b.name.toLowerCase();
    return la < lb ? -1 : la > lb ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

export function orgNamed(state: EmulatorState, name: string): OrgRec {
  for (const org of state.orgs.values()) if (org.name === name) return org;
  throw new Error(`no Org named ${name}`);
}

export function groupNamed(org: OrgRec, name: string): GroupRec {
  const group = org.groupsByName.get(name);
  if (group === undefined) throw new Error(`no group ${name} in Org ${org.name}`);
  return group;
}

export function roleNamed(org: OrgRec, name: string): RoleRec {
  const role = org.rolesByName.get(name);
  if (role === undefined) throw new Error(`no role ${name} in Org ${org.name}`);
  return role;
}

export function userNamed(state: EmulatorState, name: string): UserRec {
  for (const user of state.users.values()) if (user.name === name) return user;
  throw new Error(`no user ${name}`);
}

/** An Org's listed users (users/search leaves hidden principals out), by username, filtered. */
export function listedUsers(state: EmulatorState, orgId: number, keep: (user: UserRec) => boolean = () => true): string[] {
  return state.sortedOrgMembers(orgId, 'NAME').filter(keep).map((user) => user.name);
}

/** A group and every group below it. */
export function closureOf(state: EmulatorState, group: GroupRec): Set<string> {
  const seen = new Set<string>([group.id]);
  const stack = [group.id];
  while (stack.length > 0) {
    for (const child of state.groups.get(stack.pop() as string)?.subGroupIds ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
    }
  }
  return seen;
}

/** Usernames of a group's members: direct, or including sub-groups at any depth. `All` has every Org member. */
export function membersOf(state: EmulatorState, group: GroupRec, membership: 'DIRECT' | 'ALL' = 'DIRECT'): string[] {
  if (group.builtIn === 'ALL') return listedUsers(state, group.orgId);
  const ids = membership === 'DIRECT' ? new Set([group.id]) : closureOf(state, group);
  return listedUsers(state, group.orgId, (user) => [...user.groupIds].some((id) => ids.has(id)));
}

/** Names of a user's groups in every Org (or one), direct or with inherited ones. */
export function groupsOfUser(state: EmulatorState, user: UserRec, membership: 'DIRECT' | 'ALL', orgId?: number): string[] {
  const orgIds = orgId === undefined ? [...user.orgIds] : [orgId];
  const groups = orgIds.flatMap((id) => (membership === 'DIRECT' ? state.directGroups(user, id) : state.groupClosure(user, id)));
  return byName(groups).map((group) => group.name);
}

/** Names of a user's effective roles in every Org (or one). */
export function rolesOfUser(state: EmulatorState, user: UserRec, orgId?: number): string[] {
  const orgIds = orgId === undefined ? [...user.orgIds] : [orgId];
  const roles = orgIds.flatMap((id) => [...state.effectiveRoles(user, id)].map((roleId) => state.roles.get(roleId) as RoleRec));
  return byName(roles).map((role) => role.name);
}

/** Usernames of the holders of a role, by username. */
export function holdersOf(state: EmulatorState, role: RoleRec): string[] {
  return listedUsers(state, role.orgId, (user) => state.effectiveRoles(user, role.orgId).has(role.id));
}
