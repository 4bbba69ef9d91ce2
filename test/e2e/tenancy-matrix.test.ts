// The cross-tenant matrix over HTTP (issue "Callers, tenants and connections"): two tenants (Organizations) on each
// of two connections (two emulators). A caller of Tenant-A on the default connection sends every root field, every
// relation that takes an argument, `node`/`nodes`, `_entities`, cursors and every mutation, once with what belongs to
// the other tenant or the other connection, and once with what does not exist at all (mutations: aimed at the other
// side, or at alice's own objects with the other side's as elements). The two answers must be
// identical (nothing confirms the other tenant exists), nothing of the other tenant or connection may be read
// (emulators' call logs), and nothing may change (emulators' directories and the store).

import { randomBytes } from 'node:crypto';
import type { GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { toGlobalId } from '../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from '../support/fixtures.js';
import { executeData } from '../support/graphql.js';
import { useTestStack } from '../support/harness.js';
import { mintTestToken } from '../support/tokens.js';

const stack = useTestStack({ seed: 'minimal', env: { SECRETS_KEY: randomBytes(32).toString('base64') } });
let second: Emulator;
let url: string;
let a: FixtureOrg;
let b: FixtureOrg;
let remote: FixtureOrg;
let aliceRead: string;
let aliceAdmin: string;
/** Every scope, in Tenant-A only. */
let aliceWriter: string;

const MISSING_ORG = 987_654_321;
const MISSING_GUID = '00000000-0000-4000-8000-00000000dead';

beforeAll(async () => {
  a = addFixtureOrg(stack.emulator, 'Tenant-A', 12);
  b = addFixtureOrg(stack.emulator, 'Tenant-B', 12);
  second = await startEmulator({ seed: 'minimal', host: '127.0.0.1', port: 0, rateLimit: { enabled: false } });
  // Named apart from the default connection's tenants, so a natural key (a name) names nothing here either.
  remote = addFixtureOrg(second, 'Remote-Co', 12);
  await executeData(stack.app, {
    query: `mutation ($input: ThoughtSpotConnectionCreateInput!) { thoughtSpotConnectionCreate(input: $input) { userErrors { code } } }`,
    variables: {
      input: { id: 'second', name: 'Second', baseUrl: second.url, username: second.adminCredentials.username, secretKey: second.adminCredentials.secretKey },
    },
  });
  url = await stack.app.listen(0, '127.0.0.1');
  aliceRead = await mintTestToken({ sub: 'alice', scope: 'directory:read', orgs: ['Tenant-A'] });
  aliceAdmin = await mintTestToken({ sub: 'alice-admin', scope: 'directory:admin', orgs: ['Tenant-A'] });
  aliceWriter = await mintTestToken({ sub: 'alice-writer', scope: 'directory:admin directory:embed', orgs: ['Tenant-A'] });
});

afterAll(async () => {
  await second.close();
});

async function post(token: string, query: string, variables: Record<string, unknown> = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

/** What the other tenant, the other connection and nothing at all look like, in every argument a case needs. */
interface Side {
  readonly org: string;
  readonly orgName: string;
  readonly group: string;
  readonly role: string;
  readonly user: string;
  readonly username: string;
  readonly email: string;
  readonly groupName: string;
}

const gid = (connection: string, target: Parameters<typeof toGlobalId>[1]): string => toGlobalId(connection, target);

function sideOf(connection: string, f: FixtureOrg): Side {
  const user = f.users[3] as FixtureOrg['users'][number];
  return {
    org: gid(connection, { typename: 'Organization', orgId: f.org.id }),
    orgName: f.org.name,
    group: gid(connection, { typename: 'Group', orgId: f.org.id, guid: f.groups.get('G-01')?.id ?? '' }),
    role: gid(connection, { typename: 'Role', orgId: f.org.id, guid: f.roles.get('R-Read')?.id ?? '' }),
    user: gid(connection, { typename: 'User', guid: user.id }),
    username: user.name,
    email: user.email ?? '',
    groupName: 'G-01',
  };
}

const NOTHING: Side = {
  org: gid('test', { typename: 'Organization', orgId: MISSING_ORG }),
  orgName: 'No-Such-Tenant',
  group: gid('test', { typename: 'Group', orgId: MISSING_ORG, guid: MISSING_GUID }),
  role: gid('test', { typename: 'Role', orgId: MISSING_ORG, guid: MISSING_GUID }),
  user: gid('test', { typename: 'User', guid: MISSING_GUID }),
  username: 'no.such.user',
  email: 'no.such.user@nowhere.example',
  groupName: 'G-01',
};

/** One case: a query, and its variables for a side. */
interface Case {
  readonly name: string;
  /** The root fields it covers (the matrix fails if a root field has no case). */
  readonly covers: readonly string[];
  readonly query: string;
  readonly variables: (side: Side) => Record<string, unknown>;
}

/** Alice's own objects, which relations start from. */
const mine = (): Side => sideOf('test', a);

const CASES: Case[] = [
  { name: 'node', covers: ['node'], query: 'query ($id: ID!) { node(id: $id) { id } }', variables: (s) => ({ id: s.org }) },
  {
    name: 'nodes of every type',
    covers: ['nodes'],
    query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
    variables: (s) => ({ ids: [s.org, s.group, s.role, s.user] }),
  },
  {
    name: 'lookups by id',
    covers: ['organization', 'group', 'role', 'user'],
    query: 'query ($o: ID!, $g: ID!, $r: ID!, $u: ID!) { organization(id: $o) { id } group(id: $g) { id } role(id: $r) { id } user(id: $u) { id } }',
    variables: (s) => ({ o: s.org, g: s.group, r: s.role, u: s.user }),
  },
  {
    name: 'lookups by name',
    covers: ['organizationByName', 'userByUsername'],
    query: 'query ($n: String!, $u: String!) { organizationByName(name: $n) { id } userByUsername(username: $u) { id } }',
    variables: (s) => ({ n: s.orgName, u: s.username }),
  },
  {
    name: 'lookups by name in a named Organization',
    covers: ['groupByName', 'roleByName', 'userByEmail'],
    query:
      'query ($o: ID!, $g: String!, $e: String!) { groupByName(name: $g, organizationId: $o) { id } roleByName(name: "R-Read", organizationId: $o) { id } userByEmail(email: $e, organizationId: $o) { id } }',
    variables: (s) => ({ o: s.org, g: s.groupName, e: s.email }),
  },
  {
    name: 'root lists in a named Organization',
    covers: ['users', 'groups', 'roles'],
    query:
      'query ($o: ID!) { users(organizationId: $o) { totalCount nodes { id } } groups(organizationId: $o) { totalCount } roles(organizationId: $o) { totalCount } }',
    variables: (s) => ({ o: s.org }),
  },
  {
    name: 'root lists filtered by an object',
    covers: ['users', 'groups', 'roles'],
    query: 'query ($g: ID!, $r: ID!) { users(groupId: $g) { totalCount } groups(roleId: $r) { totalCount } roles(groupId: $g) { totalCount } }',
    variables: (s) => ({ g: s.group, r: s.role }),
  },
  {
    name: 'Organizations of a user',
    covers: ['organizations'],
    query: 'query ($u: ID!) { organizations(userId: $u) { totalCount nodes { id } } }',
    variables: (s) => ({ u: s.user }),
  },
  {
    name: 'entities',
    covers: ['_entities'],
    query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Node { id } } }',
    variables: (s) => ({
      r: [
        { __typename: 'Organization', id: s.org },
        { __typename: 'Organization', name: s.orgName },
        { __typename: 'Group', id: s.group },
        { __typename: 'Role', id: s.role },
        { __typename: 'User', id: s.user },
        { __typename: 'User', username: s.username },
      ],
    }),
  },
  {
    name: 'relations of alice’s own user and Organization, narrowed to the other side',
    covers: [],
    query: `query ($me: ID!, $myOrg: ID!, $o: ID!, $g: ID!, $r: ID!) {
      user(id: $me) { privileges(organizationId: $o) groups(organizationId: $o) { totalCount } roles(organizationId: $o) { totalCount } }
      organization(id: $myOrg) { users(groupId: $g) { totalCount } groups(roleId: $r) { totalCount } roles(groupId: $g) { totalCount } }
    }`,
    variables: (s) => ({ me: mine().user, myOrg: mine().org, o: s.org, g: s.group, r: s.role }),
  },
  {
    name: 'the audit log of the other side, as a tenant administrator',
    covers: ['auditEvents'],
    query: 'query ($n: String!) { auditEvents(organization: $n) { nodes { id } } }',
    variables: (s) => ({ n: s.orgName }),
  },
];

