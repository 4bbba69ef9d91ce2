import { beforeAll, describe, expect, it } from 'vitest';
import { GROUP_PAGE_MIN_ROWS } from '../../../src/loaders/groups.js';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from '../../support/fixtures.js';
import { useTestStack } from '../../support/harness.js';
import { byName, listedUsers, orgNamed, userNamed } from '../../support/oracle.js';

const stack = useTestStack({ seed: 'demo' });
let fixture: FixtureOrg;
const orgGid = (orgId: number): string => toGlobalId('test', { typename: 'Organization', orgId });

beforeAll(() => {
  fixture = addFixtureOrg(stack.emulator);
});

const names = (connection: { nodes: { name?: string; username?: string }[] } | undefined): string[] =>
  (connection?.nodes ?? []).map((node) => node.name ?? node.username ?? '');

describe('Query.organizations and Organization lookups', () => {
  it('lists every Organization from one orgs/search, by name, with totalCount', async () => {
    const { data, calls } = await stack.run<{ organizations: { totalCount: number; nodes: { name: string; remoteId: string; status: string; visibility: string }[] } }>(
      '{ organizations(first: 100) { totalCount nodes { name remoteId status visibility } } }',
    );
    const expected = byName([...stack.emulator.state.orgs.values()]);
    expect(data.organizations.totalCount).toBe(expected.length);
    expect(data.organizations.nodes).toEqual(
      expected.map((org) => ({ name: org.name, remoteId: String(org.id), status: 'ACTIVE', visibility: 'VISIBLE' })),
    );
    expect(calls).toEqual({ 'orgs/search': 1 });
  });

  it('filters by name pattern, status and membership, and orders by remote ID', async () => {
    const consultant = [...stack.emulator.state.users.values()].find((user) => user.orgIds.size >= 3);
    expect(consultant).toBeDefined();
    const userId = toGlobalId('test', { typename: 'User', guid: consultant?.id ?? '' });
    const { data, calls } = await stack.run<Record<string, { nodes: { name: string }[] }>>(
      `query ($user: ID!) {
        pattern: organizations(namePattern: "%-f%") { nodes { name } }
        inactive: organizations(status: INACTIVE) { nodes { name } }
        byId: organizations(orderBy: { field: REMOTE_ID, direction: DESC }, first: 2) { nodes { name } }
        member: organizations(userId: $user) { nodes { name } }
      }`,
      { user: userId },
    );
    const state = stack.emulator.state;
    expect(names(data.pattern)).toEqual(['Alderbrook-Foods', 'Cobalt-Freight']);
    expect(names(data.inactive)).toEqual([]);
    expect(names(data.byId)).toEqual([...state.orgs.values()].sort((a, b) => b.id - a.id).slice(0, 2).map((org) => org.name));
    expect(names(data.member)).toEqual(byName([...(consultant?.orgIds ?? [])].map((id) => state.orgs.get(id) as { name: string })).map((o) => o.name));
    // The index serves three lists; membership needs ThoughtSpot's answer (user_identifiers).
    expect(calls).toEqual({ 'orgs/search': 2 });
  });

  it('looks Organizations up by ID and by name, null when missing, in one orgs/search', async () => {
    const { data, calls } = await stack.run<Record<string, { name: string } | null>>(
      `query ($id: ID!, $gone: ID!) {
        byId: organization(id: $id) { name }
        byName: organizationByName(name: "Cobalt-Freight") { name }
        missingName: organizationByName(name: "No-Such-Org") { name }
        missingId: organization(id: $gone) { name }
      }`,
      { id: orgGid(fixture.org.id), gone: orgGid(424242) },
    );
    expect(data).toEqual({ byId: { name: 'Fixture-Co' }, byName: { name: 'Cobalt-Freight' }, missingName: null, missingId: null });
    expect(calls).toEqual({ 'orgs/search': 1 });
  });
});

