// Readiness (issue "Production readiness", item 4): `/ready` answers 200 when the default connection answers its
// cheapest authenticated call and the store answers a ping, and 503 naming the failed check otherwise (a faulted
// ThoughtSpot, a closed store, a draining server). `/health` stays a liveness probe that calls nothing.

import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Pool, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { fault, startEmulator } from '../../../src/emulator/index.js';
import { startTestStack, useTestStack, type TestStack } from '../../support/harness.js';
import { authHeader, TEST_AUTH_ENV } from '../../support/tokens.js';

const PROBE = 'GET /api/rest/2.0/auth/session/user';

async function ready(url: string): Promise<{ status: number; body: unknown; text: string }> {
  const response = await fetch(new URL('ready', url));
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as unknown, text };
}

describe('/ready, asking ThoughtSpot on every probe (READY_CACHE_MS=0)', () => {
  // No retries: a faulted probe fails on its first answer.
  const stack = useTestStack({ seed: 'minimal', env: { READY_CACHE_MS: '0', THOUGHTSPOT_MAX_RETRIES: '0' } });
  let url: string;
  beforeAll(async () => {
    url = await stack.app.listen(0, '127.0.0.1');
  });

  it('answers 200 when the default connection and the store answer, with one cheap call to ThoughtSpot', async () => {
    const before = stack.emulator.calls(PROBE).length;
    const answer = await ready(url);
    expect(answer).toMatchObject({ status: 200, body: { status: 'ready', checks: { thoughtspot: 'ok', store: 'ok' } } });
    expect(answer.body).toEqual({ status: 'ready', checks: { thoughtspot: 'ok', store: 'ok' } });
    expect(stack.emulator.calls(PROBE).length).toBe(before + 1);
  });

  it('answers 503 naming the ThoughtSpot check when the cluster fails, without its URL or body, and 200 once it recovers', async () => {
    stack.emulator.use(fault(PROBE, { status: 503, body: 'json' }));
    const down = await ready(url);
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'not ready', checks: { thoughtspot: 'failed', store: 'ok' }, errors: { thoughtspot: 'TS_ERR_UPSTREAM' } });
    expect(down.text).not.toContain(new URL(stack.emulator.url).host);
    stack.emulator.reset();
    stack.emulator.use(fault(PROBE, { reset: true }));
    expect((await ready(url)).body).toMatchObject({ checks: { thoughtspot: 'failed' }, errors: { thoughtspot: 'TS_ERR_NETWORK' } });
    stack.emulator.reset();
    expect((await ready(url)).status).toBe(200);
  });

  it('answers only GET and HEAD', async () => {
    const response = await fetch(new URL('ready', url), { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers 503 naming the store check when the store is closed', async () => {
    // Last in this block: the store stays closed (closing it again at stop is harmless).
    await stack.app.store.close();
    const answer = await ready(url);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ status: 'not ready', checks: { thoughtspot: 'ok', store: 'failed' }, errors: { store: 'STORE_ERR_UNAVAILABLE' } });
    // Not ready, yet alive: /health calls neither, so the orchestrator does not restart the replica.
    const before = stack.emulator.calls().length;
    const health = await fetch(new URL('health', url));
    expect({ status: health.status, body: await health.json() }).toEqual({ status: 200, body: { status: 'ok' } });
    expect(stack.emulator.calls()).toHaveLength(before);
  });
});

describe('/ready with its answer reused (READY_CACHE_MS=60000)', () => {
  let stack: TestStack;
  let url: string;
  beforeAll(async () => {
    stack = await startTestStack({ seed: 'minimal', env: { READY_CACHE_MS: '60000', THOUGHTSPOT_MAX_RETRIES: '0' } });
    url = await stack.app.listen(0, '127.0.0.1');
  });
  afterAll(() => stack.close());

  it('asks ThoughtSpot once however many probes arrive, together or one after the other', async () => {
    const before = stack.emulator.calls(PROBE).length;
    const together = await Promise.all(Array.from({ length: 5 }, () => ready(url)));
    expect(together.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    for (let i = 0; i < 3; i += 1) expect((await ready(url)).status).toBe(200);
    expect(stack.emulator.calls(PROBE).length).toBe(before + 1);
    // Within the period a fault is not seen: the probe costs ThoughtSpot nothing more.
    stack.emulator.use(fault(PROBE, { status: 503 }));
    expect((await ready(url)).status).toBe(200);
    expect(stack.emulator.calls(PROBE).length).toBe(before + 1);
    stack.emulator.reset();
  });
});

describe('/ready during shutdown', () => {
  it('answers 503 to a probe that arrives while the server drains', async () => {
    const emulator = await startEmulator({ seed: 'minimal', host: '127.0.0.1', port: 0, rateLimit: { enabled: false } });
    // Org searches wait at a gate the test opens, so a request is still running when the probe arrives.
    let reachedGate!: () => void;
    const atGate = new Promise<void>((resolve) => (reachedGate = resolve));
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const pool = new Pool(emulator.url, { connections: 4, keepAliveTimeout: 1_000 });
    const gated: Dispatcher = pool.compose((dispatch) => (options, handler) => {
      if (!String(options.path).endsWith('/orgs/search')) return dispatch(options, handler);
      reachedGate();
      void gate.then(() => dispatch(options, handler));
      return true;
    });
    const app = await createApp(
      loadConfig({
        THOUGHTSPOT_URL: emulator.url,
        THOUGHTSPOT_USERNAME: emulator.adminCredentials.username,
        THOUGHTSPOT_SECRET_KEY: emulator.adminCredentials.secretKey,
        THOUGHTSPOT_RATE_LIMIT_RPS: '0',
        LOG_LEVEL: 'silent',
        SHUTDOWN_GRACE_MS: '600000',
        STORE_PATH: ':memory:',
        ...TEST_AUTH_ENV,
      }),
      { dispatcher: gated },
    );
    try {
      const url = await app.listen(0, '127.0.0.1');
      expect((await ready(url)).status).toBe(200);
      // A probe whose request has begun to arrive on a connection of its own: the drain does not close it as idle.
      const probe = connect(Number(new URL(url).port), '127.0.0.1');
      let received = '';
      probe.setEncoding('utf8');
      probe.on('data', (chunk: string) => (received += chunk));
      await once(probe, 'connect');
      await write(probe, 'GET /ready HTTP/1.1\r\nHost: x\r\n');
      const running = fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await authHeader()) },
        body: JSON.stringify({ query: '{ organizations { totalCount } }' }),
      });
      await atGate;
      // One more round trip: once it is back, the server has read the probe's first bytes.
      expect((await fetch(new URL('health', url))).status).toBe(200);

      const stopped = app.stop();
      await write(probe, '\r\n');
      await closed(probe);
      const [head, body] = received.split('\r\n\r\n') as [string, string];
      expect(head).toMatch(/^HTTP\/1\.1 503 /);
      expect(head.toLowerCase()).toContain('\r\nconnection: close');
      expect((JSON.parse(body) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('SHUTTING_DOWN');

      openGate();
      expect((await running).status).toBe(200);
      await stopped;
    } finally {
      openGate();
      await app.stop();
      await pool.close();
      await emulator.close();
    }
  });
});

function write(socket: Socket, text: string): Promise<void> {
  return new Promise((resolve, reject) => socket.write(text, (error) => (error ? reject(error) : resolve())));
}

function closed(socket: Socket): Promise<void> {
  return socket.destroyed ? Promise.resolve() : once(socket, 'close').then(() => undefined);
}
