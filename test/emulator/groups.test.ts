import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, orgNamed, plainUser } from './support/demo.js';
import { names, readVendorError, rows } from './support/http.js';
import { expectMatchesSchema } from './support/schema.js';
import { useEmulator } from './support/start.js';

const t = useEmulator();

async function group(name: string, token = t.admin): Promise<Record<string, unknown> | undefined> {
  return rows(await t.api.post('/groups/search', { group_identifier: name }, token))[0];
}

describe('groups/search', () => {
  it('returns UserGroupResponse objects that match the contract schema', async () => {
    const result = await t.api.post('/groups/search', { record_size: -1 }, t.admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/groups/search');
  });

  it('fills users and sub_groups by default and leaves them empty when asked (include_users / include_sub_groups)', async () => {
    const full = await group('Engineering');
    expect(names(full?.['sub_groups'])).toEqual(['Data-Engineering']);
    expect((full?.['users'] as unknown[]).length).toBeGreaterThan(0);
    const lean = rows(
      await t.api.post('/groups/search', { group_identifier: 'Engineering', include_users: false, include_sub_groups: false }, t.admin),
    )[0];
    expect(lean?.['users']).toEqual([]);
    expect(lean?.['sub_groups']).toEqual([]);
  });

  it('reports the group Org as a string id and the roles of the group', async () => {
    const support = await group('Support');
    expect(support?.['orgs']).toEqual([{ id: '0', name: 'Primary' }]);
    expect(names(support?.['roles'])).toEqual(['Support Engineer']);
    t.emulator.setFidelity({ rbacEnabled: false });
    expect((await group('Support'))?.['roles']).toBeNull();
  });

  it('finds groups containing users, having sub-groups, or holding roles', async () => {
    const user = [...t.emulator.state.users.values()].find((u) => u.name !== 'tsadmin' && u.orgIds.has(0) && u.groupIds.size > 0);
    const expected = t.emulator.state.directGroups(user!, 0).map((g) => g.name);
    const byUser = rows(await t.api.post('/groups/search', { user_identifiers: [user?.name], record_size: -1 }, t.admin));
    expect(names(byUser)).toEqual(expected);
    const bySub = rows(await t.api.post('/groups/search', { sub_group_identifiers: ['Data-Engineering'] }, t.admin));
    expect(names(bySub)).toEqual(['Engineering']);
    const byRole = rows(await t.api.post('/groups/search', { role_identifiers: ['Support Engineer'] }, t.admin));
    expect(names(byRole)).toEqual(['Support']);
  });
});

describe('groups/create', () => {
  it('creates a group with defaults, members, sub-groups and roles', async () => {
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const result = await t.api.post(
      '/groups/create',
      {
        name: 'Finance-EMEA',
        display_name: 'Finance EMEA',
        user_identifiers: [user.name],
        sub_group_identifiers: ['Sales'],
        role_identifiers: ['Viewer'],
        privileges: ['DATADOWNLOADING'],
      },
      t.admin,
    );
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/groups/create');
    expect(result.body).toMatchObject({
      name: 'Finance-EMEA',
      display_name: 'Finance EMEA',
      type: 'LOCAL_GROUP',
      visibility: 'SHARABLE',
      privileges: ['DATADOWNLOADING'],
      users: [{ name: user.name }],
      sub_groups: [{ name: 'Sales' }],
      roles: [{ name: 'Viewer' }],
    });
  });

  it('refuses a duplicate name in the same Org, unknown members, and members from outside the Org', async () => {
    const duplicate = await t.api.post('/groups/create', { name: 'Support', display_name: 'x' }, t.admin);
    expect(readVendorError(duplicate)).toMatchObject({ code: 10002, messages: ['Group with name Support already exists'] });
    const unknown = await t.api.post('/groups/create', { name: 'G1', display_name: 'x', user_identifiers: ['ghost'] }, t.admin);
    expect(readVendorError(unknown).messages).toEqual(['Invalid user identifiers: ghost']);
    const outsider = plainUser(t.emulator, orgNamed(t.emulator, 'Cobalt-Freight'));
    expect(outsider.orgIds.has(0)).toBe(false);
    const foreign = await t.api.post('/groups/create', { name: 'G2', display_name: 'x', user_identifiers: [outsider.name] }, t.admin);
    expect(foreign.status).toBe(400);
  });

  it('needs group administration', async () => {
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const token = await t.api.login(user.name, DEMO_PASSWORD);
    expect((await t.api.post('/groups/create', { name: 'G', display_name: 'G' }, token)).status).toBe(403);
  });
});

describe('groups/{id}/update', () => {
  it('applies the operation to every list in the request (REPLACE by default)', async () => {
    const [a, b] = [plainUser(t.emulator, t.emulator.state.primary, 0), plainUser(t.emulator, t.emulator.state.primary, 1)];
    await t.api.post('/groups/create', { name: 'Ops', display_name: 'Ops', user_identifiers: [a.name] }, t.admin);
    expect((await t.api.post('/groups/Ops/update', { user_identifiers: [b.name], operation: 'ADD' }, t.admin)).status).toBe(204);
    expect(names((await group('Ops'))?.['users']).sort()).toEqual([a.name, b.name].sort());
    await t.api.post('/groups/Ops/update', { user_identifiers: [a.name], operation: 'REMOVE' }, t.admin);
    expect(names((await group('Ops'))?.['users'])).toEqual([b.name]);
    await t.api.post('/groups/Ops/update', { user_identifiers: [a.name], privileges: ['JOBSCHEDULING'] }, t.admin);
    const after = await group('Ops');
    expect(names(after?.['users'])).toEqual([a.name]);
    expect(after?.['privileges']).toEqual(['JOBSCHEDULING']);
  });

  it('overwrites scalars and leaves absent lists untouched', async () => {
    const user = plainUser(t.emulator, t.emulator.state.primary);
    await t.api.post('/groups/create', { name: 'Ops', display_name: 'Ops', user_identifiers: [user.name] }, t.admin);
    await t.api.post('/groups/Ops/update', { display_name: 'Operations', description: 'Runs things', name: 'Operations' }, t.admin);
    const after = await group('Operations');
    expect(after).toMatchObject({ display_name: 'Operations', description: 'Runs things' });
    expect(names(after?.['users'])).toEqual([user.name]);
  });

  it('refuses a sub-group that would close a cycle, and changes nothing', async () => {
    const result = await t.api.post('/groups/Analytics-Engineering/update', { sub_group_identifiers: ['Engineering'] }, t.admin);
    expect(result.status).toBe(400);
    expect(readVendorError(result).messages[0]).toMatch(/cycle/);
    const self = await t.api.post('/groups/Sales/update', { sub_group_identifiers: ['Sales'], operation: 'ADD' }, t.admin);
    expect(self.status).toBe(400);
    expect((await group('Analytics-Engineering'))?.['sub_groups']).toEqual([]);
  });

  it('answers 400 for an unknown group and never removes the implicit All membership', async () => {
    expect((await t.api.post('/groups/Nope/update', { display_name: 'x' }, t.admin)).status).toBe(400);
    expect((await t.api.post('/groups/All/update', { user_identifiers: [], operation: 'REPLACE' }, t.admin)).status).toBe(204);
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const token = await t.api.login(user.name, DEMO_PASSWORD);
    const me = await t.api.get('/auth/session/user', token);
    expect((me.body as { privileges: string[] }).privileges).toContain('AUTHORING');
  });
});

describe('groups/{id}/delete', () => {
  it('deletes a group and its memberships (204)', async () => {
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const created = await t.api.post('/groups/create', { name: 'Temp', display_name: 'Temp', user_identifiers: [user.name] }, t.admin);
    const id = (created.body as { id: string }).id;
    expect(t.emulator.state.findUser(user.name)?.groupIds.has(id)).toBe(true);
    expect((await t.api.post('/groups/Temp/delete', {}, t.admin)).status).toBe(204);
    expect(await group('Temp')).toBeUndefined();
    expect(t.emulator.state.findUser(user.name)?.groupIds.has(id)).toBe(false);
  });

  it('refuses to delete the built-in groups', async () => {
    for (const name of ['All', 'Administrator', 'System']) {
      expect((await t.api.post(`/groups/${name}/delete`, {}, t.admin)).status).toBe(400);
    }
  });
});
