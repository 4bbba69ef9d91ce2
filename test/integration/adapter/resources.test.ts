import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createThoughtSpotClient,
  ThoughtSpotConflictError,
  ThoughtSpotNotFoundError,
  ThoughtSpotRequestError,
  type OrgRecord,
  type UserRecord,
} from '../../../src/thoughtspot/index.js';
import { rejection, startStack, type Stack } from './support.js';

const USERS_SEARCH = 'POST /api/rest/2.0/users/search';
const GROUPS_SEARCH = 'POST /api/rest/2.0/groups/search';
const PRIMARY = { orgId: 0 };
const ALL = { offset: 0, size: -1 };

let stack: Stack;
let tenant: OrgRecord;

beforeEach(async () => {
  stack = await startStack({ seed: 'demo' }, { rateLimit: false });
  const orgs = await stack.client.searchOrgs(PRIMARY, {});
  const found = orgs.find((org) => org.name === 'Alderbrook-Foods');
  if (found === undefined) throw new Error(`the demo seed has no Alderbrook-Foods Org: ${orgs.map((org) => org.name).join(', ')}`);
  tenant = found;
  stack.emulator.clearCalls();
});

afterEach(async () => {
  await stack.close();
});

const ids = (records: readonly { readonly id: string }[]): string[] => records.map((record) => record.id).sort();

describe('adapter reads', () => {
  it('batches users of several groups into one search (array filters are OR-ed)', async () => {
    const scope = { orgId: tenant.id };
    const groups = await stack.client.searchGroups(scope, { orgIdentifiers: [String(tenant.id)] }, ALL);
    const analysts = groups.find((group) => group.name === 'Analysts');
    const finance = groups.find((group) => group.name === 'Finance');
    expect(analysts?.users.length).toBeGreaterThan(0);
    stack.emulator.clearCalls();
    const users = await stack.client.searchUsers(scope, { groupIdentifiers: ['Analysts', 'Finance'] }, ALL);
    expect(ids(users)).toEqual([...new Set([...ids(analysts?.users ?? []), ...ids(finance?.users ?? [])])].sort());
    expect(stack.emulator.calls(USERS_SEARCH)).toHaveLength(1);
    expect(stack.emulator.calls(USERS_SEARCH)[0]?.body).toEqual({
      group_identifiers: ['Analysts', 'Finance'],
      sort_options: { field_name: 'NAME', order: 'ASC' },
      record_offset: 0,
      record_size: -1,
    });
  });

  it('finds the groups of several users in one call', async () => {
    const scope = { orgId: tenant.id };
    const inOrg = await stack.client.searchGroups(scope, {}, ALL);
    const orgGroupIds = new Set(ids(inOrg));
    const users = (await stack.client.searchUsers(scope, {}, { offset: 0, size: 5 })).slice(0, 3);
    stack.emulator.clearCalls();
    const groups = await stack.client.searchGroups(scope, { userIdentifiers: users.map((user) => user.id), includeSubGroups: false }, ALL);
    const expected = new Set(users.flatMap((user) => user.groups.map((group) => group.id)).filter((id) => orgGroupIds.has(id)));
    expect(ids(groups)).toEqual([...expected].sort());
    expect(stack.emulator.calls(GROUPS_SEARCH)).toHaveLength(1);
  });

  it('reads roles by group and Orgs by user', async () => {
    const scope = { orgId: tenant.id };
    const roles = await stack.client.searchRoles(scope, {});
    const analystRole = roles.find((role) => role.name === 'Analyst');
    expect(analystRole?.groups.length).toBeGreaterThan(0);
    const byGroup = await stack.client.searchRoles(scope, { groupIdentifiers: analystRole?.groups.map((group) => group.id) ?? [] });
    expect(byGroup.map((role) => role.name)).toContain('Analyst');
    const [someone] = await stack.client.searchUsers(scope, {}, { offset: 0, size: 1 });
    const orgs = await stack.client.searchOrgs(PRIMARY, { userIdentifiers: [someone?.id ?? ''] });
    expect(orgs.map((org) => org.id)).toContain(tenant.id);
    expect(orgs.every((org) => typeof org.id === 'number')).toBe(true);
  });

  it('reads the session user, system info and system config in an Org', async () => {
    const me = await stack.client.getCurrentUser({ orgId: tenant.id });
    expect(me.name).toBe(stack.username);
    expect(me.currentOrg).toEqual({ id: tenant.id, name: tenant.name });
    const system = await stack.client.getSystemInfo(PRIMARY);
    expect(system.releaseVersion).toMatch(/\d+\.\d+/);
    expect(system.allUserGroupId).not.toBeNull();
    const config = await stack.client.getSystemConfig?.(PRIMARY);
    expect(config).toHaveProperty('samlEnabled');
  });
});

