import { describe, expect, it } from 'vitest';
import { WELL_KNOWN } from '../../src/emulator/domain/index.js';
import { DEMO_PASSWORD, orgNamed, plainUser } from './support/demo.js';
import { readVendorError } from './support/http.js';
import { expectMatchesSchema } from './support/schema.js';
import { TestClock, useEmulator } from './support/start.js';

const FULL = 'POST /api/rest/2.0/auth/token/full';

const clock = new TestClock();
const t = useEmulator({ clock });

describe('auth/token/full', () => {
  it('mints a full-access token with a password, valid 300 s by default', async () => {
    const result = await t.api.post('/auth/token/full', { username: 'tsadmin', password: 'admin' });
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, FULL);
    const token = result.body as Record<string, unknown>;
    expect(token['valid_for_user_id']).toBe(WELL_KNOWN.tsadminUserId);
    expect(token['valid_for_username']).toBe('tsadmin');
    expect(token['scope']).toEqual({ access_type: 'FULL', org_id: 0, metadata_id: null });
    expect(token['creation_time_in_millis']).toBe(clock.now());
    expect(token['expiration_time_in_millis']).toBe(clock.now() + 300_000);
    const decoded = Buffer.from(token['token'] as string, 'base64').toString('utf8');
    expect(decoded.startsWith('tsadmin:')).toBe(true);
  });

  it('mints with the trusted-authentication secret key for a user without a password', async () => {
    const result = await t.api.post('/auth/token/full', { username: 'guest', secret_key: t.emulator.adminCredentials.secretKey });
    expect(result.status).toBe(200);
    expect((result.body as Record<string, unknown>)['valid_for_username']).toBe('guest');
  });

  it('answers 401 / 10097 for a wrong password and for an unknown user alike', async () => {
    for (const body of [
      { username: 'tsadmin', password: 'wrong' },
      { username: 'nobody-at-all', password: 'x' },
      { username: 'tsadmin', secret_key: 'not-the-key' },
    ]) {
      const result = await t.api.post('/auth/token/full', body);
      expect(result.status).toBe(401);
      expect(readVendorError(result).code).toBe(10097);
    }
  });

  it('answers 400 / 10002 when neither password nor secret key is sent', async () => {
    const result = await t.api.post('/auth/token/full', { username: 'tsadmin' });
    expect(result.status).toBe(400);
    expect(readVendorError(result)).toMatchObject({ code: 10002, messages: ['Either secret_key or password must be provided.'] });
  });

  it('answers 403 / 10023 to a secret key while trusted authentication is off', async () => {
    t.emulator.setFidelity({ trustedAuth: false });
    const result = await t.api.post('/auth/token/full', { username: 'tsadmin', secret_key: t.emulator.adminCredentials.secretKey });
    expect(result.status).toBe(403);
    expect(readVendorError(result).code).toBe(10023);
  });

  it('checks the secret key first when both credentials are sent, or the password when switched (Q1)', async () => {
    const both = { username: 'tsadmin', password: 'wrong', secret_key: t.emulator.adminCredentials.secretKey };
    expect((await t.api.post('/auth/token/full', both)).status).toBe(200);
    t.emulator.setFidelity({ credentialPrecedence: 'password' });
    expect((await t.api.post('/auth/token/full', both)).status).toBe(401);
  });

  it('honours validity_time_in_sec within 1…maxTokenValiditySec', async () => {
    const ok = await t.api.mint({ username: 'tsadmin', password: 'admin', validity_time_in_sec: 86_400 });
    expect(ok['expiration_time_in_millis']).toBe(clock.now() + 86_400_000);
    for (const validity of [0, -5, 31_536_001]) {
      const result = await t.api.post('/auth/token/full', { username: 'tsadmin', password: 'admin', validity_time_in_sec: validity });
      expect(result.status).toBe(400);
      expect(readVendorError(result).code).toBe(10002);
    }
  });

  it('puts the token in the integer org_id and ignores a string org_identifier', async () => {
    const org = orgNamed(t.emulator, 'Cobalt-Freight');
    const scoped = await t.api.mint({ username: 'tsadmin', password: 'admin', org_id: org.id });
    expect((scoped['scope'] as Record<string, unknown>)['org_id']).toBe(org.id);
    t.emulator.resetState();
    const ignored = await t.api.mint({ username: 'tsadmin', password: 'admin', org_identifier: org.name });
    expect((ignored['scope'] as Record<string, unknown>)['org_id']).toBe(0);
  });

  it('refuses an Org the user does not belong to with 403, and an unknown Org with 400', async () => {
    const primaryUser = plainUser(t.emulator, t.emulator.state.primary, 20);
    const tenant = orgNamed(t.emulator, 'Everpine-Energy');
    expect(primaryUser.orgIds.has(tenant.id)).toBe(false);
    const foreign = await t.api.post('/auth/token/full', { username: primaryUser.name, password: DEMO_PASSWORD, org_id: tenant.id });
    expect(foreign.status).toBe(403);
    const unknown = await t.api.post('/auth/token/full', { username: 'tsadmin', password: 'admin', org_id: 424242 });
    expect(unknown.status).toBe(400);
  });

  it("defaults to the user's last-used Org when org_id is omitted (Q2)", async () => {
    const org = orgNamed(t.emulator, 'Alderbrook-Foods');
    const consultant = [...t.emulator.state.users.values()].find((u) => u.orgIds.has(0) && u.orgIds.has(org.id) && u.password !== null);
    expect(consultant).toBeDefined();
    const first = await t.api.mint({ username: consultant?.name, password: DEMO_PASSWORD });
    expect((first['scope'] as Record<string, unknown>)['org_id']).toBe(0);
    await t.api.mint({ username: consultant?.name, password: DEMO_PASSWORD, org_id: org.id });
    const again = await t.api.mint({ username: consultant?.name, password: DEMO_PASSWORD });
    expect((again['scope'] as Record<string, unknown>)['org_id']).toBe(org.id);
  });

  it('lets many tokens of one user live side by side', async () => {
    const a = await t.api.login('tsadmin', 'admin');
    const b = await t.api.login('tsadmin', 'admin');
    expect(a).not.toBe(b);
    expect((await t.api.get('/auth/session/user', a)).status).toBe(200);
    expect((await t.api.get('/auth/session/user', b)).status).toBe(200);
  });

  it('refuses users whose account is not ACTIVE', async () => {
    const inactive = [...t.emulator.state.users.values()].find((u) => u.accountStatus === 'LOCKED' && u.password !== null);
    expect(inactive).toBeDefined();
    const result = await t.api.post('/auth/token/full', { username: inactive?.name, password: DEMO_PASSWORD });
    expect(result.status).toBe(401);
  });
});

