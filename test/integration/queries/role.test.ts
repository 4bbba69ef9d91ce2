import { beforeAll, describe, expect, it } from 'vitest';
import type { RoleRec } from '../../../src/emulator/domain/index.js';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from '../../support/fixtures.js';
import { useTestStack } from '../../support/harness.js';
import { byName, holdersOf, orgNamed, roleNamed } from '../../support/oracle.js';

const stack = useTestStack({ seed: 'demo' });
let fixture: FixtureOrg;
const rid = (role: RoleRec): string => toGlobalId('test', { typename: 'Role', orgId: role.orgId, guid: role.id });

beforeAll(() => {
  fixture = addFixtureOrg(stack.emulator);
});

describe('Role lookups and fields', () => {
  it('finds roles by ID and by name from one roles/search per Org', async () => {
    const write = fixture.roles.get('R-Write') as RoleRec;
    const { data, calls } = await stack.run<Record<string, unknown>>(
      `query ($id: ID!, $org: ID!) {
        role(id: $id) { id remoteId name description privileges permission isExternal isDeprecated createdAt organization { name } }
        roleByName(name: "R-Admin", organizationId: $org) { name }
        missing: roleByName(name: "R-None", organizationId: $org) { name }
        primary: roleByName(name: "Super Admin") { name permission }
      }`,
      { id: rid(write), org: toGlobalId('test', { typename: 'Organization', orgId: fixture.org.id }) },
    );
    expect(data).toEqual({
      role: {
        id: rid(write),
        remoteId: write.id,
        name: 'R-Write',
        description: 'R-Write role',
        privileges: ['CAN_MODIFY_FOLDERS', 'DATADOWNLOADING'],
        permission: 'MODIFY',
        isExternal: false,
        isDeprecated: false,
        createdAt: '2024-06-01T12:00:00.000Z',
        organization: { name: 'Fixture-Co' },
      },
      roleByName: { name: 'R-Admin' },
      missing: null,
      primary: { name: 'Super Admin', permission: 'READ_ONLY' },
    });
    expect(calls).toEqual({ 'orgs/search': 1, 'roles/search': 2 });
  });
});

