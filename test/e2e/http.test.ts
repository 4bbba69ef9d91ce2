import { request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fault } from '../../src/emulator/index.js';
import { startTestStack, type TestStack } from '../support/harness.js';
import { authHeader, mintTestToken } from '../support/tokens.js';

let stack: TestStack;
let url: string;

beforeAll(async () => {
  // No retries: the upstream-failure test below sees the first failure instead of waiting out the backoff.
  stack = await startTestStack({ seed: 'minimal', env: { THOUGHTSPOT_MAX_RETRIES: '0' } });
  url = await stack.app.listen(0, '127.0.0.1');
});
afterAll(() => stack.close());
afterEach(() => stack.emulator.reset());

/** A POST as an authenticated caller (a fresh full-access token from tokens.ts besides `headers`). */
async function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }, path = ''): Promise<Response> {
  return fetch(new URL(path, url), { method: 'POST', headers: { ...(await authHeader()), ...headers }, body });
}

describe('the HTTP endpoint', () => {
  it('serves GraphQL over POST at / and /graphql, echoing x-request-id', async () => {
    for (const path of ['', 'graphql']) {
      const response = await post(JSON.stringify({ query: '{ organizations { totalCount } }' }), { 'content-type': 'application/json', 'x-request-id': 'req-42' }, path);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toBe('req-42');
      expect(await response.json()).toEqual({ data: { organizations: { totalCount: 1 } } });
    }
    expect(stack.requestLog.at(-1)).toMatchObject({ requestId: 'req-42', errorCodes: [], upstreamByEndpoint: { 'POST /api/rest/2.0/orgs/search': 1 } });
  });

  it('answers liveness probes on /health without calling ThoughtSpot', async () => {
    const before = stack.emulator.calls().length;
    const response = await fetch(new URL('health', url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(stack.emulator.calls()).toHaveLength(before);
  });

  it('refuses GraphQL requests without a valid bearer token with 401 UNAUTHENTICATED and a challenge, calling nothing upstream', async () => {
    const query = JSON.stringify({ query: '{ organizations { totalCount } }' });
    const before = stack.emulator.calls().length;
    for (const path of ['', 'graphql']) {
      const missing = await fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'req-anon' }, body: query });
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer');
      expect(missing.headers.get('x-request-id')).toBe('req-anon');
      expect(await missing.json()).toEqual({
        errors: [{ message: 'Authentication required: send an Authorization header with a Bearer token.', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    const get = await fetch(new URL(`?query=${encodeURIComponent('{ organizations { totalCount } }')}`, url), { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(401);
    const refusals = [
      [{ expiresInS: -600 }, 'The bearer token has expired.'],
      [{ secret: 'a-different-secret-of-at-least-thirty-two-bytes!' }, 'The bearer token signature is not valid.'],
      [{ issuer: 'https://someone-else.test/' }, 'The bearer token was not issued by the expected issuer.'],
      [{ audience: 'another-service' }, 'The bearer token was not issued for this service (audience).'],
    ] as const;
    for (const [claims, message] of refusals) {
      const refused = await post(query, { 'content-type': 'application/json', authorization: `Bearer ${await mintTestToken(claims)}` });
      expect(refused.status, message).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe(`Bearer error="invalid_token", error_description="${message}"`);
      expect(await refused.json()).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
    }
    expect(stack.emulator.calls()).toHaveLength(before);
  });

  it('refuses GET queries without a preflight header (CSRF prevention), and serves them with one', async () => {
    const target = new URL(`?query=${encodeURIComponent('{ organizations { totalCount } }')}`, url);
    // Authenticated, so the refusal is Apollo's CSRF prevention and not the missing token.
    const refused = await fetch(target, { headers: await authHeader() });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('CSRF');
    const allowed = await fetch(target, { headers: { ...(await authHeader()), 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
  });

  it('marks every GraphQL answer uncacheable, data and errors alike (Cache-Control: no-store)', async () => {
    // Apollo's cache-control plugin gave these answers that header; plugins/no-store.ts now does, without its per-field
    // bookkeeping.
    const data = await post(JSON.stringify({ query: '{ organizations { totalCount } }' }));
    expect(data.status).toBe(200);
    expect(data.headers.get('cache-control')).toBe('no-store');
    const refused = await post(JSON.stringify({ query: '{ users(first: 1000) { totalCount } }' }));
    expect((await refused.json()) as unknown).toHaveProperty('errors');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    const invalid = await post(JSON.stringify({ query: '{ noSuchField }' }));
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('cache-control')).toBe('no-store');
  });

  it('answers malformed JSON, oversized bodies and unknown paths with clear errors', async () => {
    const bad = await post('{"query": ');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    const huge = await post(JSON.stringify({ query: `{ organizations { totalCount } } ${'#'.repeat(1_100_000)}` }));
    expect(huge.status).toBe(413);
    expect((await fetch(new URL('nope', url))).status).toBe(404);
  });

  it('reports argument errors with their code and no stack trace', async () => {
    const response = await post(JSON.stringify({ query: '{ users(first: 1000) { totalCount } }' }));
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors).toEqual([
      {
        message: 'Argument "first" must be an integer between 0 and 100, but got: 1000.',
        locations: [{ line: 1, column: 3 }],
        path: ['users'],
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
      },
    ]);
  });

  it('reports an upstream failure by code with a generic message, leaking nothing about the cluster', async () => {
    stack.emulator.use(fault('POST /api/rest/2.0/orgs/search', { status: 503, body: 'html' }));
    const response = await post(JSON.stringify({ query: '{ organizations { totalCount } }' }));
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: 'Directory service is unavailable.', locations: [{ line: 1, column: 3 }], path: ['organizations'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } }],
      data: { organizations: null },
    });
    for (const leak of ['127.0.0.1', String(new URL(stack.emulator.url).port), 'orgs/search', 'nginx', 'Bearer']) expect(text).not.toContain(leak);
  });
});

/** One exchange over node:http, so every header (Origin included) goes out exactly as given. */
function exchange(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const APP_ORIGIN = 'https://app.example.com';
const QUERY = JSON.stringify({ query: '{ organizations { totalCount } }' });

function preflight(base: string, origin: string, path = '/'): ReturnType<typeof exchange> {
  return exchange(base, 'OPTIONS', path, {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type, authorization',
  });
}

describe('CORS', () => {
  let listed: TestStack;
  let listedUrl: string;
  beforeAll(async () => {
    listed = await startTestStack({ seed: 'minimal', env: { CORS_ORIGINS: `${APP_ORIGIN},http://localhost:3000` } });
    listedUrl = await listed.app.listen(0, '127.0.0.1');
  });
  afterAll(() => listed.close());

  it('answers a preflight from a listed origin on / and /graphql with 204 and what it may send', async () => {
    for (const path of ['/', '/graphql']) {
      const response = await preflight(listedUrl, APP_ORIGIN, path);
      expect(response.status).toBe(204);
      expect(response.body).toBe('');
      expect(response.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
      expect(response.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS');
      expect(response.headers['access-control-allow-headers']).toBe(
        'content-type, authorization, apollo-require-preflight, x-apollo-operation-name, x-request-id',
      );
      expect(response.headers['access-control-max-age']).toBe('7200');
      expect(response.headers['vary']).toBe('Origin');
      // Callers authenticate with a header, never with cookies: credentialed CORS is never offered.
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('refuses a preflight from any other origin with 403 naming it, and no CORS headers', async () => {
    for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'http://app.example.com', 'null', 'http://localhost:3001']) {
      const response = await preflight(listedUrl, origin);
      expect(response.status).toBe(403);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['access-control-allow-methods']).toBeUndefined();
      expect(response.headers['vary']).toBe('Origin');
      expect(JSON.parse(response.body)).toEqual({
        errors: [{ message: `Origin ${JSON.stringify(origin)} is not allowed to call this subgraph (CORS_ORIGINS).`, extensions: { code: 'FORBIDDEN' } }],
      });
    }
  });

  it('marks actual responses for a listed origin only; other origins are served without CORS headers', async () => {
    const allowed = await exchange(listedUrl, 'POST', '/', { origin: APP_ORIGIN, 'content-type': 'application/json', 'x-request-id': 'cors-1', ...(await authHeader()) }, QUERY);
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body)).toEqual({ data: { organizations: { totalCount: 1 } } });
    expect(allowed.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(allowed.headers['access-control-expose-headers']).toBe('x-request-id, retry-after, www-authenticate');
    expect(allowed.headers['vary']).toBe('Origin');
    expect(allowed.headers['access-control-allow-credentials']).toBeUndefined();

    const other = await exchange(listedUrl, 'POST', '/graphql', { origin: 'https://evil.example', 'content-type': 'application/json', ...(await authHeader()) }, QUERY);
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['vary']).toBe('Origin');

    // Error answers on the GraphQL paths are readable by the listed origin too: a request error, and the refusal of
    // a caller without a token (so the app can tell its user to sign in).
    const bad = await exchange(listedUrl, 'POST', '/', { origin: APP_ORIGIN, 'content-type': 'application/json', ...(await authHeader()) }, '{"query": ');
    expect(bad.status).toBe(400);
    expect(bad.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    const anonymous = await exchange(listedUrl, 'POST', '/', { origin: APP_ORIGIN, 'content-type': 'application/json' }, QUERY);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(anonymous.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(anonymous.headers['access-control-expose-headers']).toBe('x-request-id, retry-after, www-authenticate');
    // /health is for probes, not browsers.
    const health = await exchange(listedUrl, 'GET', '/health', { origin: APP_ORIGIN });
    expect(health.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps Apollo\'s CSRF prevention for listed origins: a simple request without a preflight header is refused', async () => {
    // Each request carries a valid token, so what refuses it is the CSRF prevention alone.
    const simple = await exchange(listedUrl, 'POST', '/', { origin: APP_ORIGIN, 'content-type': 'text/plain', ...(await authHeader()) }, QUERY);
    expect(simple.status).toBe(400);
    expect(simple.body).toContain('CSRF');
    const get = await exchange(listedUrl, 'GET', `/?query=${encodeURIComponent('{ organizations { totalCount } }')}`, { origin: APP_ORIGIN, ...(await authHeader()) });
    expect(get.status).toBe(400);
    expect(get.body).toContain('CSRF');
    const withHeader = await exchange(listedUrl, 'GET', `/?query=${encodeURIComponent('{ organizations { totalCount } }')}`, {
      origin: APP_ORIGIN,
      'apollo-require-preflight': 'true',
      ...(await authHeader()),
    });
    expect(withHeader.status).toBe(200);
    expect(withHeader.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
  });

  it('allows the loopback origins on any port by default outside production, and nothing else', async () => {
    // The shared stack of this file leaves CORS_ORIGINS unset, and tests do not run with NODE_ENV=production.
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8080', 'http://[::1]:3000', 'http://localhost']) {
      const response = await preflight(url, origin);
      expect(response.status, origin).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(origin);
    }
    for (const origin of ['https://localhost:5173', 'http://localhost.evil.example', 'http://127.0.0.2:8080', 'https://app.example.com']) {
      expect((await preflight(url, origin)).status, origin).toBe(403);
    }
  });

  it('reflects any http(s) origin for CORS_ORIGINS=*, never the literal * and never "null"', async () => {
    const open = await startTestStack({ seed: 'minimal', env: { CORS_ORIGINS: '*' } });
    try {
      const openUrl = await open.app.listen(0, '127.0.0.1');
      const response = await preflight(openUrl, 'https://anyone.example:8443');
      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe('https://anyone.example:8443');
      expect((await preflight(openUrl, 'null')).status).toBe(403);
    } finally {
      await open.close();
    }
  });

  it('answers an OPTIONS that is not a preflight with the allowed methods', async () => {
    const response = await exchange(listedUrl, 'OPTIONS', '/', {});
    expect(response.status).toBe(204);
    expect(response.headers['allow']).toBe('GET, POST, OPTIONS');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});
