// Registered ThoughtSpot connections (issue "Callers, tenants and connections"): administrators register, change,
// test and remove them; callers whose token names one read that cluster; credentials are encrypted at rest and never
// come back through any field, error or audit event; every action leaves one audit event.

import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormattedExecutionResult } from 'graphql';
import { LOCAL_CALLER, type Caller, type Scope } from '../../../src/auth/index.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { executeSingle } from '../../support/graphql.js';
import { useTestStack } from '../../support/harness.js';

const SECRETS_KEY = randomBytes(32).toString('base64');
const stack = useTestStack({ seed: 'minimal', env: { SECRETS_KEY } });
let second: Emulator;

beforeAll(async () => {
  second = await startEmulator({ seed: 'demo', host: '127.0.0.1', port: 0, rateLimit: { enabled: false } });
});
afterAll(async () => {
  await second.close();
});

const caller = (scopes: readonly Scope[], more: Partial<Caller> = {}): Caller => ({
  subject: 'admin-test',
  scopes: new Set(scopes),
  orgs: '*',
  connectionId: null,
  ...more,
});
const ADMIN = caller(['directory:admin'], { subject: 'alice@ops' });

function run(as: Caller, query: string, variables?: Record<string, unknown>): Promise<FormattedExecutionResult> {
  return executeSingle(stack.app, { query, ...(variables === undefined ? {} : { variables }) }, { caller: as });
}

const CREATE = `mutation ($input: ThoughtSpotConnectionCreateInput!) {
  thoughtSpotConnectionCreate(input: $input) {
    connection { id name baseUrl username isDefault health { status } }
    userErrors { field message code }
  }
}`;

