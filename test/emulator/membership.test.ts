import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { names, rows } from './support/http.js';
import { useEmulator } from './support/start.js';

const t = useEmulator({ seed: 'minimal' });

beforeEach(async () => {
  // A three-level hierarchy: Division ⊃ Department ⊃ Team, each level with its own privilege and role.
  const post = async (path: string, body: unknown): Promise<void> => {
    const result = await t.api.post(path, body, t.admin);
    if (result.status >= 300) throw new Error(`${path} failed: ${result.text}`);
  };
  await post('/roles/create', { name: 'Division Role', privileges: ['JOBSCHEDULING'] });
  await post('/roles/create', { name: 'Department Role', privileges: ['DATAMANAGEMENT'] });
  await post('/roles/create', { name: 'Team Role', privileges: ['CAN_USE_SPOTTER'] });
  await post('/groups/create', { name: 'Team', display_name: 'Team', privileges: ['DATADOWNLOADING'], role_identifiers: ['Team Role'] });
  await post('/groups/create', {
    name: 'Department',
    display_name: 'Department',
    privileges: ['SHAREWITHALL'],
    role_identifiers: ['Department Role'],
    sub_group_identifiers: ['Team'],
  });
  await post('/groups/create', {
    name: 'Division',
    display_name: 'Division',
    privileges: ['USERDATAUPLOADING'],
    role_identifiers: ['Division Role'],
    sub_group_identifiers: ['Department'],
  });
  await post('/users/create', { name: 'tina', display_name: 'Tina', email: 'tina@example.com', password: 'pw', group_identifiers: ['Team'] });
  await post('/users/create', { name: 'dora', display_name: 'Dora', email: 'dora@example.com', password: 'pw', group_identifiers: ['Department'] });
});
afterEach(() => {
  t.emulator.resetState();
  t.emulator.reset();
});

async function user(name: string): Promise<Record<string, unknown>> {
  const found = rows(await t.api.post('/users/search', { user_identifier: name }, t.admin))[0];
  if (found === undefined) throw new Error(`No user ${name}`);
  return found;
}

describe('membership engine', () => {
  it('lets privileges and roles of every ancestor flow down to members of the deepest sub-group', async () => {
    const tina = await user('tina');
    expect(tina['privileges']).toEqual([
      'AUTHORING',
      'CAN_USE_SPOTTER',
      'DATADOWNLOADING',
      'DATAMANAGEMENT',
      'JOBSCHEDULING',
      'SHAREWITHALL',
      'USERDATAUPLOADING',
    ]);
    const dora = await user('dora');
    expect(dora['privileges']).toEqual(['AUTHORING', 'DATAMANAGEMENT', 'JOBSCHEDULING', 'SHAREWITHALL', 'USERDATAUPLOADING']);
  });

  it('lists direct groups in user_groups and the whole closure, direct included, in user_inherited_groups (Q10)', async () => {
    const tina = await user('tina');
    expect(names(tina['user_groups'])).toEqual(['Team']);
    expect(names(tina['user_inherited_groups'])).toEqual(['Department', 'Division', 'Team']);
  });

  it('lists the implicit All group only when listAllGroup is on', async () => {
    t.emulator.setFidelity({ listAllGroup: true });
    const tina = await user('tina');
    expect(names(tina['user_groups'])).toEqual(['All', 'Team']);
    expect(names(tina['user_inherited_groups'])).toEqual(['All', 'Department', 'Division', 'Team']);
  });

  it('filters users/search on effective privileges and on roles reached through the hierarchy', async () => {
    // tsadmin holds JOBSCHEDULING through Administrator; dora and tina only through Division's role.
    const byPrivilege = rows(await t.api.post('/users/search', { privileges: ['JOBSCHEDULING'] }, t.admin));
    expect(names(byPrivilege)).toEqual(['dora', 'tina', 'tsadmin']);
    const deepest = rows(await t.api.post('/users/search', { privileges: ['CAN_USE_SPOTTER', 'DEVELOPER'] }, t.admin));
    expect(names(deepest)).toEqual(['tina']);
    const byRole = rows(await t.api.post('/users/search', { role_identifiers: ['Team Role'] }, t.admin));
    expect(names(byRole)).toEqual(['tina']);
    const byDirectGroup = rows(await t.api.post('/users/search', { group_identifiers: ['Department'] }, t.admin));
    expect(names(byDirectGroup)).toEqual(['dora']);
  });

  it('recomputes privileges after the hierarchy changes', async () => {
    await t.api.post('/groups/Department/update', { sub_group_identifiers: ['Team'], operation: 'REMOVE' }, t.admin);
    expect((await user('tina'))['privileges']).toEqual(['AUTHORING', 'CAN_USE_SPOTTER', 'DATADOWNLOADING']);
    await t.api.post('/groups/Division/update', { privileges: ['DEVELOPER'] }, t.admin);
    expect((await user('dora'))['privileges']).toContain('DEVELOPER');
    expect((await user('dora'))['privileges']).not.toContain('USERDATAUPLOADING');
  });

  it('refuses a sub-group edge that would close a cycle three levels up', async () => {
    const result = await t.api.post('/groups/Team/update', { sub_group_identifiers: ['Division'], operation: 'ADD' }, t.admin);
    expect(result.status).toBe(400);
    expect(t.emulator.state.findGroup('Team')?.subGroupIds.size).toBe(0);
  });

  it('gives members of a sub-group of Administrator administration rights', async () => {
    await t.api.post('/groups/Administrator/update', { sub_group_identifiers: ['Division'], operation: 'ADD' }, t.admin);
    const tina = await t.api.login('tina', 'pw');
    expect((await t.api.post('/users/create', { name: 'x1', display_name: 'x', email: 'x@example.com' }, tina)).status).toBe(200);
    expect((await t.api.get('/system', tina)).status).toBe(200);
  });
});
