import { afterEach, describe, expect, it } from 'vitest';
import { fault, startEmulator } from '../../../src/emulator/index.js';
import {
  createThoughtSpotClient,
  ThoughtSpotAuthError,
  ThoughtSpotNetworkError,
  ThoughtSpotProtocolError,
  ThoughtSpotRateLimitError,
  ThoughtSpotServerError,
  ThoughtSpotTimeoutError,
  type ThoughtSpotError,
} from '../../../src/thoughtspot/index.js';
import {
  capture,
  drive,
  driveUntilReceived,
  everythingIn,
  manualClock,
  quiescent,
  recordingPool,
  rejection,
  startStack,
  startVirtualStack,
  type Stack,
} from './support.js';

const SEARCH = 'POST /api/rest/2.0/users/search';
const CREATE = 'POST /api/rest/2.0/users/create';
const UPDATE = 'POST /api/rest/2.0/users/{user_identifier}/update';
const TOKEN = 'POST /api/rest/2.0/auth/token/full';
const PRIMARY = { orgId: 0 };
const ALL = { offset: 0, size: -1 };

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('adapter under rate limiting', () => {
  it('rides out a 429 storm within the deadline', async () => {
    stack = await startStack({}, { timeouts: { deadlineMs: 10_000 } });
    stack.emulator.use(fault(SEARCH, { status: 429, times: 4 }));
    const users = await stack.client.searchUsers(PRIMARY, {}, ALL);
    expect(users.map((user) => user.name)).toContain('tsadmin');
    expect(stack.emulator.calls(SEARCH).map((call) => call.status)).toEqual([429, 429, 429, 429, 200]);
    expect(stack.capture.events.filter((event) => event.endpoint === SEARCH).map((event) => event.errorCode)).toEqual([
      'TS_ERR_RATE_LIMITED',
      'TS_ERR_RATE_LIMITED',
      'TS_ERR_RATE_LIMITED',
      'TS_ERR_RATE_LIMITED',
      null,
    ]);
  });

  it('waits as long as Retry-After says before the next attempt', async () => {
    const virtual = await startVirtualStack();
    stack = virtual;
    virtual.emulator.use(fault(SEARCH, { retryAfterSeconds: 1, times: 1 }));
    const search = virtual.client.searchUsers(PRIMARY, {}, ALL);
    await driveUntilReceived(virtual, SEARCH, 1);
    await quiescent(virtual.client);
    const answeredAt = virtual.clock.now();
    // A millisecond short of the Retry-After, nothing has been re-sent; at the second, the retry goes.
    await virtual.clock.advance(999);
    expect(virtual.emulator.calls(SEARCH)).toHaveLength(1);
    await virtual.clock.advance(1);
    await driveUntilReceived(virtual, SEARCH, 2, 0);
    expect(virtual.clock.now() - answeredAt).toBe(1_000);
    await drive(virtual, search, 0);
    const retry = virtual.capture.lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line['message'] === 'retrying ThoughtSpot call');
    expect(retry).toMatchObject({ endpoint: SEARCH, delayMs: 1_000, retryAfterMs: 1_000, errorCode: 'TS_ERR_RATE_LIMITED' });
    expect(virtual.emulator.calls(SEARCH).map((call) => call.status)).toEqual([429, 200]);
  });

  it('fails at once with the wait when Retry-After exceeds the deadline', async () => {
    stack = await startStack({}, { timeouts: { deadlineMs: 5_000 } });
    stack.emulator.use(fault(SEARCH, { retryAfterSeconds: 60 }));
    const error = await rejection(stack.client.searchUsers(PRIMARY, {}, ALL));
    expect(error).toBeInstanceOf(ThoughtSpotRateLimitError);
    expect((error as ThoughtSpotRateLimitError).retryAfterMs).toBe(60_000);
    expect(stack.emulator.calls(SEARCH)).toHaveLength(1);
  });

  it('gives up with TS_ERR_RATE_LIMITED when the storm outlasts the retries', async () => {
    stack = await startStack({}, { retry: { maxRetries: 2, minDelayMs: 1, maxDelayMs: 5 } });
    stack.emulator.use(fault(SEARCH, { status: 429 }));
    const error = await rejection(stack.client.searchUsers(PRIMARY, {}, ALL));
    expect((error as ThoughtSpotError).code).toBe('TS_ERR_RATE_LIMITED');
    expect((error as ThoughtSpotError).attempts).toBe(3);
    expect(stack.emulator.calls(SEARCH)).toHaveLength(3);
  });

  it('re-sends a write that ThoughtSpot turned away with 429 (it was never executed)', async () => {
    stack = await startStack();
    stack.emulator.use(fault(CREATE, { status: 429, times: 1 }));
    const user = await stack.client.createUser(PRIMARY, { name: 'rl-write', displayName: 'RL', email: 'rl@example.com', password: 'pw-123456' });
    expect(user.name).toBe('rl-write');
    expect(stack.emulator.calls(CREATE).map((call) => call.status)).toEqual([429, 200]);
  });

  it('paces a burst so that the emulator, enforcing 100 requests/s with burst 10, never answers 429', async () => {
    // On one virtual clock, shared with the emulator's limiter and moved only while no request is on the wire, each
    // request reaches the emulator at the moment it left the client. What is tested is the client's pacing alone;
    // with real time, the event loop both sides share bunched arrivals up on a loaded machine.
    const virtual = await startVirtualStack({ rateLimit: { enabled: true, requestsPerSecond: 100, burst: 10 } });
    stack = virtual;
    const calls = Array.from({ length: 150 }, () => virtual.client.searchUsers(PRIMARY, {}, { offset: 0, size: 1 }));
    await drive(virtual, Promise.all(calls), 1_000);
    expect(virtual.emulator.calls((call) => call.fault === 'rate-limit')).toHaveLength(0);
    expect(virtual.emulator.calls(SEARCH)).toHaveLength(150);
    // The token mint and 150 searches at 90/s with a burst of 5: the last left (151 - 6) / 90 s after the first.
    expect(virtual.clock.now()).toBeGreaterThanOrEqual(Math.floor(((151 - 6) * 1000) / 90));
  });
});

