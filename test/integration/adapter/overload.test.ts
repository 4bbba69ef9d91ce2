import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { fault } from '../../../src/emulator/index.js';
import {
  ThoughtSpotAbortedError,
  ThoughtSpotOverloadedError,
  ThoughtSpotServerError,
  ThoughtSpotTimeoutError,
  type CallContext,
} from '../../../src/thoughtspot/index.js';
import {
  drive,
  driveUntilReceived,
  everythingIn,
  quiescent,
  rejection,
  startStack,
  startVirtualStack,
  type Stack,
  type VirtualStack,
} from './support.js';

const SEARCH_USERS = 'POST /api/rest/2.0/users/search';
const SEARCH_GROUPS = 'POST /api/rest/2.0/groups/search';
const TOKEN = 'POST /api/rest/2.0/auth/token/full';
const PRIMARY = { orgId: 0 };
const ONE = { offset: 0, size: 1 };

let stack: Stack | VirtualStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** The marker a test puts in a search's `name_pattern`, read back from the emulator's call log. */
function markersSent(virtual: VirtualStack): string[] {
  return virtual.emulator.calls(SEARCH_USERS).map((call) => String((call.body as { name_pattern?: unknown }).name_pattern));
}

/** A request scope as the app keeps it in AsyncLocalStorage: the object is the flow, its signal bounds the calls. */
interface Scope {
  readonly name: string;
  readonly signal?: AbortSignal;
}

