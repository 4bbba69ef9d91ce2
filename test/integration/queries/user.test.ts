import { beforeAll, describe, expect, it } from 'vitest';
import type { UserRec } from '../../../src/emulator/domain/index.js';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from '../../support/fixtures.js';
import { useTestStack } from '../../support/harness.js';
import { byName, groupsOfUser, orgNamed, rolesOfUser, userNamed } from '../../support/oracle.js';

const stack = useTestStack({ seed: 'demo' });
let fixture: FixtureOrg;
const uid = (user: UserRec): string => toGlobalId('test', { typename: 'User', guid: user.id });

beforeAll(() => {
  fixture = addFixtureOrg(stack.emulator);
});

/** A demo user who belongs to several Organizations (the seed's consultants). */
function multiOrgUser(): UserRec {
  const user = [...stack.emulator.state.users.values()].find((u) => u.orgIds.size >= 3 && !u.hidden);
  if (user === undefined) throw new Error('the demo seed has no user in three Orgs');
  return user;
}

interface GraphUser {
  username: string;
  direct: { nodes: { name: string }[] };
  all: { nodes: { name: string }[] };
  roles: { nodes: { name: string }[] };
  organizations: { nodes: { name: string }[] };
  privileges: string[];
}

const USER_RELATIONS = `username
  direct: groups(first: 100) { nodes { name } }
  all: groups(first: 100, membership: ALL) { nodes { name } }
  roles(first: 100) { nodes { name } }
  organizations { nodes { name } }
  privileges`;

function expectedRelations(user: UserRec) {
  const state = stack.emulator.state;
  const privileges = new Set([...user.orgIds].flatMap((orgId) => state.effectivePrivileges(user, orgId)));
  return {
    username: user.name,
    direct: { nodes: groupsOfUser(state, user, 'DIRECT').map((name) => ({ name })) },
    all: { nodes: groupsOfUser(state, user, 'ALL').map((name) => ({ name })) },
    roles: { nodes: rolesOfUser(state, user).map((name) => ({ name })) },
    organizations: { nodes: byName([...user.orgIds].map((id) => state.orgs.get(id) as { name: string })).map(({ name }) => ({ name })) },
    privileges: [...privileges].sort(),
  };
}

describe('User lookups', () => {
  it('finds a user by ID: orgs/search says which Org holds it, then one users/search', async () => {
    const user = fixture.users[13] as UserRec;
    const { data, calls } = await stack.run<{ user: Record<string, unknown> }>(
      `query ($id: ID!) { user(id: $id) {
        id remoteId username displayName email accountType accountStatus visibility
        isSuperUser isSystemUser isExternal preferredLocale createdAt firstLoginAt
      } }`,
      { id: uid(user) },
    );
    expect(data.user).toEqual({
      id: uid(user),
      remoteId: user.id,
      username: 'fixture-co.u-013',
      displayName: 'User 47',
      email: 'u-013@fixture-co.example',
      accountType: 'LOCAL',
      accountStatus: 'INACTIVE',
      visibility: 'SHAREABLE',
      isSuperUser: false,
      isSystemUser: false,
      isExternal: false,
      preferredLocale: null,
      createdAt: new Date(user.createdAt).toISOString(),
      firstLoginAt: null,
    });
    expect(calls).toEqual({ 'orgs/search': 1, 'users/search': 1 });
  });

  it('finds a user by username, ignoring case as ThoughtSpot does, and returns null for unknown users', async () => {
    const missing = toGlobalId('test', { typename: 'User', guid: '11111111-2222-3333-4444-555555555555' });
    const { data } = await stack.run<Record<string, { username: string } | null>>(
      `query ($missing: ID!) {
        exact: userByUsername(username: "fixture-co.u-001") { username }
        upper: userByUsername(username: "FIXTURE-CO.U-002") { username }
        nobody: userByUsername(username: "nobody.at.all") { username }
        gone: user(id: $missing) { username }
      }`,
      { missing },
    );
    expect(data).toEqual({
      exact: { username: 'fixture-co.u-001' },
      upper: { username: 'fixture-co.u-002' },
      nobody: null,
      gone: null,
    });
  });

  it('rejects an ID of another type with BAD_USER_INPUT', async () => {
    const groupId = toGlobalId('test', { typename: 'Group', orgId: fixture.org.id, guid: fixture.org.allGroupId });
    const result = await stack.execute({ query: 'query ($id: ID!) { user(id: $id) { username } }', variables: { id: groupId } });
    expect(result.errors?.map((e) => [e.message, e.extensions?.['code']])).toEqual([
      ['Argument "id" must be the ID of a User, but got the ID of a Group.', 'BAD_USER_INPUT'],
    ]);
    expect(result.data).toEqual({ user: null });
  });
});

