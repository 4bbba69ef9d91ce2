import DataLoader from 'dataloader';
import { describe, expect, it } from 'vitest';
import { RecordNotFoundError } from '../../../src/loaders/align.js';
import { createHeldRolesLoaders } from '../../../src/loaders/held-roles.js';
import type { GroupNode, RoleNode } from '../../../src/loaders/models.js';
import type { RoleIndex } from '../../../src/loaders/roles.js';
import type { UserInOrgKey } from '../../../src/loaders/user-lookup.js';
import type { UserRecord } from '../../../src/thoughtspot/index.js';

// Two Orgs. In Org 1, `analyst` holds through group g1 and `admin` through g2; `everyone` is assigned to Org 1's `All`
// group. Org 2 has one role, on group h1. Users and roles carry only what the loader reads.
const role = (id: string, groups: { id: string; name: string }[]): RoleNode => ({ id, name: id, groups }) as unknown as RoleNode;
const ORG_ROLES: Record<number, RoleNode[]> = {
  1: [role('admin', [{ id: 'g2', name: 'g2' }]), role('analyst', [{ id: 'g1', name: 'g1' }]), role('everyone', [{ id: 'all-1', name: 'All' }])],
  2: [role('viewer', [{ id: 'h1', name: 'h1' }])],
};
const user = (id: string): UserRecord => ({ id, name: id }) as unknown as UserRecord;
// The user as each Org sees it: its groups there. `carol` is in no Org 2 listing.
const VIEWS: Record<string, { groups: string[]; inherited?: string[] }> = {
  '1/alice': { groups: ['g1'] },
  '2/alice': { groups: ['h1'] },
  '1/bob': { groups: [], inherited: ['g2'] },
  '1/carol': { groups: [] },
};

function fakeReads(options: { failOrg?: number; failUser?: string; knownGroups?: Record<number, GroupNode[]> } = {}) {
  const viewKeys: string[][] = [];
  const indexKeys: number[][] = [];
  const userInOrg = new DataLoader<UserInOrgKey, UserRecord, string>(
    (keys) => {
      viewKeys.push(keys.map((k) => `${k.orgId}/${k.value}`));
      return Promise.resolve(
        keys.map((k) => {
          if (k.value === options.failUser) return new Error(`upstream down for ${k.value}`);
          const view = VIEWS[`${k.orgId}/${k.value}`];
          if (view === undefined) return new RecordNotFoundError('User', k.value);
          return { id: k.value, groups: view.groups.map((id) => ({ id })), inheritedGroups: (view.inherited ?? []).map((id) => ({ id })) } as unknown as UserRecord;
        }),
      );
    },
    { cacheKeyFn: (k) => `${k.orgId}/${k.by}/${k.value}` },
  );
  const roleIndex = new DataLoader<number, RoleIndex>((orgIds) => {
    indexKeys.push([...orgIds]);
    return Promise.resolve(
      orgIds.map((orgId) => (orgId === options.failOrg ? new Error(`roles/search failed in Org ${orgId}`) : ({ orgId, list: ORG_ROLES[orgId] ?? [] } as unknown as RoleIndex))),
    );
  });
  return { loaders: createHeldRolesLoaders({ userInOrg, roleIndex, knownGroups: (orgId) => options.knownGroups?.[orgId] }), viewKeys, indexKeys };
}

const names = (result: RoleNode[] | Error | undefined): string[] | string => (Array.isArray(result) ? result.map((r) => r.name) : String(result));

describe('heldRoles', () => {
  it('answers a level of users with one read of their views and one of the role indexes, one result per key in key order', async () => {
    const { loaders, viewKeys, indexKeys } = fakeReads();
    const results = await loaders.heldRoles.loadMany([
      { user: user('bob'), orgIds: [1] },
      { user: user('alice'), orgIds: [1, 2] },
      { user: user('carol'), orgIds: [1, 2] },
      { user: user('alice'), orgIds: [2] },
    ]);
    expect(results.map(names)).toEqual([
      ['admin', 'everyone'],
      ['analyst', 'everyone', 'viewer'],
      // Org 2 does not list carol: she holds nothing there, and Org 1's `All` still counts.
      ['everyone'],
      ['viewer'],
    ]);
    expect(viewKeys).toEqual([['1/bob', '1/alice', '2/alice', '1/carol', '2/carol']]);
    expect(indexKeys).toEqual([[1, 2]]);
  });

  it('fails only the keys a failed read concerns, with that read\'s error', async () => {
    const byOrg = fakeReads({ failOrg: 2 });
    const [onlyOrg1, withOrg2] = await byOrg.loaders.heldRoles.loadMany([
      { user: user('bob'), orgIds: [1] },
      { user: user('alice'), orgIds: [1, 2] },
    ]);
    expect(names(onlyOrg1)).toEqual(['admin', 'everyone']);
    expect(names(withOrg2)).toBe('Error: roles/search failed in Org 2');

    const byUser = fakeReads({ failUser: 'alice' });
    const [bob, alice] = await byUser.loaders.heldRoles.loadMany([
      { user: user('bob'), orgIds: [1] },
      { user: user('alice'), orgIds: [1] },
    ]);
    expect(names(bob)).toEqual(['admin', 'everyone']);
    expect(names(alice)).toBe('Error: upstream down for alice');
  });

  it('answers a key without Orgs with no roles, reading nothing for it', async () => {
    const { loaders, viewKeys, indexKeys } = fakeReads();
    expect(await loaders.heldRoles.load({ user: user('alice'), orgIds: [] })).toEqual([]);
    expect(viewKeys.flat()).toEqual([]);
    expect(indexKeys.flat()).toEqual([]);
  });

  it("answers keys that need references from the Org's known group list instead of its role index, with the same roles", async () => {
    // Org 1's whole group list as group rows name their roles: the same assignments as ORG_ROLES.
    const group = (id: string, name: string, roles: string[], systemGroup = false): GroupNode =>
      ({ id, name, systemGroup, roles: roles.map((r) => ({ id: r, name: r })) }) as unknown as GroupNode;
    const knownGroups = { 1: [group('all-1', 'All', ['everyone'], true), group('g1', 'g1', ['analyst']), group('g2', 'g2', ['admin'])] };
    const refs = fakeReads({ knownGroups });
    const results = await refs.loaders.heldRoles.loadMany([
      { user: user('bob'), orgIds: [1], refsOnly: true },
      { user: user('alice'), orgIds: [1, 2], refsOnly: true },
    ]);
    expect(results.map((r) => (Array.isArray(r) ? r.map((role) => role.name).sort() : String(r)))).toEqual([
      ['admin', 'everyone'],
      ['analyst', 'everyone', 'viewer'],
    ]);
    // Org 2's group list is not known, so its index is read; Org 1's is not.
    expect(refs.indexKeys).toEqual([[2]]);

    // One key of the batch that needs whole roles makes Org 1's index worth reading, and every key then uses it.
    const mixed = fakeReads({ knownGroups });
    await mixed.loaders.heldRoles.loadMany([
      { user: user('bob'), orgIds: [1], refsOnly: true },
      { user: user('carol'), orgIds: [1] },
    ]);
    expect(mixed.indexKeys).toEqual([[1]]);
  });
});
