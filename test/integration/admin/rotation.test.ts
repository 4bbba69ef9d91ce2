// Rotating SECRETS_KEY: credentials stored under the old key keep working once it is listed in SECRETS_KEY_PREVIOUS,
// an update re-encrypts them under the new key, and then the old key can go.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { secretsKeyId } from '../../../src/secrets.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { executeData } from '../../support/graphql.js';
import { TEST_AUTH_ENV } from '../../support/tokens.js';

const OLD = randomBytes(32);
const NEW = randomBytes(32);
let emulator: Emulator;
let store: Store;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 'minimal', host: '127.0.0.1', port: 0, rateLimit: { enabled: false } });
  store = await openStore({ sqlitePath: ':memory:' });
});
afterAll(async () => {
  await store.close();
  await emulator.close();
});

/** An app on the shared store with these keys. */
function appWith(keys: { current: Buffer; previous?: Buffer }): Promise<App> {
  return createApp(
    loadConfig({
      THOUGHTSPOT_URL: emulator.url,
      THOUGHTSPOT_USERNAME: emulator.adminCredentials.username,
      THOUGHTSPOT_SECRET_KEY: emulator.adminCredentials.secretKey,
      THOUGHTSPOT_CONNECTION_ID: 'test',
      LOG_LEVEL: 'silent',
      SECRETS_KEY: keys.current.toString('base64'),
      ...(keys.previous === undefined ? {} : { SECRETS_KEY_PREVIOUS: keys.previous.toString('base64') }),
      ...TEST_AUTH_ENV,
    }),
    { store },
  );
}

const READ_OTHER = { subject: 'reader', scopes: new Set(['directory:read'] as const), orgs: '*' as const, connectionId: 'rotating' };

describe('SECRETS_KEY rotation', () => {
  it('keeps stored credentials working through a rotation and re-encrypts them on update', async () => {
    const before = await appWith({ current: OLD });
    await executeData(before, {
      query: `mutation ($input: ThoughtSpotConnectionCreateInput!) { thoughtSpotConnectionCreate(input: $input) { userErrors { code } } }`,
      variables: { input: { id: 'rotating', name: 'R', baseUrl: emulator.url, username: emulator.adminCredentials.username, secretKey: emulator.adminCredentials.secretKey } },
    });
    await before.stop();
    expect((await store.connections.get('rotating'))?.secret.keyId).toBe(secretsKeyId(OLD));

    const during = await appWith({ current: NEW, previous: OLD });
    const read = await during.execute({ query: '{ organizations { totalCount } }' }, { caller: READ_OTHER });
    expect(read.body.kind === 'single' && read.body.singleResult.errors).toBeUndefined();
    await executeData(during, { query: 'mutation { thoughtSpotConnectionUpdate(input: { id: "rotating", name: "Rotated" }) { userErrors { code } } }' });
    await during.stop();
    expect((await store.connections.get('rotating'))?.secret.keyId).toBe(secretsKeyId(NEW));

    const after = await appWith({ current: NEW });
    const again = await after.execute({ query: '{ organizations { totalCount } }' }, { caller: READ_OTHER });
    expect(again.body.kind === 'single' && again.body.singleResult.errors).toBeUndefined();
    await after.stop();
  });
});
