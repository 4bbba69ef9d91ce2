import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import type { Api} from './support/client.js';
import { names, rows, vendorError } from './support/client.js';
import { orgNamed, startDomainEmulator, tenantAdmin, DEMO_PASSWORD } from './support/demo.js';
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

describe('orgs/search', () => {
  it('lists every Org, unpaged, Primary first, matching the contract schema', async () => {
    const result = await api.post('/orgs/search', {}, admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/orgs/search');
    const orgs = rows(result);
    expect(orgs).toHaveLength(6);
    expect(orgs[0]).toEqual({ id: 0, name: 'Primary', status: 'ACTIVE', description: 'Primary Org', visibility: 'SHOW' });
  });

  it('filters by identifier (id or name) and by member users', async () => {
    const org = orgNamed(em, 'Cobalt-Freight');
    expect(names(rows(await api.post('/orgs/search', { org_identifier: String(org.id) }, admin)))).toEqual([org.name]);
    expect(names(rows(await api.post('/orgs/search', { org_identifier: org.name }, admin)))).toEqual([org.name]);
    expect(rows(await api.post('/orgs/search', { org_identifier: 'Nope' }, admin))).toEqual([]);
    const boss = tenantAdmin(em, org);
    expect(names(rows(await api.post('/orgs/search', { user_identifiers: [boss.name] }, admin)))).toEqual([org.name]);
  });

  it('is for cluster admins with a Primary token only (Q3)', async () => {
    const org = orgNamed(em, 'Cobalt-Freight');
    const fromTenant = await api.login('tsadmin', 'admin', org.id);
    const result = await api.post('/orgs/search', {}, fromTenant);
    expect(result.status).toBe(403);
    expect(vendorError(result).code).toBe(10023);
    const tenantBoss = await api.login(tenantAdmin(em, org).name, DEMO_PASSWORD);
    expect((await api.post('/orgs/search', {}, tenantBoss)).status).toBe(403);
  });

  it('fails while the Orgs feature is off', async () => {
    em.setFidelity({ orgsEnabled: false });
    expect((await api.post('/orgs/search', {}, admin)).status).toBe(403);
  });
});

describe('orgs/create', () => {
  it('creates an Org with a large integer id and its All and Administrator groups', async () => {
    const result = await api.post('/orgs/create', { name: 'Fjord-Shipping', description: 'New customer' }, admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/orgs/create');
    const org = result.body as { id: number; name: string };
    expect(org).toMatchObject({ name: 'Fjord-Shipping', status: 'ACTIVE', visibility: 'SHOW', description: 'New customer' });
    expect(org.id).toBeGreaterThan(1_000_000);
    expect(org.id).toBeLessThan(2 ** 31);
    const inOrg = await api.login('tsadmin', 'admin', org.id);
    const groups = rows(await api.post('/groups/search', { record_size: -1 }, inOrg));
    expect(names(groups)).toEqual(['Administrator', 'All']);
  });

  it('enforces unique names of at most 48 letters, digits and hyphens', async () => {
    for (const name of ['Cobalt-Freight', 'cobalt-freight', 'has space', 'x'.repeat(49), 'under_score']) {
      const result = await api.post('/orgs/create', { name }, admin);
      expect(result.status).toBe(400);
      expect(vendorError(result).code).toBe(10002);
    }
  });
});

describe('orgs/{id}/update', () => {
  it('adds members by default (ADD) and renames', async () => {
    const org = orgNamed(em, 'Everpine-Energy');
    const result = await api.post(`/orgs/${org.id}/update`, { user_identifiers: ['guest'], name: 'Everpine' }, admin);
    expect(result.status).toBe(204);
    expect(em.state.findUser('guest')?.orgIds.has(org.id)).toBe(true);
    expect(names(rows(await api.post('/orgs/search', { org_identifier: String(org.id) }, admin)))).toEqual(['Everpine']);
    const before = org.members.size;
    await api.post(`/orgs/${org.id}/update`, { user_identifiers: ['guest'], operation: 'REMOVE' }, admin);
    expect(org.members.size).toBe(before - 1);
  });

  it('answers 400 for unknown Orgs and users', async () => {
    expect((await api.post('/orgs/987654/update', { name: 'x' }, admin)).status).toBe(400);
    const org = orgNamed(em, 'Everpine-Energy');
    expect((await api.post(`/orgs/${org.id}/update`, { user_identifiers: ['ghost'] }, admin)).status).toBe(400);
  });
});

describe('orgs/{id}/delete', () => {
  it('deletes the Org, its groups and the users that belonged only to it', async () => {
    const org = orgNamed(em, 'Driftwood-Outfitters');
    const members = [...org.members].map((id) => em.state.users.get(id)!);
    const onlyHere = members.filter((u) => u.orgIds.size === 1);
    const elsewhere = members.filter((u) => u.orgIds.size > 1);
    expect(elsewhere.length).toBeGreaterThan(0);
    const groupIds = [...org.groups.keys()];
    expect((await api.post(`/orgs/${org.name}/delete`, {}, admin)).status).toBe(204);
    expect(em.state.orgs.has(org.id)).toBe(false);
    for (const id of groupIds) expect(em.state.groups.has(id)).toBe(false);
    for (const user of onlyHere) expect(em.state.users.has(user.id)).toBe(false);
    for (const user of elsewhere) {
      expect(em.state.users.has(user.id)).toBe(true);
      expect(user.orgIds.has(org.id)).toBe(false);
    }
  });

  it('kills tokens scoped to the deleted Org', async () => {
    const org = orgNamed(em, 'Driftwood-Outfitters');
    const scoped = await api.login('tsadmin', 'admin', org.id);
    await api.post(`/orgs/${org.id}/delete`, {}, admin);
    expect((await api.get('/auth/session/user', scoped)).status).toBe(401);
  });

  it('refuses to delete the Primary Org', async () => {
    expect((await api.post('/orgs/0/delete', {}, admin)).status).toBe(400);
  });
});