describe('adapter retry policy', () => {
  it('retries 502/503/504 on reads, JSON or HTML', async () => {
    stack = await startStack();
    stack.emulator.use(
      fault(SEARCH, { status: 502, body: 'html', times: 1 }),
      fault(SEARCH, { status: 503, times: 1 }),
      fault(SEARCH, { status: 504, body: 'empty', times: 1 }),
    );
    await stack.client.searchUsers(PRIMARY, {}, ALL);
    expect(stack.emulator.calls(SEARCH).map((call) => call.status)).toEqual([502, 503, 504, 200]);
  });

  it('never re-sends a write after a 5xx', async () => {
    stack = await startStack();
    stack.emulator.use(fault(CREATE, { status: 503, body: 'html' }));
    const error = await rejection(
      stack.client.createUser(PRIMARY, { name: 'no-retry', displayName: 'N', email: 'n@example.com', password: 'pw-123456' }),
    );
    expect(error).toBeInstanceOf(ThoughtSpotServerError);
    expect((error as ThoughtSpotServerError).status).toBe(503);
    expect(error.message).toContain('HTML page titled "503 Service Unavailable"');
    expect(stack.emulator.calls(CREATE)).toHaveLength(1);
  });

  it('never re-sends a write whose connection dropped mid-request', async () => {
    stack = await startStack();
    stack.emulator.use(fault(CREATE, { reset: true }));
    const error = await rejection(
      stack.client.createUser(PRIMARY, { name: 'dropped', displayName: 'D', email: 'd@example.com', password: 'pw-123456' }),
    );
    expect(error).toBeInstanceOf(ThoughtSpotNetworkError);
    expect((error as ThoughtSpotNetworkError).notSent).toBe(false);
    expect(stack.emulator.calls(CREATE)).toHaveLength(1);
  });

  it('retries a read whose connection dropped', async () => {
    stack = await startStack();
    stack.emulator.use(fault(SEARCH, { reset: true, times: 2 }));
    await stack.client.searchUsers(PRIMARY, {}, ALL);
    expect(stack.emulator.calls(SEARCH)).toHaveLength(3);
  });

  it('does not retry a plain 500', async () => {
    stack = await startStack();
    stack.emulator.use(fault(SEARCH, { status: 500 }));
    const error = await rejection(stack.client.searchUsers(PRIMARY, {}, ALL));
    expect(error).toBeInstanceOf(ThoughtSpotServerError);
    expect((error as ThoughtSpotServerError).retryable).toBe(false);
    expect(stack.emulator.calls(SEARCH)).toHaveLength(1);
  });
});