describe('adapter under its own overload', () => {
  it('fails calls that run out of time in its own queues with TS_ERR_OVERLOADED, sends none of them, and keeps the breaker closed', async () => {
    const scopes = new AsyncLocalStorage<Scope>();
    // A tiny rate (one call a second), four slots, and a breaker that opens on the first failure it is told about.
    const virtual = await startVirtualStack(
      {},
      {
        rateLimit: { requestsPerSecond: 1, burst: 1 },
        maxConcurrency: 4,
        breaker: { failureThreshold: 1 },
        callContext: () => scopes.getStore(),
      },
    );
    stack = virtual;
    await drive(virtual, virtual.client.getCurrentUser(PRIMARY));
    const search = (marker: string, deadlineMs?: number): Promise<string | unknown> =>
      virtual.client.searchUsers(PRIMARY, { namePattern: marker }, ONE, deadlineMs === undefined ? undefined : { deadlineMs }).then(
        () => marker,
        (error: unknown) => error,
      );
    // A heavy request with the default deadline fills the slots and the rate budget for eight seconds; three light
    // requests with 2.5 s deadlines queue behind it.
    const heavy = scopes.run({ name: 'heavy' }, () => Array.from({ length: 8 }, (_, index) => search(`heavy-${index}`)));
    const light = [1, 2, 3].flatMap((request) =>
      scopes.run({ name: `light ${request}` }, () => Array.from({ length: 4 }, (_, index) => search(`light-${request}-${index}`, 2_500))),
    );
    const [heavyResults, lightResults] = await drive(virtual, Promise.all([Promise.all(heavy), Promise.all(light)]));

    expect(heavyResults).toEqual(Array.from({ length: 8 }, (_, index) => `heavy-${index}`));
    const overloaded = lightResults.filter((result): result is ThoughtSpotOverloadedError => result instanceof ThoughtSpotOverloadedError);
    expect(overloaded).toHaveLength(12);
    // Exactly the heavy request's calls reached ThoughtSpot; not one overloaded call did.
    expect(markersSent(virtual).sort()).toEqual([...heavyResults].sort());
    // Some waited for a concurrency slot until their deadline passed; the others got a slot, and the rate limiter saw
    // their turn would come after their deadline.
    expect(new Set(overloaded.map((error) => error.queue))).toEqual(new Set(['rate-limit', 'concurrency']));
    for (const error of overloaded) {
      expect(error.code).toBe('TS_ERR_OVERLOADED');
      expect(error.retryable).toBe(false);
      expect(error.attempts).toBe(0);
      expect(error.status).toBeUndefined();
      expect(error.message).toMatch(
        new RegExp(`^${SEARCH_USERS.replace(/[/.]/g, '\\$&')} waited in this client's own queue for ${error.waitedMs} ms and was not sent to ThoughtSpot: `),
      );
    }
    const timedOut = overloaded.find((error) => error.queue === 'concurrency');
    expect(timedOut?.message).toBe(
      `${SEARCH_USERS} waited in this client's own queue for 2500 ms and was not sent to ThoughtSpot: its deadline of 2500 ms passed while it waited for a concurrency slot.`,
    );
    expect(virtual.client.status?.()).toMatchObject({ breaker: 'closed', inFlight: 0, queued: 0 });
    expect(virtual.capture.events.every((event) => event.errorCode === null)).toBe(true);
  });

  it('does not count a deadline cut against ThoughtSpot when the call left with too little of its deadline', async () => {
    const virtual = await startVirtualStack({}, { rateLimit: { requestsPerSecond: 1, burst: 0 }, breaker: { failureThreshold: 1 } });
    stack = virtual;
    // The token mint takes the slot at 0 s, this call the one at 1 s.
    await drive(virtual, virtual.client.getCurrentUser(PRIMARY));
    virtual.emulator.use(fault(SEARCH_USERS, { hang: true }));

    // Queued until 2 s, then sent with 200 ms of its 1,200 left; ThoughtSpot never answers.
    const late = rejection(virtual.client.searchUsers(PRIMARY, {}, ONE, { deadlineMs: 1_200 }));
    await driveUntilReceived(virtual, SEARCH_USERS, 1);
    expect(virtual.clock.now()).toBe(2_000);
    await virtual.clock.advance(200);
    const lateError = await late;
    expect(lateError).toBeInstanceOf(ThoughtSpotTimeoutError);
    expect((lateError as ThoughtSpotTimeoutError).phase).toBe('deadline');
    expect((lateError as ThoughtSpotTimeoutError).attempts).toBe(1);
    expect(virtual.client.status?.().breaker).toBe('closed');

    // Sent at once with its whole 1,200 ms: ThoughtSpot's silence is now evidence, and the breaker opens.
    await virtual.clock.advance(1_000);
    const early = rejection(virtual.client.searchUsers(PRIMARY, {}, ONE, { deadlineMs: 1_200 }));
    await driveUntilReceived(virtual, SEARCH_USERS, 2);
    expect(virtual.clock.now()).toBe(3_200);
    await virtual.clock.advance(1_200);
    expect(((await early) as ThoughtSpotTimeoutError).phase).toBe('deadline');
    expect(virtual.client.status?.().breaker).toBe('open');
  });

  it('reports what ThoughtSpot said last when its own queues cannot fit the retry before the deadline', async () => {
    const virtual = await startVirtualStack({}, { rateLimit: { requestsPerSecond: 1, burst: 1 } });
    stack = virtual;
    virtual.emulator.use(fault(SEARCH_USERS, { status: 503, times: 1 }));
    // The mint and the first attempt take the bucket's two slots; the retry's would come a second later.
    const error = await drive(virtual, rejection(virtual.client.searchUsers(PRIMARY, {}, ONE, { deadlineMs: 800 })));
    expect(error).toBeInstanceOf(ThoughtSpotServerError);
    expect((error as ThoughtSpotServerError).status).toBe(503);
    expect((error as ThoughtSpotServerError).attempts).toBe(1);
    expect(virtual.emulator.calls(SEARCH_USERS)).toHaveLength(1);
  });

  it('fails a call that waited out its deadline for a token mint still queued in the client with TS_ERR_OVERLOADED', async () => {
    const virtual = await startVirtualStack({}, { rateLimit: { requestsPerSecond: 1, burst: 0 } });
    stack = virtual;
    // An end-user mint (no service token needed) takes the only slot, so the service token's mint waits a second.
    await drive(virtual, virtual.client.mintUserToken({ username: 'guest', orgId: 0 }));
    const waiting = rejection(virtual.client.searchUsers(PRIMARY, {}, ONE, { deadlineMs: 500 }));
    const error = await drive(virtual, waiting);
    expect(error).toBeInstanceOf(ThoughtSpotOverloadedError);
    expect((error as ThoughtSpotOverloadedError).queue).toBe('token');
    expect(error.message).toBe(
      `${SEARCH_USERS} waited in this client's own queue for 500 ms and was not sent to ThoughtSpot: its deadline of 500 ms passed while it waited for the service token to be minted.`,
    );
    expect(virtual.emulator.calls((call) => call.endpoint === TOKEN && (call.body as { username?: unknown }).username === virtual.username)).toHaveLength(0);
  });

  it('reports TS_ERR_TIMEOUT, not overload, when the token mint it waited for was with ThoughtSpot', async () => {
    const virtual = await startVirtualStack({}, { rateLimit: false });
    stack = virtual;
    virtual.emulator.use(fault(TOKEN, { hang: true }));
    const waiting = rejection(virtual.client.searchUsers(PRIMARY, {}, ONE, { deadlineMs: 500 }));
    await driveUntilReceived(virtual, TOKEN, 1);
    await virtual.clock.advance(500);
    const error = await waiting;
    expect(error).toBeInstanceOf(ThoughtSpotTimeoutError);
    expect((error as ThoughtSpotTimeoutError).phase).toBe('deadline');
    expect((error as ThoughtSpotTimeoutError).attempts).toBe(0);
    expect(virtual.emulator.calls(TOKEN)).toHaveLength(1);
    // Let the hung mint reach its own deadline, so closing the client does not wait for it.
    await virtual.clock.advance(20_000);
  });
});

