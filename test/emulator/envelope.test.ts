import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';
import { EmulatorError, forbidden, unauthenticated } from '../../src/emulator/types.js';
import { createEchoHandlers, createFakeState, FAKE_TOKEN, type FakeState } from './support/fake-domain.js';
import { Api, readVendorError, send } from './support/http.js';
import { useEmulator } from './support/start.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('emulator error envelope', () => {
  const t = useEmulator({ seed: 'minimal', isolation: 'controls' });

  it('uses shape B by default: nested debug object whose debug is a JSON-encoded array of strings', async () => {
    const result = await t.api.post('/users/search', { record_size: 'x' }, t.admin);
    expect(result.status).toBe(400);
    expect(result.headers.get('content-type')).toBe('application/json');
    const body = result.body as { error: { message: { debug: Record<string, unknown> } } };
    expect(Object.keys(body)).toEqual(['error']);
    const inner = body.error.message.debug;
    expect(Object.keys(inner).sort()).toEqual(['code', 'debug', 'incident_id_guid', 'trace_id_guid']);
    expect(inner.code).toBe(10002);
    expect(inner.incident_id_guid).toMatch(UUID);
    expect(inner.trace_id_guid).toMatch(UUID);
    expect(inner.incident_id_guid).not.toBe(inner.trace_id_guid);
    expect(JSON.parse(inner.debug as string)).toEqual([
      'Invalid field "record_size": expected an int32 integer (-2147483648 to 2147483647), but got a string ("x").',
    ]);
  });

  it('uses shape A when fidelity.errorShape is A: flat message with a plain debug string', async () => {
    t.emulator.setFidelity({ errorShape: 'A' });
    const result = await t.api.post('/users/search', {});
    expect(result.status).toBe(401);
    const body = result.body as { error: { message: Record<string, unknown> } };
    expect(Object.keys(body.error.message).sort()).toEqual(['code', 'debug', 'incident_id_guid', 'trace_id_guid']);
    expect(body.error.message.code).toBe(10097);
    expect(body.error.message.debug).toBe(
      'Authentication required: send "Authorization: Bearer <token>" (from POST /api/rest/2.0/auth/token/full) or a JSESSIONID session cookie.',
    );
  });

  it('issues a new incident id for every error', async () => {
    const first = readVendorError(await t.api.post('/users/search', {}));
    const second = readVendorError(await t.api.post('/users/search', {}));
    expect(first.incidentId).not.toBe(second.incidentId);
  });

  it('answers 401/10097 for a bad token and for an unsupported Authorization scheme', async () => {
    const bad = await t.api.post('/users/search', {}, 'not-a-token');
    expect(bad.status).toBe(401);
    expect(readVendorError(bad)).toMatchObject({
      code: 10097,
      messages: ['The bearer token is invalid, expired or revoked: mint a new one with POST /api/rest/2.0/auth/token/full.'],
    });
    const basic = await t.api.call('POST', '/users/search', {
      body: {},
      headers: { authorization: 'Basic dHNhZG1pbjphZG1pbg==' },
    });
    expect(readVendorError(basic)).toMatchObject({
      code: 10097,
      messages: ['Unsupported Authorization header: expected "Bearer <token>", but got scheme "Basic".'],
    });
  });

  it('answers 404 with the vendor envelope for a path outside the contract', async () => {
    const result = await t.api.post('/users/list', {}, t.admin);
    expect(result.status).toBe(404);
    expect(result.headers.get('content-type')).toBe('application/json');
    expect(readVendorError(result)).toMatchObject({
      code: 10002,
      messages: [
        'No endpoint POST /api/rest/2.0/users/list: the emulator serves the ThoughtSpot REST v2 endpoints under /api/rest/2.0 listed in contract.json.',
      ],
    });
    expect(t.emulator.calls().at(-1)).toMatchObject({ endpoint: null, status: 404 });
  });

  it('answers 405 with an Allow header for a known path and the wrong method', async () => {
    const result = await t.api.get('/users/search', t.admin);
    expect(result.status).toBe(405);
    expect(result.headers.get('allow')).toBe('POST');
    expect(readVendorError(result).messages).toEqual([
      'Method GET is not supported on /api/rest/2.0/users/search: expected POST.',
    ]);
    const del = await t.api.call('DELETE', '/users/ada/delete', { token: t.admin });
    expect(del.status).toBe(405);
  });
});

