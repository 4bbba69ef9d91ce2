// Internal to src/resolvers: the list fields that exist both at the root and below a parent (Query.groups and
// Organization.groups, Query.users and Organization.users, Query.roles and Organization.roles), the member lists
// (Group.members, Role.users), and Node lookups. Each states the upstream calls it makes.

import { getArgumentValues, isObjectType, type GraphQLResolveInfo } from 'graphql';
import type {
  AccountStatus,
  AccountType,
  GroupOrder,
  Privilege,
  RoleOrder,
  UserOrder,
  Visibility,
} from '../../__generated__/resolvers-types.js';
import type { Context } from '../../context.js';
import { badUserInput } from '../../errors/codes.js';
import {
  GROUP_REF_FIELDS,
  PRIMARY_ORG_ID,
  groupMembers,
  groupRefNode,
  isAllGroup,
  membershipIn,
  type GroupMemberConnectionModel,
  type MemberRule,
  roleHolders,
  isRecordNotFound,
  type GroupNode,
  type NodeModel,
  type RoleNode,
  type UserFilter,
} from '../../loaders/index.js';
import type { ConnectionArgs, ConnectionModel } from '../../relay/connection.js';
import { toGlobalId, type GlobalIdTarget } from '../../relay/global-id.js';
import type { GroupType, UserRecord } from '../../thoughtspot/index.js';
import { groupIdArg, groupSort, namePatternMatcher, orgIdArg, roleIdArg, sortRoles, userIdArg, userSort, type ScopedId } from './args.js';
import { listConnection, pagedConnection } from './connections.js';
import { privilegeFilter } from './privileges.js';
import { selectedFieldNodes, selectedFields } from './selection.js';

/** Arguments of a group list. */
export interface GroupListArgs extends ConnectionArgs {
  readonly namePattern?: string | null;
  readonly type?: GroupType | null;
  readonly visibility?: Visibility | null;
  readonly privileges?: readonly Privilege[] | null;
  readonly userId?: string | null;
  readonly roleId?: string | null;
  readonly orderBy?: GroupOrder | null;
}

/** Arguments of a user list. */
export interface UserListArgs extends ConnectionArgs {
  readonly namePattern?: string | null;
  readonly email?: string | null;
  readonly accountStatus?: AccountStatus | null;
  readonly accountType?: AccountType | null;
  readonly visibility?: Visibility | null;
  readonly privileges?: readonly Privilege[] | null;
  readonly groupId?: string | null;
  readonly roleId?: string | null;
  readonly orderBy?: UserOrder | null;
}

/** Arguments of a role list. */
export interface RoleListArgs extends ConnectionArgs {
  readonly namePattern?: string | null;
  readonly privileges?: readonly Privilege[] | null;
  readonly groupId?: string | null;
  readonly orderBy?: RoleOrder | null;
}

/** The global ID of a model, also used as the parent key that binds its lists' cursors. */
export function globalIdOf(ctx: Pick<Context, 'connectionId'>, target: GlobalIdTarget): string {
  return toGlobalId(ctx.connectionId, target);
}

/**
 * The Org a list runs in: `explicit` (the `organizationId` argument, or the parent Organization of a nested list) if
 * given, else the Org of the first scoped filter argument (a group or role ID carries its Org), else Primary. A
 * scoped argument from another Org is a BAD_USER_INPUT: ThoughtSpot would silently match nothing. The message names
 * the list's Org (the caller's own) but not the argument's, so it reads the same whatever the argument names.
 */
export function listOrg(explicit: number | null, scoped: readonly { readonly id: ScopedId | null; readonly argumentName: string }[]): number {
  let orgId = explicit;
  for (const { id, argumentName } of scoped) {
    if (id === null) continue;
    if (orgId === null) orgId = id.orgId;
    else if (id.orgId !== orgId) {
      throw badUserInput(
        `Argument "${argumentName}" names an object of another Organization than the one this list runs in (Organization ${orgId}).`,
        argumentName,
      );
    }
  }
  return orgId ?? PRIMARY_ORG_ID;
}

/**
 * The Org a root list runs in (see listOrg) and the argument that named it: `organizationId`, or the group or role
 * ID whose Org it is, or null for the Primary Org by default. inNamedOrg reports a missing Org against that argument.
 */