describe('adapter paging', () => {
  it('walks every user exactly once across page boundaries, in name order', async () => {
    const scope = { orgId: tenant.id };
    const everyone = await stack.client.searchUsers(scope, {}, ALL);
    expect(everyone.length).toBeGreaterThan(20);
    stack.emulator.clearCalls();
    const walked: UserRecord[] = [];
    for await (const user of stack.client.iterateUsers(scope, {}, 7)) walked.push(user);
    expect(walked.map((user) => user.id)).toEqual(everyone.map((user) => user.id));
    const calls = stack.emulator.calls(USERS_SEARCH);
    expect(calls).toHaveLength(Math.floor(everyone.length / 7) + 1);
    expect(calls.slice(0, 2).map((call) => call.body)).toEqual([
      { sort_options: { field_name: 'NAME', order: 'ASC' }, record_offset: 0, record_size: 7 },
      { sort_options: { field_name: 'NAME', order: 'ASC' }, record_offset: 6, record_size: 8 },
    ]);
  });

  it('neither loses nor repeats a user while users before its position are deleted and created', async () => {
    const before = await stack.client.searchUsers(PRIMARY, {}, ALL);
    const walked: string[] = [];
    let changed = false;
    const deleted: string[] = [];
    for await (const user of stack.client.iterateUsers(PRIMARY, {}, 5)) {
      walked.push(user.name);
      if (walked.length === 12 && !changed) {
        changed = true;
        for (const name of walked.slice(0, 3)) {
          await stack.client.deleteUser(PRIMARY, name);
          deleted.push(name);
        }
        for (const name of ['aaaa-late-1', 'aaaa-late-2']) {
          await stack.client.createUser(PRIMARY, { name, displayName: name, email: `${name}@example.com`, password: 'pw-123456' });
        }
      }
    }
    expect(new Set(walked).size).toBe(walked.length);
    const survivors = before.map((user) => user.name).filter((name) => !deleted.includes(name));
    for (const name of survivors) expect(walked).toContain(name);
    expect(walked).toEqual(expect.arrayContaining(deleted));
  });

  it('walks groups of a tenant', async () => {
    const scope = { orgId: tenant.id };
    const all = await stack.client.searchGroups(scope, {}, ALL);
    const walked: string[] = [];
    for await (const group of stack.client.iterateGroups(scope, {}, 4)) walked.push(group.id);
    expect(walked).toEqual(all.map((group) => group.id));
  });

  it('refuses a bad page size before sending anything', () => {
    expect(() => stack.client.iterateUsers(PRIMARY, {}, 0)).toThrow(ThoughtSpotRequestError);
    expect(stack.emulator.calls()).toHaveLength(0);
  });
});

