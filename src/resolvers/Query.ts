// Internal to src/resolvers: root fields. Lookups return null for objects that do not exist; root lists run in one
// Org (ThoughtSpot scopes every search to the token's Org), the Primary Org unless an argument names another.

import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { badUserInput } from '../errors/codes.js';
import { PRIMARY_ORG_ID, type GroupNode, type NodeModel, type RoleNode } from '../loaders/index.js';
import { MAX_PAGE_SIZE } from '../relay/connection.js';
import { lookupGlobalId, lookupGlobalIdOfType } from '../relay/global-id.js';
import type { OrgRecord, UserRecord } from '../thoughtspot/index.js';
import { groupIdArg, namePatternMatcher, orgIdArg, roleIdArg, sortOrgs, userIdArg, userSort } from './shared/args.js';
import { auditEvents, thoughtSpotConnections } from './shared/admin-queries.js';
import { listConnection } from './shared/connections.js';
import { groupsOfOrg, inNamedOrg, loadNode, nullIfNotFound, provenByMembers, rolesOfOrg, rootListOrg, usersOfOrg } from './shared/lists.js';

/** Resolvers of `Query`. */
export const Query: QueryResolvers = {
  thoughtSpotConnections,
  auditEvents,
  node: (_root, { id }, ctx) => loadNode(ctx, lookupGlobalId(ctx.connectionId, id, 'id')),
  nodes(_root, { ids }, ctx) {
    if (ids.length > MAX_PAGE_SIZE) {
      throw badUserInput(`Argument "ids" must list at most ${MAX_PAGE_SIZE} IDs, but got: ${ids.length}.`, 'ids');
    }
    // One promise per entry: a malformed ID fails its own entry (null plus an error at its path), not the list.
    // graphql-js resolves promises inside lists; the cast only widens codegen's item type to allow a null result.
    return ids.map((id, i) =>
      Promise.resolve().then(() => loadNode(ctx, lookupGlobalId(ctx.connectionId, id, `ids[${i}]`))),
    ) as Promise<NodeModel>[];
  },

  organization: async (_root, { id }, ctx) =>
    (await loadNode(ctx, lookupGlobalIdOfType(ctx.connectionId, id, 'Organization', 'id'))) as OrgRecord | null,
  organizationByName: async (_root, { name }, ctx) => (await ctx.loaders.orgIndex()).byName.get(name) ?? null,
  async organizations(_root, args, ctx, info) {
    const user = userIdArg(ctx, args.userId, 'userId');
    // Membership needs ThoughtSpot's answer (orgs/search with user_identifiers); everything else filters the index.
    const orgs =
      user === null
        ? (await ctx.loaders.orgIndex()).list
        : await ctx.loaders.orgSearch.load({ userIdentifiers: [user] });
    const matchesName = namePatternMatcher(args.namePattern);
    const selected = orgs.filter(
      (org) =>
        matchesName(org.name) &&
        (args.status == null || org.status === args.status) &&
        (args.visibility == null || org.visibility === args.visibility),
    );
    return listConnection(info, args, '', sortOrgs(selected, args.orderBy));
  },

  async group(_root, { id }, ctx, info) {
    const target = lookupGlobalIdOfType(ctx.connectionId, id, 'Group', 'id');
    if (target !== null) {
      const proven = await provenByMembers(ctx, info, target.orgId, target.guid);
      if (proven !== null) return proven;
    }
    return (await loadNode(ctx, target)) as GroupNode | null;
  },
  async groupByName(_root, { name, organizationId }, ctx) {
    const orgId = orgIdArg(ctx, organizationId, 'organizationId') ?? PRIMARY_ORG_ID;
    const index = await inNamedOrg(ctx, orgId, organizationId == null ? null : 'organizationId', () =>
      ctx.loaders.groupIndex.load(orgId),
    );
    return index.byName.get(name) ?? null;
  },
  groups(_root, args, ctx, info) {
    const { orgId, argumentName } = rootListOrg(ctx, args.organizationId, [
      { id: roleIdArg(ctx, args.roleId, 'roleId'), argumentName: 'roleId' },
    ]);
    return inNamedOrg(ctx, orgId, argumentName, () => groupsOfOrg(ctx, info, orgId, args, ''));
  },

  user: async (_root, { id }, ctx) =>
    (await loadNode(ctx, lookupGlobalIdOfType(ctx.connectionId, id, 'User', 'id'))) as UserRecord | null,
  userByUsername: (_root, { username }, ctx) => ctx.loaders.userByKey.load({ by: 'name', value: username }).catch(nullIfNotFound),
  async userByEmail(_root, { email, organizationId }, ctx) {
    const orgId = orgIdArg(ctx, organizationId, 'organizationId') ?? PRIMARY_ORG_ID;
    const [first] = await inNamedOrg(ctx, orgId, organizationId == null ? null : 'organizationId', () =>
      ctx.loaders.userSearch.load({ orgId, query: { email }, sort: userSort(null), page: { offset: 0, size: 1 } }),
    );
    return first ?? null;
  },
  users(_root, args, ctx, info) {
    const { orgId, argumentName } = rootListOrg(ctx, args.organizationId, [
      { id: groupIdArg(ctx, args.groupId, 'groupId'), argumentName: 'groupId' },
      { id: roleIdArg(ctx, args.roleId, 'roleId'), argumentName: 'roleId' },
    ]);
    return inNamedOrg(ctx, orgId, argumentName, () => usersOfOrg(ctx, info, orgId, args, ''));
  },

  role: async (_root, { id }, ctx) =>
    (await loadNode(ctx, lookupGlobalIdOfType(ctx.connectionId, id, 'Role', 'id'))) as RoleNode | null,
  async roleByName(_root, { name, organizationId }, ctx) {
    const orgId = orgIdArg(ctx, organizationId, 'organizationId') ?? PRIMARY_ORG_ID;
    const index = await inNamedOrg(ctx, orgId, organizationId == null ? null : 'organizationId', () =>
      ctx.loaders.roleIndex.load(orgId),
    );
    return index.byName.get(name) ?? null;
  },
  roles(_root, args, ctx, info) {
    const { orgId, argumentName } = rootListOrg(ctx, args.organizationId, [
      { id: groupIdArg(ctx, args.groupId, 'groupId'), argumentName: 'groupId' },
    ]);
    return inNamedOrg(ctx, orgId, argumentName, () => rolesOfOrg(ctx, info, orgId, args, ''));
  },
};