describe('registering a connection', () => {
  it('stores it encrypted, lists it without its credential, and serves callers whose token names it', async () => {
    const secretKey = second.adminCredentials.secretKey;
    const created = await run(ADMIN, CREATE, {
      input: { id: 'second', name: 'Second cluster', baseUrl: `${second.url}/`, username: second.adminCredentials.username, secretKey },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data).toEqual({
      thoughtSpotConnectionCreate: {
        connection: { id: 'second', name: 'Second cluster', baseUrl: second.url, username: second.adminCredentials.username, isDefault: false, health: null },
        userErrors: [],
      },
    });
    const row = await stack.app.store.connections.get('second');
    expect(row?.secret.ciphertext).toBeTypeOf('string');
    expect(JSON.stringify(row)).not.toContain(secretKey);

    const tested = await run(ADMIN, 'mutation { thoughtSpotConnectionTest(input: { id: "second" }) { connection { health { status message } } userErrors { code } } }');
    expect(tested.data).toEqual({ thoughtSpotConnectionTest: { connection: { health: { status: 'HEALTHY', message: null } }, userErrors: [] } });

    const reader = caller(['directory:read'], { connectionId: 'second' });
    const orgs = await run(reader, '{ organizations { totalCount } }');
    expect(orgs.errors).toBeUndefined();
    expect((orgs.data as { organizations: { totalCount: number } }).organizations.totalCount).toBeGreaterThan(3);

    // A global ID is bound to its connection: the default connection finds nothing for the second one's IDs.
    const secondOrg = toGlobalId('second', { typename: 'Organization', orgId: 0 });
    const onSecond = await run(reader, 'query ($id: ID!) { node(id: $id) { id } }', { id: secondOrg });
    expect(onSecond.data).toEqual({ node: { id: secondOrg } });
    const onDefault = await run(caller(['directory:read']), 'query ($id: ID!) { node(id: $id) { id } }', { id: secondOrg });
    expect(onDefault.data).toEqual({ node: null });
    expect(onDefault.errors).toBeUndefined();

    const listed = await run(ADMIN, '{ thoughtSpotConnections { id isDefault } }');
    expect(listed.data).toEqual({ thoughtSpotConnections: [{ id: 'test', isDefault: true }, { id: 'second', isDefault: false }] });
    expect(JSON.stringify(listed)).not.toContain(secretKey);
  });

  it('names every problem of an input at once, and writes nothing', async () => {
    const result = await run(ADMIN, CREATE, {
      input: { id: 'Bad_Id', name: ' ', baseUrl: 'http://example.com', username: '', secretKey: 's', password: 'p' },
    });
    const payload = (result.data as { thoughtSpotConnectionCreate: { userErrors: { field: string[]; code: string }[] } }).thoughtSpotConnectionCreate;
    expect(payload.userErrors.map((error) => [error.field.join('.'), error.code])).toEqual([
      ['input.id', 'INVALID'],
      ['input.name', 'INVALID'],
      ['input.baseUrl', 'INVALID'],
      ['input.username', 'INVALID'],
      ['input.password', 'INVALID'],
    ]);
    expect(await stack.app.store.connections.get('Bad_Id')).toBeNull();
  });

  it('refuses a second connection with the same id, and any change to the default one', async () => {
    const input = { id: 'dup', name: 'Dup', baseUrl: second.url, username: 'x', password: 'pw-of-dup' };
    await run(ADMIN, CREATE, { input });
    const again = await run(ADMIN, CREATE, { input });
    expect(again.data).toMatchObject({ thoughtSpotConnectionCreate: { connection: null, userErrors: [{ field: ['input', 'id'], code: 'ALREADY_EXISTS' }] } });
    const changeDefault = await run(ADMIN, 'mutation { thoughtSpotConnectionDelete(input: { id: "test" }) { deletedConnectionId userErrors { code } } }');
    expect(changeDefault.data).toEqual({ thoughtSpotConnectionDelete: { deletedConnectionId: null, userErrors: [{ code: 'NOT_ALLOWED' }] } });
  });

  it('forgets a deleted connection: its callers are refused, and its changes reach this replica at once', async () => {
    await run(ADMIN, CREATE, {
      input: { id: 'short-lived', name: 'Short', baseUrl: second.url, username: second.adminCredentials.username, secretKey: second.adminCredentials.secretKey },
    });
    const reader = caller(['directory:read'], { connectionId: 'short-lived' });
    expect((await run(reader, '{ organizations { totalCount } }')).errors).toBeUndefined();
    const renamed = await run(ADMIN, 'mutation { thoughtSpotConnectionUpdate(input: { id: "short-lived", secretKey: "wrong-key" }) { connection { id } userErrors { code } } }');
    expect(renamed.data).toEqual({ thoughtSpotConnectionUpdate: { connection: { id: 'short-lived' }, userErrors: [] } });
    const withWrongKey = await run(reader, '{ organizations { totalCount } }');
    expect(withWrongKey.data).toEqual({ organizations: null });
    expect(withWrongKey.errors?.map((error) => error.extensions?.['code'])).toEqual(['UPSTREAM_UNAVAILABLE']);
    expect(JSON.stringify(withWrongKey)).not.toContain('wrong-key');
    const deleted = await run(ADMIN, 'mutation { thoughtSpotConnectionDelete(input: { id: "short-lived" }) { deletedConnectionId userErrors { code } } }');
    expect(deleted.data).toEqual({ thoughtSpotConnectionDelete: { deletedConnectionId: 'short-lived', userErrors: [] } });
    await expect(run(reader, '{ organizations { totalCount } }')).rejects.toThrow(/not registered/);
  });
});

describe('scopes and the audit log', () => {
  it('refuses administration without directory:admin, records the refusal, and never records a credential', async () => {
    const writer = caller(['directory:write'], { subject: 'mallory' });
    const refused = await run(writer, CREATE, { input: { id: 'sneaky', name: 'S', baseUrl: second.url, username: 'x', password: 'mallory-password' } });
    expect(refused.data).toBeNull();
    expect(refused.errors?.map((error) => [error.extensions?.['code'], error.message])).toEqual([
      ['FORBIDDEN', "This operation requires the directory:admin scope, which the caller's token does not grant."],
    ]);
    const reads = await run(caller(['directory:write']), '{ thoughtSpotConnections { id } }');
    expect(reads.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');

    const log = await run(ADMIN, '{ auditEvents(actor: "mallory") { nodes { actor operation targetType targetId outcome errorCode input connectionId } } }');
    expect(log.data).toEqual({
      auditEvents: {
        nodes: [
          {
            actor: 'mallory',
            operation: 'thoughtSpotConnectionCreate',
            targetType: 'ThoughtSpotConnection',
            targetId: 'sneaky',
            outcome: 'DENIED',
            errorCode: 'FORBIDDEN',
            input: JSON.stringify({ id: 'sneaky', name: 'S', baseUrl: second.url, username: 'x', password: '[REDACTED]' }),
            connectionId: 'test',
          },
        ],
      },
    });
    const everything = JSON.stringify(await stack.app.store.audit.list({}, { first: 100 }));
    for (const secret of ['mallory-password', 'pw-of-dup', 'wrong-key', second.adminCredentials.secretKey]) expect(everything).not.toContain(secret);
  });

  it('pages the audit log newest first with filters, and rejects a cursor issued under other filters', async () => {
    const first = await run(ADMIN, '{ auditEvents(first: 2, actor: "alice@ops") { nodes { operation outcome } pageInfo { hasNextPage endCursor } } }');
    const page = (first.data as { auditEvents: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }).auditEvents;
    expect(page.nodes).toHaveLength(2);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = await run(ADMIN, 'query ($after: String!) { auditEvents(first: 100, actor: "alice@ops", after: $after) { nodes { operation } } }', {
      after: page.pageInfo.endCursor,
    });
    expect(next.errors).toBeUndefined();
    const failures = await run(ADMIN, '{ auditEvents(outcome: FAILURE) { nodes { operation errorCode } } }');
    expect((failures.data as { auditEvents: { nodes: { errorCode: string }[] } }).auditEvents.nodes.map((n) => n.errorCode)).toContain('ALREADY_EXISTS');
    const mismatched = await run(ADMIN, 'query ($after: String!) { auditEvents(actor: "mallory", after: $after) { nodes { operation } } }', {
      after: page.pageInfo.endCursor,
    });
    expect(mismatched.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
  });

  it('lets in-process code, which runs as the trusted local caller, administer', async () => {
    expect(LOCAL_CALLER.orgs).toBe('*');
    const result = await stack.execute({ query: '{ thoughtSpotConnections { id } }' });
    expect(result.errors).toBeUndefined();
  });
});