describe('Organization.groups', () => {
  it('pages upstream with the filters ThoughtSpot evaluates, one groups/search per list', async () => {
    const roleId = toGlobalId('test', { typename: 'Role', orgId: fixture.org.id, guid: fixture.roles.get('R-Admin')?.id ?? '' });
    const user0 = fixture.users[0];
    const userId = toGlobalId('test', { typename: 'User', guid: user0?.id ?? '' });
    const { data, calls, records } = await stack.run<{ organization: Record<string, { nodes: { name: string }[] }> }>(
      `query ($org: ID!, $role: ID!, $user: ID!) { organization(id: $org) {
        firstThree: groups(first: 3) { nodes { name } }
        pattern: groups(namePattern: "g-0%") { nodes { name } }
        team: groups(type: TEAM) { nodes { name } }
        hidden: groups(visibility: NOT_SHAREABLE) { nodes { name } }
        privileged: groups(privileges: [DATAMANAGEMENT]) { nodes { name } }
        withRole: groups(roleId: $role) { nodes { name } }
        withUser: groups(userId: $user) { nodes { name } }
        byDisplayName: groups(first: 2, orderBy: { field: DISPLAY_NAME, direction: ASC }, namePattern: "G-%") { nodes { name } }
      } }`,
      { org: orgGid(fixture.org.id), role: roleId, user: userId },
    );
    const o = data.organization;
    expect(names(o.firstThree as { nodes: { name: string }[] })).toEqual(['Administrator', 'All', 'G-00']);
    expect(names(o.pattern as { nodes: { name: string }[] })).toEqual(['G-00', 'G-01', 'G-02', 'G-03', 'G-04', 'G-05', 'G-06', 'G-07']);
    expect(names(o.team as { nodes: { name: string }[] })).toEqual(['G-05']);
    expect(names(o.hidden as { nodes: { name: string }[] })).toEqual(['G-06']);
    const grantsDataManagement = [...fixture.org.groups.values()].filter((group) => stack.emulator.state.grantsOf(group.id).has('DATAMANAGEMENT'));
    expect(names(o.privileged as { nodes: { name: string }[] })).toEqual(byName(grantsDataManagement).map((group) => group.name));
    expect(names(o.privileged as { nodes: { name: string }[] })).toContain('G-07');
    expect(names(o.withRole as { nodes: { name: string }[] })).toEqual(['G-04']);
    expect(names(o.withUser as { nodes: { name: string }[] })).toEqual(['G-00', 'G-01']);
    expect(names(o.byDisplayName as { nodes: { name: string }[] })).toEqual(['G-07', 'G-06']);
    expect(calls).toEqual({ 'groups/search': 8, 'orgs/search': 1 });
    const bodies = records
      .filter((c) => c.endpoint?.endsWith('groups/search'))
      .map((c) => c.body as Record<string, unknown>);
    // The unfiltered first page reads at least GROUP_PAGE_MIN_ROWS, so a small Org's whole group list comes back in
    // it (the list still answers only its three); filtered pages read their window and probe row.
    expect(bodies).toContainEqual(expect.objectContaining({ record_offset: 0, record_size: GROUP_PAGE_MIN_ROWS, include_users: false }));
    expect(bodies).toContainEqual(expect.objectContaining({ record_offset: 0, record_size: 3, name_pattern: 'G-%' }));
    // Every paged read holds at most what it asked for.
    for (const call of records.filter((c) => c.endpoint?.endsWith('groups/search'))) {
      const size = (call.body as { record_size: number }).record_size;
      if (size > 0) expect(call.rows).toBeLessThanOrEqual(size);
    }
    expect(bodies).toContainEqual(expect.objectContaining({ type: 'TEAM_GROUP' }));
    expect(bodies).toContainEqual(expect.objectContaining({ role_identifiers: [fixture.roles.get('R-Admin')?.id] }));
  });

  it('costs one groups/search per Organization for a level spanning Organizations', async () => {
    const { data, calls } = await stack.run<{ organizations: { nodes: { groups: { nodes: { name: string }[] } }[] } }>(
      '{ organizations(first: 3) { nodes { groups(first: 2) { nodes { name } } } } }',
    );
    expect(data.organizations.nodes.map((org) => names(org.groups))).toEqual([
      ['Administrator', 'All'],
      ['Administrator', 'All'],
      ['Administrator', 'All'],
    ]);
    expect(calls).toEqual({ 'groups/search': 3, 'orgs/search': 1 });
  });
});

