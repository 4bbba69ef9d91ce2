// Internal to src/emulator/handlers: the Groups tag: search, create, update, delete and import. Groups live in one
// Org; every write is confined to the token's Org (CONTRACT.md §3, §8, §11.3).

import type { Handler } from '../types.js';
import { badRequest } from '../types.js';
import type { EmulatorState } from '../domain/state.js';
import type { GroupRec, GroupType, OrgRec, RoleRec, UserRec, Visibility } from '../domain/model.js';
import { GROUP_ADMIN_PRIVILEGES, PRIMARY_ORG_ID, ROLE_ADMIN_PRIVILEGES } from '../domain/model.js';
import {
  checkPathIdentifier,
  findGroupIn,
  findGroupsIn,
  findOrg,
  findRolesIn,
  findUser,
  findUsers,
  invalidIdentifiers,
} from '../domain/resolve.js';
import { serializeGroup } from '../domain/serialize.js';
import type { Ctx, Operation } from './common.js';
import {
  bool,
  diff,
  groupView,
  intersects,
  namePatternOf,
  now,
  objects,
  operationOf,
  optionalText,
  pageOf,
  pageThrough,
  requiredText,
  requirePrivilege,
  requireRbac,
  sortOf,
  str,
  strings,
  tokenOrg,
} from './common.js';

/** Users that may join a group of this Org: they must already be members of the Org (CONTRACT.md §3). */
function membersFor(ctx: Ctx, org: OrgRec, identifiers: readonly string[]): UserRec[] {
  const users = findUsers(ctx.state, identifiers, ctx.fidelity);
  const outsiders = users.filter((u) => !u.orgIds.has(org.id));
  if (outsiders.length > 0) {
    throw badRequest(
      `Users must be members of Org ${org.id} (${org.name}) to join its groups, but these are not: ${outsiders.map((u) => u.name).join(', ')}`,
    );
  }
  return users;
}

/** Roles named for a group: RBAC must be on and the caller needs role administration as well (§8). */
function rolesFor(ctx: Ctx, org: OrgRec, identifiers: readonly string[] | undefined): RoleRec[] | undefined {
  if (identifiers === undefined) return undefined;
  if (identifiers.length > 0) {
    requireRbac(ctx);
    requirePrivilege(ctx, ROLE_ADMIN_PRIVILEGES, 'assign roles to groups');
  }
  return findRolesIn(org, identifiers);
}

/** Sub-groups must not include the implicit `All` group. */
function checkSubGroups(children: readonly GroupRec[]): void {
  const all = children.find((g) => g.builtIn === 'ALL');
  if (all !== undefined) throw badRequest('The All group cannot be a sub-group of another group.');
}

// ---------------------------------------------------------------- search

/**
 * Ids named by search-filter identifiers: a GUID found in `byId` stands for itself, anything else is a name matched
 * against `candidates` (a name may match records of several Orgs); unknown ones are skipped.
 */
function idsNamed(
  identifiers: readonly string[],
  byId: ReadonlyMap<string, unknown>,
  candidates: Iterable<{ readonly id: string; readonly name: string }>,
): Set<string> {
  const out = new Set<string>();
  const names = new Set<string>();
  for (const identifier of identifiers) {
    if (byId.has(identifier)) out.add(identifier);
    else names.add(identifier);
  }
  if (names.size > 0) for (const c of candidates) if (names.has(c.name)) out.add(c.id);
  return out;
}

/**
 * `groups/search`: groups of the token's Org; from the Primary Org, groups of every Org when
 * `fidelity.primaryGroupSearchSpansOrgs` (the observed leak, CONTRACT.md §3, §16 Q17). Paged like users/search.
 */
