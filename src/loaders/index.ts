// Public to the rest of src: the per-request DataLoaders, the only read path from resolvers to the adapter
// (DESIGN.md §3, §5). The context function calls createLoaders once per request; loaders are never shared between
// requests, so a cached row never outlives the request that read it and one caller's data never serves another.

import type { ThoughtSpotClient } from '../thoughtspot/index.js';
import { createGroupLoaders, type GroupLoaders } from './groups.js';
import { createHeldRolesLoaders, type HeldRolesLoaders } from './held-roles.js';
import type { BatchObserver } from './observe.js';
import { createOrgLoaders, type OrgLoaders } from './orgs.js';
import { createRoleLoaders, type RoleLoaders } from './roles.js';
import { scopeReads, type OrgGrant } from './tenancy.js';
import type { UserBatchOptions } from './user-lookup.js';
import { createUserLoaders, type UserLoaders } from './users.js';

export { RecordNotFoundError, alignToKeys, isRecordNotFound } from './align.js';
export type { GroupIndex, GroupSearchKey } from './groups.js';
export type { HeldRolesKey } from './held-roles.js';
export { ALL_GROUP_NAME, groupMembers, isAllGroup, membershipIn, roleHolders, rolesHeld, rolesHeldThroughGroups, type MemberRule } from './membership.js';
export { PRIMARY_ORG_ID, type OrgIndex } from './orgs.js';
export type { RoleIndex } from './roles.js';
export type { DirectoryReads, OrgGrant } from './tenancy.js';
export type { MemberKey, UserFilter } from './members.js';
export type { UserBatchOptions, UserInOrgKey, UserRef } from './user-lookup.js';
export type { UserSearchKey } from './users.js';
export type { BatchObserver } from './observe.js';
export * from './models.js';

/** Every loader of one request. */
export type Loaders = OrgLoaders &
  GroupLoaders &
  RoleLoaders &
  UserLoaders &
  HeldRolesLoaders & {
    /**
     * Forgets everything read so far in this request: a mutation calls it after writing, so its payload and any
     * later field show the state it left (read your writes). The next read of each kind goes upstream again.
     */
    clearAll(): void;
  };

/** How the loaders read ThoughtSpot where there is more than one way (from the configuration). */
export interface LoaderOptions {
  readonly userBatch: UserBatchOptions;
  /** Told the key count of every batch any loader dispatches (the app's batch-size metric). */
  readonly onBatch?: BatchObserver;
}

/**
 * Creates a fresh set of loaders for one request of a caller granted the Organizations `grant`: everything they read
 * passes through tenancy.ts `scopeReads`, so no other Organization's data can enter the request.
 */
export function createLoaders(client: ThoughtSpotClient, options: LoaderOptions, grant: OrgGrant): Loaders {
  const { reads, reset } = scopeReads(client, grant);
  const orgs = createOrgLoaders(reads, options.onBatch);
  const groups = createGroupLoaders(reads, options.onBatch);
  const roles = createRoleLoaders(reads, options.onBatch);
  const users = createUserLoaders(reads, options.userBatch, options.onBatch);
  const held = createHeldRolesLoaders({ userInOrg: users.userInOrg, roleIndex: roles.roleIndex, knownGroups: groups.knownGroups }, options.onBatch);
  return {
    ...orgs,
    ...groups,
    ...roles,
    ...users,
    ...held,
    clearAll() {
      reset();
      orgs.resetOrgIndex();
      groups.forgetKnownGroups();
      for (const loader of [orgs.orgSearch, groups.groupIndex, groups.groupSearch, roles.roleIndex, users.userInOrg, users.userByKey, users.userSearch, users.members, held.heldRoles]) {
        loader.clearAll();
      }
    },
  };
}
