import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS, isLoginEndpoint } from '../../src/emulator/contract.js';
import { createState, type EmulatorState } from '../../src/emulator/domain/index.js';
import { handlers as domainHandlers } from '../../src/emulator/handlers/index.js';
import { createEmulatorServer, type EmulatorServer } from '../../src/emulator/server.js';
import type { Handler } from '../../src/emulator/types.js';
import { createEchoHandlers, createFakeState, FAKE_TOKEN, type Echo, type FakeState } from './support/fake-domain.js';
import { readVendorError, send } from './support/http.js';
import { concretePath, minimalBody } from './support/schema.js';
import { mintAdminToken } from './support/start.js';

describe('emulator routing (injected echo handlers)', () => {
  let emulator: EmulatorServer<FakeState>;

  beforeAll(async () => {
    emulator = await createEmulatorServer({
      handlers: createEchoHandlers(),
      createState: () => createFakeState(),
      rateLimit: { enabled: false },
    });
  });
  afterAll(() => emulator.close());

  it('routes every endpoint of contract.json to the handler with its id', async () => {
    expect(ENDPOINTS).toHaveLength(34);
    const unrouted: string[] = [];
    for (const endpoint of ENDPOINTS) {
      const { path, params } = concretePath(endpoint.path);
      const result = await send(emulator.url, endpoint.method, path, {
        ...(endpoint.request_body ? { body: minimalBody(endpoint.request_body.schema) } : {}),
        ...(isLoginEndpoint(endpoint) ? {} : { token: FAKE_TOKEN }),
      });
      const last = emulator.calls().at(-1);
      if (result.status !== endpoint.success.status || last?.endpoint !== endpoint.id) {
        unrouted.push(`${endpoint.id} → ${result.status} ${result.text}`);
        continue;
      }
      expect(last.params).toEqual(params);
      if (result.status === 200) {
        const echo = result.body as Echo;
        expect(echo.endpoint).toBe(endpoint.id);
        expect(echo.params).toEqual(params);
      } else {
        expect(result.text).toBe('');
      }
    }
    expect(unrouted).toEqual([]);
  });

  it('gives login endpoints no principal and every other endpoint the authenticated one', async () => {
    const token = await send(emulator.url, 'POST', '/api/rest/2.0/auth/token/full', { body: { username: 'tsadmin' } });
    expect((token.body as Echo).principal).toBeNull();
    const user = await send(emulator.url, 'GET', '/api/rest/2.0/auth/session/user', { token: FAKE_TOKEN });
    expect((user.body as Echo).principal).toEqual({ userId: 'user-guid-1', orgId: 0, accessType: 'FULL', token: FAKE_TOKEN });
  });

  it('decodes percent-encoded path parameters', async () => {
    const result = await send(emulator.url, 'POST', '/api/rest/2.0/roles/Data%20Stewards%20%C3%A9/delete', { token: FAKE_TOKEN });
    expect(result.status).toBe(204);
    expect(emulator.calls().at(-1)?.params).toEqual({ role_identifier: 'Data Stewards é' });
  });

  it('ignores the query string when routing', async () => {
    const result = await send(emulator.url, 'POST', '/api/rest/2.0/users/search?trace=1', { body: {}, token: FAKE_TOKEN });
    expect((result.body as Echo).endpoint).toBe('POST /api/rest/2.0/users/search');
  });

  it('answers 400 when an identifier contains an encoded "/", as ThoughtSpot does', async () => {
    const result = await send(emulator.url, 'POST', '/api/rest/2.0/groups/Sales%2FEMEA/update', { body: {}, token: FAKE_TOKEN });
    expect(result.status).toBe(400);
    expect(readVendorError(result)).toMatchObject({
      code: 10002,
      messages: ['Invalid path parameter "group_identifier": "Sales/EMEA" contains "/", which ThoughtSpot cannot route; use the GUID instead.'],
    });
    expect(emulator.calls().at(-1)?.endpoint).toBe('POST /api/rest/2.0/groups/{group_identifier}/update');
  });

  it('answers 400 when an identifier contains a raw "/"', async () => {
    const result = await send(emulator.url, 'POST', '/api/rest/2.0/users/a/b/c/delete', { token: FAKE_TOKEN });
    expect(result.status).toBe(400);
    expect(readVendorError(result).messages).toEqual([
      'Invalid path parameter "user_identifier": "a/b/c" contains "/", which ThoughtSpot cannot route; use the GUID instead.',
    ]);
  });

  it('answers 400 for an empty path parameter', async () => {
    const result = await send(emulator.url, 'POST', '/api/rest/2.0/orgs//delete', { token: FAKE_TOKEN });
    expect(result.status).toBe(400);
    expect(readVendorError(result).messages).toEqual([
      'Invalid path parameter "org_identifier": expected a non-empty string, but got an empty string.',
    ]);
  });

  it('answers 400 for malformed percent-encoding in a path parameter', async () => {
    const result = await send(emulator.url, 'POST', '/api/rest/2.0/users/%E0%A4/delete', { token: FAKE_TOKEN });
    expect(result.status).toBe(400);
    expect(readVendorError(result).messages).toEqual([
      'Invalid path parameter "user_identifier": expected a percent-encoded string, but got malformed encoding "%E0%A4".',
    ]);
  });
});

describe('emulator routing (the real domain handlers)', () => {
  it('has a domain handler for exactly the endpoints of contract.json', () => {
    expect(Object.keys(domainHandlers).sort()).toEqual(ENDPOINTS.map((e) => e.id).sort());
  });

  it('reaches the domain handler of every endpoint with a schema-valid request', async () => {
    const reached: string[] = [];
    const counted = Object.fromEntries(
      Object.entries(domainHandlers).map(([id, handler]): [string, Handler<EmulatorState>] => [
        id,
        (ctx) => {
          reached.push(id);
          return handler(ctx);
        },
      ]),
    );
    const emulator = await createEmulatorServer<EmulatorState>({
      handlers: counted,
      createState: (deps) => createState('minimal', deps),
      rateLimit: { enabled: false },
    });
    try {
      for (const endpoint of ENDPOINTS) {
        // A fresh token per call: logout, revoke and force-logout may end the one they are called with.
        const token = await mintAdminToken(emulator);
        const { path } = concretePath(endpoint.path);
        const result = await send(emulator.url, endpoint.method, path, {
          ...(endpoint.request_body ? { body: minimalBody(endpoint.request_body.schema) } : {}),
          ...(isLoginEndpoint(endpoint) ? {} : { token }),
        });
        expect(emulator.calls().at(-1)?.endpoint, endpoint.id).toBe(endpoint.id);
        expect([404, 405, 415], `${endpoint.id} → ${result.status} ${result.text}`).not.toContain(result.status);
      }
      const missed = ENDPOINTS.map((e) => e.id).filter((id) => !reached.includes(id));
      expect(missed).toEqual([]);
    } finally {
      await emulator.close();
    }
  });
});

describe('emulator handler table', () => {
  it('refuses to start when a contract endpoint has no handler', async () => {
    const handlers = createEchoHandlers();
    delete handlers['POST /api/rest/2.0/users/search'];
    handlers['POST /api/rest/2.0/users/serch'] = () => ({ status: 204 });
    await expect(createEmulatorServer({ handlers, createState: () => createFakeState() })).rejects.toThrow(
      'The handler table must cover exactly the 34 contract endpoints: missing handlers for POST /api/rest/2.0/users/search; ' +
        'handlers for endpoints not in contract.json: POST /api/rest/2.0/users/serch.',
    );
  });
});