/** One mutation case: its field, the document (one `$input`), and the input for a side. */
interface MutationCase {
  readonly name: string;
  readonly field: string;
  readonly query: string;
  readonly input: (side: Side) => Record<string, unknown>;
}

/** Connection administration, covered by the last test of this file (it needs every Organization). */
const CONNECTION_ADMIN = new Set(['thoughtSpotConnectionCreate', 'thoughtSpotConnectionUpdate', 'thoughtSpotConnectionDelete', 'thoughtSpotConnectionTest']);

const mutationCase = (field: string, input: (side: Side) => Record<string, unknown>, name = field, select = 'userErrors { field message code }'): MutationCase => ({
  name,
  field,
  query: `mutation ($input: ${field.charAt(0).toUpperCase()}${field.slice(1)}Input!) { ${field}(input: $input) { ${select} } }`,
  input,
});

/** Every mutation that acts in an Organization, aimed at the other side: its objects, or alice's objects with its. */
const MUTATION_CASES: MutationCase[] = [
  mutationCase('organizationCreate', (s) => ({ name: s.orgName })),
  mutationCase('organizationUpdate', (s) => ({ id: s.org, description: 'taken over' })),
  mutationCase('organizationDelete', (s) => ({ id: s.org })),
  mutationCase('groupCreate', (s) => ({ organizationId: s.org, name: 'Intruders' })),
  mutationCase('groupUpdate', (s) => ({ id: s.group, description: 'taken over' })),
  mutationCase('groupDelete', (s) => ({ id: s.group })),
  mutationCase('roleCreate', (s) => ({ organizationId: s.org, name: 'Intruder' })),
  mutationCase('roleUpdate', (s) => ({ id: s.role, description: 'taken over' })),
  mutationCase('roleDelete', (s) => ({ id: s.role })),
  mutationCase('userCreate', (s) => ({ organizationId: s.org, username: `intruder.${s.orgName.toLowerCase()}`, email: 'i@intruder.example', password: 'Intruder-1' })),
  mutationCase('userCreate', (s) => ({ organizationId: mine().org, username: 'intruder.with.foreign.group', email: 'i@intruder.example', password: 'Intruder-1', groupIds: [s.group] }), 'userCreate into a foreign group'),
  mutationCase('userUpdate', (s) => ({ id: s.user, displayName: 'Taken over' })),
  mutationCase('userDelete', (s) => ({ id: s.user })),
  mutationCase('userActivate', (s) => ({ id: s.user })),
  mutationCase('userDeactivate', (s) => ({ id: s.user })),
  mutationCase('userPasswordReset', (s) => ({ id: s.user, newPassword: 'Taken-over-1' })),
  mutationCase('groupMembersAdd', (s) => ({ groupId: s.group, userIds: [mine().user] }), 'groupMembersAdd to a foreign group'),
  mutationCase('groupMembersAdd', (s) => ({ groupId: mine().group, userIds: [s.user] }), 'groupMembersAdd of a foreign user'),
  mutationCase('groupMembersRemove', (s) => ({ groupId: s.group, userIds: [s.user] })),
  mutationCase('groupSubGroupsAdd', (s) => ({ groupId: mine().group, subGroupIds: [s.group] })),
  mutationCase('groupSubGroupsRemove', (s) => ({ groupId: s.group, subGroupIds: [mine().group] })),
  mutationCase('groupRolesAssign', (s) => ({ groupId: mine().group, roleIds: [s.role] })),
  mutationCase('groupRolesUnassign', (s) => ({ groupId: s.group, roleIds: [s.role] })),
  mutationCase('organizationUsersAdd', (s) => ({ organizationId: mine().org, userIds: [s.user] }), 'organizationUsersAdd of a foreign user'),
  mutationCase('organizationUsersAdd', (s) => ({ organizationId: s.org, userIds: [mine().user] }), 'organizationUsersAdd to a foreign Organization'),
  mutationCase('organizationUsersRemove', (s) => ({ organizationId: s.org, userIds: [s.user] })),
  mutationCase('embedTokenCreate', (s) => ({ organizationId: s.org, username: 'embedded.intruder' }), 'embedTokenCreate', 'token userErrors { field message code }'),
  mutationCase('tenantPlan', (s) => ({ organization: { name: s.orgName }, groups: [{ name: 'Intruders' }] }), 'tenantPlan', 'changes { action } userErrors { field message code }'),
  mutationCase('tenantApply', (s) => ({ organization: { name: s.orgName }, groups: [{ name: 'Intruders' }] }), 'tenantApply', 'status userErrors { field message code }'),
  mutationCase('tenantDeprovision', (s) => ({ organizationId: s.org, mode: 'DELETE', maxUsers: 1000 }), 'tenantDeprovision', 'userErrors { field message code }'),
];

