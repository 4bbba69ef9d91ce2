// Caller authentication over HTTP (issue "Callers, tenants and connections"): every rejection is a 401
// UNAUTHENTICATED with a Bearer challenge, decided before the body is parsed and before any upstream call; a valid
// token without the scope an operation needs is a 403 FORBIDDEN naming the scope.

import { SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestStack } from '../support/harness.js';
import { mintTestToken, TEST_AUTH_ENV } from '../support/tokens.js';

const stack = useTestStack({ seed: 'minimal' });
let url: string;

beforeAll(async () => {
  url = await stack.app.listen(0, '127.0.0.1');
});

interface Answer {
  readonly status: number;
  readonly challenge: string | null;
  readonly body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  /** Upstream calls the emulator saw while the request ran (token mints included). */
  readonly upstream: number;
}

async function post(authorization: string | null, query = '{ organizations { totalCount } }'): Promise<Answer> {
  const before = stack.emulator.calls().at(-1)?.seq ?? 0;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== null) headers['authorization'] = authorization;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  const body = (await response.json()) as Answer['body'];
  await stack.settle();
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    body,
    upstream: stack.emulator.calls((call) => call.seq > before).length,
  };
}

const bearer = async (claims: Parameters<typeof mintTestToken>[0] = {}): Promise<string> => `Bearer ${await mintTestToken(claims)}`;

describe('rejected callers', () => {
  const cases: [string, () => Promise<string | null>, RegExp][] = [
    ['no Authorization header', () => Promise.resolve(null), /^Bearer$/],
    ['another scheme', () => Promise.resolve('Basic dXNlcjpwYXNz'), /^Bearer$/],
    ['a token that is not a JWT', () => Promise.resolve('Bearer not-a-jwt'), /invalid_token/],
    ['an expired token', () => bearer({ expiresInS: -120 }), /invalid_token/],
    ['a token signed with another secret', () => bearer({ secret: 'another-secret-that-is-long-enough-0123456789' }), /invalid_token/],
    ['a token from another issuer', () => bearer({ issuer: 'https://evil.test/' }), /invalid_token/],
    ['a token for another audience', () => bearer({ audience: 'some-other-api' }), /invalid_token/],
    [
      'an unsigned token (alg none)',
      async () =>
        `Bearer ${new UnsecuredJWT({ scope: 'directory:admin', orgs: ['*'] })
          .setSubject('x')
          .setIssuer(TEST_AUTH_ENV.AUTH_JWT_ISSUER)
          .setAudience(TEST_AUTH_ENV.AUTH_JWT_AUDIENCE)
          .setExpirationTime('5m')
          .encode()}`,
      /invalid_token/,
    ],
    [
      'a token without a subject',
      async () =>
        `Bearer ${await new SignJWT({ scope: 'directory:read', orgs: ['*'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(TEST_AUTH_ENV.AUTH_JWT_ISSUER)
          .setAudience(TEST_AUTH_ENV.AUTH_JWT_AUDIENCE)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(TEST_AUTH_ENV.AUTH_JWT_SECRET))}`,
      /invalid_token/,
    ],
  ];
  it.each(cases)('refuses %s with 401 UNAUTHENTICATED and no upstream call', async (_name, authorization, challenge) => {
    const answer = await post(await authorization());
    expect(answer.status).toBe(401);
    expect(answer.challenge).toMatch(challenge);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['UNAUTHENTICATED']);
    expect(answer.upstream).toBe(0);
  });

  it('refuses before parsing: a malformed body from an unauthenticated caller is still a 401', async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(response.status).toBe(401);
  });
});

describe('authenticated callers', () => {
  it('serves a token with directory:read', async () => {
    const answer = await post(await bearer({ scope: 'directory:read' }));
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect(answer.upstream).toBeGreaterThan(0);
  });

  it('refuses a read without directory:read with 403 FORBIDDEN naming the scope, before any upstream call', async () => {
    const answer = await post(await bearer({ scope: 'directory:embed' }));
    expect(answer.status).toBe(403);
    expect(answer.body.errors?.map((error) => [error.extensions?.['code'], error.message])).toEqual([
      ['FORBIDDEN', "This operation requires the directory:read scope, which the caller's token does not grant."],
    ]);
    expect(answer.upstream).toBe(0);
  });

  it('lets any authenticated caller read the SDL a router composes from, and nothing more', async () => {
    const answer = await post(await bearer({ scope: '' }), '{ _service { sdl } }');
    expect(answer.status).toBe(200);
    expect(answer.upstream).toBe(0);
  });

  it('refuses a token naming a connection that is not registered with 403, before any upstream call', async () => {
    const answer = await post(await bearer({ conn: 'nowhere' }));
    expect(answer.status).toBe(403);
    expect(answer.body.errors?.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect(answer.upstream).toBe(0);
  });
});

describe('what needs no caller', () => {
  it('serves the landing page (a GET without a query executes nothing) and /health without a token', async () => {
    const landing = await fetch(url, { headers: { accept: 'text/html' } });
    expect(landing.status).toBe(200);
    expect(landing.headers.get('content-type')).toMatch(/text\/html/);
    expect((await fetch(new URL('health', url))).status).toBe(200);
    const getQuery = await fetch(`${url}?query=${encodeURIComponent('{ organizations { totalCount } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(getQuery.status).toBe(401);
  });
});
