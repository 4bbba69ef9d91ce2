import { beforeAll, describe, expect, it } from 'vitest';
import type { GroupRec } from '../../../src/emulator/domain/index.js';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from '../../support/fixtures.js';
import { useTestStack } from '../../support/harness.js';
import { groupNamed, membersOf, orgNamed } from '../../support/oracle.js';

const stack = useTestStack({ seed: 'demo' });
let fixture: FixtureOrg;
const gid = (group: GroupRec): string => toGlobalId('test', { typename: 'Group', orgId: group.orgId, guid: group.id });
const g = (name: string): GroupRec => fixture.groups.get(name) as GroupRec;

beforeAll(() => {
  fixture = addFixtureOrg(stack.emulator);
});

interface Names {
  nodes: { username: string }[];
}

describe('Group lookups and fields', () => {
  it('finds a group by name in an Organization and by ID, through one read of the Org group index', async () => {
    const orgId = toGlobalId('test', { typename: 'Organization', orgId: fixture.org.id });
    const { data, calls } = await stack.run<{ groupByName: Record<string, unknown>; group: { name: string } }>(
      `query ($org: ID!, $id: ID!) {
        groupByName(name: "G-05", organizationId: $org) {
          id remoteId name displayName description type visibility privileges isSystemGroup isExternal createdAt
          organization { name remoteId }
        }
        group(id: $id) { name }
      }`,
      { org: orgId, id: gid(g('G-07')) },
    );
    expect(data.groupByName).toEqual({
      id: gid(g('G-05')),
      remoteId: g('G-05').id,
      name: 'G-05',
      displayName: 'Group 3',
      description: null,
      type: 'TEAM',
      visibility: 'SHAREABLE',
      privileges: [],
      isSystemGroup: false,
      isExternal: false,
      createdAt: '2024-06-01T12:05:00.000Z',
      organization: { name: 'Fixture-Co', remoteId: String(fixture.org.id) },
    });
    expect(data.group.name).toBe('G-07');
    expect(calls).toEqual({ 'groups/search': 1, 'orgs/search': 1 });
  });

  it('returns null for a group that does not exist and for a name absent from the Organization', async () => {
    const missing = toGlobalId('test', { typename: 'Group', orgId: fixture.org.id, guid: '00000000-0000-0000-0000-000000000000' });
    const { data } = await stack.run<{ group: null; groupByName: null }>(
      `query ($id: ID!) { group(id: $id) { name } groupByName(name: "G-05") { name } }`,
      { id: missing },
    );
    expect(data).toEqual({ group: null, groupByName: null });
  });

  it('lists sub-groups, parent groups and roles from the Org indexes: one groups/search and one roles/search', async () => {
    const { data, calls } = await stack.run<{ nodes: { name: string; subGroups: { nodes: { name: string }[] }; parentGroups: { nodes: { name: string }[] }; roles: { nodes: { name: string }[] } }[] }>(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Group {
          name subGroups { nodes { name } } parentGroups { nodes { name } } roles { nodes { name } }
      } } }`,
      { ids: ['G-00', 'G-01', 'G-03', 'G-04'].map((name) => gid(g(name))) },
    );
    const flat = data.nodes.map((group) => ({
      name: group.name,
      subGroups: group.subGroups.nodes.map((x) => x.name),
      parentGroups: group.parentGroups.nodes.map((x) => x.name),
      roles: group.roles.nodes.map((x) => x.name),
    }));
    expect(flat).toEqual([
      { name: 'G-00', subGroups: ['G-01', 'G-02'], parentGroups: [], roles: ['R-Read'] },
      { name: 'G-01', subGroups: ['G-03'], parentGroups: ['G-00'], roles: ['R-Write'] },
      { name: 'G-03', subGroups: [], parentGroups: ['G-01'], roles: [] },
      { name: 'G-04', subGroups: [], parentGroups: [], roles: ['R-Admin'] },
    ]);
    expect(calls).toEqual({ 'groups/search': 1, 'roles/search': 1 });
  });
});

describe('Group.members', () => {
  it('pages a single group upstream: record_offset/record_size = first + 1', async () => {
    const { data, calls, records } = await stack.run<{ group: { members: Names & { pageInfo: { hasNextPage: boolean } } } }>(
      `query ($id: ID!) { group(id: $id) { members(first: 4) { nodes { username } pageInfo { hasNextPage } } } }`,
      { id: gid(g('G-01')) },
    );
    const expected = membersOf(stack.emulator.state, g('G-01'));
    expect(data.group.members.nodes.map((u) => u.username)).toEqual(expected.slice(0, 4));
    expect(data.group.members.pageInfo.hasNextPage).toBe(expected.length > 4);
    // A non-empty page lists the group in its rows' direct groups, which proves the group exists: no group lookup.
    expect(calls).toEqual({ 'users/search': 1 });
    const search = records.find((c) => c.endpoint?.endsWith('users/search'));
    expect(search?.body).toMatchObject({ group_identifiers: [g('G-01').id], record_offset: 0, record_size: 5 });
    expect(search?.orgId).toBe(fixture.org.id);
    expect(search?.rows).toBe(5);
  });

  it('looks the group up only when its page of members cannot prove it exists, or the query asks for more', async () => {
    const query = (fields: string) => `query ($id: ID!) { group(id: $id) { ${fields} members(first: 4) { nodes { username } } } }`;
    const missing = toGlobalId('test', { typename: 'Group', orgId: fixture.org.id, guid: '00000000-0000-0000-0000-000000000000' });
    const gone = await stack.run<{ group: null }>(query('id'), { id: missing });
    expect(gone.data.group).toBeNull();
    expect(gone.calls).toEqual({ 'groups/search': 1, 'users/search': 1 });

    const empty = stack.emulator.state.createGroup(fixture.org, { name: 'G-Empty', displayName: 'Empty', at: 0 });
    try {
      const none = await stack.run<{ group: { name: string; members: Names } }>(query('name'), { id: gid(empty) });
      expect(none.data.group).toEqual({ name: 'G-Empty', members: { nodes: [] } });
      expect(none.calls).toEqual({ 'groups/search': 1, 'users/search': 1 });
    } finally {
      stack.emulator.state.deleteGroup(empty);
    }

    // The same group answers the same whichever plan served it.
    const named = await stack.run<{ group: { id: string; name: string; members: Names } }>(query('id name'), { id: gid(g('G-02')) });
    const full = await stack.run<{ group: { id: string; name: string; displayName: string; members: Names } }>(query('id name displayName'), {
      id: gid(g('G-02')),
    });
    expect(named.calls).toEqual({ 'users/search': 1 });
    expect(full.calls).toEqual({ 'groups/search': 1, 'users/search': 1 });
    const { displayName: _displayName, ...rest } = full.data.group;
    expect(named.data.group).toEqual(rest);
  });

  it('includes sub-group members at any depth with membership: ALL', async () => {
    const { data, calls } = await stack.run<{ group: { members: Names & { totalCount: number } } }>(
      `query ($id: ID!) { group(id: $id) { members(first: 100, membership: ALL) { totalCount nodes { username } } } }`,
      { id: gid(g('G-00')) },
    );
    const expected = membersOf(stack.emulator.state, g('G-00'), 'ALL');
    expect(expected.length).toBeGreaterThan(membersOf(stack.emulator.state, g('G-00')).length);
    expect(data.group.members.nodes.map((u) => u.username)).toEqual(expected);
    expect(data.group.members.totalCount).toBe(expected.length);
    expect(calls).toEqual({ 'groups/search': 1, 'users/search': 1 });
  });

  it('serves every group of a level with one users/search per Org, partitioned locally', async () => {
    const { data, calls, records } = await stack.run<{ organizationByName: { groups: { nodes: { name: string; members: Names }[] } } }>(
      `{ organizationByName(name: "Fixture-Co") { groups(first: 10, namePattern: "G-%") {
          nodes { name members(first: 3) { nodes { username } } }
      } } }`,
    );
    const groups = data.organizationByName.groups.nodes;
    expect(groups.map((group) => group.name)).toEqual(['G-00', 'G-01', 'G-02', 'G-03', 'G-04', 'G-05', 'G-06', 'G-07']);
    for (const group of groups) {
      expect(group.members.nodes.map((u) => u.username)).toEqual(membersOf(stack.emulator.state, g(group.name)).slice(0, 3));
    }
    expect(calls).toEqual({ 'groups/search': 1, 'orgs/search': 1, 'users/search': 1 });
    const search = records.find((c) => c.endpoint?.endsWith('users/search'));
    // The union's row budget: every list's window (3 rows and the probe row for hasNextPage), 8 lists.
    expect(search?.body).toMatchObject({ record_offset: 0, record_size: 8 * 4 });
    expect(search?.rows).toBeLessThanOrEqual(8 * 4);
    expect([...((search?.body as { group_identifiers: string[] }).group_identifiers)].sort()).toEqual(
      [...fixture.groups.values()].map((group) => group.id).sort(),
    );
  });

  it('costs one users/search per Organization when the groups of a level span Organizations', async () => {
    const demo = orgNamed(stack.emulator.state, 'Cobalt-Freight');
    const { data, calls } = await stack.run<{ nodes: { name: string; members: Names }[] }>(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Group { name members(first: 50) { nodes { username } } } } }`,
      { ids: [gid(g('G-02')), gid(groupNamed(demo, 'Finance')), gid(g('G-06')), gid(groupNamed(demo, 'Analysts'))] },
    );
    expect(data.nodes.map((group) => group.members.nodes.length)).toEqual([
      membersOf(stack.emulator.state, g('G-02')).length,
      membersOf(stack.emulator.state, groupNamed(demo, 'Finance')).length,
      membersOf(stack.emulator.state, g('G-06')).length,
      membersOf(stack.emulator.state, groupNamed(demo, 'Analysts')).length,
    ]);
    expect(calls).toEqual({ 'groups/search': 2, 'users/search': 2 });
  });

  it('lists every member of the Org for the built-in All group', async () => {
    const all = groupNamed(fixture.org, 'All');
    const { data } = await stack.run<{ group: { members: Names & { totalCount: number } } }>(
      `query ($id: ID!) { group(id: $id) { members(first: 100) { totalCount nodes { username } } } }`,
      { id: gid(all) },
    );
    expect(data.group.members.totalCount).toBe(60);
    expect(data.group.members.nodes.map((u) => u.username)).toEqual(membersOf(stack.emulator.state, all));
  });

  it('applies user filters and ordering upstream, consistently in the batched and single paths', async () => {
    const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Group {
      inactive: members(accountStatus: INACTIVE) { nodes { username } }
      saml: members(accountType: SAML, membership: ALL) { nodes { username } }
      pattern: members(namePattern: "%u-01%") { nodes { username } }
      email: members(email: "U-008@fixture-co.example") { nodes { username } }
      desc: members(first: 3, orderBy: { field: DISPLAY_NAME, direction: DESC }) { nodes { username } }
    } } }`;
    const state = stack.emulator.state;
    const expectFor = (group: GroupRec) => {
      const users = (names: string[]) => names.map((username) => ({ username }));
      const inGroup = (names: string[]) => users(membersOf(state, group).filter((name) => names.includes(name)));
      const user = (name: string) => fixture.users.find((u) => u.name === name);
      const direct = membersOf(state, group);
      return {
        inactive: { nodes: inGroup(direct.filter((name) => user(name)?.accountStatus === 'INACTIVE')) },
        saml: { nodes: users(membersOf(state, group, 'ALL').filter((name) => user(name)?.accountType === 'SAML_USER')) },
        pattern: { nodes: inGroup(direct.filter((name) => name.includes('u-01'))) },
        email: { nodes: inGroup(direct.filter((name) => name.endsWith('u-008'))) },
        desc: {
          nodes: users(
            [...direct].sort((a, b) => {
              const da = (user(a)?.displayName ?? '').toLowerCase();
              const db = (user(b)?.displayName ?? '').toLowerCase();
              return da < db ? 1 : da > db ? -1 : 0;
            }).slice(0, 3),
          ),
        },
      };
    };
    const single = await stack.run<{ nodes: unknown[] }>(query, { ids: [gid(g('G-00'))] });
    expect(single.data.nodes).toEqual([expectFor(g('G-00'))]);
    const batched = await stack.run<{ nodes: unknown[] }>(query, { ids: [gid(g('G-00')), gid(g('G-01'))] });
    expect(batched.data.nodes).toEqual([expectFor(g('G-00')), expectFor(g('G-01'))]);
    // Five member lists with five different filters: one users/search each, whatever the number of groups.
    expect(single.calls['users/search']).toBe(5);
    expect(batched.calls['users/search']).toBe(5);
  });
});

describe('Group.members edges', () => {
  it('say whether each member was added to the group itself or belongs through a sub-group, at no extra call', async () => {
    const { data, calls } = await stack.run<{ group: { members: { edges: { membership: string; node: { remoteId: string } }[] } } }>(
      `query ($id: ID!) { group(id: $id) { members(membership: ALL, first: 100) { edges { membership node { remoteId } } } } }`,
      { id: gid(g('G-00')) },
    );
    const direct = new Set(fixture.users.filter((user) => user.groupIds.has(g('G-00').id)).map((user) => user.id));
    const edges = data.group.members.edges;
    expect(edges.length).toBe(membersOf(stack.emulator.state, g('G-00'), 'ALL').length);
    for (const edge of edges) expect([edge.node.remoteId, edge.membership]).toEqual([edge.node.remoteId, direct.has(edge.node.remoteId) ? 'DIRECT' : 'INHERITED']);
    expect(new Set(edges.map((edge) => edge.membership))).toEqual(new Set(['DIRECT', 'INHERITED']));
    expect(calls).toEqual({ 'groups/search': 1, 'users/search': 1 });
  });
});
