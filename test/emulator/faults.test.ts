import { describe, expect, it } from 'vitest';
import { fault } from '../../src/emulator/faults.js';
import { readVendorError, send } from './support/http.js';
import { startTestEmulator, useEmulator } from './support/start.js';

const SEARCH = 'POST /api/rest/2.0/users/search';

describe('emulator fault injection', () => {
  const t = useEmulator({ seed: 'minimal', isolation: 'controls' });

  const search = (signal?: AbortSignal) =>
    t.api.call('POST', '/users/search', { token: t.admin, body: {}, ...(signal ? { signal } : {}) });
  const groups = () => t.api.post('/groups/search', {}, t.admin);

  /** The error code of a rejected fetch (undici puts the socket error in `cause`). */
  async function failureOf(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (err) {
      const cause = (err as { cause?: { code?: string; name?: string } }).cause;
      return cause?.code ?? (err as Error).name;
    }
    return 'no failure';
  }

  it('answers with the given status in the vendor envelope', async () => {
    t.emulator.use(fault(SEARCH, { status: 503 }));
    const result = await search();
    expect(result.status).toBe(503);
    expect(result.headers.get('content-type')).toBe('application/json');
    expect(readVendorError(result)).toMatchObject({ code: 10000, messages: ['Service Unavailable (fault injected by the emulator).'] });
    expect(t.emulator.calls(SEARCH).at(-1)).toMatchObject({ status: 503, fault: 'status 503' });
    expect((await groups()).status).toBe(200);
  });

  it('serves an nginx gateway page for body "html"', async () => {
    t.emulator.use(fault(SEARCH, { body: 'html', times: 1 }), fault(SEARCH, { status: 504, body: 'html', times: 1 }));
    const bad = await search();
    expect(bad.status).toBe(502);
    expect(bad.headers.get('content-type')).toBe('text/html');
    expect(bad.text).toContain('<title>502 Bad Gateway</title>');
    const timeout = await search();
    expect(timeout.status).toBe(504);
    expect(timeout.text).toContain('<h1>504 Gateway Timeout</h1>');
  });

  it('serves ThoughtSpot\'s maintenance page for body "maintenance"', async () => {
    t.emulator.use(fault(SEARCH, { body: 'maintenance' }));
    const result = await search();
    expect(result.status).toBe(503);
    expect(result.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(result.text).toContain('<title>Site Maintenance</title>');
    expect(result.text).toContain('System Maintenance');
  });

  it('sends an empty body or a raw body as asked', async () => {
    t.emulator.use(
      fault(SEARCH, { status: 500, body: 'empty', times: 1 }),
      fault(SEARCH, { status: 502, body: 'upstream connect error', times: 1 }),
      fault(SEARCH, { status: 500, body: '{"code":10002,"debug":"flat"}', contentType: 'application/json', times: 1 }),
    );
    const empty = await search();
    expect([empty.status, empty.text, empty.headers.get('content-type')]).toEqual([500, '', null]);
    const raw = await search();
    expect([raw.status, raw.text, raw.headers.get('content-type')]).toEqual([502, 'upstream connect error', 'text/plain; charset=utf-8']);
    const flat = await search();
    expect([flat.status, flat.body, flat.headers.get('content-type')]).toEqual([500, { code: 10002, debug: 'flat' }, 'application/json']);
  });

  it('adds Retry-After, implying 429 when no status is given', async () => {
    t.emulator.use(fault(SEARCH, { retryAfterSeconds: 3 }));
    const result = await search();
    expect(result.status).toBe(429);
    expect(result.headers.get('retry-after')).toBe('3');
  });

  it('delays the answer and then proceeds normally when only latency is given', async () => {
    t.emulator.use(fault(SEARCH, { latencyMs: 300, times: 1 }));
    const pending = search();
    // While the delayed call waits, the log already shows it in flight.
    let inFlight = false;
    for (let i = 0; i < 50 && !inFlight; i++) {
      const logged = (await send(t.emulator.url, 'GET', '/__emulator/calls')).body as { status: number; fault: string }[];
      inFlight = logged.some((c) => c.status === 0 && c.fault === 'latency 300ms');
    }
    expect(inFlight).toBe(true);
    expect((await pending).status).toBe(200);
    expect(t.emulator.calls(SEARCH).at(-1)).toMatchObject({ status: 200, fault: 'latency 300ms' });
  });

  it('drops the connection without answering for reset', async () => {
    t.emulator.use(fault(SEARCH, { reset: true, times: 2 }));
    expect(await failureOf(search())).toBe('ECONNRESET');
    expect(await failureOf(search())).toBe('ECONNRESET');
    expect((await search()).status).toBe(200);
    expect(t.emulator.calls(SEARCH).map((c) => [c.status, c.fault])).toEqual([
      [0, 'reset'],
      [0, 'reset'],
      [200, null],
    ]);
  });

  it('never answers for hang, until the client gives up', async () => {
    t.emulator.use(fault(SEARCH, { hang: true, times: 1 }));
    expect(await failureOf(search(AbortSignal.timeout(200)))).toBe('TimeoutError');
    expect(t.emulator.calls(SEARCH).at(-1)).toMatchObject({ status: 0, fault: 'hang' });
    expect((await search()).status).toBe(200);
  });

  it('lets the first `after` calls through, then applies `times` times, then expires', async () => {
    t.emulator.use(fault(SEARCH, { status: 500, after: 1, times: 2 }));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await search()).status);
    expect(statuses).toEqual([200, 500, 500, 200]);
  });

  it('makes a 429 storm across every endpoint with "*"', async () => {
    t.emulator.use(fault('*', { status: 429, times: 20 }));
    const statuses = [];
    for (let i = 0; i < 21; i++) statuses.push((i % 2 === 0 ? await search() : await groups()).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(429));
    expect(statuses[20]).toBe(200);
    expect(t.emulator.calls((c) => c.status === 429)).toHaveLength(20);
  });

  it('matches "*" on paths outside the contract too', async () => {
    t.emulator.use(fault('*', { status: 503, body: 'html' }));
    expect((await send(t.emulator.url, 'GET', '/nothing/here')).status).toBe(503);
  });

  it('applies the first matching fault, in installation order', async () => {
    t.emulator.use(fault(SEARCH, { status: 502, times: 1 }), fault('*', { status: 503 }));
    expect((await search()).status).toBe(502);
    expect((await search()).status).toBe(503);
    expect((await groups()).status).toBe(503);
  });

  it('accepts routes without the base path, written with the path template', async () => {
    t.emulator.use(fault('POST /users/{user_identifier}/delete', { status: 500 }));
    const result = await t.api.call('POST', '/users/ada/delete', { token: t.admin });
    expect(result.status).toBe(500);
  });

  it('removes every fault on reset()', async () => {
    t.emulator.use(fault('*', { status: 500 }));
    expect((await search()).status).toBe(500);
    t.emulator.reset();
    expect((await search()).status).toBe(200);
    expect(t.emulator.calls()).toHaveLength(1);
  });

  it('rejects unknown routes and inconsistent specs with messages naming the problem', () => {
    expect(() => fault('POST /users/serch', { status: 500 })).toThrow(
      'Unknown route "POST /users/serch": expected "*" or an endpoint of contract.json written as "METHOD /path" with the path template, ' +
        'e.g. "POST /api/rest/2.0/users/search" or "POST /users/{user_identifier}/update".',
    );
    expect(() => fault(SEARCH, { status: 700, times: 0, reset: true })).toThrow(
      'Invalid fault spec: status must be an integer from 200 to 599, but got: 700; times must be a positive integer, but got: 0; ' +
        'reset and hang send no answer, so status, body and retryAfterSeconds cannot be combined with them.',
    );
    expect(() => fault(SEARCH, {})).toThrow(
      'Invalid fault spec: the fault does nothing: give status, body, retryAfterSeconds, latencyMs, reset or hang.',
    );
  });
});

describe('emulator close', () => {
  it('closes while a request hangs', async () => {
    const { emulator, api, admin } = await startTestEmulator({ seed: 'minimal' });
    emulator.use(fault('*', { hang: true }));
    const pending = api.post('/users/search', {}, admin).catch((err: Error) => err);
    for (let i = 0; i < 50 && emulator.calls().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await emulator.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});