describe('adapter writes: users', () => {
  it('creates, reads, updates, deactivates, activates, logs out and deletes a user', async () => {
    const created = await stack.client.createUser(PRIMARY, {
      name: 'jit.alice',
      displayName: 'Alice',
      email: 'alice@example.com',
      password: 'first-Passw0rd',
      groupIdentifiers: ['Administrator'],
    });
    expect(created).toMatchObject({ name: 'jit.alice', displayName: 'Alice', email: 'alice@example.com', accountStatus: 'ACTIVE' });

    await stack.client.updateUser(PRIMARY, created.id, { displayName: 'Alice A.', groupIdentifiers: [], operation: 'REPLACE' });
    const [updated] = await stack.client.searchUsers(PRIMARY, { identifier: 'jit.alice' }, ALL);
    expect(updated?.displayName).toBe('Alice A.');
    expect(updated?.groups.map((group) => group.name)).not.toContain('Administrator');

    const link = await stack.client.deactivateUser(PRIMARY, 'jit.alice', 'https://app.example');
    expect(link).toMatch(/^https:\/\/app\.example\/#\/activate\?id=.+&token=.+/);
    const [inactive] = await stack.client.searchUsers(PRIMARY, { identifier: 'jit.alice' }, ALL);
    expect(inactive?.accountStatus).toBe('INACTIVE');
    const authToken = new URL(link.replace('/#/', '/')).searchParams.get('token') ?? '';
    const active = await stack.client.activateUser(PRIMARY, { identifier: 'jit.alice', authToken, password: 'second-Passw0rd' });
    expect(active.accountStatus).toBe('ACTIVE');

    await stack.client.resetUserPassword(PRIMARY, 'jit.alice', 'third-Passw0rd');
    await stack.client.changeUserPassword(PRIMARY, { identifier: 'jit.alice', currentPassword: 'third-Passw0rd', newPassword: 'fourth-Passw0rd' });
    await stack.client.forceLogoutUsers(PRIMARY, ['jit.alice']);
    await stack.client.deleteUser(PRIMARY, created.id);
    expect(await stack.client.searchUsers(PRIMARY, { identifier: 'jit.alice' }, ALL)).toEqual([]);
  });

  it('reports a duplicate username as TS_ERR_CONFLICT with the name', async () => {
    const [existing] = await stack.client.searchUsers(PRIMARY, {}, { offset: 0, size: 1 });
    const error = await rejection(
      stack.client.createUser(PRIMARY, { name: existing?.name ?? '', displayName: 'Dup', email: 'dup@example.com', password: 'pw-123456' }),
    );
    expect(error).toBeInstanceOf(ThoughtSpotConflictError);
    expect((error as ThoughtSpotConflictError).conflictingName).toBe(existing?.name);
    expect((error as ThoughtSpotConflictError).vendorMessage).toBe(`User with name ${existing?.name} already exists`);
  });

  it('reports unknown identifiers as TS_ERR_NOT_FOUND with the identifiers', async () => {
    const missingUser = await rejection(stack.client.updateUser(PRIMARY, 'ghost.user', { displayName: 'x' }));
    expect(missingUser).toBeInstanceOf(ThoughtSpotNotFoundError);
    expect((missingUser as ThoughtSpotNotFoundError).kind).toBe('user');
    expect((missingUser as ThoughtSpotNotFoundError).identifiers).toEqual(['ghost.user']);
    const missingGroups = await rejection(
      stack.client.updateUser(PRIMARY, stack.username, { groupIdentifiers: ['no-such-group', 'nor-this'], operation: 'ADD' }),
    );
    expect((missingGroups as ThoughtSpotNotFoundError).kind).toBe('group');
    expect((missingGroups as ThoughtSpotNotFoundError).identifiers).toEqual(['no-such-group', 'nor-this']);
  });

  it('refuses requests that would do something nobody meant, before sending them', async () => {
    const everybody = await rejection(stack.client.forceLogoutUsers(PRIMARY, []));
    expect(everybody.message).toBe(
      'POST /api/rest/2.0/users/force-logout needs at least one entry in identifiers: without user_identifiers ThoughtSpot logs out every user on the cluster, which the adapter never does.',
    );
    const implicit = await rejection(stack.client.updateUser(PRIMARY, 'guest', { groupIdentifiers: ['All'] }));
    expect(implicit.message).toContain('needs an explicit operation (ADD, REMOVE or REPLACE) when groupIdentifiers is given');
    const slash = await rejection(stack.client.deleteUser(PRIMARY, 'team/alpha'));
    expect(slash).toBeInstanceOf(ThoughtSpotRequestError);
    expect(stack.emulator.calls()).toHaveLength(0);
  });

  it('sends dry_run and delete_unspecified_users explicitly on imports', async () => {
    const rows = [{ identifier: 'import.bob', displayName: 'Bob', email: 'bob@example.com', password: 'pw-123456' }];
    const dry = await stack.client.importUsers(PRIMARY, { users: rows, dryRun: true });
    expect(dry.added.map((entry) => entry.name)).toEqual(['import.bob']);
    expect(await stack.client.searchUsers(PRIMARY, { identifier: 'import.bob' }, ALL)).toEqual([]);
    const real = await stack.client.importUsers(PRIMARY, { users: rows, dryRun: false });
    expect(real.added.map((entry) => entry.name)).toEqual(['import.bob']);
    expect(await stack.client.searchUsers(PRIMARY, { identifier: 'import.bob' }, ALL)).toHaveLength(1);
    const bodies = stack.emulator.calls('POST /api/rest/2.0/users/import').map((call) => call.body as Record<string, unknown>);
    expect(bodies.map((body) => [body['dry_run'], body['delete_unspecified_users']])).toEqual([
      [true, false],
      [false, false],
    ]);
  });
});

describe('adapter writes: groups, Orgs, roles', () => {
  it('creates, updates and deletes a group in a tenant Org', async () => {
    const scope = { orgId: tenant.id };
    const members = await stack.client.searchUsers(scope, {}, { offset: 0, size: 2 });
    const group = await stack.client.createGroup(scope, { name: 'Night-Shift', displayName: 'Night shift', description: 'on call' });
    expect(group).toMatchObject({ name: 'Night-Shift', displayName: 'Night shift', description: 'on call', users: [] });
    expect(group.orgs.map((org) => org.id)).toEqual([tenant.id]);
    await stack.client.updateGroup(scope, group.id, { userIdentifiers: members.map((user) => user.id), operation: 'ADD' });
    const [filled] = await stack.client.searchGroups(scope, { identifier: group.id }, ALL);
    expect(ids(filled?.users ?? [])).toEqual(ids(members));
    const duplicate = await rejection(stack.client.createGroup(scope, { name: 'Night-Shift', displayName: 'again' }));
    expect(duplicate).toBeInstanceOf(ThoughtSpotConflictError);
    await stack.client.deleteGroup(scope, group.id);
    expect(await stack.client.searchGroups(scope, { identifier: group.id }, ALL)).toEqual([]);
  });

  it('imports groups with an explicit dry_run', async () => {
    const scope = { orgId: tenant.id };
    const result = await stack.client.importGroups(scope, { groups: [{ identifier: 'Imported', displayName: 'Imported' }], dryRun: false });
    expect(result.added.map((entry) => entry.name)).toEqual(['Imported']);
    const body = stack.emulator.calls('POST /api/rest/2.0/groups/import')[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ dry_run: false, delete_unspecified_groups: false });
  });

  it('creates, renames and deletes an Org', async () => {
    const org = await stack.client.createOrg(PRIMARY, { name: 'Quartz-Labs', description: 'new tenant' });
    expect(org).toMatchObject({ name: 'Quartz-Labs', description: 'new tenant', status: 'ACTIVE', visibility: 'SHOW' });
    await stack.client.updateOrg(PRIMARY, String(org.id), { name: 'Quartz-Labs-2' });
    const [renamed] = await stack.client.searchOrgs(PRIMARY, { identifier: String(org.id) });
    expect(renamed?.name).toBe('Quartz-Labs-2');
    await stack.client.deleteOrg(PRIMARY, String(org.id));
    expect((await stack.client.searchOrgs(PRIMARY, {})).map((entry) => entry.id)).not.toContain(org.id);
  });

  it('creates, updates and deletes a role', async () => {
    const scope = { orgId: tenant.id };
    const role = await stack.client.createRole(scope, { name: 'Auditor', description: 'reads', privileges: ['DATADOWNLOADING'] });
    expect(role).toMatchObject({ name: 'Auditor', description: 'reads', privileges: ['DATADOWNLOADING'] });
    const updated = await stack.client.updateRole(scope, role.id, { name: 'Auditor', privileges: ['DATADOWNLOADING', 'SHAREWITHALL'] });
    expect([...updated.privileges].sort()).toEqual(['DATADOWNLOADING', 'SHAREWITHALL']);
    await stack.client.deleteRole(scope, role.id);
    expect((await stack.client.searchRoles(scope, {})).map((entry) => entry.id)).not.toContain(role.id);
  });
});

