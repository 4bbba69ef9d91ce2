import { describe, expect, it } from 'vitest';
import { readVendorError, send } from './support/http.js';
import { startTestEmulator, useEmulator } from './support/start.js';

const SEARCH = 'POST /api/rest/2.0/users/search';

describe('emulator admin route', () => {
  const t = useEmulator({ seed: 'minimal' });

  const adminRoute = (method: string, path: string, body?: unknown) =>
    send(t.emulator.url, method, `/__emulator${path}`, body === undefined ? {} : { body });
  const search = () => t.api.post('/users/search', { record_size: 1 }, t.admin);

  it('reports health', async () => {
    const result = await adminRoute('GET', '/health');
    expect([result.status, result.body]).toEqual([200, { status: 'ok' }]);
  });

  it('installs, lists and removes faults over HTTP', async () => {
    const created = await adminRoute('POST', '/faults', { route: SEARCH, status: 503, times: 2 });
    expect(created.status).toBe(201);
    expect(created.body).toEqual([{ route: SEARCH, spec: { status: 503, times: 2 }, remaining: 2 }]);
    expect((await search()).status).toBe(503);
    expect((await adminRoute('GET', '/faults')).body).toEqual([{ route: SEARCH, spec: { status: 503, times: 2 }, remaining: 1 }]);
    expect((await adminRoute('DELETE', '/faults')).status).toBe(204);
    expect((await search()).status).toBe(200);
  });

  it('accepts several faults at once, with routes written without the base path', async () => {
    const created = await adminRoute('POST', '/faults', [
      { route: 'POST /users/search', status: 502, body: 'html', times: 1 },
      { route: '*', status: 429, retryAfterSeconds: 1, times: 1 },
    ]);
    expect(created.status).toBe(201);
    expect((await search()).status).toBe(502);
    const limited = await search();
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '1']);
  });

  it('rejects a bad fault with 400 and a message naming the problem', async () => {
    const noRoute = await adminRoute('POST', '/faults', { status: 503 });
    expect([noRoute.status, noRoute.body]).toEqual([
      400,
      { error: 'Fault 0 needs a "route" string ("*" or "METHOD /path"), but got: undefined.' },
    ]);
    const badSpec = await adminRoute('POST', '/faults', { route: '*', status: 503, retry: 1 });
    expect(badSpec.body).toEqual({
      error: 'Invalid fault spec: unknown field "retry" (expected one of status, body, contentType, retryAfterSeconds, latencyMs, reset, hang, times, after).',
    });
    expect((await adminRoute('GET', '/faults')).body).toEqual([]);
  });

  it('serves the call log, filtered by endpoint, and clears it; admin calls are never logged', async () => {
    await search();
    await t.api.post('/groups/search', {}, t.admin);
    await adminRoute('GET', '/health');
    const all = (await adminRoute('GET', '/calls')).body as { seq: number; endpoint: string; body: unknown; status: number }[];
    expect(all.map((c) => c.endpoint)).toEqual([SEARCH, 'POST /api/rest/2.0/groups/search']);
    expect(all[0]).toMatchObject({ body: { record_size: 1 }, status: 200, remoteAddress: '127.0.0.1' });
    expect(all[1]!.seq).toBe(all[0]!.seq + 1);
    const filtered = await adminRoute('GET', `/calls?endpoint=${encodeURIComponent(SEARCH)}`);
    expect(filtered.body as unknown[]).toHaveLength(1);
    expect((await adminRoute('DELETE', '/calls')).status).toBe(204);
    expect((await adminRoute('GET', '/calls')).body).toEqual([]);
  });

  it('shows and patches the configuration; a bad patch changes nothing', async () => {
    const before = (await adminRoute('GET', '/config')).body as { fidelity: Record<string, unknown>; rateLimit: unknown; latencyMs: number };
    expect(before.fidelity).toMatchObject({ errorShape: 'B', maxRecordSize: null, permissionErrorsAs500: false });
    expect(before.rateLimit).toEqual({ enabled: false, requestsPerSecond: 100, burst: 10, retryAfterHeader: false });
    expect(before.latencyMs).toBe(0);

    const bad = await adminRoute('PATCH', '/config', { fidelity: { errorShape: 'C' }, rateLimit: { burst: 5 } });
    expect([bad.status, bad.body]).toEqual([
      400,
      { error: 'Invalid fidelity: fidelity.errorShape must be one of "A", "B", but got: "C".' },
    ]);
    expect((await adminRoute('GET', '/config')).body).toEqual(before);

    const patched = await adminRoute('PATCH', '/config', { fidelity: { errorShape: 'A', maxRecordSize: 500 }, rateLimit: { burst: 5 } });
    expect(patched.body).toMatchObject({ fidelity: { errorShape: 'A', maxRecordSize: 500 }, rateLimit: { burst: 5 } });
    expect(t.emulator.fidelity.maxRecordSize).toBe(500);
    const unauthenticated = await t.api.post('/users/search', {});
    expect(readVendorError(unauthenticated).shape).toBe('A');

    await adminRoute('PATCH', '/config', { fidelity: { maxRecordSize: null } });
    expect(t.emulator.fidelity.maxRecordSize).toBe(Infinity);
  });

  it('rejects unknown config sections', async () => {
    const result = await adminRoute('PATCH', '/config', { fidelty: {} });
    expect(result.body).toEqual({ error: 'Unknown config field(s) fidelty: expected fidelity, rateLimit or latencyMs.' });
  });

  it('resets faults, calls and configuration with POST /reset', async () => {
    await adminRoute('POST', '/faults', { route: '*', status: 500 });
    await adminRoute('PATCH', '/config', { fidelity: { errorShape: 'A' }, latencyMs: 5 });
    await search();
    expect((await adminRoute('POST', '/reset')).status).toBe(204);
    expect((await adminRoute('GET', '/faults')).body).toEqual([]);
    expect((await adminRoute('GET', '/calls')).body).toEqual([]);
    expect(t.emulator.fidelity.errorShape).toBe('B');
    expect(t.emulator.latencyMs).toBe(0);
  });

  it('reloads the domain state with POST /state/reset', async () => {
    const before = t.emulator.state;
    expect((await adminRoute('POST', '/state/reset')).status).toBe(204);
    expect(t.emulator.state).not.toBe(before);
  });

  it('answers 404 for unknown admin paths and 405 with Allow for wrong methods', async () => {
    const missing = await adminRoute('GET', '/nope');
    expect([missing.status, missing.body]).toEqual([
      404,
      { error: 'No admin route /nope: expected one of /health, /calls, /faults, /reset, /state/reset, /config.' },
    ]);
    const wrong = await adminRoute('PUT', '/faults', {});
    expect([wrong.status, wrong.headers.get('allow')]).toEqual([405, 'GET, POST, DELETE']);
  });

  it('needs application/json bodies', async () => {
    const result = await send(t.emulator.url, 'POST', '/__emulator/faults', { body: '{}', headers: { 'content-type': 'text/plain' } });
    expect([result.status, result.body]).toEqual([
      415,
      { error: 'Unsupported Content-Type "text/plain": the admin route expects application/json.' },
    ]);
  });
});

describe('emulator admin prefix', () => {
  it('serves the admin route under a custom prefix only', async () => {
    const { emulator } = await startTestEmulator({ seed: 'minimal', adminPrefix: '/_ops/emu' });
    try {
      expect((await send(emulator.url, 'GET', '/_ops/emu/health')).status).toBe(200);
      expect((await send(emulator.url, 'GET', '/__emulator/health')).status).toBe(404);
    } finally {
      await emulator.close();
    }
  });

  it('rejects a prefix that would shadow the API', async () => {
    await expect(startTestEmulator({ seed: 'minimal', adminPrefix: '/api/rest/2.0/admin' })).rejects.toThrow(
      'adminPrefix must be a path like "/__emulator" (no trailing slash, outside /api/rest/2.0), but got: "/api/rest/2.0/admin".',
    );
  });
});
