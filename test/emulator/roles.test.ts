import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import type { Api} from './support/client.js';
import { names, rows, vendorError } from './support/client.js';
import { DEMO_PASSWORD, orgNamed, plainUser, startDomainEmulator } from './support/demo.js';
import { expectMatchesSchema } from './support/schema.js';

let em: Emulator;
let api: Api;
let admin: string;

beforeAll(async () => {
  ({ em, api } = await startDomainEmulator());
});
afterAll(() => em.close());
beforeEach(async () => {
  admin = await api.login('tsadmin', 'admin');
});
afterEach(() => {
  em.resetState();
  em.reset();
});

async function role(name: string): Promise<Record<string, unknown> | undefined> {
  return rows(await api.post('/roles/search', { role_identifiers: [name] }, admin))[0];
}

describe('roles/search', () => {
  it("lists the token Org's roles, unpaged, matching the contract schema", async () => {
    const result = await api.post('/roles/search', {}, admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/roles/search');
    expect(names(rows(result))).toContain('Super Admin');
    expect(rows(result).every((r) => (r['orgs'] as { id: string }[])[0]?.id === '0')).toBe(true);
  });

  it('filters by Orgs, by groups holding the role and by privileges', async () => {
    const org = orgNamed(em, 'Alderbrook-Foods');
    const tenantRoles = rows(await api.post('/roles/search', { org_identifiers: [String(org.id)] }, admin));
    expect(names(tenantRoles)).toEqual(['Analyst', 'Data Steward', 'Report Author', 'User Manager', 'Viewer']);
    expect(names(rows(await api.post('/roles/search', { group_identifiers: ['Support'] }, admin)))).toEqual(['Support Engineer']);
    const byPrivilege = rows(await api.post('/roles/search', { privileges: ['ORG_ADMINISTRATION'] }, admin));
    expect(names(byPrivilege)).toEqual(['Org Manager']);
  });

  it('reports the groups holding a role and their count', async () => {
    const viewer = await role('Viewer');
    expect(viewer?.['groups_assigned_count']).toBe((viewer?.['groups'] as unknown[]).length);
    expect(names(viewer?.['groups'])).toEqual(['Engineering', 'Sales']);
  });

  it('fails with 403 while RBAC is off, and for callers without role administration', async () => {
    const user = plainUser(em, em.state.primary);
    const token = await api.login(user.name, DEMO_PASSWORD);
    expect((await api.post('/roles/search', {}, token)).status).toBe(403);
    em.setFidelity({ rbacEnabled: false });
    const off = await api.post('/roles/search', {}, admin);
    expect(off.status).toBe(403);
    expect(vendorError(off).code).toBe(10023);
  });
});

describe('roles/create, update, delete', () => {
  it('creates a role in the token Org', async () => {
    const result = await api.post('/roles/create', { name: 'Auditor', description: 'Reads audit trails', privileges: ['CAN_VIEW_FOLDERS'] }, admin);
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
    const duplicate = await api.post('/roles/create', { name: 'Auditor' }, admin);
    expect(vendorError(duplicate)).toEqual({ code: 10002, messages: ['Role with name Auditor already exists'] });
  });

  it('replaces privileges on update (Q13) and returns the role with 200', async () => {
    const result = await api.post('/roles/Viewer/update', { name: 'Viewer', privileges: ['JOBSCHEDULING'] }, admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/roles/{role_identifier}/update');
    expect(result.body).toMatchObject({ name: 'Viewer', privileges: ['JOBSCHEDULING'] });
    const renamed = await api.post('/roles/Viewer/update', { name: 'Reader' }, admin);
    expect(renamed.body).toMatchObject({ name: 'Reader', privileges: ['JOBSCHEDULING'] });
  });

  it('refuses to update or delete a read-only role with 400', async () => {
    const created = await api.post('/roles/create', { name: 'Frozen', privileges: ['DEVELOPER'], read_only: true }, admin);
    expect(created.body).toMatchObject({ permission: 'READ_ONLY' });
    expect((await api.post('/roles/Frozen/update', { name: 'Thawed' }, admin)).status).toBe(400);
    expect((await api.post('/roles/Frozen/delete', {}, admin)).status).toBe(400);
    expect((await api.post('/roles/Super%20Admin/delete', {}, admin)).status).toBe(400);
  });

  it('unassigns a deleted role from its groups (Q13), so its privileges leave their members', async () => {
    const member = [...em.state.groups.values()].find((g) => g.orgId === 0 && g.name === 'Support')!;
    const userId = [...member.userIds][0]!;
    const user = em.state.users.get(userId)!;
    expect(em.state.effectivePrivileges(user, 0)).toContain('SYSTEM_INFO_ADMINISTRATION');
    expect((await api.post('/roles/Support%20Engineer/delete', {}, admin)).status).toBe(204);
    expect(rows(await api.post('/groups/search', { group_identifier: 'Support' }, admin))[0]?.['roles']).toEqual([]);
    expect(em.state.effectivePrivileges(user, 0)).not.toContain('SYSTEM_INFO_ADMINISTRATION');
  });

  it('answers 400 for unknown roles', async () => {
    expect((await api.post('/roles/Nope/delete', {}, admin)).status).toBe(400);
    expect((await api.post('/roles/Nope/update', { name: 'x' }, admin)).status).toBe(400);
  });
});
