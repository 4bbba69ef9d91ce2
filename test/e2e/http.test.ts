import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fault } from '../../src/emulator/index.js';
import { startTestStack, type TestStack } from '../support/harness.js';

let stack: TestStack;
let url: string;

beforeAll(async () => {
  // No retries: the upstream-failure test below sees the first failure instead of waiting out the backoff.
  stack = await startTestStack({ seed: 'minimal', env: { THOUGHTSPOT_MAX_RETRIES: '0' } });
  url = await stack.app.listen(0, '127.0.0.1');
});
afterAll(() => stack.close());
afterEach(() => stack.emulator.reset());

function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }, path = ''): Promise<Response> {
  return fetch(new URL(path, url), { method: 'POST', headers, body });
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

  it('refuses GET queries without a preflight header (CSRF prevention), and serves them with one', async () => {
    const target = new URL(`?query=${encodeURIComponent('{ organizations { totalCount } }')}`, url);
    expect((await fetch(target)).status).toBe(400);
    const allowed = await fetch(target, { headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
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
      data: null,
    });
    for (const leak of ['127.0.0.1', String(new URL(stack.emulator.url).port), 'orgs/search', 'nginx', 'Bearer']) expect(text).not.toContain(leak);
  });
});