/** Cursors from the other tenant's lists, used on alice's own lists. */
const CURSOR_CASE = 'query ($o: ID!, $after: String!) { users(organizationId: $o, first: 2, after: $after) { nodes { id } } }';

/** Root fields that read nothing of any tenant. */
const NOT_TENANT_DATA = new Set(['_service', 'thoughtSpotConnections']);

/** The emulators' directories, for "nothing changed". */
function snapshot(emulator: Emulator): string {
  const state = emulator.state;
  return JSON.stringify({
    orgs: [...state.orgs.values()].map((org) => [org.id, org.name, org.groups.size]),
    users: [...state.users.values()].map((user) => [user.id, user.name, [...user.orgIds].sort()]),
  });
}

describe('the cross-tenant matrix', () => {
  it('has a case for every root field of the schema', () => {
    const query = stack.app.schema.getQueryType() as GraphQLObjectType;
    const covered = new Set(CASES.flatMap((c) => c.covers));
    const missing = Object.keys(query.getFields()).filter((name) => !covered.has(name) && !NOT_TENANT_DATA.has(name));
    expect(missing).toEqual([]);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('%s: the other tenant and the other connection answer exactly as nothing does', async (_name, c) => {
    const token = c.covers.includes('auditEvents') ? aliceAdmin : aliceRead;
    const before = [stack.emulator.calls().at(-1)?.seq ?? 0, second.calls().at(-1)?.seq ?? 0] as const;
    const nothing = await post(token, c.query, c.variables(NOTHING));
    const otherTenant = await post(token, c.query, c.variables(sideOf('test', b)));
    const otherConnection = await post(token, c.query, c.variables(sideOf('second', remote)));
    await stack.settle();
    expect(otherTenant).toEqual(nothing);
    expect(otherConnection).toEqual(nothing);
    expect(stack.emulator.calls((call) => call.seq > before[0] && call.orgId === b.org.id)).toEqual([]);
    expect(second.calls((call) => call.seq > before[1])).toEqual([]);
  });

  it('takes no cursor of the other tenant’s list on alice’s own list', async () => {
    const full = await mintTestToken({ scope: 'directory:read', orgs: ['*'] });
    const other = (await post(full, 'query ($o: ID!) { users(organizationId: $o, first: 2) { pageInfo { endCursor } } }', { o: sideOf('test', b).org })).body as {
      data: { users: { pageInfo: { endCursor: string } } };
    };
    const reused = await post(aliceRead, CURSOR_CASE, { o: mine().org, after: other.data.users.pageInfo.endCursor });
    const forged = await post(aliceRead, CURSOR_CASE, { o: mine().org, after: Buffer.from('c1:2:AAAAAAAAAAAA').toString('base64url') });
    expect(reused.status).toBe(forged.status);
    expect((reused.body as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
  });

  it.each(MUTATION_CASES.map((c) => [c.name, c] as const))(
    'mutation %s: the other tenant and the other connection answer exactly as nothing does, and nothing changes',
    async (_name, c) => {
      const states = [snapshot(stack.emulator), snapshot(second)];
      const before = [stack.emulator.calls().at(-1)?.seq ?? 0, second.calls().at(-1)?.seq ?? 0] as const;
      const nothing = await post(aliceWriter, c.query, { input: c.input(NOTHING) });
      const otherTenant = await post(aliceWriter, c.query, { input: c.input(sideOf('test', b)) });
      const otherConnection = await post(aliceWriter, c.query, { input: c.input(sideOf('second', remote)) });
      await stack.settle();
      expect(otherTenant).toEqual(nothing);
      expect(otherConnection).toEqual(nothing);
      // Refused as a whole: no payload result, or user errors, or a top-level error; never a success.
      expect(JSON.stringify(nothing)).toMatch(/"userErrors":\[\{|"errors":\[/);
      expect([snapshot(stack.emulator), snapshot(second)]).toEqual(states);
      expect(stack.emulator.calls((call) => call.seq > before[0] && call.orgId === b.org.id)).toEqual([]);
      expect(second.calls((call) => call.seq > before[1])).toEqual([]);
    },
  );

  it('has a case for every mutation that acts in an Organization', () => {
    const mutation = stack.app.schema.getMutationType() as GraphQLObjectType;
    const covered = new Set(MUTATION_CASES.map((c) => c.field));
    const missing = Object.keys(mutation.getFields()).filter((name) => !covered.has(name) && !CONNECTION_ADMIN.has(name));
    expect(missing).toEqual([]);
  });

  it('changes nothing through any mutation: a tenant administrator may not touch connections', async () => {
    const states = [snapshot(stack.emulator), snapshot(second)];
    const connections = JSON.stringify(await stack.app.store.connections.list());
    const mutations = [
      'mutation { thoughtSpotConnectionDelete(input: { id: "second" }) { deletedConnectionId } }',
      'mutation { thoughtSpotConnectionUpdate(input: { id: "second", name: "Mine now" }) { connection { id } } }',
      'mutation { thoughtSpotConnectionTest(input: { id: "second" }) { connection { id } } }',
      `mutation { thoughtSpotConnectionCreate(input: { id: "alice", name: "A", baseUrl: "${second.url}", username: "x", password: "p" }) { connection { id } } }`,
    ];
    for (const mutation of mutations) {
      for (const token of [aliceRead, aliceAdmin]) {
        const answer = await post(token, mutation);
        expect((answer.body as { data: unknown }).data).toBeNull();
        expect((answer.body as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
      }
    }
    expect([snapshot(stack.emulator), snapshot(second)]).toEqual(states);
    expect(JSON.stringify(await stack.app.store.connections.list())).toBe(connections);
    const listed = await post(aliceAdmin, '{ thoughtSpotConnections { id } }');
    expect((listed.body as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });
});
