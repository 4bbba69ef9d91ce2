// Internal to src/resolvers: the Organization type. Its parent is the adapter's OrgRecord.

import type { OrganizationResolvers } from '../__generated__/resolvers-types.js';
import { lookupGlobalIdOfType } from '../relay/global-id.js';
import { globalIdOf, groupsOfOrg, rolesOfOrg, usersOfOrg } from './shared/lists.js';

/** Resolvers of `Organization`. */
export const Organization: OrganizationResolvers = {
  // Entity references by `id` or by `name` go through the request's Org index: N references cost one `orgs/search`.
  async __resolveReference(reference, ctx) {
    const index = await ctx.loaders.orgIndex();
    if ('id' in reference) {
      const target = lookupGlobalIdOfType(ctx.connectionId, reference.id, 'Organization', 'id');
      return target === null ? null : (index.byId.get(target.orgId) ?? null);
    }
    return index.byName.get(reference.name) ?? null;
  },
  id: (org, _args, ctx) => globalIdOf(ctx, { typename: 'Organization', orgId: org.id }),
  remoteId: (org) => String(org.id),
  groups: (org, args, ctx, info) =>
    groupsOfOrg(ctx, info, org.id, args, globalIdOf(ctx, { typename: 'Organization', orgId: org.id })),
  users: (org, args, ctx, info) => usersOfOrg(ctx, info, org.id, args, globalIdOf(ctx, { typename: 'Organization', orgId: org.id })),
  roles: (org, args, ctx, info) => rolesOfOrg(ctx, info, org.id, args, globalIdOf(ctx, { typename: 'Organization', orgId: org.id })),
};
