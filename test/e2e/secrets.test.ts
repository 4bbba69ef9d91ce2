// No secret ever leaves the subgraph (issue "Callers, tenants and connections"): a workload that touches every path a
// credential travels (service-account sign-in and re-sign-in after a 401, registered connections with a secret key
// or a password, a connection tested with a wrong credential, caller tokens accepted and refused, masked upstream
// failures, the audit log) runs over HTTP with debug logging captured; then every credential, key and token that was
// used (the service accounts', the connections', SECRETS_KEY, the JWT secret, every caller token, every ThoughtSpot
// token the emulators minted) is searched for in every log line, response body and header, and in the audit log.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createConsoleLogger, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { fault, startEmulator, type Emulator } from '../../src/emulator/index.js';
import { mintTestToken, TEST_AUTH_ENV } from '../support/tokens.js';

const SECRETS_KEY = randomBytes(32).toString('base64');
const CONNECTION_PASSWORD = `pw-${randomBytes(12).toString('hex')}`;
const WRONG_SECRET = `wrong-${randomBytes(12).toString('hex')}`;

let primary: Emulator;
let other: Emulator;
let app: App;
let url: string;
const lines: string[] = [];
const seen: string[] = [];
const callerTokens: string[] = [];

beforeAll(async () => {
  primary = await startEmulator({ seed: 'demo', host: '127.0.0.1', port: 0, rateLimit: { enabled: false } });
  other = await startEmulator({ seed: 'minimal', host: '127.0.0.1', port: 0, rateLimit: { enabled: false } });
  const config = loadConfig({
    THOUGHTSPOT_URL: primary.url,
    THOUGHTSPOT_USERNAME: primary.adminCredentials.username,
    THOUGHTSPOT_SECRET_KEY: primary.adminCredentials.secretKey,
    THOUGHTSPOT_CONNECTION_ID: 'test',
    THOUGHTSPOT_RATE_LIMIT_RPS: '0',
    LOG_LEVEL: 'debug',
    STORE_PATH: ':memory:',
    SECRETS_KEY,
    ...TEST_AUTH_ENV,
  });
  app = await createApp(config, { logger: createConsoleLogger('debug', (line) => lines.push(line)) });
  url = await app.listen(0, '127.0.0.1');
});

afterAll(async () => {
  await app.stop();
  await Promise.all([primary.close(), other.close()]);
});

/** Posts `query` with `token` (null: none) and keeps everything the client received. */
async function post(token: string | null, query: string): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) {
    headers['authorization'] = `Bearer ${token}`;
    callerTokens.push(token);
  }
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query }) });
  const text = await response.text();
  seen.push(text, JSON.stringify([...response.headers]));
  return JSON.parse(text) as unknown;
}

describe('secrets', () => {
  it('appear in no log line, response or audit event after a workload that handles all of them', async () => {
    const admin = await mintTestToken({ sub: 'ops-admin' });
    await post(admin, '{ organizations(first: 3) { nodes { name groups(first: 3) { nodes { members(first: 3) { nodes { username email } } } } } } }');
    // ThoughtSpot rejects the service account's token once: the adapter signs in again.
    primary.use(fault('POST /api/rest/2.0/users/search', { status: 401, times: 1 }));
    await post(admin, '{ users(first: 2) { nodes { username } } }');
    // An upstream failure whose body would carry anything: masked for the client, logged redacted.
    primary.use(fault('POST /api/rest/2.0/groups/search', { status: 500, body: 'json', times: 4 }));
    await post(admin, '{ groups(first: 2) { nodes { name } } }');

    await post(admin, `mutation { thoughtSpotConnectionCreate(input: { id: "other", name: "Other", baseUrl: "${other.url}", username: "${other.adminCredentials.username}", secretKey: "${other.adminCredentials.secretKey}" }) { connection { id } userErrors { code } } }`);
    await post(admin, `mutation { thoughtSpotConnectionCreate(input: { id: "by-password", name: "P", baseUrl: "${other.url}", username: "${other.adminCredentials.username}", password: "${CONNECTION_PASSWORD}" }) { connection { id } userErrors { code } } }`);
    await post(admin, 'mutation { thoughtSpotConnectionTest(input: { id: "other" }) { connection { health { status message } } } }');
    await post(admin, 'mutation { thoughtSpotConnectionTest(input: { id: "by-password" }) { connection { health { status message } } } }');
    await post(admin, `mutation { thoughtSpotConnectionUpdate(input: { id: "other", secretKey: "${WRONG_SECRET}" }) { connection { id } } }`);
    await post(admin, 'mutation { thoughtSpotConnectionTest(input: { id: "other" }) { connection { health { status message } } } }');
    await post(await mintTestToken({ conn: 'other', scope: 'directory:read' }), '{ organizations { nodes { name } } }');
    await post(await mintTestToken({ scope: 'directory:write' }), `mutation { thoughtSpotConnectionCreate(input: { id: "x", name: "x", baseUrl: "${other.url}", username: "u", password: "${CONNECTION_PASSWORD}" }) { connection { id } } }`);
    await post(admin, '{ auditEvents(first: 100) { nodes { operation input outcome errorCode } } thoughtSpotConnections { id baseUrl username health { message } } }');
    await post(await mintTestToken({ expiresInS: -60 }), '{ organizations { totalCount } }');
    await post(await mintTestToken({ secret: 'a-different-secret-that-is-long-enough-01234' }), '{ organizations { totalCount } }');
    await post('definitely.not.ajwt', '{ organizations { totalCount } }');

    // The workload did what it says: both connections registered, both wrong credentials (the made-up password, the
    // replaced key) found out by their tests, the intruder refused.
    const connections = await app.store.connections.list();
    expect(connections.map((c) => [c.id, c.healthCheck?.status])).toEqual([
      ['by-password', 'UNHEALTHY'],
      ['other', 'UNHEALTHY'],
    ]);
    const outcomes = (await app.store.audit.list({}, { first: 100 })).edges.map((edge) => edge.node.outcome);
    expect(new Set(outcomes)).toEqual(new Set(['SUCCESS', 'DENIED']));

    const minted = [...primary.state.tokens.keys(), ...other.state.tokens.keys()];
    expect(minted.length).toBeGreaterThan(2);
    const secrets = [
      primary.adminCredentials.secretKey,
      other.adminCredentials.secretKey,
      CONNECTION_PASSWORD,
      WRONG_SECRET,
      SECRETS_KEY,
      Buffer.from(SECRETS_KEY, 'base64').toString('hex'),
      TEST_AUTH_ENV.AUTH_JWT_SECRET,
      ...callerTokens,
      ...minted,
    ];
    const audit = JSON.stringify(await app.store.audit.list({}, { first: 100 }));
    const stored = JSON.stringify(await app.store.connections.list());
    const haystacks = { logs: lines.join('\n'), responses: seen.join('\n'), audit, stored };
    expect(lines.length).toBeGreaterThan(20);
    for (const [where, text] of Object.entries(haystacks)) {
      const found = secrets.filter((secret) => text.includes(secret));
      expect(found.map((secret) => `${secret.slice(0, 6)}… in ${where}`)).toEqual([]);
    }
  });
});
