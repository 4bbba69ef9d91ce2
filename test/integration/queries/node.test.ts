import { beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from '../../support/fixtures.js';
import { useTestStack } from '../../support/harness.js';
import { groupsOfUser, orgNamed } from '../../support/oracle.js';

const stack = useTestStack({ seed: 'demo' });
let fixture: FixtureOrg;

beforeAll(() => {
  fixture = addFixtureOrg(stack.emulator);
});

describe('Query.node and Query.nodes', () => {
  it('resolves every Node type, with __typename and id round-tripping', async () => {
    const ids = [
      toGlobalId('test', { typename: 'Organization', orgId: fixture.org.id }),
      toGlobalId('test', { typename: 'Group', orgId: fixture.org.id, guid: fixture.groups.get('G-02')?.id ?? '' }),
      toGlobalId('test', { typename: 'User', guid: fixture.users[7]?.id ?? '' }),
      toGlobalId('test', { typename: 'Role', orgId: fixture.org.id, guid: fixture.roles.get('R-Read')?.id ?? '' }),
    ];
    const result = await stack.execute({
      query: `query ($ids: [ID!]!, $one: ID!) {
        nodes(ids: $ids) { __typename id ... on Organization { name } ... on Group { name } ... on User { username } ... on Role { name } }
        node(id: $one) { __typename id }
      }`,
      variables: { ids, one: ids[2] },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      nodes: [
        { __typename: 'Organization', id: ids[0], name: 'Fixture-Co' },
        { __typename: 'Group', id: ids[1], name: 'G-02' },
        { __typename: 'User', id: ids[2], username: 'fixture-co.u-007' },
        { __typename: 'Role', id: ids[3], name: 'R-Read' },
      ],
      node: { __typename: 'User', id: ids[2] },
    });
  });

  it('gives null for objects that no longer exist and for IDs of another connection, and an error at its own index for a malformed ID', async () => {
    const gone = toGlobalId('test', { typename: 'Role', orgId: fixture.org.id, guid: 'no-such-role' });
    const goneOrg = toGlobalId('test', { typename: 'Group', orgId: 31_337, guid: 'whatever' });
    const foreign = toGlobalId('staging', { typename: 'User', guid: fixture.users[0]?.id ?? '' });
    const result = await stack.execute({
      query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      variables: { ids: [gone, 'garbage', goneOrg, foreign] },
    });
    expect(result.data).toEqual({ nodes: [null, null, null, null] });
    expect(result.errors?.map((e) => [e.path, e.message, e.extensions?.['code']])).toEqual([
      [['nodes', 1], 'Argument "ids[1]" must be an ID issued by this API, but got: "garbage".', 'BAD_USER_INPUT'],
    ]);
  });

  it('refuses more than 100 IDs', async () => {
    const ids = Array.from({ length: 101 }, () => toGlobalId('test', { typename: 'Organization', orgId: 0 }));
    const result = await stack.execute({ query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', variables: { ids } });
    expect(result.errors?.map((e) => [e.message, e.extensions?.['code']])).toEqual([
      ['Argument "ids" must list at most 100 IDs, but got: 101.', 'BAD_USER_INPUT'],
    ]);
  });

  it('loads 60 users with their group names: orgs/search, then one users/search per Org (user rows name their groups)', async () => {
    const ids = fixture.users.map((user) => toGlobalId('test', { typename: 'User', guid: user.id }));
    const { data, calls } = await stack.run<{ nodes: { username: string; groups: { nodes: { name: string }[] } }[] }>(
      'query ($ids: [ID!]!) { nodes(ids: $ids) { ... on User { username groups { nodes { name } } } } }',
      { ids },
    );
    const nodes = data.nodes;
    expect(nodes.map((n) => n.username)).toEqual(fixture.users.map((u) => u.name));
    nodes.forEach((node, i) => {
      expect(node.groups.nodes.map((g) => g.name)).toEqual(groupsOfUser(stack.emulator.state, fixture.users[i] as never, 'DIRECT'));
    });
    expect(calls).toEqual({ 'orgs/search': 1, 'users/search': 1 });
  });

  it('loads users spread over several Organizations with one users/search per Organization holding them', async () => {
    const state = stack.emulator.state;
    const picks = ['Alderbrook-Foods', 'Brightwater-Health', 'Cobalt-Freight'].flatMap((name) =>
      state.sortedOrgMembers(orgNamed(state, name).id, 'NAME').filter((u) => u.orgIds.size === 1).slice(0, 5),
    );
    const { data, calls } = await stack.run<{ nodes: { username: string }[] }>(
      'query ($ids: [ID!]!) { nodes(ids: $ids) { ... on User { username } } }',
      { ids: picks.map((u) => toGlobalId('test', { typename: 'User', guid: u.id })) },
    );
    expect(data.nodes.map((n) => n.username)).toEqual(picks.map((u) => u.name));
    expect(calls).toEqual({ 'orgs/search': 1, 'users/search': 3 });
  });
});