describe('adapter token lifecycle', () => {
  it('mints one token for 100 concurrent calls, and one per Org', async () => {
    stack = await startStack({ seed: 'demo' }, { rateLimit: false });
    const tenant = (await stack.client.searchOrgs(PRIMARY, {})).find((org) => org.id !== 0);
    expect(tenant).toBeDefined();
    stack.emulator.clearCalls();
    const client = createThoughtSpotClient({
      baseUrl: stack.emulator.url,
      credentials: { username: stack.username, secretKey: stack.secretKey },
      rateLimit: false,
    });
    try {
      await Promise.all(Array.from({ length: 100 }, () => client.searchUsers(PRIMARY, {}, { offset: 0, size: 1 })));
      expect(stack.emulator.calls(TOKEN)).toHaveLength(1);
      await Promise.all(
        Array.from({ length: 100 }, (_, index) =>
          client.searchGroups({ orgId: index % 2 === 0 ? 0 : (tenant?.id ?? 0) }, {}, { offset: 0, size: 1 }),
        ),
      );
      expect(stack.emulator.calls(TOKEN).map((call) => (call.body as { org_id: number }).org_id)).toEqual([0, tenant?.id]);
    } finally {
      await client.close();
    }
  });

  it('re-mints once and re-sends when ThoughtSpot says a cached token expired', async () => {
    const emulatorClock = manualClock();
    const clientClock = manualClock(emulatorClock.now());
    stack = await startStack({ clock: emulatorClock }, { now: clientClock.now, tokenValiditySeconds: 600 });
    await stack.client.searchUsers(PRIMARY, {}, ALL);
    // Only ThoughtSpot's clock moves: the client still believes in its token (clock skew, or a revocation).
    emulatorClock.advance(601_000);
    await stack.client.searchUsers(PRIMARY, {}, ALL);
    expect(stack.emulator.calls(TOKEN)).toHaveLength(2);
    expect(stack.emulator.calls(SEARCH).map((call) => call.status)).toEqual([200, 401, 200]);
  });

  it('re-mints once on a 401 for a write too, and re-sends it exactly once', async () => {
    const emulatorClock = manualClock();
    stack = await startStack({ clock: emulatorClock }, { now: manualClock(emulatorClock.now()).now, tokenValiditySeconds: 600 });
    await stack.client.getCurrentUser(PRIMARY);
    emulatorClock.advance(601_000);
    await stack.client.updateUser(PRIMARY, 'guest', { displayName: 'Guest (renamed)' });
    expect(stack.emulator.calls(UPDATE).map((call) => call.status)).toEqual([401, 204]);
    const [guest] = await stack.client.searchUsers(PRIMARY, { identifier: 'guest' }, ALL);
    expect(guest?.displayName).toBe('Guest (renamed)');
  });

  it('refreshes a token shortly before it expires, without a 401', async () => {
    const clock = manualClock();
    stack = await startStack({ clock }, { now: clock.now, tokenValiditySeconds: 300 });
    await stack.client.searchUsers(PRIMARY, {}, ALL);
    clock.advance(250_000);
    await stack.client.searchUsers(PRIMARY, {}, ALL);
    expect(stack.emulator.calls(TOKEN)).toHaveLength(1);
    clock.advance(25_000); // 275 s: inside the 30 s refresh window
    await stack.client.searchUsers(PRIMARY, {}, ALL);
    expect(stack.emulator.calls(TOKEN)).toHaveLength(2);
    expect(stack.emulator.calls(SEARCH).every((call) => call.status === 200)).toBe(true);
  });

  it('stops after the one re-mint when ThoughtSpot keeps answering 401', async () => {
    stack = await startStack();
    stack.emulator.use(fault(SEARCH, { status: 401 }));
    const error = await rejection(stack.client.searchUsers(PRIMARY, {}, ALL));
    expect(error).toBeInstanceOf(ThoughtSpotAuthError);
    expect(stack.emulator.calls(SEARCH)).toHaveLength(2);
    expect(stack.emulator.calls(TOKEN)).toHaveLength(2);
  });

  it('reports rejected credentials as TS_ERR_UNAUTHENTICATED and holds further logins', async () => {
    const emulator = await startEmulator({ seed: 'minimal', rateLimit: { enabled: false } });
    const client = createThoughtSpotClient({
      baseUrl: emulator.url,
      credentials: { username: emulator.adminCredentials.username, password: 'wrong-password-123' },
    });
    try {
      const first = await rejection(client.searchUsers(PRIMARY, {}, ALL));
      const second = await rejection(client.getCurrentUser(PRIMARY));
      expect((first as ThoughtSpotError).code).toBe('TS_ERR_UNAUTHENTICATED');
      expect((second as ThoughtSpotError).code).toBe('TS_ERR_UNAUTHENTICATED');
      expect(emulator.calls(TOKEN)).toHaveLength(1);
      expect(emulator.calls(SEARCH)).toHaveLength(0);
    } finally {
      await client.close();
      await emulator.close();
    }
  });
});

