import { beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from '../../support/fixtures.js';
import { useTestStack } from '../../support/harness.js';
import { orgNamed } from '../../support/oracle.js';

const stack = useTestStack({ seed: 'demo' });
let fixture: FixtureOrg;

beforeAll(() => {
  fixture = addFixtureOrg(stack.emulator);
});

const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) {
  __typename
  ... on Organization { name }
  ... on Group { name }
  ... on User { username }
  ... on Role { name }
} }`;

async function entities(representations: Record<string, unknown>[]) {
  const { value: result, calls } = await stack.measure(() => stack.execute({ query: ENTITIES, variables: { representations } }));
  return { result, calls, data: (result.data as { _entities: unknown[] } | undefined)?._entities };
}

describe('_entities', () => {
  it('resolves Organizations by id and by name: N representations, one orgs/search', async () => {
    const state = stack.emulator.state;
    const orgs = [...state.orgs.values()];
    const { data, calls, result } = await entities([
      ...orgs.map((org) => ({ __typename: 'Organization', id: toGlobalId('test', { typename: 'Organization', orgId: org.id }) })),
      ...orgs.map((org) => ({ __typename: 'Organization', name: org.name })),
      { __typename: 'Organization', name: 'No-Such-Org' },
    ]);
    expect(result.errors).toBeUndefined();
    expect(data).toEqual([...orgs, ...orgs].map((org) => ({ __typename: 'Organization', name: org.name })).concat([null as never]));
    expect(calls).toEqual({ 'orgs/search': 1 });
  });

  it('resolves Users by id: one orgs/search, then one users/search per Org holding them', async () => {
    const { data, calls } = await entities(
      fixture.users.map((user) => ({ __typename: 'User', id: toGlobalId('test', { typename: 'User', guid: user.id }) })),
    );
    expect(data).toEqual(fixture.users.map((user) => ({ __typename: 'User', username: user.name })));
    expect(calls).toEqual({ 'orgs/search': 1, 'users/search': 1 });
  });

  it('resolves Users by username across Organizations the same way', async () => {
    const state = stack.emulator.state;
    const picks = ['Alderbrook-Foods', 'Everpine-Energy'].flatMap((name) =>
      state.sortedOrgMembers(orgNamed(state, name).id, 'NAME').filter((u) => u.orgIds.size === 1).slice(0, 10),
    );
    const { data, calls } = await entities([
      ...picks.map((user) => ({ __typename: 'User', username: user.name })),
      { __typename: 'User', username: 'nobody.here' },
    ]);
    expect(data).toEqual([...picks.map((user) => ({ __typename: 'User', username: user.name })), null]);
    // The unknown username is searched once more on its own (a scan leaves hidden users out, so a miss is checked).
    expect(calls).toEqual({ 'orgs/search': 1, 'users/search': 3 });
  });

  it('resolves Groups and Roles by id: one index read per type and Org', async () => {
    const state = stack.emulator.state;
    const cobalt = orgNamed(state, 'Cobalt-Freight');
    const groups = [...fixture.groups.values(), ...cobalt.groups.values()];
    const roles = [...fixture.roles.values(), ...cobalt.roles.values()];
    const { data, calls } = await entities([
      ...groups.map((g) => ({ __typename: 'Group', id: toGlobalId('test', { typename: 'Group', orgId: g.orgId, guid: g.id }) })),
      ...roles.map((r) => ({ __typename: 'Role', id: toGlobalId('test', { typename: 'Role', orgId: r.orgId, guid: r.id }) })),
    ]);
    expect(data).toEqual([
      ...groups.map((g) => ({ __typename: 'Group', name: g.name })),
      ...roles.map((r) => ({ __typename: 'Role', name: r.name })),
    ]);
    expect(calls).toEqual({ 'groups/search': 2, 'roles/search': 2 });
  });

  it('reports a malformed representation id as BAD_USER_INPUT at its own index', async () => {
    const { data, result } = await entities([
      { __typename: 'Organization', name: 'Fixture-Co' },
      { __typename: 'Group', id: 'nonsense' },
    ]);
    expect(data).toEqual([{ __typename: 'Organization', name: 'Fixture-Co' }, null]);
    expect(result.errors?.map((e) => [e.path, e.message, e.extensions?.['code']])).toEqual([
      [['_entities', 1], 'Argument "id" must be an ID issued by this API, but got: "nonsense".', 'BAD_USER_INPUT'],
    ]);
  });
});
