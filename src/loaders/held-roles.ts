// Internal to src/loaders: the roles users hold, worked out for a whole query level in one batch.
//
// What a user holds in an Org takes two reads: the user as that Org sees it (`userInOrg`, for its groups there) and
// the Org's role index. `User.roles` used to make both reads itself, Org by Org, field by field. Batching made that
// cost ThoughtSpot no more calls than this loader does, but in memory it was the heaviest part of a nested query:
// each field kept a chain of promises (a step per Org, two loads and a Promise.all each, one over the Orgs) alive
// for as long as the reads waited in the adapter's queues, and a query level of members has hundreds of such fields.
// With 50 concurrent Q1 requests (README "Benchmarks") that was nearly a quarter of the subgraph's heap. Here a level
// asks once: one `loadMany` of every user's views and one of the Orgs' role indexes, so the same keys reach the same
// two loaders (and so the same upstream calls) while a waiting field holds a single promise.
//
// A key that needs only what a reference carries (the resolver saw the query select nothing of a role beyond its id
// and name) is answered without the role index when the request already holds the Org's whole group list
// (groups.ts `knownGroups`): group rows name the roles assigned to each group, which says who holds what as well as
// the index does (membership.ts `rolesHeldThroughGroups`), so the `roles/search` is a call another read already
// answered.

import DataLoader from 'dataloader';
import type { UserRecord } from '../thoughtspot/index.js';
import { isRecordNotFound } from './align.js';
import { rolesHeld, rolesHeldThroughGroups } from './membership.js';
import { roleRefNode, type GroupNode, type RoleNode } from './models.js';
import { observed, type BatchObserver } from './observe.js';
import type { GroupLoaders } from './groups.js';
import type { RoleLoaders } from './roles.js';
import type { UserLoaders } from './users.js';

/** A user, and the Orgs whose roles to count (the resolver decides: all of the user's, or the one it was asked for). */
export interface HeldRolesKey {
  readonly user: UserRecord;
  readonly orgIds: readonly number[];
  /**
   * The caller needs only each role's id and name (models.ts ROLE_REF_FIELDS); the roles may then be references
   * (`roleRefNode`) where the Org's whole group list is known. Default false.
   */
  readonly refsOnly?: boolean;
}

/** What the loader reads through: the request's own loaders. */
export type HeldRolesReads = Pick<UserLoaders, 'userInOrg'> & RoleLoaders & Pick<GroupLoaders, 'knownGroups'>;

/** The derived loader of one request. */
export interface HeldRolesLoaders {
  /**
   * The roles `user` holds in `orgIds`, Org by Org in that order, each Org's in its index order. An Org that does not
   * list the user adds none; a read that fails makes the key's result that Error.
   */
  readonly heldRoles: DataLoader<HeldRolesKey, RoleNode[], string>;
}

/** @internal Creates the loader over the request's own `userInOrg` and `roleIndex`. */
export function createHeldRolesLoaders(reads: HeldRolesReads, observe?: BatchObserver): HeldRolesLoaders {
  return {
    heldRoles: new DataLoader<HeldRolesKey, RoleNode[], string>(observed('heldRoles', observe, (keys) => loadHeldRoles(reads, keys)), {
      cacheKeyFn: (key) => `${key.user.id}@${key.orgIds.join(',')}${key.refsOnly === true ? '#refs' : ''}`,
    }),
  };
}

// One result per key, in key order (house rule 1). Neither loadMany rejects: each slot is a value or an Error. An Org
// goes without its role index only when every key counting it wants references and its whole group list is known.
async function loadHeldRoles(reads: HeldRolesReads, keys: readonly HeldRolesKey[]): Promise<(RoleNode[] | Error)[]> {
  const orgIds = [...new Set(keys.flatMap((key) => key.orgIds))];
  const known = new Map<number, readonly GroupNode[]>();
  for (const orgId of orgIds) {
    const groups = reads.knownGroups(orgId);
    if (groups !== undefined && keys.every((key) => key.refsOnly === true || !key.orgIds.includes(orgId))) known.set(orgId, groups);
  }
  const indexed = orgIds.filter((orgId) => !known.has(orgId));
  const [views, indexes] = await Promise.all([
    reads.userInOrg.loadMany(keys.flatMap((key) => key.orgIds.map((orgId) => ({ orgId, by: 'id' as const, value: key.user.id })))),
    reads.roleIndex.loadMany(indexed),
  ]);
  const indexOf = new Map(indexed.map((orgId, i) => [orgId, indexes[i]]));
  let offset = 0;
  return keys.map((key) => {
    const first = offset;
    offset += key.orgIds.length;
    const held: RoleNode[] = [];
    for (const [i, orgId] of key.orgIds.entries()) {
      const groups = known.get(orgId);
      const index = indexOf.get(orgId);
      const view = views[first + i];
      if ((groups === undefined && index === undefined) || view === undefined) return new Error(`heldRoles: no read for Org ${orgId}.`);
      if (index instanceof Error) return index;
      // A user an Org does not list holds nothing there, as `User.roles` read it (nullIfNotFound).
      if (isRecordNotFound(view)) continue;
      if (view instanceof Error) return view;
      if (index !== undefined) held.push(...rolesHeld(view, index.list));
      else held.push(...rolesHeldThroughGroups(view, groups ?? []).map((ref) => roleRefNode(ref, orgId)));
    }
    return held;
  });
}