describe('User relations', () => {
  it('gives a single-Org user groups, inherited groups, effective roles, Organizations and privileges', async () => {
    const user = fixture.users[3] as UserRec; // G-03 (under G-01 under G-00) and G-02 (under G-00)
    const { data } = await stack.run<{ user: GraphUser }>(`query ($id: ID!) { user(id: $id) { ${USER_RELATIONS} } }`, { id: uid(user) });
    expect(data.user).toEqual(expectedRelations(user));
    expect(data.user.all.nodes.map((g) => g.name)).toEqual(['G-00', 'G-01', 'G-02', 'G-03']);
    expect(data.user.roles.nodes.map((r) => r.name)).toEqual(['R-Read', 'R-Write']);
  });

  it('covers every Organization of a user who belongs to several, and narrows to one with organizationId', async () => {
    const user = multiOrgUser();
    const orgId = [...user.orgIds].sort((a, b) => b - a)[0] as number;
    const { data, calls } = await stack.run<{ user: GraphUser & { oneOrg: { nodes: { name: string }[] }; oneOrgRoles: { nodes: { name: string }[] }; oneOrgPrivileges: string[] } }>(
      `query ($id: ID!, $org: ID!) { user(id: $id) { ${USER_RELATIONS}
        oneOrg: groups(organizationId: $org, membership: ALL) { nodes { name } }
        oneOrgRoles: roles(organizationId: $org) { nodes { name } }
        oneOrgPrivileges: privileges(organizationId: $org)
      } }`,
      { id: uid(user), org: toGlobalId('test', { typename: 'Organization', orgId }) },
    );
    const { oneOrg, oneOrgRoles, oneOrgPrivileges, ...rest } = data.user;
    expect(rest).toEqual(expectedRelations(user));
    const state = stack.emulator.state;
    expect(oneOrg.nodes.map((g) => g.name)).toEqual(groupsOfUser(state, user, 'ALL', orgId));
    expect(oneOrgRoles.nodes.map((r) => r.name)).toEqual(rolesOfUser(state, user, orgId));
    expect(oneOrgPrivileges).toEqual([...state.effectivePrivileges(user, orgId)]);
    // One user: orgs/search + one identifier search to find it; then, per Org of the user, its view there (one
    // identifier search each, except the Org it was found in) and that Org's role index. Group names come from the
    // user rows, which name their groups.
    const orgs = user.orgIds.size;
    expect(calls).toEqual({ 'orgs/search': 2, 'roles/search': orgs, 'users/search': orgs });
  });

  it('names groups from the user rows when only names are asked, and lists the same groups as a full read', async () => {
    const user = multiOrgUser();
    const query = (fields: string) =>
      `query ($id: ID!) { user(id: $id) { direct: groups(first: 100) { nodes { ${fields} } } all: groups(first: 100, membership: ALL) { nodes { ${fields} } } } }`;
    type Lists = { user: { direct: { nodes: { id: string; name: string }[] }; all: { nodes: { id: string; name: string }[] } } };
    const byRefs = await stack.run<Lists>(query('id name'), { id: uid(user) });
    const full = await stack.run<Lists>(query('id name displayName isSystemGroup'), { id: uid(user) });
    const state = stack.emulator.state;
    for (const result of [byRefs, full]) {
      expect(result.data.user.direct.nodes.map((g) => g.name)).toEqual(groupsOfUser(state, user, 'DIRECT'));
      expect(result.data.user.all.nodes.map((g) => g.name)).toEqual(groupsOfUser(state, user, 'ALL'));
    }
    const ids = (result: typeof full) => result.data.user.all.nodes.map((g) => g.id);
    expect(ids(byRefs)).toEqual(ids(full));
    expect(byRefs.calls['groups/search']).toBeUndefined();
    expect(full.calls['groups/search']).toBe(user.orgIds.size);
  });

  it('batches the relations of a page of users: one call per Org and endpoint, however many users', async () => {
    for (const first of [10, 60]) {
      const { data, calls } = await stack.run<{ organizationByName: { users: { nodes: GraphUser[] } } }>(
        `{ organizationByName(name: "Fixture-Co") { users(first: ${first}) { nodes { ${USER_RELATIONS} } } } }`,
      );
      const users = data.organizationByName.users.nodes;
      expect(users).toHaveLength(first);
      for (const user of users) expect(user).toEqual(expectedRelations(userNamed(stack.emulator.state, user.username)));
      expect(calls).toEqual({ 'orgs/search': 1, 'roles/search': 1, 'users/search': 1 });
    }
  });

  it('batches the relations of multi-Org users: one index read per Org they belong to, and each other Org views them in one read', async () => {
    const state = stack.emulator.state;
    const { data, calls } = await stack.run<{ organizationByName: { groups: { nodes: { members: { nodes: GraphUser[] } }[] } } }>(
      `{ organizationByName(name: "Alderbrook-Foods") { groups(first: 3, namePattern: "%Analysts") { nodes {
          members(first: 100) { nodes { ${USER_RELATIONS} } }
      } } } }`,
    );
    const users = data.organizationByName.groups.nodes.flatMap((group) => group.members.nodes);
    expect(users.length).toBeGreaterThan(5);
    for (const user of users) expect(user).toEqual(expectedRelations(userNamed(state, user.username)));
    const orgsOfUsers = new Set(users.flatMap((u) => [...userNamed(state, u.username).orgIds]));
    expect(orgsOfUsers.size).toBeGreaterThan(1);
    // Each other Org's view of the distinct users who belong to it: one user is searched by identifier
    // (THOUGHTSPOT_USER_LOOKUP_MAX_KEYS, 1 by default); more cost one read of that Org's user list, which the demo's
    // small Orgs fit within the scan's row budget.
    const alderbrook = orgNamed(state, 'Alderbrook-Foods').id;
    const viewed = new Map<number, number>();
    for (const username of new Set(users.map((u) => u.username))) {
      for (const orgId of userNamed(state, username).orgIds) if (orgId !== alderbrook) viewed.set(orgId, (viewed.get(orgId) ?? 0) + 1);
    }
    expect([...viewed.values()].some((count) => count > 1)).toBe(true);
    expect(calls).toEqual({
      // The paged level; group names come from the user rows.
      'groups/search': 1,
      'orgs/search': 1,
      'roles/search': orgsOfUsers.size,
      'users/search': 1 + viewed.size,
    });
  });
});

describe('User.groups edges', () => {
  it('say whether the user was added to each group or reaches it through a sub-group', async () => {
    // u-003 is a direct member of G-03 (3 mod 8) and G-02 ((3·3+1) mod 8); G-03 ⊂ G-01 ⊂ G-00 and G-02 ⊂ G-00.
    const user = fixture.users[3] as FixtureOrg['users'][number];
    const { data } = await stack.run<{ user: { groups: { edges: { membership: string; node: { name: string } }[] } } }>(
      `query ($id: ID!) { user(id: $id) { groups(membership: ALL) { edges { membership node { name } } } } }`,
      { id: toGlobalId('test', { typename: 'User', guid: user.id }) },
    );
    expect(data.user.groups.edges.map((edge) => [edge.node.name, edge.membership])).toEqual([
      ['G-00', 'INHERITED'],
      ['G-01', 'INHERITED'],
      ['G-02', 'DIRECT'],
      ['G-03', 'DIRECT'],
    ]);
  });
});
