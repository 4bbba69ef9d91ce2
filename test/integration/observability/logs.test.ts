// Logs (issue "Production readiness", item 1): the app's own console logger (pino behind the Logger interface) with its
// lines captured, over HTTP. Every line the adapter writes for a request carries that request's id, credentials
// never reach a line, and what a caller sends is cut to a bound.

import { beforeAll, describe, expect, it } from 'vitest';
import { fault } from '../../../src/emulator/index.js';
import { LOG_REDACTED, MAX_LOG_STRING_LENGTH } from '../../../src/observability/index.js';
import { useTestStack } from '../../support/harness.js';
import { lastSeq } from '../../support/graphql.js';
import { mintTestToken, TEST_AUTH_ENV } from '../../support/tokens.js';
import { captureLog, postQuery } from './support.js';

const log = captureLog();
// One retry, so a fault shows the adapter's retry line.
const stack = useTestStack({ seed: 'demo', logger: log.logger, env: { THOUGHTSPOT_MAX_RETRIES: '1' } });
let url: string;

beforeAll(async () => {
  url = await stack.app.listen(0, '127.0.0.1');
});

const NESTED = `query ObsNested {
  organizations(first: 3) { nodes { name groups(first: 3) { nodes { name members(first: 3) { nodes { username email } } } } } }
}`;

/** The lines written since `from`, parsed. */
function entriesSince(from: number): Record<string, unknown>[] {
  return log.entries().slice(from);
}

describe('logs', () => {
  it("put the request's id on every adapter line it caused, one line per upstream attempt", async () => {
    const since = lastSeq(stack.emulator);
    const from = log.lines.length;
    const response = await postQuery(url, { query: NESTED }, { 'x-request-id': 'obs-log-1' });
    expect(response.json.errors).toBeUndefined();

    const calls = stack.emulator.calls((call) => call.seq > since);
    expect(calls.length).toBeGreaterThan(2);
    const lines = entriesSince(from);
    const adapter = lines.filter((line) => line['message'] === 'ThoughtSpot call');
    expect(adapter.map((line) => line['endpoint']).sort()).toEqual(calls.map((call) => call.endpoint).sort());
    expect(adapter.filter((line) => line['requestId'] !== 'obs-log-1')).toEqual([]);
    expect(lines.find((line) => line['message'] === 'graphql request')).toMatchObject({
      level: 'info',
      requestId: 'obs-log-1',
      operationName: 'ObsNested',
      upstreamCalls: calls.length,
    });
    // The shape readers of this log rely on: level, ISO time, then the request id and the message before the fields.
    const raw = log.lines.slice(from).find((line) => line.includes('"message":"graphql request"')) as string;
    expect(raw).toMatch(/^\{"level":"info","time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","requestId":"obs-log-1","message":"graphql request",/);
  });

  it('keep concurrent requests apart: each adapter line carries the id of the request that caused it', async () => {
    const since = lastSeq(stack.emulator);
    const from = log.lines.length;
    const ids = ['obs-a', 'obs-b', 'obs-c'];
    await Promise.all(
      ids.map((id, index) =>
        postQuery(url, { query: `{ users(first: ${index + 1}) { nodes { username groups(first: 2) { nodes { name } } } } }` }, { 'x-request-id': id }),
      ),
    );
    const calls = stack.emulator.calls((call) => call.seq > since);
    const adapter = entriesSince(from).filter((line) => line['message'] === 'ThoughtSpot call');
    expect(adapter).toHaveLength(calls.length);
    for (const id of ids) {
      const entry = stack.requestLog.find((candidate) => candidate.requestId === id);
      expect(entry, id).toBeDefined();
      expect(adapter.filter((line) => line['requestId'] === id), id).toHaveLength(entry?.upstreamCalls ?? -1);
    }
  });

  it("put the request's id on the adapter's warnings too (a retry)", async () => {
    stack.emulator.use(fault('POST /api/rest/2.0/orgs/search', { status: 503, times: 1 }));
    const from = log.lines.length;
    const response = await postQuery(url, { query: '{ organizations { totalCount } }' }, { 'x-request-id': 'obs-retry' });
    expect(response.json.errors).toBeUndefined();
    expect(entriesSince(from).find((line) => line['message'] === 'retrying ThoughtSpot call')).toMatchObject({
      level: 'warn',
      requestId: 'obs-retry',
      endpoint: 'POST /api/rest/2.0/orgs/search',
      status: 503,
    });
  });

  it('never carry a credential: service secret, minted tokens, caller tokens, or any credential-named field', async () => {
    // ThoughtSpot refuses the cached token once: the adapter signs in again, and says so at info.
    stack.emulator.use(fault('POST /api/rest/2.0/users/search', { status: 401, times: 1 }));
    const callerToken = await mintTestToken({ sub: 'obs-caller' });
    const response = await postQuery(url, { query: '{ users(first: 2) { nodes { username } } }' }, { authorization: `Bearer ${callerToken}` });
    expect(response.json.errors).toBeUndefined();
    // A line written by anyone with credential-named fields is redacted by pino, whatever the writer forgot.
    log.logger.warn('credential fields', {
      authorization: 'Bearer caller-secret-0001',
      headers: { authorization: 'Bearer header-secret-0002', 'set-cookie': 'sid=cookie-secret-0003' },
      input: { password: 'password-secret-0004', secretKey: 'secret-key-0005', nested: { token: 'token-secret-0006' } },
      token: 'token-secret-0007',
    });
    const written = log.entries().at(-1);
    expect(written).toMatchObject({
      authorization: LOG_REDACTED,
      headers: { authorization: LOG_REDACTED, 'set-cookie': LOG_REDACTED },
      input: { password: LOG_REDACTED, secretKey: LOG_REDACTED, nested: { token: LOG_REDACTED } },
      token: LOG_REDACTED,
    });

    const secrets = [
      stack.emulator.adminCredentials.secretKey,
      TEST_AUTH_ENV.AUTH_JWT_SECRET,
      callerToken,
      ...stack.emulator.state.tokens.keys(),
      'caller-secret-0001',
      'header-secret-0002',
      'cookie-secret-0003',
      'password-secret-0004',
      'secret-key-0005',
      'token-secret-0006',
      'token-secret-0007',
    ];
    expect(stack.emulator.state.tokens.size).toBeGreaterThan(1);
    const text = log.lines.join('\n');
    expect(secrets.filter((secret) => text.includes(secret)).map((secret) => `${secret.slice(0, 8)}…`)).toEqual([]);
    expect(log.entries().some((line) => String(line['message']).includes('minting a new one'))).toBe(true);
  });

  it('cut what a caller sends to a bound: a 5,000-character operation name is logged at 2,048 characters', async () => {
    const name = `Op${'x'.repeat(4_998)}`;
    const from = log.lines.length;
    const response = await postQuery(url, { query: `query ${name} { organizations { totalCount } }`, operationName: name }, { 'x-request-id': 'obs-long' });
    expect(response.json.errors).toBeUndefined();
    const entry = entriesSince(from).find((line) => line['message'] === 'graphql request');
    expect(entry?.['operationName']).toBe(`${name.slice(0, MAX_LOG_STRING_LENGTH)}…[${5_000 - MAX_LOG_STRING_LENGTH} more characters]`);
    expect(log.lines.slice(from).every((line) => line.length < 2 * MAX_LOG_STRING_LENGTH + 2_000)).toBe(true);
  });
});