describe('Organization.users', () => {
  it('filters by e-mail, account status and type, group, role and privilege, one users/search each', async () => {
    const state = stack.emulator.state;
    const g = (name: string) => toGlobalId('test', { typename: 'Group', orgId: fixture.org.id, guid: fixture.groups.get(name)?.id ?? '' });
    const r = (name: string) => toGlobalId('test', { typename: 'Role', orgId: fixture.org.id, guid: fixture.roles.get(name)?.id ?? '' });
    const { data, calls } = await stack.run<{ organization: Record<string, { nodes: { username: string }[] }> }>(
      `query ($org: ID!, $group: ID!, $role: ID!) { organization(id: $org) {
        email: users(email: "u-013@fixture-co.example") { nodes { username } }
        inactive: users(accountStatus: INACTIVE, first: 100) { nodes { username } }
        saml: users(accountType: SAML, first: 100) { nodes { username } }
        inGroup: users(groupId: $group, first: 100) { nodes { username } }
        withRole: users(roleId: $role, first: 100) { nodes { username } }
        privileged: users(privileges: [USER_ADMINISTRATION], first: 100) { nodes { username } }
        pattern: users(namePattern: "%u-05%") { nodes { username } }
        unshared: users(visibility: NOT_SHAREABLE) { nodes { username } }
      } }`,
      { org: orgGid(fixture.org.id), group: g('G-03'), role: r('R-Write') },
    );
    const o = data.organization;
    const listed = (keep: Parameters<typeof listedUsers>[2]) => listedUsers(state, fixture.org.id, keep);
    const usernames = (key: string) => (o[key] as { nodes: { username: string }[] }).nodes.map((u) => u.username);
    expect(usernames('email')).toEqual(['fixture-co.u-013']);
    expect(usernames('inactive')).toEqual(listed((u) => u.accountStatus === 'INACTIVE'));
    expect(usernames('saml')).toEqual(listed((u) => u.accountType === 'SAML_USER'));
    expect(usernames('inGroup')).toEqual(listed((u) => u.groupIds.has(fixture.groups.get('G-03')?.id ?? '')));
    const write = fixture.roles.get('R-Write')?.id ?? '';
    expect(usernames('withRole')).toEqual(listed((u) => state.effectiveRoles(u, fixture.org.id).has(write)));
    expect(usernames('withRole').length).toBeGreaterThan(usernames('inGroup').length);
    expect(usernames('privileged')).toEqual(listed((u) => state.effectivePrivileges(u, fixture.org.id).includes('USER_ADMINISTRATION')));
    expect(usernames('pattern')).toEqual(listed((u) => u.name.includes('u-05')));
    expect(usernames('unshared')).toEqual(['fixture-co.u-011']);
    expect(calls).toEqual({ 'orgs/search': 1, 'users/search': 8 });
  });

  it('rejects a group filter from another Organization', async () => {
    const cobalt = orgNamed(stack.emulator.state, 'Cobalt-Freight');
    const result = await stack.execute({
      query: 'query ($org: ID!, $group: ID!) { organization(id: $org) { users(groupId: $group) { nodes { username } } } }',
      variables: {
        org: orgGid(fixture.org.id),
        group: toGlobalId('test', { typename: 'Group', orgId: cobalt.id, guid: cobalt.allGroupId }),
      },
    });
    expect(result.errors?.map((e) => [e.message, e.extensions?.['code']])).toEqual([
      [`Argument "groupId" names an object of another Organization than the one this list runs in (Organization ${fixture.org.id}).`, 'BAD_USER_INPUT'],
    ]);
  });
});

