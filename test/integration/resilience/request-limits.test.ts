// The runtime backstops of one request, over HTTP (the in-process `app.execute` runs without them): the
// whole-request deadline and the upstream call budget end a request with the finished parts and a coded error at
// each unfinished one, and neither leaks into the next request.

import { afterEach, describe, expect, it } from 'vitest';
import { fault } from '../../../src/emulator/index.js';
import { startTestStack, type TestStack } from '../../support/harness.js';
import { authHeader } from '../../support/tokens.js';

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function postQuery(url: string, query: string): Promise<{ status: number; body: { data?: unknown; errors?: { message: string; path?: unknown[]; extensions: Record<string, unknown> }[] } }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await authHeader()) }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as never };
}

const NESTED = '{ organizations(first: 10) { nodes { name groups(first: 5) { nodes { name } } roles(first: 5) { nodes { name } } } } }';

describe('the whole-request deadline', () => {
  it('answers with the finished parts and DEADLINE_EXCEEDED where an upstream call never answered', async () => {
    // roles/search hangs forever: only the deadline can end the request. The Organizations are read before any
    // roles/search starts (their names come from the level above), so what survives does not depend on speed; the
    // deadline is generous so that even a very busy machine reads one orgs/search within it.
    stack = await startTestStack({ seed: 'demo', env: { REQUEST_DEADLINE_MS: '3000', THOUGHTSPOT_MAX_RETRIES: '0' } });
    const url = await stack.app.listen(0, '127.0.0.1');
    stack.emulator.use(fault('POST /api/rest/2.0/roles/search', { hang: true }));
    const { status, body } = await postQuery(url, '{ organizations(first: 10) { nodes { name roles(first: 5) { nodes { name } } } } }');
    expect(status).toBe(200);
    const orgs = (body.data as { organizations: { nodes: { name: string; roles: unknown }[] } }).organizations.nodes;
    expect(orgs.length).toBeGreaterThan(1);
    for (const org of orgs) {
      expect(org.name).toEqual(expect.any(String));
      expect(org.roles).toBeNull();
    }
    expect(new Set(body.errors?.map((e) => e.extensions['code']))).toEqual(new Set(['DEADLINE_EXCEEDED']));
    expect(body.errors?.[0]).toMatchObject({
      message: 'The request ran past its 3000 ms deadline; this part was not completed.',
      path: ['organizations', 'nodes', expect.any(Number), 'roles'],
      extensions: { code: 'DEADLINE_EXCEEDED', limit: 3000 },
    });

    // The next request has its own deadline.
    stack.emulator.reset();
    const next = await postQuery(url, '{ organizations(first: 1) { nodes { name } } }');
    expect(next.body.errors).toBeUndefined();
  });
});

describe('the upstream call budget', () => {
  it('stops a request at REQUEST_MAX_UPSTREAM_CALLS, never more, with UPSTREAM_BUDGET_EXCEEDED on the parts it could not read', async () => {
    stack = await startTestStack({ seed: 'demo', env: { REQUEST_MAX_UPSTREAM_CALLS: '3' } });
    const url = await stack.app.listen(0, '127.0.0.1');
    const before = stack.emulator.calls().length;
    const { status, body } = await postQuery(url, NESTED);
    expect(status).toBe(200);
    // The Org list was read (data is there), and the per-Org reads beyond the budget are null with the code.
    const orgs = (body.data as { organizations: { nodes: { name: string }[] } }).organizations.nodes;
    expect(orgs.length).toBeGreaterThan(1);
    const codes = new Set(body.errors?.map((e) => e.extensions['code']));
    expect(codes).toEqual(new Set(['UPSTREAM_BUDGET_EXCEEDED']));
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_BUDGET_EXCEEDED', limit: 3 });
    // The budget is reserved before each call leaves, so no call beyond it reaches ThoughtSpot (token mints serve
    // every request and are not counted; this stack's tokens are warm after the first request anyway).
    const made = stack.emulator.calls().filter((call) => !(call.endpoint ?? '').includes('/auth/token/')).length - before;
    expect(made).toBe(3);

    // The budget is per request.
    const next = await postQuery(url, '{ organizations(first: 1) { nodes { name } } }');
    expect(next.body.errors).toBeUndefined();
  });
});
