// Internal to src/loaders, and the one place that knows who belongs to what (CONTRACT.md §8): who is in a group
// (directly, or through its sub-groups), who holds a role (through a group, direct or inherited: roles are never
// assigned to users), what the `All` group means (every member of the Org, implicitly), and how sub-groups close.
// Pure: no calls, no loaders. Loaders use it to partition rows they read; resolvers use it to decide what to read.

/** The name of the group every user of an Org belongs to implicitly (CONTRACT.md §4, §8). */
export const ALL_GROUP_NAME = 'All';

/** A group as any record names it: a full group, or an {id, name} reference inside a user, role or group row. */
export interface GroupLike {
  readonly id: string;
  readonly name?: string | null;
  /** Present on full group records only; a reference (`role.groups`, `user_groups`) has no flag. */
  readonly systemGroup?: boolean | null;
}

/** A user row's group lists, as `users/search` answers them in the token's Org. */
export interface MemberRow {
  readonly groups: readonly { readonly id: string }[];
  readonly inheritedGroups: readonly { readonly id: string }[];
}

/**
 * Whether `group` is the Org's implicit `All` group. A reference carries no `systemGroup` flag, so only a record that
 * says it is *not* a system group can disqualify the name; a user-made group cannot be called `All` next to it.
 */
export function isAllGroup(group: GroupLike): boolean {
  return group.name === ALL_GROUP_NAME && group.systemGroup !== false;
}

/**
 * `groupId` and every group below it, at any depth (`childrenOf` gives a group's direct sub-groups). ThoughtSpot
 * refuses cycles, but a walk with a visited set costs nothing and cannot loop if one slipped in.
 */
export function subGroupClosure(groupId: string, childrenOf: (groupId: string) => readonly string[]): Set<string> {
  const seen = new Set<string>([groupId]);
  const stack = [groupId];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    for (const child of childrenOf(current)) {
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
    }
  }
  return seen;
}

/**
 * One member list, as a rule over user rows: `users/search` selects candidates with `via` = `ids` (its OR-ed array
 * filter), and a candidate belongs to the list when one of its groups is in `match`. `everyone` lists (the `All`
 * group, a role assigned to `All`) match every user of the Org, so no array filter narrows them.
 */
export interface MemberRule {
  readonly via: 'groups' | 'roles';
  /** The upstream array filter's values (group or role GUIDs), sorted; empty when nobody can match. */
  readonly ids: readonly string[];
  /** Group GUIDs that make a row a member, sorted. */
  readonly match: readonly string[];
  /** Compare `match` with the row's direct groups, or with its direct and inherited groups. */
  readonly matchOn: 'direct' | 'inherited';
  /** Every user of the Org is a member. */
  readonly everyone: boolean;
}

/**
 * The members of `group`: direct members, or with `closure` (its `subGroupClosure`) also the members of every group
 * below it. `All` has every user of the Org as a member, whatever ThoughtSpot lists in `user_groups` (§16 Q10).
 */
export function groupMembers(group: GroupLike, closure: ReadonlySet<string> | null): MemberRule {
  const ids = closure === null ? [group.id] : [...closure].sort();
  return { via: 'groups', ids, match: ids, matchOn: 'direct', everyone: isAllGroup(group) };
}

/**
 * The holders of a role assigned to `groups`: users in one of those groups, directly or through a sub-group (the
 * row's inherited groups). A role assigned to `All` is held by every user of the Org; a role assigned to no group is
 * held by nobody, which needs no call at all (`ids` empty).
 */
export function roleHolders(roleId: string, groups: readonly GroupLike[]): MemberRule {
  const match = groups.map((group) => group.id).sort();
  return {
    via: 'roles',
    ids: match.length === 0 ? [] : [roleId],
    match,
    matchOn: 'inherited',
    everyone: groups.some(isAllGroup),
  };
}

/** Whether `row` is a member under `rule`. */
export function isMember(row: MemberRow, rule: Pick<MemberRule, 'match' | 'matchOn' | 'everyone'>): boolean {
  if (rule.everyone) return true;
  const match = new Set(rule.match);
  if (row.groups.some((group) => match.has(group.id))) return true;
  return rule.matchOn === 'inherited' && row.inheritedGroups.some((group) => match.has(group.id));
}

/**
 * The roles a user holds in one Org, given the user's row in that Org: those assigned to one of its groups, direct
 * or inherited, or to `All`, which every member of the Org is in implicitly. Roles keep `roles`' order.
 */
export function rolesHeld<R extends { readonly groups: readonly GroupLike[] }>(row: MemberRow, roles: readonly R[]): R[] {
  const held = new Set([...row.groups, ...row.inheritedGroups].map((group) => group.id));
  return roles.filter((role) => role.groups.some((group) => held.has(group.id) || isAllGroup(group)));
}

/**
 * The same roles from the other side: given every group of the Org with the roles assigned to it (a group row's
 * `roles`), those held through one of the user's groups, direct or inherited, or through `All`. Each role once, in
 * the order the groups first name it (callers sort).
 */
export function rolesHeldThroughGroups<R extends { readonly id: string }>(
  row: MemberRow,
  groups: readonly (GroupLike & { readonly roles: readonly R[] })[],
): R[] {
  const held = new Set([...row.groups, ...row.inheritedGroups].map((group) => group.id));
  const roles = new Map<string, R>();
  for (const group of groups) {
    if (!held.has(group.id) && !isAllGroup(group)) continue;
    for (const role of group.roles) if (!roles.has(role.id)) roles.set(role.id, role);
  }
  return [...roles.values()];
}

/**
 * How `row` (a member read in the group's Org) belongs to `group`: DIRECT when the row lists the group among its
 * direct groups, or when the group is `All` (everyone is in it directly, though rows need not list it, §16 Q10);
 * INHERITED otherwise (it was listed through a sub-group).
 */
export function membershipIn(row: Pick<MemberRow, 'groups'>, group: GroupLike): 'DIRECT' | 'INHERITED' {
  return isAllGroup(group) || row.groups.some((direct) => direct.id === group.id) ? 'DIRECT' : 'INHERITED';
}