describe('Organization.roles', () => {
  it('lists and filters the roles of an Organization from one roles/search', async () => {
    const groupId = toGlobalId('test', { typename: 'Group', orgId: fixture.org.id, guid: fixture.groups.get('G-01')?.id ?? '' });
    const { data, calls } = await stack.run<{ organization: Record<string, { nodes: { name: string; privileges?: string[] }[] }> }>(
      `query ($org: ID!, $group: ID!) { organization(id: $org) {
        all: roles { nodes { name privileges } }
        pattern: roles(namePattern: "r-%d%") { nodes { name } }
        privileged: roles(privileges: [CAN_MODIFY_FOLDERS]) { nodes { name } }
        ofGroup: roles(groupId: $group) { nodes { name } }
        desc: roles(orderBy: { field: NAME, direction: DESC }, first: 1) { nodes { name } }
      } }`,
      { org: orgGid(fixture.org.id), group: groupId },
    );
    const o = data.organization;
    expect(o['all']?.nodes).toEqual([
      { name: 'R-Admin', privileges: ['USER_ADMINISTRATION'] },
      { name: 'R-Read', privileges: ['CAN_VIEW_FOLDERS'] },
      { name: 'R-Write', privileges: ['CAN_MODIFY_FOLDERS', 'DATADOWNLOADING'] },
    ]);
    expect(names(o['pattern'] as { nodes: { name: string }[] })).toEqual(['R-Admin', 'R-Read']);
    expect(names(o['privileged'] as { nodes: { name: string }[] })).toEqual(['R-Write']);
    expect(names(o['ofGroup'] as { nodes: { name: string }[] })).toEqual(['R-Write']);
    expect(names(o['desc'] as { nodes: { name: string }[] })).toEqual(['R-Write']);
    expect(calls).toEqual({ 'orgs/search': 1, 'roles/search': 1 });
  });
});

describe('root lists', () => {
  it('run in the Primary Organization unless an argument names another', async () => {
    const state = stack.emulator.state;
    const { data, calls } = await stack.run<Record<string, { totalCount: number }>>(
      `query ($org: ID!) {
        primaryUsers: users(first: 0) { totalCount }
        fixtureUsers: users(first: 0, organizationId: $org) { totalCount }
        primaryGroups: groups(first: 0) { totalCount }
        primaryRoles: roles(first: 0) { totalCount }
      }`,
      { org: orgGid(fixture.org.id) },
    );
    expect(data['primaryUsers']?.totalCount).toBe(listedUsers(state, 0).length);
    expect(data['fixtureUsers']?.totalCount).toBe(60);
    expect(data['primaryGroups']?.totalCount).toBe(state.orgs.get(0)?.groups.size);
    expect(data['primaryRoles']?.totalCount).toBe(state.orgs.get(0)?.roles.size);
    expect(calls).toEqual({ 'groups/search': 1, 'roles/search': 1, 'users/search': 2 });
  });

  it('run in the Organization of a group or role filter when organizationId is omitted', async () => {
    const state = stack.emulator.state;
    const g03 = fixture.groups.get('G-03')?.id ?? '';
    const { data, records } = await stack.run<Record<string, { nodes: { name?: string; username?: string }[] }>>(
      `query ($group: ID!, $role: ID!) {
        users(groupId: $group, first: 100) { nodes { username } }
        groups(roleId: $role) { nodes { name } }
        roles(groupId: $group) { nodes { name } }
      }`,
      {
        group: toGlobalId('test', { typename: 'Group', orgId: fixture.org.id, guid: g03 }),
        role: toGlobalId('test', { typename: 'Role', orgId: fixture.org.id, guid: fixture.roles.get('R-Write')?.id ?? '' }),
      },
    );
    expect(names(data['users'])).toEqual(listedUsers(state, fixture.org.id, (u) => u.groupIds.has(g03)));
    expect(names(data['groups'])).toEqual(['G-01']);
    expect(names(data['roles'])).toEqual([]);
    expect(records.map((c) => c.orgId)).toEqual([fixture.org.id, fixture.org.id, fixture.org.id]);
  });

  it('reports an Organization that does not exist as the caller\u2019s mistake', async () => {
    const result = await stack.execute({ query: 'query ($org: ID!) { users(organizationId: $org) { nodes { username } } }', variables: { org: orgGid(999_999) } });
    expect(result.errors?.map((e) => [e.message, e.extensions?.['code']])).toEqual([
      ['Argument "organizationId" names an Organization that does not exist.', 'BAD_USER_INPUT'],
    ]);
  });

  it('finds a user by e-mail address within an Organization', async () => {
    const someone = userNamed(stack.emulator.state, 'fixture-co.u-021');
    const { data, calls } = await stack.run<{ userByEmail: { username: string } | null; nobody: null }>(
      `query ($org: ID!) { userByEmail(email: "u-021@fixture-co.example", organizationId: $org) { username } nobody: userByEmail(email: "nobody@example.com") { username } }`,
      { org: orgGid(fixture.org.id) },
    );
    expect(data).toEqual({ userByEmail: { username: someone.name }, nobody: null });
    expect(calls).toEqual({ 'users/search': 2 });
  });
});