const searchGroups: Handler<EmulatorState> = (ctx) => {
  const state = ctx.state;
  const body = ctx.body;
  const org = tokenOrg(ctx);
  const page = pageOf(ctx);
  const { field, descending } = sortOf(ctx);
  const spanning = org.id === PRIMARY_ORG_ID && ctx.fidelity.primaryGroupSearchSpansOrgs && ctx.fidelity.orgsEnabled;
  const scope = state.sortedGroups(spanning ? '*' : org.id, field);
  const accept: ((g: GroupRec) => boolean)[] = [];
  let base: readonly GroupRec[] = scope;
  const identifier = str(body, 'group_identifier');
  if (identifier !== undefined) {
    let group = findGroupIn(org, identifier);
    if (group === undefined && spanning) {
      group = state.groups.get(identifier) ?? [...state.sortedGroups('*', 'NAME')].find((g) => g.name === identifier);
    }
    base = group === undefined ? [] : [group];
  }
  const liveboards = strings(body, 'default_liveboard_identifiers');
  if (liveboards !== undefined) accept.push((g) => g.defaultLiveboards.some((l) => liveboards.includes(l)));
  const description = str(body, 'description');
  if (description !== undefined) {
    const wanted = description.toLowerCase();
    accept.push((g) => (g.description ?? '').toLowerCase() === wanted);
  }
  const displayName = str(body, 'display_name');
  if (displayName !== undefined) {
    const wanted = displayName.toLowerCase();
    accept.push((g) => g.displayName.toLowerCase() === wanted);
  }
  const match = namePatternOf(ctx);
  if (match !== undefined) accept.push((g) => match(g.name));
  const orgIdentifiers = strings(body, 'org_identifiers');
  if (orgIdentifiers !== undefined) {
    const ids = new Set<number>();
    for (const id of orgIdentifiers) {
      const o = findOrg(state, id);
      if (o !== undefined) ids.add(o.id);
    }
    accept.push((g) => ids.has(g.orgId));
  }
  const privileges = strings(body, 'privileges');
  if (privileges !== undefined) {
    accept.push((g) => {
      const grants = state.grantsOf(g.id);
      return privileges.some((p) => grants.has(p));
    });
  }
  const subGroups = strings(body, 'sub_group_identifiers');
  if (subGroups !== undefined) {
    const ids = idsNamed(subGroups, state.groups, scope);
    accept.push((g) => intersects(g.subGroupIds, ids));
  }
  const type = str(body, 'type');
  if (type !== undefined) accept.push((g) => g.type === type);
  const visibility = str(body, 'visibility');
  if (visibility !== undefined) accept.push((g) => g.visibility === visibility);
  const userIdentifiers = strings(body, 'user_identifiers');
  if (userIdentifiers !== undefined) {
    const ids = new Set<string>();
    for (const id of userIdentifiers) {
      const user = findUser(state, id, ctx.fidelity);
      if (user !== undefined) ids.add(user.id);
    }
    const listAll = ctx.fidelity.listAllGroup;
    accept.push((g) => {
      if (g.builtIn === 'ALL') {
        if (!listAll) return false;
        for (const id of ids) if (state.users.get(id)?.orgIds.has(g.orgId) === true) return true;
        return false;
      }
      return intersects(g.userIds, ids);
    });
  }
  const roleIdentifiers = strings(body, 'role_identifiers');
  if (roleIdentifiers !== undefined) {
    const ids = idsNamed(roleIdentifiers, state.roles, state.roles.values());
    accept.push((g) => intersects(g.roleIds, ids));
  }
  const rows = pageThrough(base, descending, page, accept.length === 0 ? null : (g) => accept.every((test) => test(g)));
  const view = groupView(ctx, bool(body, 'include_users', true), bool(body, 'include_sub_groups', true));
  return { status: 200, body: state.wire.rows(state, ctx.fidelity, rows, `group ${JSON.stringify(view)}`, (g) => serializeGroup(state, g, view)) };
};

// ---------------------------------------------------------------- create, update, delete

/** `groups/create`: a group in the token's Org; members must already belong to the Org (§11.3). */
const createGroup: Handler<EmulatorState> = (ctx) => {
  const state = ctx.state;
  const caller = requirePrivilege(ctx, GROUP_ADMIN_PRIVILEGES, 'create groups');
  const body = ctx.body;
  const org = tokenOrg(ctx);
  const name = requiredText(body, 'name');
  const displayName = requiredText(body, 'display_name');
  if (org.groupsByName.has(name)) throw badRequest(`Group with name ${name} already exists`);
  const subGroupIdentifiers = strings(body, 'sub_group_identifiers');
  const children = subGroupIdentifiers === undefined ? [] : findGroupsIn(org, subGroupIdentifiers);
  checkSubGroups(children);
  const userIdentifiers = strings(body, 'user_identifiers');
  const members = userIdentifiers === undefined ? [] : membersFor(ctx, org, userIdentifiers);
  const roles = rolesFor(ctx, org, strings(body, 'role_identifiers')) ?? [];
  const group = state.createGroup(org, {
    name,
    displayName,
    description: str(body, 'description') ?? null,
    type: (str(body, 'type') as GroupType | undefined) ?? 'LOCAL_GROUP',
    visibility: (str(body, 'visibility') as Visibility | undefined) ?? 'SHARABLE',
    privileges: strings(body, 'privileges') ?? [],
    defaultLiveboards: strings(body, 'default_liveboard_identifiers') ?? [],
    at: now(ctx),
    authorId: caller.id,
  });
  for (const child of children) state.addSubGroup(group, child);
  for (const user of members) state.addGroupMember(group, user);
  for (const role of roles) state.assignRole(group, role);
  return { status: 200, body: serializeGroup(state, group, groupView(ctx)) };
};