describe('adapter timeouts and breaker', () => {
  it('times out a hung read and retries it', async () => {
    // Undici's headers timeout runs on the real clock (checked on a coarse ~0.5 s timer); the call's deadline and the
    // backoff run on the virtual one, so the deadline cannot win the race however slow the machine is.
    const virtual = await startVirtualStack({}, { timeouts: { headersMs: 100, deadlineMs: 10_000 }, retry: { maxRetries: 1, minDelayMs: 1, maxDelayMs: 2 } });
    stack = virtual;
    await drive(virtual, virtual.client.getCurrentUser(PRIMARY));
    virtual.emulator.use(fault(SEARCH, { hang: true }));
    const search = rejection(virtual.client.searchUsers(PRIMARY, {}, ALL));
    await driveUntilReceived(virtual, SEARCH, 2, 2);
    const error = await search;
    expect(error).toBeInstanceOf(ThoughtSpotTimeoutError);
    expect((error as ThoughtSpotTimeoutError).phase).toBe('headers');
    expect((error as ThoughtSpotTimeoutError).attempts).toBe(2);
    expect(virtual.emulator.calls(SEARCH)).toHaveLength(2);
  });

  it('ends a hung call at its deadline', async () => {
    const virtual = await startVirtualStack({}, { timeouts: { headersMs: 60_000, deadlineMs: 300 } });
    stack = virtual;
    await drive(virtual, virtual.client.getCurrentUser(PRIMARY));
    virtual.emulator.use(fault(SEARCH, { hang: true }));
    const search = rejection(virtual.client.searchUsers(PRIMARY, {}, ALL));
    await driveUntilReceived(virtual, SEARCH, 1, 0);
    await virtual.clock.advance(299);
    expect(virtual.client.status?.().inFlight).toBe(1);
    await virtual.clock.advance(1);
    const error = await search;
    expect(error).toBeInstanceOf(ThoughtSpotTimeoutError);
    expect((error as ThoughtSpotTimeoutError).phase).toBe('deadline');
    expect(error.message).toBe(`${SEARCH} (Org 0) did not complete within its deadline of 300 ms.`);
  });

  it('times out a hung write after one attempt', async () => {
    // The deadline is on the virtual clock, which does not move: only undici's headers timeout can end the call.
    const virtual = await startVirtualStack({}, { timeouts: { headersMs: 100, deadlineMs: 2_000 } });
    stack = virtual;
    virtual.emulator.use(fault(CREATE, { hang: true }));
    const create = rejection(
      virtual.client.createUser(PRIMARY, { name: 'hung', displayName: 'H', email: 'h@example.com', password: 'pw-123456' }),
    );
    await driveUntilReceived(virtual, CREATE, 1, 0);
    const error = await create;
    expect(error).toBeInstanceOf(ThoughtSpotTimeoutError);
    expect((error as ThoughtSpotTimeoutError).phase).toBe('headers');
    expect(virtual.emulator.calls(CREATE)).toHaveLength(1);
  });

  it('ends a call at its deadline even while it waits between retries', async () => {
    stack = await startStack({}, { retry: { maxRetries: 10, minDelayMs: 100, maxDelayMs: 100 }, timeouts: { deadlineMs: 250 } });
    stack.emulator.use(fault(SEARCH, { status: 503 }));
    const error = await rejection(stack.client.searchUsers(PRIMARY, {}, ALL));
    expect(['TS_ERR_UPSTREAM', 'TS_ERR_TIMEOUT']).toContain((error as ThoughtSpotError).code);
    // Every backoff is at least 50 ms, so the deadline, not the retry budget of 10, ended the call.
    expect(stack.emulator.calls(SEARCH).length).toBeLessThan(11);
  });

  it('trips the breaker on a dead cluster, fails fast while open, and recovers through one probe', async () => {
    const clock = manualClock();
    const first = await startEmulator({ seed: 'minimal', rateLimit: { enabled: false } });
    const port = first.port;
    const output = capture();
    const client = createThoughtSpotClient({
      baseUrl: first.url,
      credentials: { username: first.adminCredentials.username, secretKey: first.adminCredentials.secretKey },
      now: clock.now,
      breaker: { failureThreshold: 3, cooldownMs: 5_000 },
      retry: { maxRetries: 1, minDelayMs: 1, maxDelayMs: 5 },
      logger: output.logger,
      onUpstreamCall: output.onUpstreamCall,
    });
    let second: Awaited<ReturnType<typeof startEmulator>> | undefined;
    try {
      await client.getCurrentUser(PRIMARY);
      await first.close();

      const failures: string[] = [];
      for (let index = 0; index < 4; index += 1) {
        failures.push(((await rejection(client.searchUsers(PRIMARY, {}, ALL))) as ThoughtSpotError).code);
      }
      expect(failures.slice(0, 1)).toEqual(['TS_ERR_NETWORK']);
      expect(failures.slice(2)).toEqual(['TS_ERR_UNAVAILABLE', 'TS_ERR_UNAVAILABLE']);
      expect(client.status?.()).toMatchObject({ breaker: 'open', inFlight: 0, queued: 0 });
      const attemptsWhileOpen = output.events.length;
      await rejection(client.searchUsers(PRIMARY, {}, ALL));
      expect(output.events).toHaveLength(attemptsWhileOpen);

      second = await startEmulator({ seed: 'minimal', rateLimit: { enabled: false }, port });
      clock.advance(5_000);
      const users = await client.searchUsers(PRIMARY, {}, ALL);
      expect(users.length).toBeGreaterThan(0);
      expect(client.status?.()).toEqual({ breaker: 'closed', inFlight: 0, queued: 0, tokenOrgIds: [0] });
      const transitions = output.lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((line) => typeof line['message'] === 'string' && (line['message'] as string).includes('circuit breaker'))
        .map((line) => `${String(line['from'])}->${String(line['to'])}`);
      expect(transitions).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
    } finally {
      await client.close();
      await first.close();
      await second?.close();
    }
  });
});