export function rootListOrg(
  ctx: Context,
  organizationId: string | null | undefined,
  scoped: readonly { readonly id: ScopedId | null; readonly argumentName: string }[],
): { readonly orgId: number; readonly argumentName: string | null } {
  const explicit = orgIdArg(ctx, organizationId, 'organizationId');
  const orgId = listOrg(explicit, scoped);
  return { orgId, argumentName: explicit !== null ? 'organizationId' : (scoped.find((s) => s.id !== null)?.argumentName ?? null) };
}

/**
 * Throws BAD_USER_INPUT when an explicitly named Organization does not exist (loaders `orgExists` decides). Checked
 * up front only where no call in that Org would fail first, else after a list call failed (`inNamedOrg`).
 */
export async function assertOrgExists(ctx: Context, orgId: number, argumentName: string): Promise<void> {
  if (!(await ctx.loaders.orgExists(orgId))) throw missingOrg(argumentName);
}

// Private: the caller named an Organization that does not exist.
function missingOrg(argumentName: string): Error {
  return badUserInput(`Argument "${argumentName}" names an Organization that does not exist.`, argumentName);
}

/**
 * Runs a read in Org `orgId`. If it fails and the Org does not exist, the failure was the missing Org's, and
 * `missing` gives the answer instead (null, or the caller's mistake); otherwise the failure stands. Costs nothing
 * extra when the read succeeds.
 */
async function unlessOrgMissing<T>(ctx: Context, orgId: number, run: () => Promise<T>, missing: () => T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(await ctx.loaders.orgExists(orgId))) return missing();
    throw error;
  }
}

/**
 * Runs a list in an Org named by the caller (`argumentName`, or null for the default Org); if ThoughtSpot refuses
 * it, a missing Org is reported as the caller's mistake rather than as an upstream failure.
 */
export async function inNamedOrg<T>(ctx: Context, orgId: number, argumentName: string | null, run: () => Promise<T>): Promise<T> {
  if (argumentName === null) {
    // The default Org is the Primary Org, which a caller restricted to some tenants may not see (loaders/tenancy.ts):
    // tell it to name one of its own rather than fail upstream. A caller granted every Org pays no call for this.
    if (ctx.caller.orgs !== '*' && !(await ctx.loaders.orgExists(orgId))) {
      throw badUserInput(
        'This list runs in the Primary Organization unless "organizationId" names another, and the caller\'s token does not grant the Primary Organization; pass "organizationId".',
        'organizationId',
      );
    }
    return run();
  }
  return unlessOrgMissing(ctx, orgId, run, () => {
    throw missingOrg(argumentName);
  });
}

/**
 * The groups of one Org, filtered and paged by ThoughtSpot: one `groups/search` (a page plus one row, or the whole
 * list when `totalCount` or `last` without `before` needs it).
 */
export function groupsOfOrg(
  ctx: Context,
  info: GraphQLResolveInfo,
  orgId: number,
  args: GroupListArgs,
  parentKey: string,
): Promise<ConnectionModel<GroupNode>> {
  const role = roleIdArg(ctx, args.roleId, 'roleId');
  if (role !== null) listOrg(orgId, [{ id: role, argumentName: 'roleId' }]);
  const user = userIdArg(ctx, args.userId, 'userId');
  const privileges = privilegeFilter(args.privileges);
  const query = {
    ...(args.namePattern == null ? {} : { namePattern: args.namePattern }),
    ...(args.type == null ? {} : { type: args.type }),
    ...(args.visibility == null ? {} : { visibility: args.visibility }),
    ...(privileges === null ? {} : { privileges }),
    ...(user === null ? {} : { userIdentifiers: [user] }),
    ...(role === null ? {} : { roleIdentifiers: [role.guid] }),
  };
  const sort = groupSort(args.orderBy);
  return pagedConnection(info, args, parentKey, (page) => ctx.loaders.groupSearch.load({ orgId, query, sort, page }));
}

/** The user filters every user list shares. */
export function userFilterOf(args: Omit<UserListArgs, 'groupId' | 'roleId'>): UserFilter {
  const privileges = privilegeFilter(args.privileges);
  return {
    ...(args.namePattern == null ? {} : { namePattern: args.namePattern }),
    ...(args.email == null ? {} : { email: args.email }),
    ...(args.accountStatus == null ? {} : { accountStatus: args.accountStatus }),
    ...(args.accountType == null ? {} : { accountType: args.accountType }),
    ...(args.visibility == null ? {} : { visibility: args.visibility }),
    ...(privileges === null ? {} : { privileges }),
  };
}

