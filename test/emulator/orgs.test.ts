import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, orgNamed, tenantAdmin } from './support/demo.js';
import { names, readVendorError, rows } from './support/http.js';
import { expectMatchesSchema } from './support/schema.js';
import { useEmulator } from './support/start.js';

const t = useEmulator();

describe('orgs/search', () => {
  it('lists every Org, unpaged, Primary first, matching the contract schema', async () => {
    const result = await t.api.post('/orgs/search', {}, t.admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/orgs/search');
    const orgs = rows(result);
    expect(orgs).toHaveLength(6);
    expect(orgs[0]).toEqual({ id: 0, name: 'Primary', status: 'ACTIVE', description: 'Primary Org', visibility: 'SHOW' });
  });

  it('filters by identifier (id or name) and by member users', async () => {
    const org = orgNamed(t.emulator, 'Cobalt-Freight');
    expect(names(rows(await t.api.post('/orgs/search', { org_identifier: String(org.id) }, t.admin)))).toEqual([org.name]);
    expect(names(rows(await t.api.post('/orgs/search', { org_identifier: org.name }, t.admin)))).toEqual([org.name]);
    expect(rows(await t.api.post('/orgs/search', { org_identifier: 'Nope' }, t.admin))).toEqual([]);
    const boss = tenantAdmin(t.emulator, org);
    expect(names(rows(await t.api.post('/orgs/search', { user_identifiers: [boss.name] }, t.admin)))).toEqual([org.name]);
  });

  it('is for cluster admins with a Primary token only (Q3)', async () => {
    const org = orgNamed(t.emulator, 'Cobalt-Freight');
    const fromTenant = await t.api.login('tsadmin', 'admin', org.id);
    const result = await t.api.post('/orgs/search', {}, fromTenant);
    expect(result.status).toBe(403);
    expect(readVendorError(result).code).toBe(10023);
    const tenantBoss = await t.api.login(tenantAdmin(t.emulator, org).name, DEMO_PASSWORD);
    expect((await t.api.post('/orgs/search', {}, tenantBoss)).status).toBe(403);
  });

  it('fails while the Orgs feature is off', async () => {
    t.emulator.setFidelity({ orgsEnabled: false });
    expect((await t.api.post('/orgs/search', {}, t.admin)).status).toBe(403);
  });
});

describe('orgs/create', () => {
  it('creates an Org with a large integer id and its All and Administrator groups', async () => {
    const result = await t.api.post('/orgs/create', { name: 'Fjord-Shipping', description: 'New customer' }, t.admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/orgs/create');
    const org = result.body as { id: number; name: string };
    expect(org).toMatchObject({ name: 'Fjord-Shipping', status: 'ACTIVE', visibility: 'SHOW', description: 'New customer' });
    expect(org.id).toBeGreaterThan(1_000_000);
    expect(org.id).toBeLessThan(2 ** 31);
    const inOrg = await t.api.login('tsadmin', 'admin', org.id);
    const groups = rows(await t.api.post('/groups/search', { record_size: -1 }, inOrg));
    expect(names(groups)).toEqual(['Administrator', 'All']);
  });

  it('enforces unique names of at most 48 letters, digits and hyphens', async () => {
    for (const name of ['Cobalt-Freight', 'cobalt-freight', 'has space', 'x'.repeat(49), 'under_score']) {
      const result = await t.api.post('/orgs/create', { name }, t.admin);
      expect(result.status).toBe(400);
      expect(readVendorError(result).code).toBe(10002);
    }
  });
});

describe('orgs/{id}/update', () => {
  it('adds members by default (ADD) and renames', async () => {
    const org = orgNamed(t.emulator, 'Everpine-Energy');
    const result = await t.api.post(`/orgs/${org.id}/update`, { user_identifiers: ['guest'], name: 'Everpine' }, t.admin);
    expect(result.status).toBe(204);
    expect(t.emulator.state.findUser('guest')?.orgIds.has(org.id)).toBe(true);
    expect(names(rows(await t.api.post('/orgs/search', { org_identifier: String(org.id) }, t.admin)))).toEqual(['Everpine']);
    const before = org.members.size;
    await t.api.post(`/orgs/${org.id}/update`, { user_identifiers: ['guest'], operation: 'REMOVE' }, t.admin);
    expect(org.members.size).toBe(before - 1);
  });

  it('answers 400 for unknown Orgs and users', async () => {
    expect((await t.api.post('/orgs/987654/update', { name: 'x' }, t.admin)).status).toBe(400);
    const org = orgNamed(t.emulator, 'Everpine-Energy');
    expect((await t.api.post(`/orgs/${org.id}/update`, { user_identifiers: ['ghost'] }, t.admin)).status).toBe(400);
  });
});

describe('orgs/{id}/delete', () => {
  it('deletes the Org, its groups and the users that belonged only to it', async () => {
    const org = orgNamed(t.emulator, 'Driftwood-Outfitters');
    const members = [...org.members].map((id) => t.emulator.state.users.get(id)!);
    const onlyHere = members.filter((u) => u.orgIds.size === 1);
    const elsewhere = members.filter((u) => u.orgIds.size > 1);
    expect(elsewhere.length).toBeGreaterThan(0);
    const groupIds = [...org.groups.keys()];
    expect((await t.api.post(`/orgs/${org.name}/delete`, {}, t.admin)).status).toBe(204);
    expect(t.emulator.state.orgs.has(org.id)).toBe(false);
    for (const id of groupIds) expect(t.emulator.state.groups.has(id)).toBe(false);
    for (const user of onlyHere) expect(t.emulator.state.users.has(user.id)).toBe(false);
    for (const user of elsewhere) {
      expect(t.emulator.state.users.has(user.id)).toBe(true);
      expect(user.orgIds.has(org.id)).toBe(false);
    }
  });

  it('kills tokens scoped to the deleted Org', async () => {
    const org = orgNamed(t.emulator, 'Driftwood-Outfitters');
    const scoped = await t.api.login('tsadmin', 'admin', org.id);
    await t.api.post(`/orgs/${org.id}/delete`, {}, t.admin);
    expect((await t.api.get('/auth/session/user', scoped)).status).toBe(401);
  });

  it('refuses to delete the Primary Org', async () => {
    expect((await t.api.post('/orgs/0/delete', {}, t.admin)).status).toBe(400);
  });
});