/** Text attributes shared by update and import. Present fields overwrite, absent ones are left alone. */
function applyAttributes(group: GroupRec, body: Record<string, unknown>): void {
  const displayName = str(body, 'display_name');
  if (displayName !== undefined) group.displayName = displayName;
  const description = str(body, 'description');
  if (description !== undefined) group.description = description;
  const type = str(body, 'type');
  if (type !== undefined) group.type = type as GroupType;
  const visibility = str(body, 'visibility');
  if (visibility !== undefined) group.visibility = visibility as Visibility;
}

/** Applies a list operation to a group's sub-groups, refusing cycles (a group cannot contain its ancestor). */
function applySubGroups(ctx: Ctx, group: GroupRec, children: readonly GroupRec[], operation: Operation): void {
  const state = ctx.state;
  const { add, remove } = diff(group.subGroupIds, children.map((g) => g.id), operation);
  for (const id of add) {
    const child = state.groups.get(id) as GroupRec;
    if (state.wouldCycle(group, child)) {
      throw badRequest(`Adding sub-group ${child.name} to ${group.name} would create a cycle in the group hierarchy.`);
    }
  }
  for (const id of remove) state.removeSubGroup(group, state.groups.get(id) as GroupRec);
  for (const id of add) state.addSubGroup(group, state.groups.get(id) as GroupRec);
}

/**
 * `groups/{id}/update`: scalars present are overwritten; `user_identifiers`, `sub_group_identifiers`,
 * `role_identifiers`, `privileges` and `default_liveboard_identifiers` follow one `operation` (default REPLACE).
 */
const updateGroup: Handler<EmulatorState> = (ctx) => {
  const state = ctx.state;
  const caller = requirePrivilege(ctx, GROUP_ADMIN_PRIVILEGES, 'update groups');
  const identifier = ctx.params['group_identifier'] ?? '';
  checkPathIdentifier('group', identifier);
  const org = tokenOrg(ctx);
  const group = findGroupIn(org, identifier);
  if (group === undefined) throw invalidIdentifiers('group', [identifier]);
  const body = ctx.body;
  const operation = operationOf(ctx, 'REPLACE');
  const name = optionalText(body, 'name');
  if (name !== undefined && name !== group.name) {
    if (group.builtIn !== null) throw badRequest(`Group ${group.name} is a built-in group and cannot be renamed.`);
    if (org.groupsByName.has(name)) throw badRequest(`Group with name ${name} already exists`);
  }
  optionalText(body, 'display_name');
  const privileges = strings(body, 'privileges');
  if (privileges !== undefined && group.builtIn === 'ADMINISTRATOR') {
    throw badRequest('The privileges of the built-in Administrator group cannot be changed.');
  }
  const subGroupIdentifiers = strings(body, 'sub_group_identifiers');
  const children = subGroupIdentifiers === undefined ? undefined : findGroupsIn(org, subGroupIdentifiers);
  if (children !== undefined) checkSubGroups(children);
  const userIdentifiers = strings(body, 'user_identifiers');
  const users =
    userIdentifiers === undefined
      ? undefined
      : operation === 'REMOVE'
        ? findUsers(state, userIdentifiers, ctx.fidelity)
        : membersFor(ctx, org, userIdentifiers);
  const roles = rolesFor(ctx, org, strings(body, 'role_identifiers'));
  if (children !== undefined) {
    // Private: check every new edge for a cycle before writing anything, so a refused update changes nothing.
    const { add } = diff(group.subGroupIds, children.map((g) => g.id), operation);
    for (const id of add) {
      const child = state.groups.get(id) as GroupRec;
      if (state.wouldCycle(group, child)) {
        throw badRequest(`Adding sub-group ${child.name} to ${group.name} would create a cycle in the group hierarchy.`);
      }
    }
  }
  if (name !== undefined) state.renameGroup(group, name);
  applyAttributes(group, body);
  if (privileges !== undefined) {
    const { add, remove } = diff(group.privileges, privileges, operation);
    for (const p of remove) group.privileges.delete(p);
    for (const p of add) group.privileges.add(p);
  }
  const liveboards = strings(body, 'default_liveboard_identifiers');
  if (liveboards !== undefined) {
    const { add, remove } = diff(group.defaultLiveboards, liveboards, operation);
    group.defaultLiveboards = [...group.defaultLiveboards.filter((l) => !remove.includes(l)), ...add];
  }
  if (children !== undefined) applySubGroups(ctx, group, children, operation);
  if (users !== undefined && group.builtIn !== 'ALL') {
    // Private: `All` membership is implicit (§8.1), so member changes on it are no-ops rather than errors.
    const { add, remove } = diff(group.userIds, users.map((u) => u.id), operation);
    for (const id of remove) state.removeGroupMember(group, state.users.get(id) as UserRec);
    for (const id of add) state.addGroupMember(group, state.users.get(id) as UserRec);
  }
  if (roles !== undefined) {
    const { add, remove } = diff(group.roleIds, roles.map((r) => r.id), operation);
    for (const id of remove) state.unassignRole(group, state.roles.get(id) as RoleRec);
    for (const id of add) state.assignRole(group, state.roles.get(id) as RoleRec);
  }
  state.touchGroup(group, now(ctx), caller.id);
  return { status: 204 };
};