/** The users of one Org, filtered and paged by ThoughtSpot: one `users/search`. */
export function usersOfOrg(
  ctx: Context,
  info: GraphQLResolveInfo,
  orgId: number,
  args: UserListArgs,
  parentKey: string,
): Promise<ConnectionModel<UserRecord>> {
  const group = groupIdArg(ctx, args.groupId, 'groupId');
  const role = roleIdArg(ctx, args.roleId, 'roleId');
  listOrg(orgId, [
    { id: group, argumentName: 'groupId' },
    { id: role, argumentName: 'roleId' },
  ]);
  const query = {
    ...userFilterOf(args),
    ...(group === null ? {} : { groupIdentifiers: [group.guid] }),
    ...(role === null ? {} : { roleIdentifiers: [role.guid] }),
  };
  const sort = userSort(args.orderBy);
  return pagedConnection(info, args, parentKey, (page) => ctx.loaders.userSearch.load({ orgId, query, sort, page }));
}

/** The roles of one Org, from the Org's role index (one `roles/search` per Org per request), filtered in memory. */
export async function rolesOfOrg(
  ctx: Context,
  info: GraphQLResolveInfo,
  orgId: number,
  args: RoleListArgs,
  parentKey: string,
): Promise<ConnectionModel<RoleNode>> {
  const group = groupIdArg(ctx, args.groupId, 'groupId');
  if (group !== null) listOrg(orgId, [{ id: group, argumentName: 'groupId' }]);
  const index = await ctx.loaders.roleIndex.load(orgId);
  const matchesName = namePatternMatcher(args.namePattern);
  const privileges = args.privileges == null || args.privileges.length === 0 ? null : new Set<string>(args.privileges);
  const roles = (group === null ? index.list : index.rolesOfGroup(group.guid)).filter(
    (role) =>
      matchesName(role.name) &&
      (privileges === null ||
        role.privileges.some((p) => privileges.has(p) || (p === 'CAN_MODIDY_FOLDERS' && privileges.has('CAN_MODIFY_FOLDERS')))),
  );
  return listConnection(info, args, parentKey, sortRoles(roles, args.orderBy));
}

/** Arguments of `Group.members`. */
export interface MembersArgs extends Omit<UserListArgs, 'groupId' | 'roleId'> {
  readonly membership?: 'DIRECT' | 'ALL' | null;
}

/**
 * A group's members (who counts is membership.ts `groupMembers`; each edge says how, `membershipIn`). Every `Group.members` of one query level shares one
 * `users/search` per Org within a row budget (loaders/members.ts); `membership: ALL` first reads the Org's group
 * index (one call per Org per request) for the sub-group closure.
 */
export async function membersOfGroup(
  ctx: Context,
  info: GraphQLResolveInfo,
  group: GroupNode,
  args: MembersArgs,
): Promise<GroupMemberConnectionModel> {
  const closure = args.membership === 'ALL' ? (await ctx.loaders.groupIndex.load(group.orgId)).closureOf(group.id) : null;
  const connection = await memberConnection(ctx, info, group.orgId, group.id, groupMembers(group, closure), args);
  return { ...connection, edges: connection.edges.map((edge) => ({ ...edge, membership: membershipIn(edge.node, group) })) };
}

// Private: the connection over one member list; the loader key depends on the rule, the filters and the window only,
// so `provenByMembers` and `membersOfGroup` asking for the same page share one call.
function memberConnection(
  ctx: Context,
  info: GraphQLResolveInfo,
  orgId: number,
  groupId: string,
  rule: MemberRule,
  args: MembersArgs,
  seen?: (rows: readonly UserRecord[]) => void,
): Promise<ConnectionModel<UserRecord>> {
  const filter = userFilterOf(args);
  const sort = userSort(args.orderBy);
  const parentKey = globalIdOf(ctx, { typename: 'Group', orgId, guid: groupId });
  return pagedConnection(info, args, parentKey, async (page) => {
    const rows = await ctx.loaders.members.load({ ...rule, orgId, filter, sort, page });
    seen?.(rows);
    return rows;
  });
}

/** What an {id, name} reference to a group carries, plus the member list that a row listing it proves. */
const PROVEN_BY_MEMBERS: ReadonlySet<string> = new Set([...GROUP_REF_FIELDS, 'members']);

