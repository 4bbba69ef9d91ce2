// Tenant isolation through the whole read path (loaders/tenancy.ts): a caller granted Tenant-A sees Tenant-B exactly
// as if it did not exist. Every answer for B is compared with the answer for an Organization (or object) that really
// does not exist, and the emulator's log shows that nothing was ever read in B on the restricted caller's behalf.

import { beforeAll, describe, expect, it } from 'vitest';
import type { FormattedExecutionResult } from 'graphql';
import type { Caller } from '../../../src/auth/index.js';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from '../../support/fixtures.js';
import { executeSingle } from '../../support/graphql.js';
import { useTestStack } from '../../support/harness.js';

const stack = useTestStack({ seed: 'minimal' });
let a: FixtureOrg;
let b: FixtureOrg;
/** A user of both tenants: a member of A's G-00 and of B's G-04. */
let shared: FixtureOrg['users'][number];

const READ = new Set(['directory:read'] as const);
const callerOf = (orgs: Caller['orgs']): Caller => ({ subject: 'tenant-test', scopes: READ, orgs, connectionId: null });
const tenantA = (): Caller => callerOf(new Set(['Tenant-A']));

beforeAll(() => {
  a = addFixtureOrg(stack.emulator, 'Tenant-A', 16);
  b = addFixtureOrg(stack.emulator, 'Tenant-B', 16);
  shared = a.users[0] as FixtureOrg['users'][number];
  stack.emulator.state.addUserToOrg(shared, b.org.id);
  stack.emulator.state.addGroupMember(b.groups.get('G-04') as NonNullable<ReturnType<FixtureOrg['groups']['get']>>, shared);
});

const id = {
  org: (f: FixtureOrg) => toGlobalId('test', { typename: 'Organization', orgId: f.org.id }),
  group: (f: FixtureOrg, name: string) => toGlobalId('test', { typename: 'Group', orgId: f.org.id, guid: f.groups.get(name)?.id ?? '' }),
  role: (f: FixtureOrg, name: string) => toGlobalId('test', { typename: 'Role', orgId: f.org.id, guid: f.roles.get(name)?.id ?? '' }),
  user: (guid: string) => toGlobalId('test', { typename: 'User', guid }),
};
/** An Organization id that no Org has. */
const MISSING_ORG = 987_654_321;