/** `groups/{id}/delete`: built-in groups (`All`, `Administrator`, `System`) are refused with 400. */
const deleteGroup: Handler<EmulatorState> = (ctx) => {
  requirePrivilege(ctx, GROUP_ADMIN_PRIVILEGES, 'delete groups');
  const identifier = ctx.params['group_identifier'] ?? '';
  checkPathIdentifier('group', identifier);
  const group = findGroupIn(tokenOrg(ctx), identifier);
  if (group === undefined) throw invalidIdentifiers('group', [identifier]);
  if (group.builtIn !== null) throw badRequest(`Group ${group.name} is a built-in group and cannot be deleted.`);
  ctx.state.deleteGroup(group);
  return { status: 204 };
};

// ---------------------------------------------------------------- import

interface GroupPlan {
  readonly item: Record<string, unknown>;
  readonly name: string;
  readonly existing: GroupRec | undefined;
  readonly users: UserRec[] | undefined;
  readonly subGroupNames: string[] | undefined;
}

/** True when the parent→children graph has a cycle. */
function hasCycle(children: ReadonlyMap<string, ReadonlySet<string>>): boolean {
  const state = new Map<string, 1 | 2>();
  for (const start of children.keys()) {
    if (state.has(start)) continue;
    const stack: [string, Iterator<string>][] = [[start, (children.get(start) ?? new Set<string>()).values()]];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [string, Iterator<string>];
      const next = top[1].next();
      if (next.done === true) {
        state.set(top[0], 2);
        stack.pop();
        continue;
      }
      const mark = state.get(next.value);
      if (mark === 1) return true;
      if (mark === undefined) {
        state.set(next.value, 1);
        stack.push([next.value, (children.get(next.value) ?? new Set<string>()).values()]);
      }
    }
  }
  return false;
}

/**
 * `groups/import`: upsert groups of the token's Org by name (`dry_run` defaults to TRUE). Lists given on an item
 * replace the group's lists; `delete_unspecified_groups` deletes the Org's other groups except the built-in ones
 * (§11.3, §16 Q11). Validation, including cycle detection over the resulting hierarchy, happens before any write.
 */
