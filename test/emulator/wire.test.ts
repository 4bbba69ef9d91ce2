// Search answers are assembled from cached wire forms of their records (src/emulator/wire.ts). These tests hold them
// byte-identical to `JSON.stringify(rows.map(serialize))` computed afresh from the same state, warm or cold, and
// show that every kind of change (a write over HTTP, a domain write in process, a login, a fidelity switch) is seen
// by the very next search. (A handler that writes without telling the domain, such as auth/token/custom persisting
// variable values, is covered by jit.test.ts: it fails when the handler table stops recording changes.)

import { describe, expect, it } from 'vitest';
import { serializeGroup, serializeOrg, serializeRole, serializeUser, type UserView } from '../../src/emulator/domain/serialize.js';
import { orgNamed } from './support/demo.js';
import { rows } from './support/http.js';
import { useEmulator } from './support/start.js';

const t = useEmulator();

function userView(orgId: number, include: { favorites?: boolean; variables?: boolean } = {}): UserView {
  const f = t.emulator.fidelity;
  return {
    orgId,
    spanOrgs: orgId === 0 && f.primaryGroupSearchSpansOrgs && f.orgsEnabled,
    listAllGroup: f.listAllGroup,
    includeFavorites: include.favorites ?? false,
    includeVariables: include.variables ?? false,
    currentOrgId: null,
  };
}

/** The answer's text, twice (cold then warm cache), after checking both are the same bytes. */
async function searchText(path: string, body: Record<string, unknown>, token: string): Promise<{ text: string; ids: string[] }> {
  const first = await t.api.post(path, body, token);
  expect(first.status).toBe(200);
  const second = await t.api.post(path, body, token);
  expect(second.text).toBe(first.text);
  expect(first.headers.get('content-length')).toBe(String(Buffer.byteLength(first.text)));
  return { text: first.text, ids: rows(first).map((r) => String(r['id'])) };
}

describe('wire forms of search answers', () => {
  it('users/search answers JSON.stringify of serializeUser, byte for byte, for several views', async () => {
    const state = t.emulator.state;
    const tenant = orgNamed(t.emulator, 'Brightwater-Health');
    const tenantToken = await t.api.login('tsadmin', 'admin', tenant.id);
    const cases: [string, Record<string, unknown>, number, { favorites?: boolean; variables?: boolean }][] = [
      [t.admin, { record_size: 20 }, 0, {}],
      [t.admin, { record_size: 15, record_offset: 7, sort_options: { field_name: 'DISPLAY_NAME', order: 'DESC' } }, 0, {}],
      [t.admin, { record_size: 10, include_favorite_metadata: true, include_variable_values: true }, 0, { favorites: true, variables: true }],
      [tenantToken, { record_size: -1 }, tenant.id, {}],
      [tenantToken, { record_size: 5, include_favorite_metadata: true }, tenant.id, { favorites: true }],
    ];
    for (const [token, body, orgId, include] of cases) {
      const { text, ids } = await searchText('/users/search', body, token);
      expect(ids.length).toBeGreaterThan(0);
      const view = userView(orgId, include);
      expect(text).toBe(JSON.stringify(ids.map((id) => serializeUser(state, state.users.get(id)!, view))));
    }
  });

  it('groups/search, roles/search and orgs/search answer the serializers byte for byte', async () => {
    const state = t.emulator.state;
    const f = t.emulator.fidelity;
    for (const [includeUsers, includeSubGroups] of [[true, true], [false, false], [true, false]] as const) {
      const { text, ids } = await searchText('/groups/search', { record_size: -1, include_users: includeUsers, include_sub_groups: includeSubGroups }, t.admin);
      const view = { includeUsers, includeSubGroups, listAllGroup: f.listAllGroup, rbacEnabled: f.rbacEnabled };
      expect(text).toBe(JSON.stringify(ids.map((id) => serializeGroup(state, state.groups.get(id)!, view))));
    }
    const roles = await searchText('/roles/search', {}, t.admin);
    expect(roles.text).toBe(JSON.stringify(roles.ids.map((id) => serializeRole(state, state.roles.get(id)!, true))));
    const orgs = await searchText('/orgs/search', {}, t.admin);
    expect(orgs.text).toBe(JSON.stringify(orgs.ids.map((id) => serializeOrg(state.orgs.get(Number(id))!))));
  });

  it('sees a write over HTTP, a write in process, a login and a fidelity switch on the very next search', async () => {
    const state = t.emulator.state;
    const tenant = orgNamed(t.emulator, 'Brightwater-Health');
    const tenantToken = await t.api.login('tsadmin', 'admin', tenant.id);
    const search = async () => rows(await t.api.post('/users/search', { record_size: -1 }, tenantToken));
    const before = await search();
    const target = before.find((u) => u['name'] !== 'tsadmin')!;
    const id = String(target['id']);

    // Over HTTP: a handler writes the record in place.
    expect((await t.api.post(`/users/${id}/update`, { display_name: 'Wire Test One' }, t.admin)).status).toBe(204);
    expect((await search()).find((u) => u['id'] === id)?.['display_name']).toBe('Wire Test One');

    // In process, through the domain (as test fixtures do).
    const user = state.users.get(id)!;
    user.displayName = 'Wire Test Two';
    state.touchUser(user, user.modifiedAt + 1, user.id);
    expect((await search()).find((u) => u['id'] === id)?.['display_name']).toBe('Wire Test Two');

    // A group renamed in process shows in user_groups.
    const group = state.directGroups(user, tenant.id)[0];
    if (group !== undefined) {
      state.renameGroup(group, `${group.name}-renamed`);
      const groups = (await search()).find((u) => u['id'] === id)?.['user_groups'] as { name: string }[];
      expect(groups.map((g) => g.name)).toContain(`${group.name}-renamed`);
    }

    // A login moves current_org.
    const currentOrg = async () => {
      const found = rows(await t.api.post('/users/search', { user_identifier: 'tsadmin' }, t.admin))[0]!;
      return (found['current_org'] as { id: number }).id;
    };
    const current = await currentOrg();
    const other = [...state.orgs.keys()].find((o) => o !== current && o !== tenant.id)!;
    await t.api.login('tsadmin', 'admin', other);
    expect(await currentOrg()).toBe(other);

    // A fidelity switch changes the view.
    const allName = state.groups.get(tenant.allGroupId)!.name;
    const listed = () => search().then((list) => (list.find((u) => u['id'] === id)?.['user_groups'] as { name: string }[]).map((g) => g.name));
    expect(await listed()).not.toContain(allName);
    t.emulator.setFidelity({ listAllGroup: true });
    expect(await listed()).toContain(allName);

    // And the answer still equals the serializer afresh.
    const { text, ids } = await searchText('/users/search', { record_size: -1 }, tenantToken);
    const view = userView(tenant.id);
    expect(text).toBe(JSON.stringify(ids.map((uid) => serializeUser(state, state.users.get(uid)!, view))));
  });
});
