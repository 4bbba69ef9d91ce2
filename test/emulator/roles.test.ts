import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, orgNamed, plainUser } from './support/demo.js';
import { names, readVendorError, rows } from './support/http.js';
import { expectMatchesSchema } from './support/schema.js';
import { useEmulator } from './support/start.js';

const t = useEmulator();

async function role(name: string): Promise<Record<string, unknown> | undefined> {
  return rows(await t.api.post('/roles/search', { role_identifiers: [name] }, t.admin))[0];
}

describe('roles/search', () => {
  it("lists the token Org's roles, unpaged, matching the contract schema", async () => {
    const result = await t.api.post('/roles/search', {}, t.admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/roles/search');
    expect(names(rows(result))).toContain('Super Admin');
    expect(rows(result).every((r) => (r['orgs'] as { id: string }[])[0]?.id === '0')).toBe(true);
  });

  it('filters by Orgs, by groups holding the role and by privileges', async () => {
    const org = orgNamed(t.emulator, 'Alderbrook-Foods');
    const tenantRoles = rows(await t.api.post('/roles/search', { org_identifiers: [String(org.id)] }, t.admin));
    expect(names(tenantRoles)).toEqual(['Analyst', 'Data Steward', 'Report Author', 'User Manager', 'Viewer']);
    expect(names(rows(await t.api.post('/roles/search', { group_identifiers: ['Support'] }, t.admin)))).toEqual(['Support Engineer']);
    const byPrivilege = rows(await t.api.post('/roles/search', { privileges: ['ORG_ADMINISTRATION'] }, t.admin));
    expect(names(byPrivilege)).toEqual(['Org Manager']);
  });

  it('reports the groups holding a role and their count', async () => {
    const viewer = await role('Viewer');
    expect(viewer?.['groups_assigned_count']).toBe((viewer?.['groups'] as unknown[]).length);
    expect(names(viewer?.['groups'])).toEqual(['Engineering', 'Sales']);
  });

  it('fails with 403 while RBAC is off, and for callers without role administration', async () => {
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const token = await t.api.login(user.name, DEMO_PASSWORD);
    expect((await t.api.post('/roles/search', {}, token)).status).toBe(403);
    t.emulator.setFidelity({ rbacEnabled: false });
    const off = await t.api.post('/roles/search', {}, t.admin);
    expect(off.status).toBe(403);
    expect(readVendorError(off).code).toBe(10023);
  });
});

describe('roles/create, update, delete', () => {
  it('creates a role in the token Org', async () => {
    const result = await t.api.post('/roles/create', { name: 'Auditor', description: 'Reads audit trails', privileges: ['CAN_VIEW_FOLDERS'] }, t.admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/roles/create');
    expect(result.body).toMatchObject({
      name: 'Auditor',
      description: 'Reads audit trails',
      privileges: ['CAN_VIEW_FOLDERS'],
      permission: 'MODIFY',
      groups_assigned_count: 0,
      orgs: [{ id: '0', name: 'Primary' }],
    });
    const duplicate = await t.api.post('/roles/create', { name: 'Auditor' }, t.admin);
    expect(readVendorError(duplicate)).toMatchObject({ code: 10002, messages: ['Role with name Auditor already exists'] });
  });

  it('replaces privileges on update (Q13) and returns the role with 200', async () => {
    const result = await t.api.post('/roles/Viewer/update', { name: 'Viewer', privileges: ['JOBSCHEDULING'] }, t.admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/roles/{role_identifier}/update');
    expect(result.body).toMatchObject({ name: 'Viewer', privileges: ['JOBSCHEDULING'] });
    const renamed = await t.api.post('/roles/Viewer/update', { name: 'Reader' }, t.admin);
    expect(renamed.body).toMatchObject({ name: 'Reader', privileges: ['JOBSCHEDULING'] });
  });

  it('refuses to update or delete a read-only role with 400', async () => {
    const created = await t.api.post('/roles/create', { name: 'Frozen', privileges: ['DEVELOPER'], read_only: true }, t.admin);
    expect(created.body).toMatchObject({ permission: 'READ_ONLY' });
    expect((await t.api.post('/roles/Frozen/update', { name: 'Thawed' }, t.admin)).status).toBe(400);
    expect((await t.api.post('/roles/Frozen/delete', {}, t.admin)).status).toBe(400);
    expect((await t.api.post('/roles/Super%20Admin/delete', {}, t.admin)).status).toBe(400);
  });

  it('unassigns a deleted role from its groups (Q13), so its privileges leave their members', async () => {
    const member = [...t.emulator.state.groups.values()].find((g) => g.orgId === 0 && g.name === 'Support')!;
    const userId = [...member.userIds][0]!;
    const user = t.emulator.state.users.get(userId)!;
    expect(t.emulator.state.effectivePrivileges(user, 0)).toContain('SYSTEM_INFO_ADMINISTRATION');
    expect((await t.api.post('/roles/Support%20Engineer/delete', {}, t.admin)).status).toBe(204);
    expect(rows(await t.api.post('/groups/search', { group_identifier: 'Support' }, t.admin))[0]?.['roles']).toEqual([]);
    expect(t.emulator.state.effectivePrivileges(user, 0)).not.toContain('SYSTEM_INFO_ADMINISTRATION');
  });

  it('answers 400 for unknown roles', async () => {
    expect((await t.api.post('/roles/Nope/delete', {}, t.admin)).status).toBe(400);
    expect((await t.api.post('/roles/Nope/update', { name: 'x' }, t.admin)).status).toBe(400);
  });
});