/** Runs `query` as `caller` and returns the result, with the Orgs the emulator was asked about meanwhile. */
async function asCaller(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<{ result: FormattedExecutionResult; orgsRead: Set<number | null> }> {
  const { value, records } = await stack.measure(() => executeSingle(stack.app, { query, ...(variables === undefined ? {} : { variables }) }, { caller }));
  return { result: value, orgsRead: new Set(records.map((record) => record.orgId)) };
}

/** The errors of a result as [path, message, code] triples. */
const errorsOf = (result: FormattedExecutionResult): unknown[] =>
  (result.errors ?? []).map((error) => [error.path, error.message, error.extensions?.['code']]);

describe('a caller granted one Organization', () => {
  it('lists and counts only that Organization, and looks up no other by id, name or node', async () => {
    const { result, orgsRead } = await asCaller(
      tenantA(),
      `query ($a: ID!, $b: ID!) {
        organizations { totalCount nodes { name } }
        mine: organization(id: $a) { name }
        other: organization(id: $b) { name }
        byName: organizationByName(name: "Tenant-B") { name }
        node(id: $b) { id }
        nodes(ids: [$a, $b]) { id }
      }`,
      { a: id.org(a), b: id.org(b) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      organizations: { totalCount: 1, nodes: [{ name: 'Tenant-A' }] },
      mine: { name: 'Tenant-A' },
      other: null,
      byName: null,
      node: null,
      nodes: [{ id: id.org(a) }, null],
    });
    expect(orgsRead).toEqual(new Set([0]));
  });

  it('finds none of the other tenant’s groups, roles or users, by id, name or entity reference', async () => {
    const onlyInB = b.users[5]?.id ?? '';
    const { result, orgsRead } = await asCaller(
      tenantA(),
      `query ($group: ID!, $role: ID!, $user: ID!, $reps: [_Any!]!) {
        group(id: $group) { name }
        role(id: $role) { name }
        user(id: $user) { username }
        byUsername: userByUsername(username: "tenant-b.u-005") { username }
        nodes(ids: [$group, $role, $user]) { id }
        _entities(representations: $reps) { ... on User { username } ... on Group { name } }
      }`,
      {
        group: id.group(b, 'G-01'),
        role: id.role(b, 'R-Read'),
        user: id.user(onlyInB),
        reps: [
          { __typename: 'User', id: id.user(onlyInB) },
          { __typename: 'User', username: 'tenant-b.u-005' },
          { __typename: 'Group', id: id.group(b, 'G-01') },
        ],
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ group: null, role: null, user: null, byUsername: null, nodes: [null, null, null], _entities: [null, null, null] });
    expect(orgsRead.has(b.org.id)).toBe(false);
  });

  it('answers a list in the other tenant exactly as a list in an Organization that does not exist', async () => {
    const query = `query ($org: ID!) {
      users(organizationId: $org) { nodes { username } }
      groups(organizationId: $org) { nodes { name } }
      roles(organizationId: $org) { nodes { name } }
      groupByName(name: "G-01", organizationId: $org) { name }
    }`;
    const other = await asCaller(tenantA(), query, { org: id.org(b) });
    const missing = await asCaller(tenantA(), query, { org: toGlobalId('test', { typename: 'Organization', orgId: MISSING_ORG }) });
    expect(other.result.data).toEqual(missing.result.data);
    expect(errorsOf(other.result)).toEqual(errorsOf(missing.result));
    expect(errorsOf(other.result)).toHaveLength(4);
    expect(other.orgsRead.has(b.org.id)).toBe(false);
  });

  it('refuses a filter naming the other tenant’s group as it refuses one naming a group of a missing Organization', async () => {
    const query = 'query ($group: ID!) { users(groupId: $group) { nodes { username } } }';
    const other = await asCaller(tenantA(), query, { group: id.group(b, 'G-01') });
    const missing = await asCaller(tenantA(), query, { group: toGlobalId('test', { typename: 'Group', orgId: MISSING_ORG, guid: 'g' }) });
    expect(errorsOf(other.result)).toEqual(errorsOf(missing.result));
    expect(errorsOf(other.result)).toEqual([[['users'], 'Argument "groupId" names an Organization that does not exist.', 'BAD_USER_INPUT']]);
  });

  it('shows a user of both tenants with its memberships, groups, roles and privileges in the granted one only', async () => {
    const { result, orgsRead } = await asCaller(
      tenantA(),
      `query ($user: ID!) { user(id: $user) {
        username
        organizations { nodes { name } }
        groups(membership: ALL) { nodes { name organization { name } } }
        roles { nodes { name organization { name } } }
        privileges
      } }`,
      { user: id.user(shared.id) },
    );
    expect(result.errors).toBeUndefined();
    const user = (result.data as { user: Record<string, { nodes: { organization?: { name: string } }[] } | string[] | string> }).user;
    expect(user['organizations']).toEqual({ nodes: [{ name: 'Tenant-A' }] });
    for (const list of ['groups', 'roles'] as const) {
      const nodes = (user[list] as { nodes: { organization: { name: string } }[] }).nodes;
      expect(nodes.length).toBeGreaterThan(0);
      expect(new Set(nodes.map((node) => node.organization.name))).toEqual(new Set(['Tenant-A']));
    }
    // G-04 of Tenant-B carries R-Admin (USER_ADMINISTRATION); the shared user holds nothing like it in Tenant-A.
    expect(user['privileges']).not.toContain('USER_ADMINISTRATION');
    expect(orgsRead.has(b.org.id)).toBe(false);

    // The same user through a caller granted both shows both: the restriction is the grant, not the data.
    const both = await asCaller(callerOf(new Set(['Tenant-A', 'Tenant-B'])), 'query ($user: ID!) { user(id: $user) { organizations { nodes { name } } } }', {
      user: id.user(shared.id),
    });
    expect(both.result.data).toEqual({ user: { organizations: { nodes: [{ name: 'Tenant-A' }, { name: 'Tenant-B' }] } } });
  });

  it('asks for an Organization where a root list would fall back to the Primary Organization it was not granted', async () => {
    const { result, orgsRead } = await asCaller(tenantA(), '{ users { nodes { username } } }');
    expect(errorsOf(result)).toEqual([
      [
        ['users'],
        'This list runs in the Primary Organization unless "organizationId" names another, and the caller\'s token does not grant the Primary Organization; pass "organizationId".',
        'BAD_USER_INPUT',
      ],
    ]);
    expect([...orgsRead]).toEqual([0]);
  });

  it('sees nothing at all without an orgs claim, and everything with "*"', async () => {
    const none = await asCaller(callerOf(new Set()), '{ organizations { totalCount nodes { name } } }');
    expect(none.result.data).toEqual({ organizations: { totalCount: 0, nodes: [] } });
    const every = await asCaller(callerOf('*'), '{ organizations { totalCount } }');
    expect((every.result.data as { organizations: { totalCount: number } }).organizations.totalCount).toBeGreaterThanOrEqual(3);
  });

  it('rejects a cursor of the other tenant’s list as a cursor of another list', async () => {
    const page = await asCaller(callerOf('*'), 'query ($org: ID!) { users(organizationId: $org, first: 2) { pageInfo { endCursor } } }', { org: id.org(b) });
    const cursor = (page.result.data as { users: { pageInfo: { endCursor: string } } }).users.pageInfo.endCursor;
    const reused = await asCaller(tenantA(), 'query ($org: ID!, $after: String!) { users(organizationId: $org, first: 2, after: $after) { nodes { username } } }', {
      org: id.org(a),
      after: cursor,
    });
    expect(errorsOf(reused.result)).toEqual([[['users'], expect.stringMatching(/^Argument "after" is a cursor from another list/), 'BAD_USER_INPUT']]);
  });
});