describe('emulator handler outcomes (injected handlers)', () => {
  let emulator: EmulatorServer<FakeState>;
  const logged: string[] = [];

  beforeAll(async () => {
    const handlers = createEchoHandlers();
    handlers['POST /api/rest/2.0/users/create'] = () => {
      throw forbidden('User tsadmin lacks the USER_ADMINISTRATION privilege.');
    };
    handlers['POST /api/rest/2.0/groups/create'] = () => {
      throw new Error('boom: a bug in the handler');
    };
    handlers['POST /api/rest/2.0/orgs/create'] = async () => {
      await Promise.resolve();
      throw new EmulatorError(400, 10002, 'Org with name ACME already exists.');
    };
    handlers['POST /api/rest/2.0/auth/token/validate'] = () => {
      throw unauthenticated('Token expired.');
    };
    handlers['POST /api/rest/2.0/auth/session/login'] = () => ({
      status: 204,
      headers: { 'Set-Cookie': 'JSESSIONID=abc; Path=/; HttpOnly' },
    });
    emulator = await createEmulatorServer({
      handlers,
      createState: () => createFakeState(),
      rateLimit: { enabled: false },
      log: (message) => logged.push(message),
    });
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  const post = (path: string, body: unknown = {}) => new Api(emulator.url).post(path, body, FAKE_TOKEN);

  it('turns an EmulatorError into the envelope with its status and code', async () => {
    const result = await post('/orgs/create', { name: 'ACME' });
    expect(result.status).toBe(400);
    expect(readVendorError(result)).toMatchObject({ code: 10002, messages: ['Org with name ACME already exists.'] });
    const expired = await post('/auth/token/validate', { token: 'x' });
    expect(expired.status).toBe(401);
    expect(readVendorError(expired).code).toBe(10097);
  });

  it('answers permission failures with 403/10023, or 500/10023 when permissionErrorsAs500 is on', async () => {
    const body = { name: 'ada', display_name: 'Ada', email: 'ada@example.com' };
    const strict = await post('/users/create', body);
    expect(strict.status).toBe(403);
    expect(readVendorError(strict)).toMatchObject({ code: 10023, messages: ['User tsadmin lacks the USER_ADMINISTRATION privilege.'] });
    emulator.setFidelity({ permissionErrorsAs500: true });
    const quirk = await post('/users/create', body);
    expect(quirk.status).toBe(500);
    expect(readVendorError(quirk).code).toBe(10023);
  });

  it('answers 500/10000 for any other failure and reports it to the log', async () => {
    const result = await post('/groups/create', { name: 'g', display_name: 'G' });
    expect(result.status).toBe(500);
    expect(readVendorError(result)).toMatchObject({ code: 10000, messages: ['Unexpected server error.'] });
    expect(result.text).not.toContain('boom');
    expect(logged.some((line) => line.includes('POST /api/rest/2.0/groups/create failed unexpectedly: Error: boom'))).toBe(true);
  });

  it('sends 204 without a body or content type, with the handler headers', async () => {
    const result = await post('/auth/session/login', { username: 'ada', password: 'pw' });
    expect(result.status).toBe(204);
    expect(result.text).toBe('');
    expect(result.headers.get('content-type')).toBeNull();
    expect(result.headers.get('set-cookie')).toBe('JSESSIONID=abc; Path=/; HttpOnly');
  });

  it('authenticates with a JSESSIONID cookie as well as a bearer token', async () => {
    const result = await send(emulator.url, 'GET', '/api/rest/2.0/auth/session/user', {
      headers: { cookie: 'clientId=1; JSESSIONID=fake-session' },
    });
    expect(result.status).toBe(200);
  });
});
