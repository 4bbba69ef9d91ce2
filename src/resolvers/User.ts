// Internal to src/resolvers: the User type. Its parent is the adapter's UserRecord.
//
// ThoughtSpot computes a user's groups, inherited groups and privileges per Org: a user row shows them as the token's
// Org sees them (CONTRACT.md §3). So the fields below read, for each Org of the user, the user as that Org sees
// it (`userInOrg`, primed by whatever read the row, so the Org a user was reached through costs nothing) and that
// Org's group and role indexes. Without `organizationId` they cover every Org of the user, so a User's fields do not
// depend on the path a query took to reach it.

import type { UserResolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { PRIMARY_ORG_ID, type GroupNode, type RoleNode } from '../loaders/index.js';
import type { UserRecord } from '../thoughtspot/index.js';
import { orgIdArg, sortGroups, sortOrgs, sortRoles } from './shared/args.js';
import { listConnection } from './shared/connections.js';
import { assertOrgExists, globalIdOf, nullIfNotFound } from './shared/lists.js';
import { toPrivilegeList } from './shared/privileges.js';
import { ALL_GROUP_NAME } from '../loaders/index.js';
import { fromGlobalIdOfType } from '../relay/global-id.js';

function keyOf(ctx: Pick<Context, 'connectionId'>, user: UserRecord): string {
  return globalIdOf(ctx, { typename: 'User', guid: user.id });
}

// Private: the Orgs a per-Org field covers. A user record that lists no Org comes from a cluster without Orgs, where
// everything lives in the Primary Org.
function orgsOf(user: UserRecord, only: number | null): number[] {
  const all = user.orgs.length === 0 ? [PRIMARY_ORG_ID] : user.orgs.map((org) => org.id);
  return only === null ? all : all.filter((id) => id === only);
}

// Private: the user as Org `orgId` sees it, or null when that Org does not list the user.
function viewIn(ctx: Context, user: UserRecord, orgId: number): Promise<UserRecord | null> {
  return ctx.loaders.userInOrg.load({ orgId, by: 'id', value: user.id }).catch(nullIfNotFound);
}

// Private: the Org an `organizationId` argument names, or null without one. An Org that does not exist is the
// caller's mistake (BAD_USER_INPUT), as on every other list, rather than an empty answer.
async function namedOrg(ctx: Context, organizationId: string | null | undefined): Promise<number | null> {
  const orgId = orgIdArg(ctx, organizationId, 'organizationId');
  if (orgId !== null) await assertOrgExists(ctx, orgId, 'organizationId');
  return orgId;
}

/** Resolvers of `User`. */
export const User: UserResolvers = {
  // By `id` or `username`, through `userByKey`: N references cost one `orgs/search` plus one `users/search` per Org
  // holding them. Async, so a malformed ID rejects this reference's promise instead of throwing into
  // @apollo/subgraph's loop over the other references (schema.ts `guardEntities`).
  async __resolveReference(reference, ctx) {
    const ref =
      'id' in reference
        ? { by: 'id' as const, value: fromGlobalIdOfType(ctx.connectionId, reference.id, 'User', 'id').guid }
        : { by: 'name' as const, value: reference.username };
    return ctx.loaders.userByKey.load(ref).catch(nullIfNotFound);
  },
  id: (user, _args, ctx) => keyOf(ctx, user),
  remoteId: (user) => user.id,
  username: (user) => user.name,
  visibility: (user) => user.visibility,
  isSuperUser: (user) => user.superUser,
  isSystemUser: (user) => user.systemUser,
  isExternal: (user) => user.external,
  updatedAt: (user) => user.modifiedAt,
  async privileges(user, args, ctx) {
    const only = await namedOrg(ctx, args.organizationId);
    const views = await Promise.all(orgsOf(user, only).map((orgId) => viewIn(ctx, user, orgId)));
    // Sorted, so the union does not depend on which Org answered first.
    return toPrivilegeList(
      views.flatMap((view) => view?.privileges ?? []),
      (value) => ctx.logger.debug('unknown privilege left out', { privilege: value }),
    ).sort();
  },
  async organizations(user, args, ctx, info) {
    const index = await ctx.loaders.orgIndex();
    const orgs = user.orgs.flatMap((ref) => index.byId.get(ref.id) ?? []);
    return listConnection(info, args, keyOf(ctx, user), sortOrgs(orgs, args.orderBy));
  },
  async groups(user, args, ctx, info) {
    const only = await namedOrg(ctx, args.organizationId);
    const perOrg = await Promise.all(
      orgsOf(user, only).map(async (orgId): Promise<GroupNode[]> => {
        const [view, index] = await Promise.all([viewIn(ctx, user, orgId), ctx.loaders.groupIndex.load(orgId)]);
        if (view === null) return [];
        const refs = args.membership === 'ALL' ? [...view.groups, ...view.inheritedGroups] : view.groups;
        // The index holds only this Org's groups, which drops the other Orgs' groups a Primary-Org view can list.
        return [...new Set(refs.map((ref) => ref.id))].flatMap((id) => index.byId.get(id) ?? []);
      }),
    );
    return listConnection(info, args, keyOf(ctx, user), sortGroups(perOrg.flat(), args.orderBy));
  },
  async roles(user, args, ctx, info) {
    const only = await namedOrg(ctx, args.organizationId);
    const perOrg = await Promise.all(
      orgsOf(user, only).map(async (orgId): Promise<RoleNode[]> => {
        const [view, index] = await Promise.all([viewIn(ctx, user, orgId), ctx.loaders.roleIndex.load(orgId)]);
        if (view === null) return [];
        // Roles are held through groups only (CONTRACT.md §8): a role applies when it is assigned to one of the
        // user's groups, direct or inherited, or to the Org's `All` group, which every member is in implicitly.
        const held = new Set([...view.groups, ...view.inheritedGroups].map((group) => group.id));
        return index.list.filter((role) => role.groups.some((group) => held.has(group.id) || group.name === ALL_GROUP_NAME));
      }),
    );
    return listConnection(info, args, keyOf(ctx, user), sortRoles(perOrg.flat(), args.orderBy));
  },
};