describe('adapter on unreadable answers', () => {
  it('turns a malformed JSON success into TS_ERR_PROTOCOL without retrying', async () => {
    stack = await startStack();
    stack.emulator.use(fault(SEARCH, { status: 200, body: '[{"id": "trunc', contentType: 'application/json' }));
    const error = await rejection(stack.client.searchUsers(PRIMARY, {}, ALL));
    expect(error).toBeInstanceOf(ThoughtSpotProtocolError);
    expect(error.message).toContain('a body that is not JSON');
    expect(stack.emulator.calls(SEARCH)).toHaveLength(1);
  });

  it('turns a success of the wrong shape into TS_ERR_PROTOCOL naming the problem', async () => {
    stack = await startStack();
    stack.emulator.use(fault(SEARCH, { status: 200, body: '{"users":[]}', contentType: 'application/json' }));
    const error = await rejection(stack.client.searchUsers(PRIMARY, {}, ALL));
    expect(error.message).toBe(
      `ThoughtSpot's answer to ${SEARCH} does not match the contract: expected users/search response to be an array, but got: object {"users":[]}.`,
    );
  });

  it('turns an HTML page with a 200 into TS_ERR_PROTOCOL and the maintenance page into a retried TS_ERR_UPSTREAM', async () => {
    stack = await startStack({}, { retry: { maxRetries: 1, minDelayMs: 1, maxDelayMs: 2 } });
    stack.emulator.use(fault(SEARCH, { status: 200, body: '<html><head><title>Login</title></head></html>', contentType: 'text/html' }));
    const html = await rejection(stack.client.searchUsers(PRIMARY, {}, ALL));
    expect(html).toBeInstanceOf(ThoughtSpotProtocolError);
    expect(html.message).toContain('HTML page titled "Login"');
    stack.emulator.reset();
    stack.emulator.use(fault(SEARCH, { body: 'maintenance' }));
    const maintenance = await rejection(stack.client.searchUsers(PRIMARY, {}, ALL));
    expect(maintenance).toBeInstanceOf(ThoughtSpotServerError);
    expect(maintenance.message).toContain('maintenance');
    expect(stack.emulator.calls(SEARCH)).toHaveLength(2);
  });

  it('reads the vendor envelope in shape A as well as shape B', async () => {
    stack = await startStack({ fidelity: { errorShape: 'A' } });
    const error = await rejection(stack.client.updateUser(PRIMARY, 'nobody-here', { displayName: 'x' }));
    expect((error as ThoughtSpotError).code).toBe('TS_ERR_NOT_FOUND');
    expect((error as ThoughtSpotError).vendorCode).toBe(10002);
    expect((error as ThoughtSpotError).incidentId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reads permission errors sent as 500 (the live quirk) as TS_ERR_FORBIDDEN', async () => {
    stack = await startStack({ seed: 'demo', fidelity: { permissionErrorsAs500: true } });
    const analyst = (await stack.client.searchUsers(PRIMARY, { accountType: 'LOCAL_USER', privileges: ['DATADOWNLOADING'] }, ALL)).find(
      (user) => !user.privileges.includes('ADMINISTRATION') && !user.privileges.includes('USER_ADMINISTRATION'),
    );
    expect(analyst).toBeDefined();
    const { DEMO_PASSWORD } = await import('../../../src/emulator/seed/index.js');
    const limited = createThoughtSpotClient({
      baseUrl: stack.emulator.url,
      credentials: { username: analyst?.name ?? '', password: DEMO_PASSWORD },
      retry: { maxRetries: 0 },
    });
    try {
      const error = await rejection(limited.createGroup(PRIMARY, { name: 'not-allowed', displayName: 'N' }));
      expect((error as ThoughtSpotError).code).toBe('TS_ERR_FORBIDDEN');
      expect((error as ThoughtSpotError).status).toBe(500);
    } finally {
      await limited.close();
    }
  });
});

describe('adapter redaction', () => {
  it('never lets a token, the secret key or a password reach an error or a log line', async () => {
    const emulator = await startEmulator({ seed: 'minimal', rateLimit: { enabled: false } });
    const pool = recordingPool(emulator.url);
    const output = capture();
    const { username, secretKey } = emulator.adminCredentials;
    const client = createThoughtSpotClient({
      baseUrl: emulator.url,
      credentials: { username, secretKey },
      dispatcher: pool.dispatcher,
      logger: output.logger,
      onUpstreamCall: output.onUpstreamCall,
      retry: { maxRetries: 1, minDelayMs: 1, maxDelayMs: 2 },
      breaker: { failureThreshold: 100 },
    });
    const errors: unknown[] = [];
    const expectFailure = async (promise: Promise<unknown>): Promise<void> => {
      errors.push(await rejection(promise));
    };
    try {
      await client.getCurrentUser(PRIMARY);
      const [serviceToken] = [...pool.tokens];
      expect(serviceToken).toBeDefined();
      const userToken = (await client.mintUserToken({ username: 'guest', orgId: 0 })).token;
      const newPassword = 'n3w-Passw0rd-value';
      // Upstream answers that echo credentials back, in every envelope and in HTML.
      const echo = `token ${serviceToken} key ${secretKey} user token ${userToken} Authorization: Bearer ${serviceToken}`;
      const echoWithPassword = `${echo} new password ${newPassword} {"new_password":"${newPassword}"}`;
      emulator.use(
        fault(SEARCH, { status: 400, body: JSON.stringify({ error: { message: { debug: { code: 10002, debug: JSON.stringify([echo]) } } } }), contentType: 'application/json', times: 1 }),
        fault(SEARCH, { status: 400, body: JSON.stringify({ code: 10002, debug: echo }), contentType: 'application/json', times: 1 }),
        fault(SEARCH, { status: 503, body: `<html><head><title>${echo}</title></head><body>${echo}</body></html>`, contentType: 'text/html', times: 2 }),
        fault(SEARCH, { status: 200, body: `not json ${echo}`, contentType: 'application/json', times: 1 }),
        fault('POST /api/rest/2.0/users/reset-password', { status: 400, body: JSON.stringify({ error: { message: { code: 10002, debug: echoWithPassword } } }), contentType: 'application/json' }),
      );
      await expectFailure(client.searchUsers(PRIMARY, {}, ALL));
      await expectFailure(client.searchUsers(PRIMARY, {}, ALL));
      await expectFailure(client.searchUsers(PRIMARY, {}, ALL));
      await expectFailure(client.searchUsers(PRIMARY, {}, ALL));
      await expectFailure(client.resetUserPassword(PRIMARY, 'guest', newPassword));
      await expectFailure(client.revokeToken(PRIMARY, 'not-a-real-token-value'));
      emulator.reset();
      await emulator.close();
      await expectFailure(client.searchUsers(PRIMARY, {}, ALL));
      await expectFailure(client.createUser(PRIMARY, { name: 'x', displayName: 'x', email: 'x@example.com', password: newPassword }));

      expect(errors).toHaveLength(8);
      const haystack = [...output.lines, ...errors.map(everythingIn)].join('\n');
      expect(haystack).toContain('[REDACTED]');
      for (const secret of [secretKey, serviceToken ?? '', userToken, newPassword, ...pool.tokens]) {
        expect(secret.length).toBeGreaterThan(5);
        expect(haystack).not.toContain(secret);
      }
    } finally {
      await client.close();
      await pool.close();
      await emulator.close();
    }
  });
});
