import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, orgNamed, tenantAdmin } from './support/demo.js';
import { names, readVendorError, rows } from './support/http.js';
import { useEmulator } from './support/start.js';

const t = useEmulator();

describe('Org scoping', () => {
  it('makes a group created in one Org invisible from a token of another', async () => {
    const alder = orgNamed(t.emulator, 'Alderbrook-Foods');
    const cobalt = orgNamed(t.emulator, 'Cobalt-Freight');
    const inAlder = await t.api.login('tsadmin', 'admin', alder.id);
    const inCobalt = await t.api.login('tsadmin', 'admin', cobalt.id);
    expect((await t.api.post('/groups/create', { name: 'Night-Shift', display_name: 'Night Shift' }, inAlder)).status).toBe(200);
    expect(names(rows(await t.api.post('/groups/search', { group_identifier: 'Night-Shift' }, inAlder)))).toEqual(['Night-Shift']);
    expect(rows(await t.api.post('/groups/search', { group_identifier: 'Night-Shift' }, inCobalt))).toEqual([]);
    const update = await t.api.post('/groups/Night-Shift/update', { display_name: 'x' }, inCobalt);
    expect(readVendorError(update)).toMatchObject({ code: 10002, messages: ['Invalid group identifiers: Night-Shift'] });
  });

  it('keeps same-named groups of two Orgs apart', async () => {
    const alder = orgNamed(t.emulator, 'Alderbrook-Foods');
    const cobalt = orgNamed(t.emulator, 'Cobalt-Freight');
    const a = rows(await t.api.post('/groups/search', { group_identifier: 'Analysts' }, await t.api.login('tsadmin', 'admin', alder.id)))[0];
    const c = rows(await t.api.post('/groups/search', { group_identifier: 'Analysts' }, await t.api.login('tsadmin', 'admin', cobalt.id)))[0];
    expect(a?.['id']).not.toBe(c?.['id']);
    expect(a?.['orgs']).toEqual([{ id: String(alder.id), name: alder.name }]);
  });

  it("returns only the token Org's members from users/search (Q17)", async () => {
    const cobalt = orgNamed(t.emulator, 'Cobalt-Freight');
    const inCobalt = await t.api.login('tsadmin', 'admin', cobalt.id);
    const users = rows(await t.api.post('/users/search', { record_size: -1 }, inCobalt));
    expect(users.length).toBe([...cobalt.members].filter((id) => !t.emulator.state.users.get(id)?.hidden).length);
    expect(users.every((u) => (u['orgs'] as { id: number }[]).some((o) => o.id === cobalt.id))).toBe(true);
    const boss = tenantAdmin(t.emulator, cobalt);
    expect(rows(await t.api.post('/users/search', { user_identifier: boss.name }, t.admin))).toEqual([]);
  });

  it('returns the groups of every Org from a Primary token, and only its own from a tenant token (Q17)', async () => {
    const all = rows(await t.api.post('/groups/search', { name_pattern: 'Administrator', record_size: -1 }, t.admin));
    expect(all).toHaveLength(t.emulator.state.orgs.size);
    const cobalt = orgNamed(t.emulator, 'Cobalt-Freight');
    const inCobalt = await t.api.login('tsadmin', 'admin', cobalt.id);
    expect(rows(await t.api.post('/groups/search', { name_pattern: 'Administrator' }, inCobalt))).toHaveLength(1);
    t.emulator.setFidelity({ primaryGroupSearchSpansOrgs: false });
    expect(rows(await t.api.post('/groups/search', { name_pattern: 'Administrator' }, t.admin))).toHaveLength(1);
  });

  it('confines a tenant administrator to its own Org', async () => {
    const cobalt = orgNamed(t.emulator, 'Cobalt-Freight');
    const boss = await t.api.login(tenantAdmin(t.emulator, cobalt).name, DEMO_PASSWORD);
    const created = await t.api.post('/users/create', { name: 'cf.new', display_name: 'New', email: 'n@cobaltfreight.example' }, boss);
    expect(created.status).toBe(200);
    expect((created.body as { orgs: { id: number }[] }).orgs).toEqual([{ id: cobalt.id, name: cobalt.name }]);
    expect((await t.api.post('/users/tsadmin/update', { display_name: 'x' }, boss)).status).toBe(400);
    expect((await t.api.get('/system', boss)).status).toBe(200);
    expect((await t.api.post('/orgs/search', {}, boss)).status).toBe(403);
  });

  it('lets only members of an Org join its groups', async () => {
    const cobalt = orgNamed(t.emulator, 'Cobalt-Freight');
    const inCobalt = await t.api.login('tsadmin', 'admin', cobalt.id);
    const result = await t.api.post('/groups/Analysts/update', { user_identifiers: ['guest'], operation: 'ADD' }, inCobalt);
    expect(result.status).toBe(400);
    await t.api.post(`/orgs/${cobalt.id}/update`, { user_identifiers: ['guest'] }, t.admin);
    expect((await t.api.post('/groups/Analysts/update', { user_identifiers: ['guest'], operation: 'ADD' }, inCobalt)).status).toBe(204);
  });

  it('applies user group changes in the token Org only', async () => {
    const alder = orgNamed(t.emulator, 'Alderbrook-Foods');
    const consultant = [...t.emulator.state.users.values()].find((u) => u.orgIds.has(0) && u.orgIds.has(alder.id))!;
    const primaryGroups = t.emulator.state.directGroups(consultant, 0).map((g) => g.name);
    const inAlder = await t.api.login('tsadmin', 'admin', alder.id);
    expect((await t.api.post(`/users/${consultant.name}/update`, { group_identifiers: ['Finance'] }, inAlder)).status).toBe(204);
    expect(t.emulator.state.directGroups(consultant, alder.id).map((g) => g.name)).toEqual(['Finance']);
    expect(t.emulator.state.directGroups(consultant, 0).map((g) => g.name)).toEqual(primaryGroups);
  });
});
