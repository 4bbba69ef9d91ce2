import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import type { Api} from './support/client.js';
import { names, rows, vendorError } from './support/client.js';
import { DEMO_PASSWORD, orgNamed, startDomainEmulator, tenantAdmin } from './support/demo.js';

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

describe('Org scoping', () => {
  it('makes a group created in one Org invisible from a token of another', async () => {
    const alder = orgNamed(em, 'Alderbrook-Foods');
    const cobalt = orgNamed(em, 'Cobalt-Freight');
    const inAlder = await api.login('tsadmin', 'admin', alder.id);
    const inCobalt = await api.login('tsadmin', 'admin', cobalt.id);
    expect((await api.post('/groups/create', { name: 'Night-Shift', display_name: 'Night Shift' }, inAlder)).status).toBe(200);
    expect(names(rows(await api.post('/groups/search', { group_identifier: 'Night-Shift' }, inAlder)))).toEqual(['Night-Shift']);
    expect(rows(await api.post('/groups/search', { group_identifier: 'Night-Shift' }, inCobalt))).toEqual([]);
    const update = await api.post('/groups/Night-Shift/update', { display_name: 'x' }, inCobalt);
    expect(vendorError(update)).toEqual({ code: 10002, messages: ['Invalid group identifiers: Night-Shift'] });
  });

  it('keeps same-named groups of two Orgs apart', async () => {
    const alder = orgNamed(em, 'Alderbrook-Foods');
    const cobalt = orgNamed(em, 'Cobalt-Freight');
    const a = rows(await api.post('/groups/search', { group_identifier: 'Analysts' }, await api.login('tsadmin', 'admin', alder.id)))[0];
    const c = rows(await api.post('/groups/search', { group_identifier: 'Analysts' }, await api.login('tsadmin', 'admin', cobalt.id)))[0];
    expect(a?.['id']).not.toBe(c?.['id']);
    expect(a?.['orgs']).toEqual([{ id: String(alder.id), name: alder.name }]);
  });

  it("returns only the token Org's members from users/search (Q17)", async () => {
    const cobalt = orgNamed(em, 'Cobalt-Freight');
    const inCobalt = await api.login('tsadmin', 'admin', cobalt.id);
    const users = rows(await api.post('/users/search', { record_size: -1 }, inCobalt));
    expect(users.length).toBe([...cobalt.members].filter((id) => !em.state.users.get(id)?.hidden).length);
    expect(users.every((u) => (u['orgs'] as { id: number }[]).some((o) => o.id === cobalt.id))).toBe(true);
    const boss = tenantAdmin(em, cobalt);
    expect(rows(await api.post('/users/search', { user_identifier: boss.name }, admin))).toEqual([]);
  });

  it('returns the groups of every Org from a Primary token, and only its own from a tenant token (Q17)', async () => {
    const all = rows(await api.post('/groups/search', { name_pattern: 'Administrator', record_size: -1 }, admin));
    expect(all).toHaveLength(em.state.orgs.size);
    const cobalt = orgNamed(em, 'Cobalt-Freight');
    const inCobalt = await api.login('tsadmin', 'admin', cobalt.id);
    expect(rows(await api.post('/groups/search', { name_pattern: 'Administrator' }, inCobalt))).toHaveLength(1);
    em.setFidelity({ primaryGroupSearchSpansOrgs: false });
    expect(rows(await api.post('/groups/search', { name_pattern: 'Administrator' }, admin))).toHaveLength(1);
  });

  it('confines a tenant administrator to its own Org', async () => {
    const cobalt = orgNamed(em, 'Cobalt-Freight');
    const boss = await api.login(tenantAdmin(em, cobalt).name, DEMO_PASSWORD);
    const created = await api.post('/users/create', { name: 'cf.new', display_name: 'New', email: 'n@cobaltfreight.example' }, boss);
    expect(created.status).toBe(200);
    expect((created.body as { orgs: { id: number }[] }).orgs).toEqual([{ id: cobalt.id, name: cobalt.name }]);
    expect((await api.post('/users/tsadmin/update', { display_name: 'x' }, boss)).status).toBe(400);
    expect((await api.get('/system', boss)).status).toBe(200);
    expect((await api.post('/orgs/search', {}, boss)).status).toBe(403);
  });

  it('lets only members of an Org join its groups', async () => {
    const cobalt = orgNamed(em, 'Cobalt-Freight');
    const inCobalt = await api.login('tsadmin', 'admin', cobalt.id);
    const result = await api.post('/groups/Analysts/update', { user_identifiers: ['guest'], operation: 'ADD' }, inCobalt);
    expect(result.status).toBe(400);
    await api.post(`/orgs/${cobalt.id}/update`, { user_identifiers: ['guest'] }, admin);
    expect((await api.post('/groups/Analysts/update', { user_identifiers: ['guest'], operation: 'ADD' }, inCobalt)).status).toBe(204);
  });

  it('applies user group changes in the token Org only', async () => {
    const alder = orgNamed(em, 'Alderbrook-Foods');
    const consultant = [...em.state.users.values()].find((u) => u.orgIds.has(0) && u.orgIds.has(alder.id))!;
    const primaryGroups = em.state.directGroups(consultant, 0).map((g) => g.name);
    const inAlder = await api.login('tsadmin', 'admin', alder.id);
    expect((await api.post(`/users/${consultant.name}/update`, { group_identifiers: ['Finance'] }, inAlder)).status).toBe(204);
    expect(em.state.directGroups(consultant, alder.id).map((g) => g.name)).toEqual(['Finance']);
    expect(em.state.directGroups(consultant, 0).map((g) => g.name)).toEqual(primaryGroups);
  });
});
