// Internal to src/loaders: role reads. `roles/search` is not paginated and answers in the token's Org
// (CONTRACT.md §11.5), and an Org has few roles, so one call per Org per request reads them all into a *role
// index* that serves lookups by id and name, `Group.roles`, `Role.groups` and users' effective roles.

import DataLoader from 'dataloader';

import { type RoleNode, toRoleNode } from './models.js';
import { toError } from './align.js';
import { belongsTo } from './orgs.js';
import { observed, type BatchObserver } from './observe.js';
import type { DirectoryReads } from './tenancy.js';

/** Every role of one Org, indexed. */
export interface RoleIndex {
  readonly orgId: number;
  /** Every role, by name. */
  readonly list: readonly RoleNode[];
  readonly byId: ReadonlyMap<string, RoleNode>;
  readonly byName: ReadonlyMap<string, RoleNode>;
  /** Roles assigned to a group (by group id). */
  rolesOfGroup(groupId: string): readonly RoleNode[];
}

/** Role loaders of one request. */
export interface RoleLoaders {
  /** Org id → that Org's role index. One upstream call per Org per request. */
  readonly roleIndex: DataLoader<number, RoleIndex>;
}

/** @internal Creates the role loaders for one request. */
export function createRoleLoaders(client: DirectoryReads, observe?: BatchObserver): RoleLoaders {
  return {
    roleIndex: new DataLoader<number, RoleIndex>(
      observed('roleIndex', observe, (orgIds) => Promise.all(orgIds.map((orgId) => loadRoleIndex(client, orgId).catch(toError)))),
    ),
  };
}

async function loadRoleIndex(client: DirectoryReads, orgId: number): Promise<RoleIndex> {
  const rows = await client.searchRoles({ orgId }, {});
  const list = rows
    .filter((row) => belongsTo(row.orgs, orgId))
    .map((row) => toRoleNode(row, orgId))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byGroup = new Map<string, RoleNode[]>();
  for (const role of list) {
    for (const group of role.groups) {
      const roles = byGroup.get(group.id) ?? [];
      roles.push(role);
      byGroup.set(group.id, roles);
    }
  }
  return {
    orgId,
    list,
    byId: new Map(list.map((role) => [role.id, role])),
    byName: new Map(list.map((role) => [role.name, role])),
    rolesOfGroup: (groupId) => byGroup.get(groupId) ?? [],
  };
}