describe('adapter with an ambient call context', () => {
  it('serves a request with one call between the calls of a request with a hundred', async () => {
    const scopes = new AsyncLocalStorage<Scope>();
    const virtual = await startVirtualStack({}, { rateLimit: { requestsPerSecond: 100, burst: 0 }, callContext: () => scopes.getStore() });
    stack = virtual;
    await drive(virtual, virtual.client.getCurrentUser(PRIMARY));
    const heavy = scopes.run({ name: 'heavy' }, () => Array.from({ length: 100 }, () => virtual.client.searchUsers(PRIMARY, {}, ONE)));
    await quiescent(virtual.client);
    expect(virtual.client.status?.().queued).toBe(100);
    const light = scopes.run({ name: 'light' }, () => virtual.client.searchGroups(PRIMARY, {}, ONE));
    await drive(virtual, Promise.all([...heavy, light]), 1_000);

    const order = virtual.emulator.calls((call) => call.endpoint === SEARCH_USERS || call.endpoint === SEARCH_GROUPS).map((call) => call.endpoint);
    // One turn for the heavy request at the concurrency cap, then one at the rate limiter, each before the light
    // request's; in one FIFO it would have come 101st.
    expect(order.indexOf(SEARCH_GROUPS)).toBeLessThanOrEqual(3);
    expect(order).toHaveLength(101);
  });

  it('bounds a call by the context signal and keeps its reason, while queued and while on the wire', async () => {
    const scopes = new AsyncLocalStorage<Scope>();
    const virtual = await startVirtualStack({}, { rateLimit: { requestsPerSecond: 1, burst: 1 }, callContext: () => scopes.getStore() });
    stack = virtual;
    await drive(virtual, virtual.client.getCurrentUser(PRIMARY));

    class RequestDeadline extends Error {}
    const queuedScope = new AbortController();
    const queuedReason = new RequestDeadline('the request ran past its deadline');
    const queued = scopes.run({ name: 'queued', signal: queuedScope.signal }, () => rejection(virtual.client.searchUsers(PRIMARY, {}, ONE)));
    await quiescent(virtual.client);
    expect(virtual.client.status?.().queued).toBe(1);
    queuedScope.abort(queuedReason);
    const aborted = await queued;
    expect(aborted).toBeInstanceOf(ThoughtSpotAbortedError);
    expect((aborted as ThoughtSpotAbortedError).reason).toBe(queuedReason);
    expect(aborted.message).toBe(`${SEARCH_USERS} was aborted by the caller.`);

    virtual.emulator.use(fault(SEARCH_GROUPS, { hang: true }));
    const wireScope = new AbortController();
    const wireReason = new RequestDeadline('the request spent its upstream budget');
    const onWire = scopes.run({ name: 'on the wire', signal: wireScope.signal }, () => rejection(virtual.client.searchGroups(PRIMARY, {}, ONE)));
    await driveUntilReceived(virtual, SEARCH_GROUPS, 1);
    wireScope.abort(wireReason);
    expect(((await onWire) as ThoughtSpotAbortedError).reason).toBe(wireReason);
    expect(virtual.emulator.calls(SEARCH_USERS)).toHaveLength(0);
    expect(virtual.client.status?.().breaker).toBe('closed');
  });

  it('combines the context signal with the per-call signal: whichever fires first, with its own reason', async () => {
    const context = new AbortController();
    stack = await startStack({}, { callContext: () => ({ signal: context.signal }) });
    await stack.client.getCurrentUser(PRIMARY);
    const perCall = new AbortController();
    perCall.abort('per-call reason');
    const first = await rejection(stack.client.searchUsers(PRIMARY, {}, ONE, { signal: perCall.signal }));
    expect((first as ThoughtSpotAbortedError).reason).toBe('per-call reason');
    context.abort('context reason');
    const second = await rejection(stack.client.searchUsers(PRIMARY, {}, ONE, { signal: new AbortController().signal }));
    expect((second as ThoughtSpotAbortedError).reason).toBe('context reason');
    expect(stack.emulator.calls(SEARCH_USERS)).toHaveLength(0);
  });

  it('asks beforeSend before every attempt and sends nothing it refuses, with its reason on the abort', async () => {
    let allowed = 2;
    const refusal = new Error('budget spent');
    stack = await startStack({}, {
      callContext: () => ({
        beforeSend: () => {
          if (allowed === 0) throw refusal;
          allowed -= 1;
        },
      }),
    });
    await stack.client.searchUsers(PRIMARY, {}, ONE);
    await stack.client.searchUsers(PRIMARY, {}, ONE);
    const third = await rejection(stack.client.searchUsers(PRIMARY, {}, ONE));
    expect(third).toBeInstanceOf(ThoughtSpotAbortedError);
    expect((third as ThoughtSpotAbortedError).reason).toBe(refusal);
    expect(stack.emulator.calls(SEARCH_USERS)).toHaveLength(2);
    // Token mints serve every request: the context is not asked about them.
    expect(stack.emulator.calls(TOKEN)).toHaveLength(1);
    expect(stack.client.status?.().breaker).toBe('closed');
  });

  it('runs a call without a context when callContext throws, and says so in the log', async () => {
    stack = await startStack({}, {
      callContext: (): CallContext => {
        throw new Error('no request scope here');
      },
    });
    await expect(stack.client.searchUsers(PRIMARY, {}, ONE)).resolves.toHaveLength(1);
    const warnings = stack.capture.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['level'] === 'warn');
    expect(warnings.map((line) => line['message'])).toContain('callContext threw; running the call without a context');
  });

  it('keeps minting the service token for every waiting request when the request that started the mint is aborted', async () => {
    const scopes = new AsyncLocalStorage<Scope>();
    const virtual = await startVirtualStack({}, { rateLimit: { requestsPerSecond: 10, burst: 0 }, callContext: () => scopes.getStore() });
    stack = virtual;
    // An end-user mint takes the only slot, so the service token's mint queues for 100 ms.
    await drive(virtual, virtual.client.mintUserToken({ username: 'guest', orgId: 0 }));
    const first = new AbortController();
    const starter = scopes.run({ name: 'starter', signal: first.signal }, () => rejection(virtual.client.searchUsers(PRIMARY, {}, ONE)));
    const other = scopes.run({ name: 'other' }, () => virtual.client.searchGroups(PRIMARY, {}, ONE));
    await quiescent(virtual.client);
    first.abort('starter gave up');
    expect(((await starter) as ThoughtSpotAbortedError).reason).toBe('starter gave up');
    await expect(drive(virtual, other)).resolves.toHaveLength(1);
    expect(virtual.emulator.calls((call) => call.endpoint === TOKEN && (call.body as { username?: unknown }).username === virtual.username)).toHaveLength(1);
  });
});

describe('adapter redaction after many token mints', () => {
  it('still redacts the secret key after more than 512 minted tokens', async () => {
    stack = await startStack({}, { rateLimit: false, retry: { maxRetries: 0 } });
    const client = stack.client;
    await Promise.all(Array.from({ length: 520 }, () => client.mintUserToken({ username: 'guest', orgId: 0 })));
    const echo = `key ${stack.secretKey} echoed`;
    stack.emulator.use(fault(SEARCH_USERS, { status: 400, body: JSON.stringify({ code: 10002, debug: echo }), contentType: 'application/json' }));
    const error = await rejection(client.searchUsers(PRIMARY, {}, ONE));
    expect(everythingIn(error)).not.toContain(stack.secretKey);
    expect(everythingIn(error)).toContain('key [REDACTED] echoed');
    // 520 real mints: the emulator takes a few milliseconds over each.
  }, 30_000);
});
