// Internal to src/resolvers: the Group type. Its parent is a GroupNode (the record and the Org it was read in).

import type { GroupResolvers } from '../__generated__/resolvers-types.js';
import type { GroupNode } from '../loaders/index.js';
import { lookupGlobalIdOfType } from '../relay/global-id.js';
import type { Context } from '../context.js';
import { sortGroups, sortRoles } from './shared/args.js';
import { listConnection } from './shared/connections.js';
import { globalIdOf, loadNode, membersOfGroup } from './shared/lists.js';
import { toPrivilegeList } from './shared/privileges.js';

function keyOf(ctx: Pick<Context, 'connectionId'>, group: GroupNode): string {
  return globalIdOf(ctx, { typename: 'Group', orgId: group.orgId, guid: group.id });
}

/** Resolvers of `Group`. */
export const Group: GroupResolvers = {
  // Through the Org's group index: N references to groups of one Org cost one `groups/search`.
  async __resolveReference(reference, ctx) {
    const target = lookupGlobalIdOfType(ctx.connectionId, reference.id, 'Group', 'id');
    return (await loadNode(ctx, target)) as GroupNode | null;
  },
  id: (group, _args, ctx) => keyOf(ctx, group),
  remoteId: (group) => group.id,
  privileges: (group, _args, ctx) =>
    toPrivilegeList(group.privileges, (value) => ctx.logger.debug('unknown privilege left out', { privilege: value })),
  isSystemGroup: (group) => group.systemGroup,
  isExternal: (group) => group.external,
  updatedAt: (group) => group.modifiedAt,
  async organization(group, _args, ctx) {
    const org = (await ctx.loaders.orgIndex()).byId.get(group.orgId);
    // An Org that vanished after the group was read still has a name on the group record.
    if (org !== undefined) return org;
    const name = group.orgs.find((o) => o.id === group.orgId)?.name ?? String(group.orgId);
    return { id: group.orgId, name, description: null, status: null, visibility: null };
  },
  members: (group, args, ctx, info) => membersOfGroup(ctx, info, group, args),
  async subGroups(group, args, ctx, info) {
    const index = await ctx.loaders.groupIndex.load(group.orgId);
    const children = index.childrenOf(group.id).flatMap((id) => index.byId.get(id) ?? []);
    return listConnection(info, args, keyOf(ctx, group), sortGroups(children, args.orderBy));
  },
  async parentGroups(group, args, ctx, info) {
    const index = await ctx.loaders.groupIndex.load(group.orgId);
    const parents = index.parentsOf(group.id).flatMap((id) => index.byId.get(id) ?? []);
    return listConnection(info, args, keyOf(ctx, group), sortGroups(parents, args.orderBy));
  },
  async roles(group, args, ctx, info) {
    const index = await ctx.loaders.roleIndex.load(group.orgId);
    return listConnection(info, args, keyOf(ctx, group), sortRoles(index.rolesOfGroup(group.id), args.orderBy));
  },
};