describe('auth/token/object', () => {
  it('mints a REPORT_BOOK_VIEW token scoped to the object', async () => {
    const result = await t.api.post('/auth/token/object', {
      username: 'tsadmin',
      password: 'admin',
      object_id: '0c2c7a3e-1b9d-4f0e-8a51-6d4c2f1e9b70',
    });
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/auth/token/object');
    expect((result.body as Record<string, unknown>)['scope']).toEqual({
      access_type: 'REPORT_BOOK_VIEW',
      org_id: 0,
      metadata_id: '0c2c7a3e-1b9d-4f0e-8a51-6d4c2f1e9b70',
    });
  });

  it('grants no administration through an object token', async () => {
    const minted = await t.api.post('/auth/token/object', { username: 'tsadmin', password: 'admin', object_id: 'x' });
    const token = (minted.body as Record<string, unknown>)['token'] as string;
    const result = await t.api.post('/users/create', { name: 'via-object', display_name: 'x', email: 'x@x.example' }, token);
    expect(result.status).toBe(403);
  });
});

describe('token expiry and revocation', () => {
  it('answers 401 everywhere once a token has expired', async () => {
    const token = await t.api.login('tsadmin', 'admin');
    clock.advance(299);
    expect((await t.api.get('/auth/session/user', token)).status).toBe(200);
    clock.advance(1);
    const result = await t.api.get('/auth/session/user', token);
    expect(result.status).toBe(401);
    expect(readVendorError(result).code).toBe(10097);
  });

  it('validates a live token, and answers 400 / 10002 for expired and malformed ones', async () => {
    const caller = await t.api.login('tsadmin', 'admin', undefined);
    const short = await t.api.mint({ username: 'tsadmin', password: 'admin', validity_time_in_sec: 10 });
    const live = await t.api.post('/auth/token/validate', { token: short['token'] }, caller);
    expect(live.status).toBe(200);
    expectMatchesSchema(live.body, 'POST /api/rest/2.0/auth/token/validate');
    expect(live.body).toMatchObject({ token_type: 'BEARER', valid_for_user_id: WELL_KNOWN.tsadminUserId });
    clock.advance(11);
    const expired = await t.api.post('/auth/token/validate', { token: short['token'] }, caller);
    expect(expired.status).toBe(400);
    expect(readVendorError(expired).code).toBe(10002);
    expect(readVendorError(expired).messages[0]).toMatch(/has expired/);
    const malformed = await t.api.post('/auth/token/validate', { token: 'garbage' }, caller);
    expect(malformed.status).toBe(400);
    expect(readVendorError(malformed).messages[0]).toMatch(/malformed/);
  });

  it('revokes one token (204), after which it answers 401', async () => {
    const token = await t.api.login('tsadmin', 'admin');
    const other = await t.api.login('tsadmin', 'admin');
    const revoke = await t.api.post('/auth/token/revoke', { token }, other);
    expect(revoke.status).toBe(204);
    expect(revoke.text).toBe('');
    expect((await t.api.get('/auth/session/user', token)).status).toBe(401);
    expect((await t.api.get('/auth/session/user', other)).status).toBe(200);
  });

  it('revokes every token of a user by user_identifier (Q7)', async () => {
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const a = await t.api.login(user.name, DEMO_PASSWORD);
    const b = await t.api.login(user.name, DEMO_PASSWORD);
    expect((await t.api.post('/auth/token/revoke', { user_identifier: user.name }, a)).status).toBe(204);
    expect((await t.api.get('/auth/session/user', a)).status).toBe(401);
    expect((await t.api.get('/auth/session/user', b)).status).toBe(401);
  });

  it("needs user administration to revoke another user's token (403), and one field at least (400)", async () => {
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const mine = await t.api.login(user.name, DEMO_PASSWORD);
    const admins = await t.api.login('tsadmin', 'admin');
    const denied = await t.api.post('/auth/token/revoke', { token: admins }, mine);
    expect(denied.status).toBe(403);
    expect(readVendorError(denied).code).toBe(10023);
    const empty = await t.api.post('/auth/token/revoke', {}, mine);
    expect(empty.status).toBe(400);
    expect(readVendorError(empty).code).toBe(10002);
  });

  it('revokes tokens on force-logout of everybody', async () => {
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const theirs = await t.api.login(user.name, DEMO_PASSWORD);
    const admins = await t.api.login('tsadmin', 'admin');
    expect((await t.api.post('/users/force-logout', {}, admins)).status).toBe(204);
    expect((await t.api.get('/auth/session/user', theirs)).status).toBe(401);
    expect((await t.api.get('/auth/session/user', admins)).status).toBe(401);
  });

  it('keeps bearer tokens on force-logout when logoutRevokesTokens is off', async () => {
    t.emulator.setFidelity({ logoutRevokesTokens: false });
    const admins = await t.api.login('tsadmin', 'admin');
    expect((await t.api.post('/users/force-logout', { user_identifiers: ['tsadmin'] }, admins)).status).toBe(204);
    expect((await t.api.get('/auth/session/user', admins)).status).toBe(200);
  });
});