describe('Role.groups and Role.users', () => {
  it('lists the groups holding a role from the Org group index', async () => {
    const state = stack.emulator.state;
    const cobalt = orgNamed(state, 'Cobalt-Freight');
    const viewer = roleNamed(cobalt, 'Viewer');
    const { data, calls } = await stack.run<{ role: { groups: { nodes: { name: string }[] } } }>(
      'query ($id: ID!) { role(id: $id) { groups { nodes { name } } } }',
      { id: rid(viewer) },
    );
    expect(data.role.groups.nodes.map((g) => g.name)).toEqual(byName(state.groupsWithRole(viewer)).map((g) => g.name));
    expect(calls).toEqual({ 'groups/search': 1, 'roles/search': 1 });
  });

  it('lists the holders of a role, through sub-groups too, paging upstream for a single role', async () => {
    const read = fixture.roles.get('R-Read') as RoleRec;
    const { data, calls, records } = await stack.run<{ role: { users: { totalCount: number; nodes: { username: string }[] } } }>(
      'query ($id: ID!) { role(id: $id) { users(first: 100) { totalCount nodes { username } } } }',
      { id: rid(read) },
    );
    const expected = holdersOf(stack.emulator.state, read);
    expect(data.role.users.nodes.map((u) => u.username)).toEqual(expected);
    expect(data.role.users.totalCount).toBe(expected.length);
    expect(calls).toEqual({ 'roles/search': 1, 'users/search': 1 });
    const search = records.find((c) => c.endpoint?.endsWith('users/search'));
    expect(search?.body).toMatchObject({ role_identifiers: [read.id] });
    // totalCount needs the whole list, and the list alone: exactly its holders.
    expect(search?.rows).toBe(expected.length);
  });

  it('takes the same user filters as every other user list (e-mail, account type, visibility)', async () => {
    const state = stack.emulator.state;
    const read = fixture.roles.get('R-Read') as RoleRec;
    const holders = holdersOf(state, read).map((name) => [...state.users.values()].find((u) => u.name === name));
    const withEmail = holders.find((u) => u?.email != null);
    expect(withEmail).toBeDefined();
    const { data, calls } = await stack.run<{ role: { byEmail: { nodes: { username: string }[] }; local: { nodes: { username: string }[] } } }>(
      `query ($id: ID!, $email: String!) { role(id: $id) {
        byEmail: users(first: 100, email: $email) { nodes { username } }
        local: users(first: 100, accountType: LOCAL, visibility: SHAREABLE) { nodes { username } }
      } }`,
      { id: rid(read), email: withEmail?.email ?? '' },
    );
    expect(data.role.byEmail.nodes.map((u) => u.username)).toEqual([withEmail?.name]);
    expect(data.role.local.nodes.map((u) => u.username)).toEqual(
      holders.filter((u) => u?.accountType === 'LOCAL_USER' && u.visibility === 'SHARABLE').map((u) => u?.name),
    );
    // Two lists of one role with different filters: one roles/search, and one users/search each.
    expect(calls).toEqual({ 'roles/search': 1, 'users/search': 2 });
  });

  it('serves the holders of every role of a level with one users/search per Org', async () => {
    const state = stack.emulator.state;
    const cobalt = orgNamed(state, 'Cobalt-Freight');
    const { data, calls, records } = await stack.run<{ nodes: { name: string; roles: { nodes: { name: string; users: { nodes: { username: string }[] } }[] } }[] }>(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Organization { name roles(first: 10) { nodes {
          name users(first: 100, accountStatus: ACTIVE) { nodes { username } }
      } } } } }`,
      { ids: [fixture.org.id, cobalt.id].map((orgId) => toGlobalId('test', { typename: 'Organization', orgId })) },
    );
    const active = new Set([...state.users.values()].filter((u) => u.accountStatus === 'ACTIVE').map((u) => u.name));
    let lists = 0;
    let answered = 0;
    for (const org of data.nodes) {
      const rec = orgNamed(state, org.name);
      for (const role of org.roles.nodes) {
        expect(role.users.nodes.map((u) => u.username)).toEqual(holdersOf(state, roleNamed(rec, role.name)).filter((name) => active.has(name)));
        lists += 1;
        answered += role.users.nodes.length;
      }
    }
    expect(lists).toBe(3 + cobalt.roles.size);
    expect(calls).toEqual({ 'orgs/search': 1, 'roles/search': 2, 'users/search': 2 });
    // Each union read is shorter than its budget, so it is the union of the lists, each holder once: never more rows
    // than the lists answered.
    const rows = records.filter((c) => c.endpoint?.endsWith('users/search')).reduce((sum, c) => sum + (c.rows ?? 0), 0);
    expect(rows).toBeLessThanOrEqual(answered);
  });

  it('treats a role assigned to the All group as held by every member', async () => {
    const state = stack.emulator.state;
    const everyone = state.createRole(fixture.org, { name: 'R-Everyone', privileges: ['CAN_VIEW_FOLDERS'], at: 0 });
    state.assignRole(fixture.org.groups.get(fixture.org.allGroupId) as never, everyone);
    try {
      const { data } = await stack.run<{ role: { users: { totalCount: number } }; user: { roles: { nodes: { name: string }[] } } }>(
        'query ($id: ID!, $user: ID!) { role(id: $id) { users { totalCount } } user(id: $user) { roles { nodes { name } } } }',
        { id: rid(everyone), user: toGlobalId('test', { typename: 'User', guid: fixture.users[5]?.id ?? '' }) },
      );
      expect(data.role.users.totalCount).toBe(60);
      expect(data.user.roles.nodes.map((r) => r.name)).toContain('R-Everyone');
    } finally {
      state.deleteRole(everyone);
    }
  });
});
