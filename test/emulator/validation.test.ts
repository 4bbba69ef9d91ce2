import { describe, expect, it } from 'vitest';
import { readVendorError, type SendOptions } from './support/http.js';
import { mintAdminToken, useEmulator } from './support/start.js';

describe('emulator request validation', () => {
  const t = useEmulator({ seed: 'minimal', isolation: 'shared' });

  const post = (path: string, options: SendOptions = {}) => t.api.call('POST', path, { token: t.admin, ...options });

  async function expectInvalid(path: string, options: SendOptions, messages: string[], status = 400) {
    const result = await post(path, options);
    expect(result.status).toBe(status);
    expect(result.headers.get('content-type')).toBe('application/json');
    expect(readVendorError(result)).toMatchObject({ code: 10002, messages });
  }

  it('rejects a missing required field, naming it and what was expected', async () => {
    await expectInvalid('/users/create', { body: { name: 'ada', display_name: 'Ada' } }, [
      'Missing required field "email": expected a non-empty string.',
    ]);
  });

  it('rejects an empty string in a required field', async () => {
    await expectInvalid('/groups/create', { body: { name: '', display_name: 'Sales' } }, [
      'Invalid field "name": expected a non-empty string, but got an empty string.',
    ]);
  });

  it('rejects a wrong JSON type, showing what arrived', async () => {
    await expectInvalid('/users/search', { body: { record_size: '20' } }, [
      'Invalid field "record_size": expected an int32 integer (-2147483648 to 2147483647), but got a string ("20").',
    ]);
  });

  it('rejects integers outside the int32 range and non-integral numbers', async () => {
    await expectInvalid('/users/search', { body: { record_offset: 2_147_483_648, record_size: 1.5 } }, [
      'Invalid field "record_offset": expected an int32 integer (-2147483648 to 2147483647), but got a number (2147483648).',
      'Invalid field "record_size": expected an int32 integer (-2147483648 to 2147483647), but got a number (1.5).',
    ]);
  });

  it('rejects an unknown enum value, listing the accepted ones', async () => {
    await expectInvalid('/users/search', { body: { visibility: 'PUBLIC' } }, [
      'Invalid field "visibility": expected one of SHARABLE, NON_SHARABLE, but got a string ("PUBLIC").',
    ]);
  });

  it('rejects null in a field that is not nullable and accepts it where the contract allows it', async () => {
    await expectInvalid('/users/search', { body: { account_status: null } }, [
      'Invalid field "account_status": expected one of ACTIVE, INACTIVE, EXPIRED, LOCKED, PENDING, SUSPENDED, but got null.',
    ]);
    const accepted = await post('/users/search', { body: { notify_on_share: null, include_favorite_metadata: null } });
    expect(accepted.status).toBe(200);
  });

  it('validates nested objects and the items of arrays, with the path to each bad value', async () => {
    await expectInvalid(
      '/users/import',
      { body: { users: [{ user_identifier: 'ada', display_name: 'Ada' }, { user_identifier: 7 }, 'bob'] } },
      [
        'Invalid field "users[1].user_identifier": expected a non-empty string, but got a number (7).',
        'Missing required field "users[1].display_name": expected a non-empty string.',
        'Invalid field "users[2]": expected an object, but got a string ("bob").',
      ],
    );
    await expectInvalid('/users/search', { body: { sort_options: { field_name: 'NAME', order: 'UP' }, group_identifiers: ['a', 1] } }, [
      'Invalid field "group_identifiers[1]": expected a string, but got a number (1).',
      'Invalid field "sort_options.order": expected one of ASC, DESC or null, but got a string ("UP").',
    ]);
  });

  it('accepts any of the allowed types for mixed-type values and rejects others', async () => {
    await expectInvalid(
      '/auth/token/custom',
      { body: { username: 'ada', persist_option: 'APPEND', variable_values: [{ name: 'region', values: ['EU', 3, true, {}] }] } },
      ['Invalid field "variable_values[0].values[3]": expected a string, a boolean or a number, but got an object.'],
    );
  });

  it('rejects an array where the contract wants an array of strings', async () => {
    await expectInvalid('/users/search', { body: { group_identifiers: 'Sales' } }, [
      'Invalid field "group_identifiers": expected an array of strings, but got a string ("Sales").',
    ]);
  });

  it('ignores unknown fields, as ThoughtSpot does, and still hands them to the handler', async () => {
    const result = await post('/users/search', { body: { record_size: 5, org_identifier: 'ORG1', surprise: { deep: [1] } } });
    expect(result.status).toBe(200);
    expect(t.emulator.calls().at(-1)?.body).toEqual({ record_size: 5, org_identifier: 'ORG1', surprise: { deep: [1] } });
  });

  it('requires a body even when it would be {}', async () => {
    await expectInvalid('/users/search', { headers: { 'content-type': 'application/json' } }, [
      'The request body is required: expected a JSON object (send {} when there are no parameters), but the body was empty.',
    ]);
  });

  it('answers 415 when the body is not labelled application/json', async () => {
    await expectInvalid('/users/search', { body: '{}', headers: { 'content-type': 'text/plain' } }, [
      'Unsupported Content-Type "text/plain": expected application/json.',
    ], 415);
    await expectInvalid('/users/search', { body: new URLSearchParams({ a: '1' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }, [
      'Unsupported Content-Type "application/x-www-form-urlencoded": expected application/json.',
    ], 415);
  });

  it('accepts application/json with parameters', async () => {
    const result = await post('/users/search', { body: '{}', headers: { 'content-type': 'Application/JSON; charset=UTF-8' } });
    expect(result.status).toBe(200);
  });

  it('answers 400 for malformed JSON, naming the parse problem', async () => {
    const result = await post('/users/search', { body: '{"record_size": 10,' });
    expect(result.status).toBe(400);
    const error = readVendorError(result);
    expect(error.code).toBe(10002);
    expect(error.messages).toHaveLength(1);
    expect(error.messages[0]).toMatch(/^The request body is not valid JSON: .+\.$/);
  });

  it('answers 400 when the JSON body is not an object', async () => {
    await expectInvalid('/users/search', { body: '[]' }, ['The request body must be a JSON object, but got an array.']);
    await expectInvalid('/users/search', { body: 'null' }, ['The request body must be a JSON object, but got null.']);
  });

  it('validates the body before calling the handler, but only after authentication', async () => {
    const result = await t.api.post('/users/search', { record_size: 'x' });
    expect(result.status).toBe(401);
  });

  it('accepts endpoints without a documented body with no body at all, and ignores one when sent', async () => {
    // Logging out ends the token it is called with, so it gets a token of its own.
    const bare = await t.api.call('POST', '/auth/session/logout', { token: await mintAdminToken(t.emulator) });
    expect(bare.status).toBe(204);
    const system = await t.api.call('GET', '/system', { token: t.admin, headers: { 'content-type': 'text/plain' } });
    expect(system.status).toBe(200);
  });
});