/**
 * `group(id:)` for a query that asks only for the group's direct members (and its id or name): the first page of
 * members is read before the group itself, and a row that lists the group among its direct groups proves the group
 * exists and names it, so the group lookup is skipped (one call per page instead of two). Null when the query asks
 * for more, or the page proves nothing (empty, or the group is `All`, whose members rows need not list it): the
 * caller then looks the group up, and the members resolver reads its page as usual. The page read here uses the
 * members resolver's own loader key, so it is never read twice.
 */
export async function provenByMembers(ctx: Context, info: GraphQLResolveInfo, orgId: number, groupId: string): Promise<GroupNode | null> {
  const fields = selectedFields(info, []);
  if (!fields.has('members') || ![...fields].every((field) => PROVEN_BY_MEMBERS.has(field))) return null;
  const [node, ...others] = selectedFieldNodes(info, 'members');
  const groupType = info.schema.getType('Group');
  const definition = isObjectType(groupType) ? groupType.getFields()['members'] : undefined;
  if (node === undefined || others.length > 0 || definition === undefined || !isObjectType(groupType)) return null;
  try {
    const args = getArgumentValues(definition, node, info.variableValues) as MembersArgs;
    if (args.membership === 'ALL') return null;
    let first: readonly UserRecord[] = [];
    const membersInfo: GraphQLResolveInfo = { ...info, fieldName: 'members', fieldNodes: [node], parentType: groupType, returnType: definition.type };
    await memberConnection(ctx, membersInfo, orgId, groupId, groupMembers({ id: groupId }, null), args, (rows) => {
      if (first.length === 0) first = rows;
    });
    const ref = first.flatMap((row) => row.groups).find((group) => group.id === groupId);
    return ref === undefined || isAllGroup(ref) ? null : groupRefNode(ref, orgId);
  } catch {
    // A bad argument or cursor, or a failed read: the members resolver meets the same and reports it at its path.
    return null;
  }
}

/**
 * A role's holders (who counts is membership.ts `roleHolders`). Every `Role.users` of one level shares one
 * `users/search` per Org with `role_identifiers`.
 */
export function usersOfRole(
  ctx: Context,
  info: GraphQLResolveInfo,
  role: RoleNode,
  args: Omit<UserListArgs, 'groupId' | 'roleId'>,
): Promise<ConnectionModel<UserRecord>> {
  const filter = userFilterOf(args);
  const sort = userSort(args.orderBy);
  const parentKey = globalIdOf(ctx, { typename: 'Role', orgId: role.orgId, guid: role.id });
  const rule = roleHolders(role.id, role.groups);
  return pagedConnection(info, args, parentKey, (page) => ctx.loaders.members.load({ ...rule, orgId: role.orgId, filter, sort, page }));
}

/**
 * Loads the object a decoded global ID names, or null when it does not exist (or the ID is another connection's). Groups and roles come from their Org's
 * index; when that Org itself is gone, the index read fails upstream, and the Org index decides between "null" and a
 * real failure.
 */
export async function loadNode(ctx: Context, target: GlobalIdTarget | null): Promise<NodeModel | null> {
  // Null: an ID of another connection (relay/global-id.ts `lookupGlobalId`), which names nothing here.
  if (target === null) return null;
  switch (target.typename) {
    case 'Organization':
      return (await ctx.loaders.orgIndex()).byId.get(target.orgId) ?? null;
    case 'User':
      return ctx.loaders.userByKey.load({ by: 'id', value: target.guid }).catch(nullIfNotFound);
    case 'Group':
      return orgScoped(ctx, target.orgId, async () => (await ctx.loaders.groupIndex.load(target.orgId)).byId.get(target.guid) ?? null);
    case 'Role':
      return orgScoped(ctx, target.orgId, async () => (await ctx.loaders.roleIndex.load(target.orgId)).byId.get(target.guid) ?? null);
  }
}

/** Resolves to null for a loader's not-found result, and rethrows anything else. */
export function nullIfNotFound(error: unknown): null {
  if (isRecordNotFound(error)) return null;
  throw error;
}

// Private: a lookup in the Org a global ID names; an Org that is gone makes the object null, as a missing one.
function orgScoped<T>(ctx: Context, orgId: number, run: () => Promise<T | null>): Promise<T | null> {
  return unlessOrgMissing(ctx, orgId, run, () => null);
}
