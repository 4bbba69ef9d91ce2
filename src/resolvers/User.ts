// Internal to src/resolvers: the User type. Its parent is the adapter's UserRecord.
//
// ThoughtSpot computes a user's groups, inherited groups and privileges per Org: a user row shows them as the token's
// Org sees them (CONTRACT.md §3). So the fields below read, for each Org of the user, the user as that Org sees
// it (`userInOrg`, primed by whatever read the row, so the Org a user was reached through costs nothing) and that
// Org's group and role indexes (the rows name their groups, so a group list that asks for names only reads no
// index). Without `organizationId` they cover every Org of the user, so a User's fields do not depend on the path a
// query took to reach it; who holds which role is membership.ts's rule, applied a query level at a time by
// loaders/held-roles.ts.

import type { UserResolvers } from '../__generated__/resolvers-types.js';
import type { Context } from '../context.js';
import { GROUP_REF_FIELDS, PRIMARY_ORG_ID, ROLE_REF_FIELDS, groupRefNode, type GroupNode } from '../loaders/index.js';
import type { PrincipalRef, UserRecord } from '../thoughtspot/index.js';
import { orgIdArg, sortGroups, sortOrgs, sortRoles } from './shared/args.js';
import { listConnection } from './shared/connections.js';
import { assertOrgExists, globalIdOf, loadNode, nullIfNotFound } from './shared/lists.js';
import { toPrivilegeList } from './shared/privileges.js';
import { selectedFields } from './shared/selection.js';
import { lookupGlobalIdOfType } from '../relay/global-id.js';

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

// Private: whether references can answer a list: it is in name order (the default) and its nodes ask only for what
// an {id, name} reference carries (`refFields`).
function answerableByRefs(
  orderBy: { readonly field: string } | null | undefined,
  info: Parameters<typeof selectedFields>[0],
  refFields: ReadonlySet<string>,
): boolean {
  if (orderBy != null && orderBy.field !== 'NAME') return false;
  const fields = [...selectedFields(info, ['nodes']), ...selectedFields(info, ['edges', 'node'])];
  return fields.every((field) => refFields.has(field));
}

// Private: the first reference of each group id, in order.
function uniqueRefs(refs: readonly PrincipalRef[]): PrincipalRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    if (seen.has(ref.id)) return false;
    seen.add(ref.id);
    return true;
  });
}

/** Resolvers of `User`. */
export const User: UserResolvers = {
  // By `id` or `username`, through `userByKey`: N references cost one `orgs/search` plus one `users/search` per Org
  // holding them. Async, so a malformed ID rejects this reference's promise instead of throwing into
  // @apollo/subgraph's loop over the other references (schema.ts `guardEntities`).
  async __resolveReference(reference, ctx) {
    if ('id' in reference) return (await loadNode(ctx, lookupGlobalIdOfType(ctx.connectionId, reference.id, 'User', 'id'))) as UserRecord | null;
    return ctx.loaders.userByKey.load({ by: 'name', value: reference.username }).catch(nullIfNotFound);
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
    const orgIds = orgsOf(user, only);
    const views = await Promise.all(orgIds.map((orgId) => viewIn(ctx, user, orgId)));
    const refsOf = (view: UserRecord | null): PrincipalRef[] =>
      view === null ? [] : args.membership === 'ALL' ? [...view.groups, ...view.inheritedGroups] : [...view.groups];
    // A user row names its groups ({id, name}), so a query that asks for nothing more, in name order, needs no group
    // read. A non-Primary view lists its own Org's groups only; a Primary-Org view can list every Org's (CONTRACT.md
    // Q17), so its own are what no other Org's view lists, which is known only when every Org of the user was read.
    const byRefs = answerableByRefs(args.orderBy, info, GROUP_REF_FIELDS);
    const elsewhere = new Set(views.flatMap((view, i) => (orgIds[i] === PRIMARY_ORG_ID ? [] : refsOf(view).map((ref) => ref.id))));
    const perOrg = await Promise.all(
      orgIds.map(async (orgId, i): Promise<GroupNode[]> => {
        const refs = refsOf(views[i] ?? null);
        if (byRefs && orgId !== PRIMARY_ORG_ID) return uniqueRefs(refs).map((ref) => groupRefNode(ref, orgId));
        // Only a caller who sees every Org of the user can eliminate the other Orgs' groups this way: for anyone else
        // the user's other Orgs are cut from the record (loaders/tenancy.ts), so their groups would slip through.
        if (byRefs && only === null && ctx.caller.orgs === '*') {
          return uniqueRefs(refs.filter((ref) => !elsewhere.has(ref.id))).map((ref) => groupRefNode(ref, orgId));
        }
        // The index holds only this Org's groups, which drops the other Orgs' groups a Primary-Org view can list.
        const index = await ctx.loaders.groupIndex.load(orgId);
        return [...new Set(refs.map((ref) => ref.id))].flatMap((id) => index.byId.get(id) ?? []);
      }),
    );
    // Group GUIDs are unique across Orgs, so one set of direct groups serves every Org's view.
    const direct = new Set(views.flatMap((view) => view?.groups.map((ref) => ref.id) ?? []));
    const connection = listConnection(info, args, keyOf(ctx, user), sortGroups(perOrg.flat(), args.orderBy));
    return {
      ...connection,
      edges: connection.edges.map((edge) => ({ ...edge, membership: direct.has(edge.node.id) ? ('DIRECT' as const) : ('INHERITED' as const) })),
    };
  },
  // Through `heldRoles`, one batch per query level (loaders/held-roles.ts says why), and without an async step of
  // its own when no Organization is named: hundreds of these wait side by side in a nested query, each holding
  // whatever promises it made until ThoughtSpot answers.
  // A list that needs only each role's id and name, in name order, may be answered from group rows the request
  // already holds (loaders/held-roles.ts): the same roles in the same order, without the role index.
  roles(user, args, ctx, info) {
    const refsOnly = answerableByRefs(args.orderBy, info, ROLE_REF_FIELDS);
    const held =
      args.organizationId == null
        ? ctx.loaders.heldRoles.load({ user, orgIds: orgsOf(user, null), refsOnly })
        : namedOrg(ctx, args.organizationId).then((only) => ctx.loaders.heldRoles.load({ user, orgIds: orgsOf(user, only), refsOnly }));
    return held.then((roles) => listConnection(info, args, keyOf(ctx, user), sortRoles(roles, args.orderBy)));
  },
};