const importGroups: Handler<EmulatorState> = (ctx) => {
  const state = ctx.state;
  const caller = requirePrivilege(ctx, GROUP_ADMIN_PRIVILEGES, 'import groups');
  const org = tokenOrg(ctx);
  const items = objects(ctx.body, 'groups') ?? [];
  const dryRun = bool(ctx.body, 'dry_run', true);
  const deleteUnspecified = bool(ctx.body, 'delete_unspecified_groups', false);
  const plans: GroupPlan[] = [];
  const planned = new Map<string, GroupPlan>();
  items.forEach((item, index) => {
    const label = `groups[${index}]`;
    const identifier = str(item, 'group_identifier') ?? '';
    if (identifier.trim() === '') throw badRequest(`${label}.group_identifier must be a non-empty string.`);
    if ((str(item, 'display_name') ?? '').trim() === '') {
      throw badRequest(`${label}.display_name must be a non-empty string.`);
    }
    const existing = findGroupIn(org, identifier);
    const name = existing?.name ?? identifier;
    if (planned.has(name)) throw badRequest(`${label}: group ${name} appears more than once in the import.`);
    const userIdentifiers = strings(item, 'user_identifiers');
    const plan: GroupPlan = {
      item,
      name,
      existing,
      users: userIdentifiers === undefined ? undefined : membersFor(ctx, org, userIdentifiers),
      subGroupNames: strings(item, 'sub_group_identifiers'),
    };
    plans.push(plan);
    planned.set(name, plan);
  });
  // Resolve sub-groups against existing groups and groups this import creates; then check the final hierarchy.
  const subGroupIds = new Map<string, string[]>();
  for (const plan of plans) {
    if (plan.subGroupNames === undefined) continue;
    const ids: string[] = [];
    const missing: string[] = [];
    for (const identifier of plan.subGroupNames) {
      const group = findGroupIn(org, identifier);
      if (group !== undefined) {
        if (group.builtIn === 'ALL') throw badRequest('The All group cannot be a sub-group of another group.');
        ids.push(group.id);
      } else if (planned.has(identifier)) ids.push(`new:${identifier}`);
      else missing.push(identifier);
    }
    if (missing.length > 0) throw invalidIdentifiers('group', missing);
    subGroupIds.set(plan.existing?.id ?? `new:${plan.name}`, ids);
  }
  const deletions: GroupRec[] = [];
  if (deleteUnspecified) {
    for (const group of state.sortedGroups(org.id, 'NAME')) {
      if (group.builtIn === null && !planned.has(group.name)) deletions.push(group);
    }
  }
  const deletedIds = new Set(deletions.map((g) => g.id));
  const graph = new Map<string, Set<string>>();
  for (const group of org.groups.values()) {
    if (deletedIds.has(group.id)) continue;
    graph.set(group.id, new Set([...group.subGroupIds].filter((id) => !deletedIds.has(id))));
  }
  for (const [parent, ids] of subGroupIds) graph.set(parent, new Set(ids));
  if (hasCycle(graph)) throw badRequest('The imported sub-groups would create a cycle in the group hierarchy.');

  const added: { id?: string; name: string }[] = [];
  const updated: { id?: string; name: string }[] = [];
  const deleted = deletions.map((g) => ({ id: g.id, name: g.name }));
  if (dryRun) {
    for (const plan of plans) {
      if (plan.existing === undefined) added.push({ name: plan.name });
      else updated.push({ id: plan.existing.id, name: plan.existing.name });
    }
    return { status: 200, body: { groups_added: added, groups_updated: updated, groups_deleted: deleted } };
  }
  const at = now(ctx);
  const byPlan = new Map<GroupPlan, GroupRec>();
  for (const plan of plans) {
    let group = plan.existing;
    if (group === undefined) {
      group = state.createGroup(org, {
        name: plan.name,
        displayName: str(plan.item, 'display_name') ?? plan.name,
        at,
        authorId: caller.id,
      });
      added.push({ id: group.id, name: group.name });
    } else {
      updated.push({ id: group.id, name: group.name });
    }
    byPlan.set(plan, group);
  }
  for (const group of deletions) state.deleteGroup(group);
  for (const plan of plans) {
    const group = byPlan.get(plan) as GroupRec;
    const item = plan.item;
    applyAttributes(group, item);
    const privileges = strings(item, 'privileges');
    if (privileges !== undefined && group.builtIn !== 'ADMINISTRATOR') group.privileges = new Set(privileges);
    const liveboards = strings(item, 'default_liveboard_identifiers');
    if (liveboards !== undefined) group.defaultLiveboards = liveboards;
    if (plan.users !== undefined && group.builtIn !== 'ALL') {
      for (const userId of [...group.userIds]) state.removeGroupMember(group, state.users.get(userId) as UserRec);
      for (const user of plan.users) state.addGroupMember(group, user);
    }
    if (plan.subGroupNames !== undefined) {
      for (const childId of [...group.subGroupIds]) state.removeSubGroup(group, state.groups.get(childId) as GroupRec);
    }
  }
  for (const plan of plans) {
    if (plan.subGroupNames === undefined) continue;
    const group = byPlan.get(plan) as GroupRec;
    for (const identifier of plan.subGroupNames) {
      const child = findGroupIn(org, identifier);
      if (child !== undefined) state.addSubGroup(group, child);
    }
  }
  for (const group of byPlan.values()) state.touchGroup(group, at, caller.id);
  return { status: 200, body: { groups_added: added, groups_updated: updated, groups_deleted: deleted } };
};

/** Handlers of the Groups tag, keyed by contract endpoint id. */
export const groupHandlers: Readonly<Record<string, Handler<EmulatorState>>> = {
  'POST /api/rest/2.0/groups/search': searchGroups,
  'POST /api/rest/2.0/groups/create': createGroup,
  'POST /api/rest/2.0/groups/{group_identifier}/update': updateGroup,
  'POST /api/rest/2.0/groups/{group_identifier}/delete': deleteGroup,
  'POST /api/rest/2.0/groups/import': importGroups,
};
