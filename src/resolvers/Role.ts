// Internal to src/resolvers: the Role type. Its parent is a RoleNode (the record and the Org it was read in).

import type { RoleResolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import type { RoleNode } from '../loaders/index.js';
import { lookupGlobalIdOfType } from '../relay/global-id.js';
import { sortGroups } from './shared/args.js';
import { listConnection } from './shared/connections.js';
import { globalIdOf, loadNode, usersOfRole } from './shared/lists.js';
import { toPrivilegeList } from './shared/privileges.js';

function keyOf(ctx: Pick<Context, 'connectionId'>, role: RoleNode): string {
  return globalIdOf(ctx, { typename: 'Role', orgId: role.orgId, guid: role.id });
}

/** Resolvers of `Role`. */
export const Role: RoleResolvers = {
  // Through the Org's role index: N references to roles of one Org cost one `roles/search`.
  async __resolveReference(reference, ctx) {
    const target = lookupGlobalIdOfType(ctx.connectionId, reference.id, 'Role', 'id');
    return (await loadNode(ctx, target)) as RoleNode | null;
  },
  id: (role, _args, ctx) => keyOf(ctx, role),
  remoteId: (role) => role.id,
  privileges: (role, _args, ctx) =>
    toPrivilegeList(role.privileges, (value) => ctx.logger.debug('unknown privilege left out', { privilege: value })),
  isExternal: (role) => role.external,
  isDeprecated: (role) => role.deprecated,
  updatedAt: (role) => role.modifiedAt,
  async organization(role, _args, ctx) {
    const org = (await ctx.loaders.orgIndex()).byId.get(role.orgId);
    if (org !== undefined) return org;
    const name = role.orgs.find((o) => o.id === role.orgId)?.name ?? String(role.orgId);
    return { id: role.orgId, name, description: null, status: null, visibility: null };
  },
  async groups(role, args, ctx, info) {
    const index = await ctx.loaders.groupIndex.load(role.orgId);
    const groups = role.groups.flatMap((ref) => index.byId.get(ref.id) ?? []);
    return listConnection(info, args, keyOf(ctx, role), sortGroups(groups, args.orderBy));
  },
  users: (role, args, ctx, info) => usersOfRole(ctx, info, role, args),
};
