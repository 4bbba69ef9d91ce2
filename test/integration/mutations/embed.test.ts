// `embedTokenCreate`: a ThoughtSpot token for an end user, with just-in-time provisioning (auth/token/full with
// auto_create): the user created or updated with its groups, display name, e-mail and row-level-security values, a
// validity within EMBED_TOKEN_MAX_VALIDITY_S, the embed scope alone, the caller's Organizations alone, and the token
// nowhere but in the payload (not in the audit log, the logs, or the response of a failure).

import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FormattedExecutionResult } from 'graphql';
import type { Caller, Scope } from '../../../src/auth/index.js';
import type { GroupRec, UserRec } from '../../../src/emulator/domain/index.js';
import { fault, type CallRecord } from '../../../src/emulator/index.js';
import type { Logger } from '../../../src/logger.js';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { addFixtureOrg, type FixtureOrg } from '../../support/fixtures.js';
import { executeSingle } from '../../support/graphql.js';
import { useTestStack, type Measured } from '../../support/harness.js';

/** Every line the app logs, at every level, fields included (errors with their messages and causes). */
const logged: string[] = [];
const capture = (level: string) => (message: string, fields?: Record<string, unknown>) => {
  logged.push(`${level} ${message} ${inspect(fields ?? {}, { depth: 20 })}`);
};
const logger: Logger = { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') };

const stack = useTestStack({ seed: 'minimal', logger });
let mine: FixtureOrg;
let theirs: FixtureOrg;

beforeAll(() => {
  mine = addFixtureOrg(stack.emulator, 'Emb-Mine', 6);
  theirs = addFixtureOrg(stack.emulator, 'Emb-Theirs', 2);
});

afterEach(() => {
  vi.restoreAllMocks();
});

const caller = (scopes: readonly Scope[] = ['directory:embed'], orgs: Caller['orgs'] = new Set(['Emb-Mine'])): Caller => ({
  subject: `embedder-${randomBytes(3).toString('hex')}`,
  scopes: new Set(scopes),
  orgs,
  connectionId: null,
});
const orgId = (f: FixtureOrg): string => toGlobalId('test', { typename: 'Organization', orgId: f.org.id });
const groupId = (group: GroupRec): string => toGlobalId('test', { typename: 'Group', orgId: group.orgId, guid: group.id });
const fixtureGroup = (f: FixtureOrg, name: string): GroupRec => f.groups.get(name) as GroupRec;

const EMBED = `mutation ($input: EmbedTokenCreateInput!) {
  embedTokenCreate(input: $input) {
    token
    expiresAt
    user { username displayName email }
    userErrors { field message code }
  }
}`;

async function embed(input: Record<string, unknown>, as: Caller = caller(), query = EMBED): Promise<Measured<FormattedExecutionResult>> {
  return stack.measure(() => executeSingle(stack.app, { query, variables: { input } }, { caller: as }));
}

interface EmbedPayload {
  readonly token: string | null;
  readonly expiresAt: string | null;
  readonly user: { readonly username: string; readonly displayName: string; readonly email: string | null } | null;
  readonly userErrors: readonly { readonly field: string[] | null; readonly message: string; readonly code: string }[];
}

function payloadOf(result: FormattedExecutionResult): EmbedPayload {
  expect(result.errors).toBeUndefined();
  return (result.data as { embedTokenCreate: EmbedPayload }).embedTokenCreate;
}

/** The mints the emulator received for `username` (measurements leave token mints out). */
function mintsFor(username: string): CallRecord[] {
  return stack.emulator.calls((call) => call.path.endsWith('/auth/token/full') && (call.body as { username?: unknown } | null)?.username === username);
}

const userNamed = (name: string): UserRec | undefined => stack.emulator.state.findUser(name);
const directGroupNames = (user: UserRec, f: FixtureOrg): string[] => stack.emulator.state.directGroups(user, f.org.id).map((g) => g.name).sort();

describe('embedTokenCreate', () => {
  it('creates the user with its groups, display name, e-mail and row-level security, and answers with a working token', async () => {
    const m = await embed({
      organizationId: orgId(mine),
      username: 'emb.alice',
      displayName: 'Alice Example',
      email: 'alice@host.example',
      groupIds: [groupId(fixtureGroup(mine, 'G-01'))],
      groupNames: ['G-02'],
      rowLevelSecurity: {
        runtimeFilters: [{ columnName: 'region', operator: 'IN', values: ['EU', 'US'], persist: false }],
        parameters: [{ name: 'tenant', values: ['acme'] }],
        tables: ['Sales'],
      },
      validitySeconds: 900,
    });
    const payload = payloadOf(m.value);
    expect(payload.userErrors).toEqual([]);
    expect(payload.user).toEqual({ username: 'emb.alice', displayName: 'Alice Example', email: 'alice@host.example' });
    const token = payload.token as string;
    const minted = stack.emulator.state.tokens.get(token);
    const alice = userNamed('emb.alice') as UserRec;
    expect(minted).toMatchObject({ userId: alice.id, orgId: mine.org.id, accessType: 'FULL' });
    expect((minted?.expiresAt ?? 0) - (minted?.createdAt ?? 0)).toBe(900_000);
    expect(payload.expiresAt).toBe(new Date(minted?.expiresAt ?? 0).toISOString());
    expect(alice.orgIds).toEqual(new Set([mine.org.id]));
    expect(directGroupNames(alice, mine)).toEqual(['G-01', 'G-02']);
    expect(alice.userParameters).toEqual({
      objects: [{ type: 'LOGICAL_TABLE', identifier: 'Sales' }],
      runtime_filters: [{ column_name: 'region', operator: 'IN', values: ['EU', 'US'], persist: false }],
      parameters: [{ name: 'tenant', values: ['acme'] }],
    });
    // One mint, with the groups by name (ThoughtSpot's JIT matches names) and the Org by id.
    const [mint, ...more] = mintsFor('emb.alice');
    expect(more).toEqual([]);
    expect(mint?.body).toMatchObject({ auto_create: true, org_id: mine.org.id, validity_time_in_sec: 900, group_identifiers: ['G-01', 'G-02'] });
    // Before the mint: the Org index (audit, tenancy), the username's Organizations, the group index; after it, the
    // payload's user.
    expect(m.calls).toEqual({ 'groups/search': 1, 'orgs/search': 2, 'users/search': 1 });
    // The token works, as the user, in the Organization.
    const session = await fetch(`${stack.emulator.url}/api/rest/2.0/auth/session/user`, { headers: { authorization: `Bearer ${token}` } });
    expect(await session.json()).toMatchObject({ name: 'emb.alice', current_org: { id: mine.org.id } });
  });

  it('updates an existing user: the groups given replace theirs, and omitting them keeps them', async () => {
    const bob = mine.users[0] as UserRec;
    expect(directGroupNames(bob, mine)).toEqual(['G-00', 'G-01']);
    const first = payloadOf((await embed({ organizationId: orgId(mine), username: bob.name, groupNames: ['G-05'] })).value);
    expect(first).toMatchObject({ user: { username: bob.name, displayName: bob.displayName }, userErrors: [] });
    expect(directGroupNames(bob, mine)).toEqual(['G-05']);
    const second = payloadOf((await embed({ organizationId: orgId(mine), username: bob.name, displayName: 'Bob Renamed' })).value);
    expect(second).toMatchObject({ user: { displayName: 'Bob Renamed' }, userErrors: [] });
    expect(directGroupNames(bob, mine)).toEqual(['G-05']);
    expect(mintsFor(bob.name).map((call) => (call.body as Record<string, unknown>)['group_identifiers'])).toEqual([['G-05'], undefined]);
    // An empty list takes the user out of every group of the Organization.
    payloadOf((await embed({ organizationId: orgId(mine), username: bob.name, groupIds: [] })).value);
    expect(directGroupNames(bob, mine)).toEqual([]);
  });

  it('lasts 300 seconds unless asked otherwise, and never longer than EMBED_TOKEN_MAX_VALIDITY_S', async () => {
    const payload = payloadOf((await embed({ organizationId: orgId(mine), username: 'emb.default-validity' })).value);
    const minted = stack.emulator.state.tokens.get(payload.token as string);
    expect((minted?.expiresAt ?? 0) - (minted?.createdAt ?? 0)).toBe(300_000);
    const tooLong = payloadOf((await embed({ organizationId: orgId(mine), username: 'emb.too-long', validitySeconds: 3_601 })).value);
    const tooShort = payloadOf((await embed({ organizationId: orgId(mine), username: 'emb.too-long', validitySeconds: 59 })).value);
    expect([tooLong, tooShort]).toEqual([
      { token: null, expiresAt: null, user: null, userErrors: [{ field: ['input', 'validitySeconds'], message: 'A token is valid for 60 to 3600 seconds, but got 3601.', code: 'INVALID' }] },
      { token: null, expiresAt: null, user: null, userErrors: [{ field: ['input', 'validitySeconds'], message: 'A token is valid for 60 to 3600 seconds, but got 59.', code: 'INVALID' }] },
    ]);
    expect(userNamed('emb.too-long')).toBeUndefined();
  });

  it('reports every refused input at once, each group on its index, and mints nothing', async () => {
    const m = await embed({
      organizationId: orgId(mine),
      username: 'emb.refused',
      displayName: '   ',
      email: 'not-an-address',
      groupIds: [
        groupId(fixtureGroup(mine, 'G-03')),
        groupId(fixtureGroup(theirs, 'G-03')),
        orgId(mine),
        groupId(fixtureGroup(mine, 'G-03')),
        groupId(stack.emulator.state.groups.get(mine.org.adminGroupId) as GroupRec),
      ],
      groupNames: ['G-04', 'No-Such-Group', 'G-04', 'Administrator'],
      rowLevelSecurity: { runtimeFilters: [{ columnName: ' ', operator: 'EQ', values: [] }] },
    });
    expect(payloadOf(m.value)).toEqual({
      token: null,
      expiresAt: null,
      user: null,
      userErrors: [
        { field: ['input', 'displayName'], message: 'A display name is 1 to 255 characters, not only spaces.', code: 'INVALID' },
        { field: ['input', 'email'], message: 'This is not an e-mail address.', code: 'INVALID' },
        // Another tenant's group reads as no group.
        { field: ['input', 'groupIds', '1'], message: "No group with this ID exists in the token's Organization.", code: 'NOT_FOUND' },
        { field: ['input', 'groupIds', '2'], message: 'This is the ID of an Organization, not of a Group.', code: 'INVALID' },
        { field: ['input', 'groupIds', '3'], message: 'This ID is already in the list, at index 0; give each ID once.', code: 'INVALID' },
        { field: ['input', 'groupIds', '4'], message: '"Administrator" is a system group, which an embed token cannot put a user in.', code: 'NOT_ALLOWED' },
        { field: ['input', 'groupNames', '1'], message: "No group with this name exists in the token's Organization.", code: 'NOT_FOUND' },
        { field: ['input', 'groupNames', '2'], message: 'This name is already in the list, at index 0; give each name once.', code: 'INVALID' },
        { field: ['input', 'groupNames', '3'], message: '"Administrator" is a system group, which an embed token cannot put a user in.', code: 'NOT_ALLOWED' },
        { field: ['input', 'rowLevelSecurity', 'runtimeFilters', '0', 'columnName'], message: 'A column name is 1 to 255 characters, not only spaces.', code: 'INVALID' },
        { field: ['input', 'rowLevelSecurity', 'runtimeFilters', '0', 'values'], message: '1 to 100 values, but got 0.', code: 'INVALID' },
      ],
    });
    expect(mintsFor('emb.refused')).toEqual([]);
    expect(userNamed('emb.refused')).toBeUndefined();
    // No group was created for the unknown name, as ThoughtSpot's JIT would have.
    expect(mine.org.groupsByName.has('No-Such-Group')).toBe(false);
  });

  it("refuses users who also belong to another tenant, and the cluster's administrators, as NOT_ALLOWED", async () => {
    const outsider = theirs.users[0] as UserRec;
    const shared = mine.users[1] as UserRec;
    stack.emulator.state.addUserToOrg(shared, theirs.org.id);
    const refusedOutside = "This username belongs to a user of an Organization outside the caller's; no token can be minted for them.";
    for (const username of [outsider.name, shared.name, 'tsadmin']) {
      const payload = payloadOf((await embed({ organizationId: orgId(mine), username })).value);
      expect(payload).toEqual({ token: null, expiresAt: null, user: null, userErrors: [{ field: ['input', 'username'], message: refusedOutside, code: 'NOT_ALLOWED' }] });
      expect(mintsFor(username)).toEqual([]);
    }
    stack.emulator.state.removeUserFromOrg(shared, theirs.org.id);
    expect(outsider.orgIds.has(mine.org.id)).toBe(false);
    // A caller granted every Organization still cannot mint for the cluster's administrator or a system principal.
    const everywhere = caller(['directory:embed'], '*');
    for (const username of ['tsadmin', 'su']) {
      const payload = payloadOf((await embed({ organizationId: orgId(mine), username }, everywhere)).value);
      expect(payload.userErrors).toEqual([
        { field: ['input', 'username'], message: "This username belongs to one of the cluster's administrators or system principals; no token can be minted for them.", code: 'NOT_ALLOWED' },
      ]);
      expect(mintsFor(username)).toEqual([]);
    }
  });

  it('treats an Organization outside the grant exactly as one that does not exist, and mints nothing', async () => {
    const outside = await embed({ organizationId: orgId(theirs), username: 'emb.intruder' });
    const missing = await embed({ organizationId: toGlobalId('test', { typename: 'Organization', orgId: 987_654_321 }), username: 'emb.intruder' });
    expect(outside.value).toEqual(missing.value);
    expect(payloadOf(outside.value).userErrors).toEqual([{ field: ['input', 'organizationId'], message: 'No Organization with this ID exists.', code: 'NOT_FOUND' }]);
    expect(mintsFor('emb.intruder')).toEqual([]);
  });

  it('needs directory:embed, which neither directory:admin nor directory:write implies', async () => {
    for (const scopes of [['directory:admin'], ['directory:write', 'directory:read']] as const) {
      const as = caller(scopes);
      const m = await embed({ organizationId: orgId(mine), username: 'emb.not-allowed' }, as);
      expect(m.value.errors?.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
      expect(m.calls).toEqual({});
      const events = await stack.app.store.audit.list({ actor: as.subject });
      expect(events.edges.map(({ node }) => [node.operation, node.outcome, node.errorCode])).toEqual([['embedTokenCreate', 'DENIED', 'FORBIDDEN']]);
    }
    expect(mintsFor('emb.not-allowed')).toEqual([]);
  });

  it("refuses to read the directory through the payload's user without directory:read, before minting", async () => {
    const lists = EMBED.replace('user { username displayName email }', 'user { username ...on User { groups { nodes { name members { totalCount } } } } }');
    const refused = await embed({ organizationId: orgId(mine), username: 'emb.curious' }, caller(), lists);
    expect(refused.value.errors?.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect(mintsFor('emb.curious')).toEqual([]);
    const reader = caller(['directory:embed', 'directory:read']);
    const allowed = await embed({ organizationId: orgId(mine), username: 'emb.curious', groupNames: ['G-06'] }, reader, lists);
    expect(allowed.value.errors).toBeUndefined();
    expect(allowed.value.data).toMatchObject({ embedTokenCreate: { user: { username: 'emb.curious', groups: { nodes: [{ name: 'G-06' }] } }, userErrors: [] } });
  });

  it('keeps the token out of the audit log and the logs, recording only the user, Organization, groups and validity', async () => {
    const as = caller();
    const input = {
      organizationId: orgId(mine),
      username: 'emb.audited',
      email: 'audited@host.example',
      groupNames: ['G-07'],
      rowLevelSecurity: { parameters: [{ name: 'secret-region', values: ['north'] }] },
      validitySeconds: 120,
    };
    const token = payloadOf((await embed(input, as)).value).token as string;
    expect(token.length).toBeGreaterThan(0);
    const events = await stack.app.store.audit.list({ actor: as.subject });
    expect(events.edges.map(({ node }) => node)).toMatchObject([
      {
        operation: 'embedTokenCreate',
        outcome: 'SUCCESS',
        organization: { name: 'Emb-Mine' },
        target: { type: 'User', id: 'emb.audited' },
        input: { username: 'emb.audited', organizationId: orgId(mine), groupNames: ['G-07'], validitySeconds: 120 },
      },
    ]);
    const recorded = JSON.stringify(events);
    expect(recorded).not.toContain(token);
    expect(recorded).not.toContain('audited@host.example');
    expect(recorded).not.toContain('north');
    expect(logged.join('\n')).not.toContain(token);
    expect(JSON.stringify(stack.requestLog)).not.toContain(token);
  });

  it('keeps a minted token out of the response of a failure, and out of the logs', async () => {
    // The mint succeeds, then the audit event cannot be written: the caller gets an error and no token.
    const append = vi.spyOn(stack.app.store.audit, 'append').mockRejectedValueOnce(new Error('the audit table is full'));
    const failure = await embed({ organizationId: orgId(mine), username: 'emb.unaudited' });
    expect(append).toHaveBeenCalledTimes(1);
    const unaudited = userNamed('emb.unaudited') as UserRec;
    const minted = [...stack.emulator.state.tokens.values()].filter((rec) => rec.userId === unaudited.id);
    expect(minted).toHaveLength(1);
    const token = minted[0]?.token as string;
    expect(failure.value.data).toBeNull();
    expect(failure.value.errors?.map((error) => error.extensions?.['code'])).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(failure.value)).not.toContain(token);
    expect(logged.join('\n')).not.toContain(token);
    expect(logged.some((line) => line.includes('audit event could not be written'))).toBe(true);
  });

  it("answers the token when only the read of the user fails, with the error at the user alone and without the token", async () => {
    stack.emulator.use(fault('POST /api/rest/2.0/users/search', { status: 500 }));
    const m = await embed({ organizationId: orgId(mine), username: 'emb.unread' });
    const data = (m.value.data as { embedTokenCreate: EmbedPayload }).embedTokenCreate;
    expect(data).toMatchObject({ user: null, userErrors: [] });
    expect(stack.emulator.state.tokens.get(data.token as string)?.userId).toBe(userNamed('emb.unread')?.id);
    expect(m.value.errors?.map((error) => error.path)).toEqual([['embedTokenCreate', 'user']]);
    expect(JSON.stringify(m.value.errors)).not.toContain(data.token as string);
    expect(logged.join('\n')).not.toContain(data.token as string);
  });
});
