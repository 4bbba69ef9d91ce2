import { beforeAll, describe, expect, it } from 'vitest';
import { orgNamed } from './support/demo.js';
import { names, readVendorError, rows } from './support/http.js';
import { expectMatchesSchema } from './support/schema.js';
import { useEmulator } from './support/start.js';

const t = useEmulator();
let key: string;

beforeAll(() => {
  key = t.emulator.adminCredentials.secretKey;
});

async function userIn(orgId: number, name: string): Promise<Record<string, unknown> | undefined> {
  const token = await t.api.login('tsadmin', 'admin', orgId);
  return rows(await t.api.post('/users/search', { user_identifier: name }, token))[0];
}

describe('just-in-time provisioning on token/full', () => {
  it('creates a missing user without a password in the org_id Org, creating unknown groups', async () => {
    const org = orgNamed(t.emulator, 'Alderbrook-Foods');
    const minted = await t.api.post('/auth/token/full', {
      username: 'jit.jane',
      secret_key: key,
      auto_create: true,
      display_name: 'Jane JIT',
      email: 'jane@alderbrookfoods.example',
      org_id: org.id,
      group_identifiers: ['Analysts', 'Pilot-Users'],
    });
    expect(minted.status).toBe(200);
    expect((minted.body as { scope: { org_id: number } }).scope.org_id).toBe(org.id);
    const jane = await userIn(org.id, 'jit.jane');
    expect(jane).toMatchObject({ display_name: 'Jane JIT', email: 'jane@alderbrookfoods.example', orgs: [{ id: org.id }] });
    expect(names(jane?.['user_groups'])).toEqual(['Analysts', 'Pilot-Users']);
    expect(t.emulator.state.findUser('jit.jane')?.password).toBeNull();
    expect((await t.api.post('/auth/token/full', { username: 'jit.jane', password: '' })).status).toBe(400);
    const pilot = t.emulator.state.findGroup('Pilot-Users', org.id);
    expect(pilot?.displayName).toBe('Pilot-Users');
  });

  it('updates an existing user: display name, e-mail, and a full replace of groups when given', async () => {
    const org = orgNamed(t.emulator, 'Alderbrook-Foods');
    const base = { username: 'jit.jane', secret_key: key, auto_create: true, org_id: org.id };
    await t.api.post('/auth/token/full', { ...base, display_name: 'Jane', group_identifiers: ['Analysts', 'Finance'] });
    await t.api.post('/auth/token/full', { ...base, display_name: 'Jane Doe', email: 'jd@example.com', group_identifiers: ['Operations'] });
    let jane = await userIn(org.id, 'jit.jane');
    expect(jane).toMatchObject({ display_name: 'Jane Doe', email: 'jd@example.com' });
    expect(names(jane?.['user_groups'])).toEqual(['Operations']);
    await t.api.post('/auth/token/full', base);
    jane = await userIn(org.id, 'jit.jane');
    expect(names(jane?.['user_groups'])).toEqual(['Operations']);
    await t.api.post('/auth/token/full', { ...base, group_identifiers: [] });
    jane = await userIn(org.id, 'jit.jane');
    expect(jane?.['user_groups']).toEqual([]);
  });

  it('requires the secret key', async () => {
    const result = await t.api.post('/auth/token/full', { username: 'tsadmin', password: 'admin', auto_create: true });
    expect(result.status).toBe(400);
    expect(readVendorError(result).code).toBe(10002);
    const unknown = await t.api.post('/auth/token/full', { username: 'ghost', secret_key: key });
    expect(unknown.status).toBe(401);
  });
});

describe('auth/token/custom', () => {
  it('creates a missing user by default (auto_create true) and answers an AccessToken', async () => {
    const org = orgNamed(t.emulator, 'Cobalt-Freight');
    const result = await t.api.post('/auth/token/custom', {
      username: 'abac.al',
      secret_key: key,
      org_identifier: org.name,
      persist_option: 'REPLACE',
      display_name: 'Al ABAC',
      groups: [{ identifier: 'Finance' }],
      variable_values: [{ name: 'region', values: ['EMEA', 'APAC'] }],
    });
    expect(result.status).toBe(200);
    expectMatchesSchema(result.body, 'POST /api/rest/2.0/auth/token/custom');
    expect(result.body).toMatchObject({ org: { id: org.id, name: org.name }, user: { name: 'abac.al' } });
    const token = (result.body as { token: string }).token;
    expect((await t.api.get('/auth/session/user', token)).status).toBe(200);
    const al = await userIn(org.id, 'abac.al');
    expect(names(al?.['user_groups'])).toEqual(['Finance']);
  });

  it('never updates an existing user', async () => {
    const org = orgNamed(t.emulator, 'Cobalt-Freight');
    const base = { username: 'abac.al', secret_key: key, org_identifier: String(org.id), persist_option: 'NONE' };
    await t.api.post('/auth/token/custom', { ...base, display_name: 'First', groups: [{ identifier: 'Finance' }] });
    await t.api.post('/auth/token/custom', { ...base, display_name: 'Second', groups: [{ identifier: 'Operations' }] });
    const al = await userIn(org.id, 'abac.al');
    expect(al?.['display_name']).toBe('First');
    expect(names(al?.['user_groups'])).toEqual(['Finance']);
  });

  it('persists variable values per persist_option and shows them with include_variable_values', async () => {
    const org = orgNamed(t.emulator, 'Cobalt-Freight');
    const base = { username: 'abac.al', secret_key: key, org_identifier: String(org.id) };
    await t.api.post('/auth/token/custom', { ...base, persist_option: 'REPLACE', variable_values: [{ name: 'region', values: ['EMEA'] }] });
    await t.api.post('/auth/token/custom', { ...base, persist_option: 'APPEND', variable_values: [{ name: 'region', values: ['APAC'] }] });
    const token = await t.api.login('tsadmin', 'admin', org.id);
    const read = async (): Promise<unknown> =>
      rows(await t.api.post('/users/search', { user_identifier: 'abac.al', include_variable_values: true }, token))[0]?.['variable_values'];
    expect(await read()).toEqual({ region: ['EMEA', 'APAC'] });
    await t.api.post('/auth/token/custom', { ...base, persist_option: 'REPLACE', variable_values: [{ name: 'region', values: [] }] });
    expect(await read()).toEqual({ region: ['EMEA', 'APAC'] });
    await t.api.post('/auth/token/custom', { ...base, persist_option: 'RESET' });
    expect(await read()).toEqual({});
    const plain = rows(await t.api.post('/users/search', { user_identifier: 'abac.al' }, token))[0];
    expect(plain?.['variable_values']).toBeNull();
  });

  it('accepts variable values only with APPEND or REPLACE', async () => {
    const result = await t.api.post('/auth/token/custom', {
      username: 'tsadmin',
      secret_key: key,
      persist_option: 'NONE',
      variable_values: [{ name: 'region', values: ['EMEA'] }],
    });
    expect(result.status).toBe(400);
    expect(readVendorError(result).code).toBe(10002);
  });
});
