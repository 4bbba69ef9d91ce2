import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, orgNamed, plainUser } from './support/demo.js';
import { names, readVendorError, rows } from './support/http.js';
import { expectMatchesSchema } from './support/schema.js';
import { useEmulator } from './support/start.js';

const t = useEmulator();

const newUser = { name: 'nadia.quill', display_name: 'Nadia Quill', email: 'nadia.quill@example.com', password: 'pw-12345' };

async function findByName(name: string): Promise<Record<string, unknown> | undefined> {
  return rows(await t.api.post('/users/search', { user_identifier: name }, t.admin))[0];
}

describe('users/search', () => {
  it('returns User objects that match the contract schema', async () => {
    const result = await t.api.post('/users/search', { record_size: 25 }, t.admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/users/search');
    expect(rows(result)).toHaveLength(25);
  });

  it('finds one user by GUID or by name, and [] for an unknown identifier (Q8)', async () => {
    const byName = rows(await t.api.post('/users/search', { user_identifier: 'tsadmin' }, t.admin));
    expect(names(byName)).toEqual(['tsadmin']);
    const byId = rows(await t.api.post('/users/search', { user_identifier: byName[0]?.['id'] }, t.admin));
    expect(names(byId)).toEqual(['tsadmin']);
    expect(rows(await t.api.post('/users/search', { user_identifier: 'no-such-user' }, t.admin))).toEqual([]);
  });

  it('matches usernames ignoring case after an exact miss, unless switched off (Q6)', async () => {
    expect(names(rows(await t.api.post('/users/search', { user_identifier: 'TSAdmin' }, t.admin)))).toEqual(['tsadmin']);
    t.emulator.setFidelity({ caseInsensitiveUsernames: false });
    expect(rows(await t.api.post('/users/search', { user_identifier: 'TSAdmin' }, t.admin))).toEqual([]);
  });

  it('filters by account status, type and e-mail', async () => {
    const org = orgNamed(t.emulator, 'Brightwater-Health');
    const token = await t.api.login('tsadmin', 'admin', org.id);
    const saml = rows(await t.api.post('/users/search', { account_type: 'SAML_USER', record_size: -1 }, token));
    expect(saml.length).toBeGreaterThan(10);
    expect(saml.every((u) => u['account_type'] === 'SAML_USER')).toBe(true);
    const inactive = rows(await t.api.post('/users/search', { account_status: 'ACTIVE', record_size: -1 }, token));
    expect(inactive.every((u) => u['account_status'] === 'ACTIVE')).toBe(true);
    const one = saml[0] as Record<string, unknown>;
    const byEmail = rows(await t.api.post('/users/search', { email: String(one['email']).toUpperCase() }, token));
    expect(names(byEmail)).toEqual([one['name']]);
  });

  it('returns favourites only with include_favorite_metadata', async () => {
    const withFavourite = [...t.emulator.state.users.values()].find((u) => u.favorites.length > 0 && u.orgIds.size === 1);
    expect(withFavourite).toBeDefined();
    const orgId = [...(withFavourite?.orgIds ?? [])][0] as number;
    const token = await t.api.login('tsadmin', 'admin', orgId);
    const plain = rows(await t.api.post('/users/search', { user_identifier: withFavourite?.name }, token));
    expect(plain[0]?.['favorite_metadata']).toEqual([]);
    const full = rows(
      await t.api.post('/users/search', { user_identifier: withFavourite?.name, include_favorite_metadata: true }, token),
    );
    expect((full[0]?.['favorite_metadata'] as unknown[]).length).toBe(withFavourite?.favorites.length);
  });
});

describe('users/create', () => {
  it('creates a user with the contract defaults, in the token Org and in All', async () => {
    const result = await t.api.post('/users/create', newUser, t.admin);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/users/create');
    expect(result.body).toMatchObject({
      name: 'nadia.quill',
      display_name: 'Nadia Quill',
      email: 'nadia.quill@example.com',
      account_type: 'LOCAL_USER',
      account_status: 'ACTIVE',
      visibility: 'SHARABLE',
      notify_on_share: true,
      show_onboarding_experience: true,
      onboarding_experience_completed: false,
      orgs: [{ id: 0, name: 'Primary' }],
      privileges: ['AUTHORING'],
    });
    expect((await t.api.post('/auth/token/full', { username: 'nadia.quill', password: 'pw-12345' })).status).toBe(200);
  });

  it('puts group_identifiers in the token Org and org_identifiers as extra Orgs', async () => {
    const org = orgNamed(t.emulator, 'Cobalt-Freight');
    const result = await t.api.post(
      '/users/create',
      { ...newUser, group_identifiers: ['Support'], org_identifiers: [String(org.id)] },
      t.admin,
    );
    expect(result.status).toBe(200);
    const body = result.body as Record<string, unknown>;
    expect(names(body['user_groups'])).toEqual(['Support']);
    expect((body['orgs'] as { id: number }[]).map((o) => o.id)).toEqual([0, org.id]);
  });

  it('refuses a duplicate name with 400 / 10002 (Q14), ignoring case', async () => {
    const result = await t.api.post('/users/create', { ...newUser, name: 'TSADMIN' }, t.admin);
    expect(result.status).toBe(400);
    expect(readVendorError(result)).toMatchObject({ code: 10002, messages: ['User with name TSADMIN already exists'] });
  });

  it('refuses unknown groups, empty names and empty passwords with 400', async () => {
    const unknown = await t.api.post('/users/create', { ...newUser, group_identifiers: ['Nope', 'Support'] }, t.admin);
    expect(readVendorError(unknown)).toMatchObject({ code: 10002, messages: ['Invalid group identifiers: Nope'] });
    expect((await t.api.post('/users/create', { ...newUser, name: '' }, t.admin)).status).toBe(400);
    expect((await t.api.post('/users/create', { ...newUser, password: '' }, t.admin)).status).toBe(400);
  });

  it('applies the configurable password policy (Q16)', async () => {
    t.emulator.setFidelity({ minPasswordLength: 12 });
    const result = await t.api.post('/users/create', newUser, t.admin);
    expect(result.status).toBe(400);
    expect(readVendorError(result).messages[0]).toMatch(/at least 12 characters/);
  });

  it('needs user administration (403 / 10023)', async () => {
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const token = await t.api.login(user.name, DEMO_PASSWORD);
    const result = await t.api.post('/users/create', newUser, token);
    expect(result.status).toBe(403);
    expect(readVendorError(result).code).toBe(10023);
  });

  it('answers permission failures with 500 in the live-quirk mode (Q15)', async () => {
    t.emulator.setFidelity({ permissionErrorsAs500: true });
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const token = await t.api.login(user.name, DEMO_PASSWORD);
    const result = await t.api.post('/users/create', newUser, token);
    expect(result.status).toBe(500);
    expect(readVendorError(result).code).toBe(10023);
  });

  it('lets only a Primary cluster admin set other Orgs (Q18)', async () => {
    const tenant = orgNamed(t.emulator, 'Alderbrook-Foods');
    const other = orgNamed(t.emulator, 'Cobalt-Freight');
    const tenantAdminToken = await t.api.login('tsadmin', 'admin', tenant.id);
    const result = await t.api.post('/users/create', { ...newUser, org_identifiers: [String(other.id)] }, tenantAdminToken);
    expect(result.status).toBe(403);
  });
});

describe('users/{id}/update', () => {
  it('answers 204 with no body and treats {} as a no-op', async () => {
    const before = await findByName('tsadmin');
    const result = await t.api.post('/users/tsadmin/update', {}, t.admin);
    expect(result.status).toBe(204);
    expect(result.text).toBe('');
    expect(await findByName('tsadmin')).toEqual(before);
  });

  it('overwrites scalars and leaves absent lists alone', async () => {
    await t.api.post('/users/create', { ...newUser, group_identifiers: ['Support'] }, t.admin);
    expect((await t.api.post('/users/nadia.quill/update', { display_name: 'Nadia Q.', visibility: 'NON_SHARABLE' }, t.admin)).status).toBe(204);
    const user = await findByName('nadia.quill');
    expect(user).toMatchObject({ display_name: 'Nadia Q.', visibility: 'NON_SHARABLE' });
    expect(names(user?.['user_groups'])).toEqual(['Support']);
  });

  it('applies ADD, REMOVE and REPLACE (the default) to group_identifiers', async () => {
    await t.api.post('/users/create', { ...newUser, group_identifiers: ['Support'] }, t.admin);
    await t.api.post('/users/nadia.quill/update', { group_identifiers: ['Sales'], operation: 'ADD' }, t.admin);
    expect(names((await findByName('nadia.quill'))?.['user_groups'])).toEqual(['Sales', 'Support']);
    await t.api.post('/users/nadia.quill/update', { group_identifiers: ['Support'], operation: 'REMOVE' }, t.admin);
    expect(names((await findByName('nadia.quill'))?.['user_groups'])).toEqual(['Sales']);
    await t.api.post('/users/nadia.quill/update', { group_identifiers: ['Engineering'] }, t.admin);
    expect(names((await findByName('nadia.quill'))?.['user_groups'])).toEqual(['Engineering']);
    await t.api.post('/users/nadia.quill/update', { group_identifiers: [] }, t.admin);
    expect((await findByName('nadia.quill'))?.['user_groups']).toEqual([]);
    // The implicit All membership survives an empty REPLACE.
    expect((await findByName('nadia.quill'))?.['privileges']).toEqual(['AUTHORING']);
  });

  it('renames, refusing a taken name and renaming system principals', async () => {
    await t.api.post('/users/create', newUser, t.admin);
    expect((await t.api.post('/users/nadia.quill/update', { name: 'nadia.q' }, t.admin)).status).toBe(204);
    expect(await findByName('nadia.q')).toBeDefined();
    expect((await t.api.post('/users/nadia.q/update', { name: 'guest' }, t.admin)).status).toBe(400);
    expect((await t.api.post('/users/guest/update', { name: 'visitor' }, t.admin)).status).toBe(400);
  });

  it('answers 400 / 10002 for an unknown user and for a / in the path identifier', async () => {
    const unknown = await t.api.post('/users/nobody-here/update', { display_name: 'x' }, t.admin);
    expect(readVendorError(unknown)).toMatchObject({ code: 10002, messages: ['Invalid user identifiers: nobody-here'] });
    const slashed = await t.api.post('/users/a%2Fb/update', { display_name: 'x' }, t.admin);
    expect(slashed.status).toBe(400);
  });

  it('moves a user between Orgs with org_identifiers from a Primary admin token', async () => {
    const org = orgNamed(t.emulator, 'Everpine-Energy');
    await t.api.post('/users/create', newUser, t.admin);
    await t.api.post('/users/nadia.quill/update', { org_identifiers: [String(org.id)], operation: 'ADD' }, t.admin);
    expect(((await findByName('nadia.quill'))?.['orgs'] as { id: number }[]).map((o) => o.id)).toEqual([0, org.id]);
    await t.api.post('/users/nadia.quill/update', { org_identifiers: ['0'], operation: 'REMOVE' }, t.admin);
    expect(await findByName('nadia.quill')).toBeUndefined();
    expect(t.emulator.state.findUser('nadia.quill')?.orgIds).toEqual(new Set([org.id]));
  });
});

describe('users/{id}/delete', () => {
  it('deletes a user from the whole cluster (204)', async () => {
    await t.api.post('/users/create', newUser, t.admin);
    expect((await t.api.post('/users/nadia.quill/delete', {}, t.admin)).status).toBe(204);
    expect(await findByName('nadia.quill')).toBeUndefined();
    expect((await t.api.post('/users/nadia.quill/delete', {}, t.admin)).status).toBe(400);
  });

  it('refuses to delete the well-known principals', async () => {
    for (const name of ['tsadmin', 'guest', 'su', 'system']) {
      const result = await t.api.post(`/users/${name}/delete`, {}, t.admin);
      expect(result.status).toBe(400);
    }
  });
});

describe('users/deactivate and users/activate', () => {
  it('deactivates with a one-off activation link that activate consumes', async () => {
    await t.api.post('/users/create', newUser, t.admin);
    const userToken = await t.api.login('nadia.quill', 'pw-12345');
    const deactivated = await t.api.post(
      '/users/deactivate',
      { user_identifier: 'nadia.quill', base_url: 'https://analytics.example.com/' },
      t.admin,
    );
    expect(deactivated.status).toBe(200);
    expectMatchesSchema(deactivated.body, 'POST /api/rest/2.0/users/deactivate');
    const link = new URL((deactivated.body as { activation_link: string }).activation_link.replace('/#/', '/'));
    expect(link.origin).toBe('https://analytics.example.com');
    const id = link.searchParams.get('id');
    const authToken = link.searchParams.get('token') ?? '';
    expect(id).toBe(t.emulator.state.findUser('nadia.quill')?.id);
    expect((await findByName('nadia.quill'))?.['account_status']).toBe('INACTIVE');
    expect((await t.api.get('/auth/session/user', userToken)).status).toBe(401);

    const activated = await t.api.post(
      '/users/activate',
      { user_identifier: 'nadia.quill', auth_token: authToken, password: 'new-password' },
      t.admin,
    );
    expect(activated.status).toBe(200);
    expectMatchesSchema(activated.body, 'POST /api/rest/2.0/users/activate');
    expect(activated.body).toMatchObject({ account_status: 'ACTIVE' });
    expect((await t.api.post('/auth/token/full', { username: 'nadia.quill', password: 'new-password' })).status).toBe(200);
    const reused = await t.api.post(
      '/users/activate',
      { user_identifier: 'nadia.quill', auth_token: authToken, password: 'again' },
      t.admin,
    );
    expect(reused.status).toBe(400);
  });
});

describe('passwords', () => {
  it('resets a password as an administrator', async () => {
    await t.api.post('/users/create', newUser, t.admin);
    const result = await t.api.post('/users/reset-password', { user_identifier: 'nadia.quill', new_password: 'reset-pw' }, t.admin);
    expect(result.status).toBe(204);
    expect((await t.api.post('/auth/token/full', { username: 'nadia.quill', password: 'reset-pw' })).status).toBe(200);
  });

  it('changes one own password given the current one, and answers 400 / 10002 for a wrong one', async () => {
    await t.api.post('/users/create', newUser, t.admin);
    const token = await t.api.login('nadia.quill', 'pw-12345');
    const wrong = await t.api.post(
      '/users/change-password',
      { user_identifier: 'nadia.quill', current_password: 'nope', new_password: 'next-pw' },
      token,
    );
    expect(readVendorError(wrong).code).toBe(10002);
    const ok = await t.api.post(
      '/users/change-password',
      { user_identifier: 'nadia.quill', current_password: 'pw-12345', new_password: 'next-pw' },
      token,
    );
    expect(ok.status).toBe(204);
    expect((await t.api.post('/auth/token/full', { username: 'nadia.quill', password: 'next-pw' })).status).toBe(200);
  });

  it("needs user administration to change someone else's password", async () => {
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const token = await t.api.login(user.name, DEMO_PASSWORD);
    const result = await t.api.post(
      '/users/change-password',
      { user_identifier: 'tsadmin', current_password: 'admin', new_password: 'stolen' },
      token,
    );
    expect(result.status).toBe(403);
  });
});

describe('users/force-logout', () => {
  it('logs out only the listed users and refuses unknown ones', async () => {
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const theirs = await t.api.login(user.name, DEMO_PASSWORD);
    expect((await t.api.post('/users/force-logout', { user_identifiers: [user.name] }, t.admin)).status).toBe(204);
    expect((await t.api.get('/auth/session/user', theirs)).status).toBe(401);
    expect((await t.api.get('/auth/session/user', t.admin)).status).toBe(200);
    expect((await t.api.post('/users/force-logout', { user_identifiers: ['ghost'] }, t.admin)).status).toBe(400);
  });

  /** A bearer token and a cookie session for each of two users, and a check that tells which still work. */
  async function loggedInPair() {
    const org = t.emulator.state.primary;
    const users = [plainUser(t.emulator, org), plainUser(t.emulator, org, 1)];
    const credentials: { token: string; cookie: string }[] = [];
    for (const user of users) {
      const token = await t.api.login(user.name, DEMO_PASSWORD);
      const login = await t.api.post('/auth/session/login', { username: user.name, password: DEMO_PASSWORD });
      expect(login.status).toBe(204);
      const session = login.headers.getSetCookie().find((c) => c.startsWith('JSESSIONID='))?.split(';')[0];
      expect(session).toBeDefined();
      credentials.push({ token, cookie: session as string });
    }
    const working = async () => {
      const out: boolean[] = [];
      for (const { token, cookie } of credentials) {
        out.push((await t.api.get('/auth/session/user', token)).status === 200);
        out.push((await t.api.call('GET', '/auth/session/user', { headers: { cookie } })).status === 200);
      }
      return out;
    };
    expect(await working()).toEqual([true, true, true, true]);
    return working;
  }

  it.each([
    ['null', { user_identifiers: null }],
    ['omitted', {}],
  ])('logs out every user, the caller included, when user_identifiers is %s (§11.2)', async (_, body) => {
    const working = await loggedInPair();
    const admin = await t.api.login('tsadmin', 'admin');
    expect((await t.api.post('/users/force-logout', body, admin)).status).toBe(204);
    expect(await working()).toEqual([false, false, false, false]);
    expect((await t.api.get('/auth/session/user', admin)).status).toBe(401);
    // Logging in again works: force-logout ends sessions, it does not lock accounts.
    expect((await t.api.get('/auth/session/user', await t.api.login('tsadmin', 'admin'))).status).toBe(200);
  });

  it('ends only cookie sessions for everyone when logoutRevokesTokens is off (Q7)', async () => {
    const working = await loggedInPair();
    t.emulator.setFidelity({ logoutRevokesTokens: false });
    expect((await t.api.post('/users/force-logout', { user_identifiers: null }, t.admin)).status).toBe(204);
    expect(await working()).toEqual([true, false, true, false]);
  });

  it('logs out nobody for an empty list: only null and absence mean everyone', async () => {
    const working = await loggedInPair();
    expect((await t.api.post('/users/force-logout', { user_identifiers: [] }, t.admin)).status).toBe(204);
    expect(await working()).toEqual([true, true, true, true]);
    expect((await t.api.get('/auth/session/user', t.admin)).status).toBe(200);
  });
});