describe('activation links', () => {
  it('expire after fidelity.activationLinkValidityDays', async () => {
    const admin = await t.api.login('tsadmin', 'admin', undefined);
    t.emulator.setFidelity({ activationLinkValidityDays: 2 });
    const user = plainUser(t.emulator, t.emulator.state.primary);
    const result = await t.api.post('/users/deactivate', { user_identifier: user.name, base_url: 'https://ts.example' }, admin);
    const link = (result.body as { activation_link: string }).activation_link;
    const authToken = new URL(link.replace('/#/', '/')).searchParams.get('token') ?? '';
    clock.advance(2 * 86_400);
    const fresh = await t.api.login('tsadmin', 'admin');
    const late = await t.api.post('/users/activate', { user_identifier: user.name, auth_token: authToken, password: 'pw' }, fresh);
    expect(late.status).toBe(400);
    expect(readVendorError(late).code).toBe(10002);
  });
});

describe('sessions', () => {
  it('returns the caller with current_org set to the token Org', async () => {
    const org = orgNamed(t.emulator, 'Brightwater-Health');
    const token = await t.api.login('tsadmin', 'admin', org.id);
    const result = await t.api.get('/auth/session/user', token);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'GET /api/rest/2.0/auth/session/user');
    expect(result.body).toMatchObject({ name: 'tsadmin', current_org: { id: org.id, name: org.name } });
  });

  it('mints a fresh 24 h token from session/token', async () => {
    const token = await t.api.login('tsadmin', 'admin');
    const result = await t.api.get('/auth/session/token', token);
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'GET /api/rest/2.0/auth/session/token');
    const body = result.body as Record<string, unknown>;
    expect(body['token']).not.toBe(token);
    expect(body['expiration_time_in_millis']).toBe(clock.now() + 86_400_000);
    expect((await t.api.get('/auth/session/user', body['token'] as string)).status).toBe(200);
  });

  it('logs in with a cookie (204 + JSESSIONID), serves calls with it, and logs out', async () => {
    const org = orgNamed(t.emulator, 'Cobalt-Freight');
    const login = await t.api.post('/auth/session/login', { username: 'tsadmin', password: 'admin', org_identifier: org.name });
    expect(login.status).toBe(204);
    const setCookie = String(login.headers.get('set-cookie'));
    const match = /JSESSIONID=([^;]+)/.exec(setCookie);
    expect(match).not.toBeNull();
    const cookie = `JSESSIONID=${match?.[1] ?? ''}`;
    const me = await t.api.call('GET', '/auth/session/user', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ current_org: { id: org.id } });
    expect((await t.api.call('POST', '/auth/session/logout', { headers: { cookie } })).status).toBe(204);
    expect((await t.api.call('GET', '/auth/session/user', { headers: { cookie } })).status).toBe(401);
  });

  it('sets a clientId cookie beside JSESSIONID, a fresh GUID per login (§2.1)', async () => {
    const login = async (body: Record<string, unknown>) => {
      const result = await t.api.post('/auth/session/login', { username: 'tsadmin', password: 'admin', ...body });
      expect(result.status).toBe(204);
      const cookies = result.headers.getSetCookie();
      expect(cookies.map((c) => c.slice(0, c.indexOf('=')))).toEqual(['JSESSIONID', 'clientId']);
      return cookies;
    };
    const [session, client] = await login({});
    expect(client).toMatch(/^clientId=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(session).toMatch(/^JSESSIONID=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
    const [, again] = await login({});
    expect(again).not.toBe(client);
    // remember_me gives both cookies the 7-day lifetime of the session (§2.5).
    const remembered = await login({ remember_me: true });
    expect(remembered.every((c) => c.endsWith('; Max-Age=604800'))).toBe(true);
    // Only JSESSIONID authenticates: the clientId cookie alone is no session.
    const clientOnly = (client as string).split(';')[0] as string;
    expect((await t.api.call('GET', '/auth/session/user', { headers: { cookie: clientOnly } })).status).toBe(401);
    const both = `${clientOnly}; ${(session as string).split(';')[0] as string}`;
    expect((await t.api.call('GET', '/auth/session/user', { headers: { cookie: both } })).status).toBe(200);
  });

  it('refuses a session login with a wrong password', async () => {
    const result = await t.api.post('/auth/session/login', { username: 'tsadmin', password: 'nope' });
    expect(result.status).toBe(401);
  });

  it('revokes the bearer token it is called with on logout', async () => {
    const token = await t.api.login('tsadmin', 'admin');
    expect((await t.api.call('POST', '/auth/session/logout', { token })).status).toBe(204);
    expect((await t.api.get('/auth/session/user', token)).status).toBe(401);
  });
});
