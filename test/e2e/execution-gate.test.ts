// The execution gate over HTTP (plugins/execution-gate.ts): at most EXECUTION_CAPACITY units of operations execute, the
// rest wait their turn by caller, and a full queue is refused with a coded 503 before any upstream call. Upstream
// `orgs/search` calls wait at a gate this test opens, so "executing" and "waiting" are facts, not timings; the test
// reads the queue's length from /metrics, as an operator would.

import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startEmulator } from '../../src/emulator/index.js';
import { byLabel, parseMetrics } from '../support/prometheus.js';
import { authHeader, TEST_AUTH_ENV } from '../support/tokens.js';
import { upstreamGate } from '../support/upstream-gate.js';

const byName = (name: string): string => JSON.stringify({ query: `{ organizationByName(name: "${name}") { name } }` });

describe('the execution gate', () => {
  // What the test started, stopped in order after it: the upstream gate opened first, so nothing waits on it.
  const teardown: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const step of teardown.splice(0)) await step();
  });
  let open: () => void = () => undefined;

  async function start(env: Record<string, string> = {}): Promise<{ url: string; reached: () => number; app: App }> {
    const emulator = await startEmulator({ seed: 'minimal', host: '127.0.0.1', port: 0, rateLimit: { enabled: false } });
    const gate = upstreamGate(emulator.url, '/orgs/search');
    open = gate.open;
    const config = loadConfig({
      ...TEST_AUTH_ENV,
      THOUGHTSPOT_URL: emulator.url,
      THOUGHTSPOT_USERNAME: emulator.adminCredentials.username,
      THOUGHTSPOT_SECRET_KEY: emulator.adminCredentials.secretKey,
      EXECUTION_CAPACITY: '1',
      EXECUTION_QUEUE_MAX: '3',
      METRICS_ENABLED: 'true',
      THOUGHTSPOT_RATE_LIMIT_RPS: '0',
      LOG_LEVEL: 'silent',
      STORE_PATH: ':memory:',
      ...env,
    });
    const app: App = await createApp(config, { dispatcher: gate.dispatcher });
    teardown.push(gate.open, () => app.stop(), () => gate.pool.destroy(), () => emulator.close());
    return { url: await app.listen(0, '127.0.0.1'), reached: gate.reached, app };
  }

  async function post(url: string, body: string, sub: string): Promise<{ status: number; headers: Record<string, unknown>; json: unknown }> {
    const answer = await request(`${url}graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await authHeader({ sub })) },
      body,
    });
    return { status: answer.statusCode, headers: answer.headers, json: await answer.body.json() };
  }

  async function executions(url: string): Promise<Record<string, number>> {
    const scraped = await request(`${url}metrics`);
    return byLabel(parseMetrics(await scraped.body.text()), 'graphql_executions', 'state');
  }

  /** Waits until the gate holds `queued` operations (each check is a /metrics round trip). */
  async function queuedReaches(url: string, queued: number): Promise<void> {
    for (;;) {
      const now = await executions(url);
      if (now['queued'] === queued) return;
      if ((now['queued'] ?? 0) > queued) throw new Error(`Expected ${queued} queued operations, but found ${now['queued']}.`);
    }
  }

  it('runs one operation at a time, serves the waiting ones by caller in turn, and refuses one beyond the queue with a coded 503', async () => {
    const { url, reached } = await start();
    const order: string[] = [];
    const track = (name: string, sub: string) =>
      post(url, byName(name), sub).then((answer) => {
        order.push(name);
        return answer;
      });
    // alice's first operation executes and waits upstream; her next two and bob's one wait at the gate.
    const running = track('alice-1', 'alice');
    while (reached() < 1) await executions(url);
    const waiting = [track('alice-2', 'alice')];
    await queuedReaches(url, 1);
    waiting.push(track('alice-3', 'alice'));
    await queuedReaches(url, 2);
    waiting.push(track('bob-1', 'bob'));
    await queuedReaches(url, 3);
    expect(await executions(url)).toEqual({ running: 1, queued: 3 });
    expect(reached()).toBe(1);

    // The queue is full: the next operation is refused at once, having cost nothing upstream.
    const refused = await post(url, byName('carol-1'), 'carol');
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json).toEqual({
      errors: [{ message: 'The directory service is busy with other requests; try again shortly.', extensions: { code: 'OVERLOADED' } }],
    });
    expect(reached()).toBe(1);

    open();
    const answers = await Promise.all([running, ...waiting]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ data: { organizationByName: null } });
    }
    // alice-2 was first in line; then bob, whose turn came before alice's third.
    expect(order).toEqual(['alice-1', 'alice-2', 'bob-1', 'alice-3']);
    expect(reached()).toBe(4);
    expect(await executions(url)).toEqual({ running: 0, queued: 0 });
  });

  it('lets an operation the checks refuse answer at once, without waiting for a turn', async () => {
    const { url, reached } = await start();
    const running = post(url, byName('alice-1'), 'alice');
    while (reached() < 1) await executions(url);
    // Too deep for QUERY_MAX_DEPTH and unauthorised for the scope: both answered while the one slot is taken.
    const deep = `{ organizations { nodes { groups { nodes { members { nodes { groups { nodes { members { nodes { groups { nodes { name } } } } } } } } } } } } }`;
    const tooDeep = await post(url, JSON.stringify({ query: deep }), 'bob');
    expect(tooDeep.status).toBe(400);
    expect(JSON.stringify(tooDeep.json)).toContain('QUERY_TOO_COMPLEX');
    const forbidden = await request(`${url}graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await authHeader({ sub: 'carol', scope: 'directory:embed' })) },
      body: byName('x'),
    });
    expect(forbidden.statusCode).toBe(403);
    await forbidden.body.dump();
    expect(await executions(url)).toEqual({ running: 1, queued: 0 });
    open();
    expect((await running).status).toBe(200);
  });

  it('answers an operation still waiting when the shutdown grace period ends with the coded 503, and never runs it', async () => {
    // The running operation waits upstream until the gate opens, which the test never does before the end: so both
    // are still unfinished when the 100 ms grace period ends, whatever the machine's speed.
    const { url, reached, app } = await start({ SHUTDOWN_GRACE_MS: '100' });
    const running = post(url, byName('alice-1'), 'alice');
    while (reached() < 1) await executions(url);
    const queued = post(url, byName('bob-1'), 'bob');
    await queuedReaches(url, 1);
    const stopped = app.stop();
    const answers = await Promise.all([running, queued]);
    const shuttingDown = { errors: [{ message: 'The server is shutting down; retry on another instance.', extensions: { code: 'SHUTTING_DOWN' } }] };
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.json).toEqual(shuttingDown);
    }
    await stopped;
    // The waiting operation never reached ThoughtSpot.
    expect(reached()).toBe(1);
  });
});
