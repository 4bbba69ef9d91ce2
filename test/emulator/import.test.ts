import { describe, expect, it } from 'vitest';
import { orgNamed } from './support/demo.js';
import { names, readVendorError, rows } from './support/http.js';
import { expectMatchesSchema } from './support/schema.js';
import { useEmulator } from './support/start.js';

const t = useEmulator();

/** Everything a search shows of the token's Org, to prove that a dry run changed nothing. */
async function snapshot(token: string): Promise<unknown> {
  const users = rows(await t.api.post('/users/search', { record_size: -1 }, token));
  const groups = rows(await t.api.post('/groups/search', { record_size: -1 }, token));
  return { users, groups };
}

describe('users/import', () => {
  const items = [
    { user_identifier: 'tsadmin', display_name: 'The Administrator' },
    { user_identifier: 'imported.one', display_name: 'Imported One', email: 'one@example.com', group_identifiers: ['Sales'] },
  ];

  it('is a dry run by default: it reports and changes nothing', async () => {
    const before = await snapshot(t.admin);
    const result = await t.api.post('/users/import', { users: items, default_password: 'pw-import' }, t.admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/users/import');
    expect(result.body).toEqual({
      users_added: [{ name: 'imported.one' }],
      users_updated: [{ id: t.emulator.state.findUser('tsadmin')?.id, name: 'tsadmin' }],
      users_deleted: [],
    });
    expect(await snapshot(t.admin)).toEqual(before);
  });

  it('upserts with dry_run false', async () => {
    const result = await t.api.post('/users/import', { users: items, default_password: 'pw-import', dry_run: false }, t.admin);
    expect(result.status).toBe(200);
    const body = result.body as { users_added: { id: string; name: string }[] };
    expect(body.users_added[0]?.id).toBe(t.emulator.state.findUser('imported.one')?.id);
    const one = rows(await t.api.post('/users/search', { user_identifier: 'imported.one' }, t.admin))[0];
    expect(one).toMatchObject({ display_name: 'Imported One', email: 'one@example.com' });
    expect(names(one?.['user_groups'])).toEqual(['Sales']);
    expect(rows(await t.api.post('/users/search', { user_identifier: 'tsadmin' }, t.admin))[0]?.['display_name']).toBe('The Administrator');
    expect((await t.api.post('/auth/token/full', { username: 'imported.one', password: 'pw-import' })).status).toBe(200);
  });

  it('refuses a new local user without any password (SDK test 443) and writes nothing', async () => {
    const result = await t.api.post('/users/import', { users: [{ user_identifier: 't1', display_name: 't1' }], dry_run: false }, t.admin);
    expect(result.status).toBe(400);
    expect(readVendorError(result).code).toBe(10002);
    expect(t.emulator.state.findUser('t1')).toBeUndefined();
    const sso = await t.api.post(
      '/users/import',
      { users: [{ user_identifier: 't2', display_name: 't2', account_type: 'SAML_USER' }], dry_run: false },
      t.admin,
    );
    expect(sso.status).toBe(200);
  });

  it('deletes unspecified users of the token Org only, sparing the well-known principals and the caller (Q11)', async () => {
    const org = orgNamed(t.emulator, 'Cobalt-Freight');
    const token = await t.api.login('tsadmin', 'admin', org.id);
    const keep = [...org.members].map((id) => t.emulator.state.users.get(id)!).find((u) => u.orgIds.size === 1)!;
    const shared = [...org.members].map((id) => t.emulator.state.users.get(id)!).find((u) => u.orgIds.size > 1)!;
    const dry = await t.api.post(
      '/users/import',
      { users: [{ user_identifier: keep.name, display_name: keep.displayName }], delete_unspecified_users: true },
      token,
    );
    const deleted = names((dry.body as { users_deleted: unknown[] }).users_deleted);
    expect(deleted).toHaveLength(org.members.size - 1);
    expect(deleted).not.toContain('tsadmin');
    expect(t.emulator.state.orgs.get(org.id)?.members.size).toBeGreaterThan(1);
    const applied = await t.api.post(
      '/users/import',
      { users: [{ user_identifier: keep.name, display_name: keep.displayName }], delete_unspecified_users: true, dry_run: false },
      token,
    );
    expect(applied.status).toBe(200);
    expect([...org.members]).toEqual([keep.id]);
    expect(t.emulator.state.users.has(shared.id)).toBe(true);
    expect(shared.orgIds.has(org.id)).toBe(false);
    expect(t.emulator.state.findUser('tsadmin')).toBeDefined();
    expect(t.emulator.state.primary.members.size).toBeGreaterThan(40);
  });
});

describe('groups/import', () => {
  it('is a dry run by default', async () => {
    const before = await snapshot(t.admin);
    const result = await t.api.post(
      '/groups/import',
      { groups: [{ group_identifier: 'Partners', display_name: 'Partners' }, { group_identifier: 'Sales', display_name: 'Sales Team' }] },
      t.admin,
    );
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/groups/import');
    expect(result.body).toMatchObject({ groups_added: [{ name: 'Partners' }], groups_updated: [{ name: 'Sales' }], groups_deleted: [] });
    expect(await snapshot(t.admin)).toEqual(before);
  });

  it('creates, updates and links groups with dry_run false, including sub-groups created in the same import', async () => {
    const result = await t.api.post(
      '/groups/import',
      {
        dry_run: false,
        groups: [
          { group_identifier: 'Partners', display_name: 'Partners', sub_group_identifiers: ['Resellers'], privileges: ['SHAREWITHALL'] },
          { group_identifier: 'Resellers', display_name: 'Resellers', user_identifiers: ['guest'] },
          { group_identifier: 'Sales', display_name: 'Sales Team' },
        ],
      },
      t.admin,
    );
    expect(result.status).toBe(200);
    expect(names((result.body as { groups_added: unknown[] }).groups_added)).toEqual(['Partners', 'Resellers']);
    const partners = rows(await t.api.post('/groups/search', { group_identifier: 'Partners' }, t.admin))[0];
    expect(names(partners?.['sub_groups'])).toEqual(['Resellers']);
    expect(rows(await t.api.post('/groups/search', { group_identifier: 'Sales' }, t.admin))[0]?.['display_name']).toBe('Sales Team');
    const guest = rows(await t.api.post('/users/search', { user_identifier: 'guest' }, t.admin))[0];
    expect(guest?.['privileges']).toContain('SHAREWITHALL');
  });

  it('deletes unspecified groups but never the built-in ones', async () => {
    const org = orgNamed(t.emulator, 'Everpine-Energy');
    const token = await t.api.login('tsadmin', 'admin', org.id);
    const result = await t.api.post(
      '/groups/import',
      { groups: [{ group_identifier: 'Finance', display_name: 'Finance' }], delete_unspecified_groups: true, dry_run: false },
      token,
    );
    expect(result.status).toBe(200);
    const left = names(rows(await t.api.post('/groups/search', { record_size: -1 }, token)));
    expect(left).toEqual(['Administrator', 'All', 'Finance']);
  });

  it('refuses an import whose sub-groups would form a cycle', async () => {
    const result = await t.api.post(
      '/groups/import',
      {
        dry_run: false,
        groups: [
          { group_identifier: 'A1', display_name: 'A1', sub_group_identifiers: ['B1'] },
          { group_identifier: 'B1', display_name: 'B1', sub_group_identifiers: ['A1'] },
        ],
      },
      t.admin,
    );
    expect(result.status).toBe(400);
    expect(t.emulator.state.findGroup('A1')).toBeUndefined();
  });
});