describe('adapter end-user tokens', () => {
  it('mints, validates and revokes a token for an end user in a tenant Org', async () => {
    const [user] = await stack.client.searchUsers({ orgId: tenant.id }, {}, { offset: 0, size: 1 });
    const minted = await stack.client.mintUserToken({ username: user?.name ?? '', orgId: tenant.id, validitySeconds: 120 });
    expect(minted).toMatchObject({ orgId: tenant.id, username: user?.name, accessType: 'FULL' });
    expect(minted.expiresAt - minted.createdAt).toBe(120_000);
    const valid = await stack.client.validateToken?.(PRIMARY, minted.token);
    expect(valid).toMatchObject({ valid: true, orgId: tenant.id, userId: user?.id });
    await stack.client.revokeToken(PRIMARY, minted.token);
    const revoked = await stack.client.validateToken?.(PRIMARY, minted.token);
    expect(revoked?.valid).toBe(false);
  });

  it('mints an object-scoped token', async () => {
    const objectId = '0f0dd0f7-0000-4000-8000-00000000abcd';
    const minted = await stack.client.mintObjectToken?.({ username: stack.username, orgId: 0, objectId });
    expect(minted?.accessType).toBe('REPORT_BOOK_VIEW');
  });

  it('creates a user just in time through the token call', async () => {
    const minted = await stack.client.mintUserToken({
      username: 'embedded.eve',
      orgId: tenant.id,
      autoCreate: true,
      displayName: 'Eve',
      email: 'eve@example.com',
      groupIdentifiers: ['Analysts'],
    });
    expect(minted.username).toBe('embedded.eve');
    const [eve] = await stack.client.searchUsers({ orgId: tenant.id }, { identifier: 'embedded.eve' }, ALL);
    expect(eve?.groups.map((group) => group.name)).toContain('Analysts');
  });

  it('refuses to mint for another user without trusted authentication', async () => {
    const client = createThoughtSpotClient({
      baseUrl: stack.emulator.url,
      credentials: { username: stack.username, password: stack.emulator.adminCredentials.password },
    });
    try {
      const error = await rejection(client.mintUserToken({ username: 'guest', orgId: 0 }));
      expect(error.message).toBe(
        'POST /api/rest/2.0/auth/token/full for another user needs trusted authentication: configure the client with a secretKey credential instead of a password.',
      );
      expect(stack.emulator.calls()).toHaveLength(0);
      // The password credential still works for the service account itself.
      expect((await client.getCurrentUser(PRIMARY)).name).toBe(stack.username);
    } finally {
      await client.close();
    }
  });
});
