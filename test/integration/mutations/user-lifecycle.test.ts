// The user lifecycle mutations: `userCreate`, `userUpdate`, `userDelete`, `userActivate`, `userDeactivate` and
// `userPasswordReset` (resolvers/shared/lifecycle.ts). Users are cluster-wide principals with a list of
// Organizations (CONTRACT.md §3), so beside the usual rules (the caller's Organizations only, every input problem at
// once, the payload read back, the calls, the audit event) these tests pin what happens to a user shared with an
// Organization outside the caller's grant: its account is never changed, and `userDelete` only takes it out of the
// caller's Organizations. Passwords must appear in no audit event, log line, error or payload.

import { describe, expect, it } from 'vitest';
import type { FormattedExecutionResult } from 'graphql';
import type { GroupRec, UserRec } from '../../../src/emulator/domain/index.js';
import { WELL_KNOWN } from '../../../src/emulator/domain/index.js';
import type { Logger } from '../../../src/logger.js';
import { FIXTURE_EPOCH_MS, type FixtureOrg } from '../../support/fixtures.js';
import { useTestStack, type Measured } from '../../support/harness.js';
import { NO_SUCH_GUID, globalIds, mutationHelpers, useFixtureOrgs } from '../../support/mutations.js';

/** Every line the app logs, as text, to look for secrets in. */
const logged: string[] = [];
const write = (level: string) => (message: string, fields?: Record<string, unknown>) => void logged.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
const logger: Logger = { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };

// A password policy, so ThoughtSpot itself refuses short passwords.
const stack = useTestStack({ seed: 'minimal', logger, fidelity: { minPasswordLength: 8 } });
const { caller, run, payload, writes, errorCodes, audit } = mutationHelpers(stack, 'users', new Set(['Usr-Mine']));
const orgs = useFixtureOrgs(stack, { mine: ['Usr-Mine', 4], second: ['Usr-Second', 2], theirs: ['Usr-Theirs', 2] });

/** A fresh user for one test, a member of these Organizations (and of the named groups of the first one). */
function newUser(name: string, orgs: readonly FixtureOrg[], options: { groups?: readonly string[]; accountType?: UserRec['accountType']; accountStatus?: UserRec['accountStatus'] } = {}): UserRec {
  const state = stack.emulator.state;
  const user = state.insertUser({
    name,
    displayName: `${name} display`,
    email: `${name}@example.test`,
    password: 'initial-secret',
    accountType: options.accountType ?? 'LOCAL_USER',
    accountStatus: options.accountStatus ?? 'ACTIVE',
    at: FIXTURE_EPOCH_MS,
  });
  for (const f of orgs) state.addUserToOrg(user, f.org.id);
  for (const group of options.groups ?? []) state.addGroupMember(orgs[0]?.groups.get(group) as GroupRec, user);
  return user;
}

const USER = 'user { username displayName email accountType accountStatus visibility organizations { nodes { name } } groups { nodes { name } } }';
const ACTIVATION = 'user { username accountStatus }';
const groupId = (f: FixtureOrg, name: string): string => globalIds.group(f.groups.get(name) as GroupRec);
const missingUser = globalIds.user({ id: NO_SUCH_GUID });
const exists = (user: UserRec): boolean => stack.emulator.state.users.has(user.id);
const orgNames = (user: UserRec): string[] => [...user.orgIds].map((id) => stack.emulator.state.orgs.get(id)?.name ?? String(id)).sort();
const groupNames = (user: UserRec): string[] => [...user.groupIds].map((id) => stack.emulator.state.groups.get(id)?.name ?? id).sort();
const shows = (m: Measured<FormattedExecutionResult>, text: string): boolean => JSON.stringify(m.value).includes(text);

/** The refusal every account change of a user shared with another tenant gets. */
const SHARED = {
  field: ['input', 'id'],
  message: "This user also belongs to an Organization outside the caller's grant, so only a caller granted all of them can change the account.",
  code: 'NOT_ALLOWED',
};
const NOT_FOUND = { field: ['input', 'id'], message: 'No user with this ID exists.', code: 'NOT_FOUND' };

describe('userCreate', () => {
  it('creates a local user in the Organization and its groups with one users/create, and never records the password', async () => {
    const writer = caller();
    const password = 'Create-Secret-1';
    const m = await run(
      'userCreate',
      USER,
      { organizationId: globalIds.org(orgs.mine.org), username: 'new.analyst', email: 'new.analyst@example.test', password, visibility: 'NOT_SHAREABLE', groupIds: [groupId(orgs.mine, 'G-02'), groupId(orgs.mine, 'G-01'), groupId(orgs.mine, 'G-02')] },
      writer,
    );
    expect(payload(m.value, 'userCreate')).toEqual({
      user: {
        username: 'new.analyst',
        displayName: 'new.analyst',
        email: 'new.analyst@example.test',
        accountType: 'LOCAL',
        accountStatus: 'ACTIVE',
        visibility: 'NOT_SHAREABLE',
        organizations: { nodes: [{ name: 'Usr-Mine' }] },
        groups: { nodes: [{ name: 'G-01' }, { name: 'G-02' }] },
      },
      userErrors: [],
    });
    const created = stack.emulator.state.findUser('new.analyst') as UserRec;
    expect([created.password, created.accountType, orgNames(created), groupNames(created)]).toEqual([password, 'LOCAL_USER', ['Usr-Mine'], ['G-01', 'G-02']]);
    const guids = ['G-02', 'G-01'].map((name) => orgs.mine.groups.get(name)?.id);
    expect(writes(m, 'users/create')).toEqual([expect.objectContaining({ account_type: 'LOCAL_USER', org_identifiers: [String(orgs.mine.org.id)], group_identifiers: guids })]);
    // The Org index and the group index before the write, the write; then the payload's reads (the Org index again,
    // the user as its Org sees it for `groups`).
    expect(m.calls).toEqual({ 'groups/search': 1, 'orgs/search': 2, 'users/create': 1, 'users/search': 1 });
    const [event] = await audit(writer);
    expect(event).toEqual(expect.objectContaining({ operation: 'userCreate', outcome: 'SUCCESS', organization: 'Usr-Mine', input: expect.objectContaining({ password: '[REDACTED]' }) }));
    expect(JSON.stringify(await audit(writer))).not.toContain(password);
    expect(logged.join('\n')).not.toContain(password);
  });

  it('requires a password for local users only', async () => {
    const base = { organizationId: globalIds.org(orgs.mine.org), email: 'x@example.test' };
    const noPassword = await run('userCreate', USER, { ...base, username: 'local.nopass' }, caller());
    expect(payload(noPassword.value, 'userCreate')).toEqual({ user: null, userErrors: [{ field: ['input', 'password'], message: 'A local user needs a password to sign in with.', code: 'INVALID' }] });
    const samlWithPassword = await run('userCreate', USER, { ...base, username: 'saml.pass', accountType: 'SAML', password: 'Saml-Secret-1' }, caller());
    expect(payload(samlWithPassword.value, 'userCreate')).toMatchObject({ user: null, userErrors: [{ field: ['input', 'password'], code: 'INVALID' }] });
    const saml = await run('userCreate', USER, { ...base, username: 'saml.ok', accountType: 'SAML', displayName: 'SSO person' }, caller());
    expect(payload(saml.value, 'userCreate')).toMatchObject({ user: { username: 'saml.ok', displayName: 'SSO person', accountType: 'SAML' }, userErrors: [] });
    expect([stack.emulator.state.findUser('local.nopass'), stack.emulator.state.findUser('saml.pass')]).toEqual([undefined, undefined]);
  });

  it('reports every problem at once, groups by index, and writes nothing', async () => {
    const m = await run(
      'userCreate',
      USER,
      {
        organizationId: globalIds.org(orgs.mine.org),
        username: '  ',
        displayName: 'd'.repeat(256),
        email: 'not an address',
        password: '',
        groupIds: [groupId(orgs.mine, 'G-01'), globalIds.group({ orgId: orgs.mine.org.id, id: NO_SUCH_GUID }), groupId(orgs.theirs, 'G-01'), groupId(orgs.second, 'G-01')],
      },
      caller(['directory:write'], new Set(['Usr-Mine', 'Usr-Second'])),
    );
    expect(payload(m.value, 'userCreate')).toEqual({
      user: null,
      userErrors: [
        { field: ['input', 'username'], message: 'A username is 1 to 255 characters, not only spaces.', code: 'INVALID' },
        { field: ['input', 'displayName'], message: 'A display name is 1 to 255 characters, not only spaces.', code: 'INVALID' },
        { field: ['input', 'email'], message: 'An e-mail address looks like name@domain.', code: 'INVALID' },
        { field: ['input', 'password'], message: 'A password is 1 to 255 characters.', code: 'INVALID' },
        { field: ['input', 'groupIds', '1'], message: 'No group with this ID exists.', code: 'NOT_FOUND' },
        // Another tenant's group is no group at all; a group of another of the caller's Organizations is one the
        // user cannot join from this Organization.
        { field: ['input', 'groupIds', '2'], message: 'No group with this ID exists.', code: 'NOT_FOUND' },
        { field: ['input', 'groupIds', '3'], message: 'No group with this ID exists in this Organization.', code: 'NOT_FOUND' },
      ],
    });
    expect(writes(m, 'users/create')).toEqual([]);
  });

  it('reports a username taken anywhere on the cluster as ALREADY_EXISTS (ThoughtSpot’s refusal)', async () => {
    const taken = newUser('taken.name', [orgs.mine]);
    const m = await run('userCreate', USER, { organizationId: globalIds.org(orgs.mine.org), username: 'TAKEN.name', email: 'x@example.test', password: 'Taken-Secret-1' }, caller());
    expect(payload(m.value, 'userCreate')).toEqual({ user: null, userErrors: [{ field: ['input', 'username'], message: 'An object with this name already exists.', code: 'ALREADY_EXISTS' }] });
    expect(stack.emulator.state.findUserIgnoringCase('taken.name')).toBe(taken);
  });

  it('treats another tenant’s Organization as one that does not exist, and a group ID of another type as BAD_USER_INPUT', async () => {
    const input = { username: 'intruder', email: 'x@example.test', password: 'Intruder-1' };
    const outside = await run('userCreate', USER, { ...input, organizationId: globalIds.org(orgs.theirs.org) }, caller());
    const missing = await run('userCreate', USER, { ...input, organizationId: globalIds.org({ id: 987_654_321 }) }, caller());
    expect(outside.value).toEqual(missing.value);
    expect(payload(outside.value, 'userCreate')).toEqual({ user: null, userErrors: [{ field: ['input', 'organizationId'], message: 'No Organization with this ID exists.', code: 'NOT_FOUND' }] });
    const wrongType = await run('userCreate', USER, { ...input, organizationId: globalIds.org(orgs.mine.org), groupIds: [globalIds.org(orgs.mine.org)] }, caller());
    expect(errorCodes(wrongType.value)).toEqual(['BAD_USER_INPUT']);
    expect(stack.emulator.state.findUser('intruder')).toBeUndefined();
  });
});

describe('userUpdate', () => {
  it('changes the account with one users/{id}/update and answers with the user as ThoughtSpot now holds it', async () => {
    const user = newUser('upd.person', [orgs.mine, orgs.second]);
    const writer = caller(['directory:write'], new Set(['Usr-Mine', 'Usr-Second']));
    const m = await run('userUpdate', USER, { id: globalIds.user(user), username: 'upd.person2', displayName: 'Renamed', email: 'new@example.test', visibility: 'NOT_SHAREABLE', preferredLocale: 'fr-FR' }, writer);
    expect(payload(m.value, 'userUpdate')).toMatchObject({
      user: { username: 'upd.person2', displayName: 'Renamed', email: 'new@example.test', visibility: 'NOT_SHAREABLE', organizations: { nodes: [{ name: 'Usr-Mine' }, { name: 'Usr-Second' }] } },
      userErrors: [],
    });
    expect([user.name, user.displayName, user.email, user.visibility, user.preferredLocale]).toEqual(['upd.person2', 'Renamed', 'new@example.test', 'NON_SHARABLE', 'fr-FR']);
    expect(writes(m, 'users/{user_identifier}/update')).toEqual([
      { name: 'upd.person2', display_name: 'Renamed', email: 'new@example.test', visibility: 'NON_SHARABLE', preferred_locale: 'fr-FR' },
    ]);
    // Before the write: the caller's Orgs, the Orgs holding the user, the user, its Orgs past the tenancy view (is it
    // shared?). The write, the user read back; then the payload's `organizations` (the Org index) and `groups` (the
    // user as each of its two Orgs sees it).
    expect(m.calls).toEqual({ 'orgs/search': 4, 'users/search': 4, 'users/{user_identifier}/update': 1 });
    expect(await audit(writer)).toEqual([expect.objectContaining({ operation: 'userUpdate', outcome: 'SUCCESS', organization: 'Usr-Mine' })]);
  });

  it('refuses to change the account of a user shared with an Organization outside the grant (NOT_ALLOWED)', async () => {
    const user = newUser('upd.shared', [orgs.mine, orgs.theirs]);
    const m = await run('userUpdate', USER, { id: globalIds.user(user), displayName: 'Mine now' }, caller());
    expect(payload(m.value, 'userUpdate')).toEqual({ user: null, userErrors: [SHARED] });
    expect(writes(m, 'users/{user_identifier}/update')).toEqual([]);
    expect(user.displayName).toBe('upd.shared display');
    // A caller granted every Organization may.
    const everyOrg = await run('userUpdate', USER, { id: globalIds.user(user), displayName: 'Changed' }, caller(['directory:write'], '*'));
    expect(payload(everyOrg.value, 'userUpdate')).toMatchObject({ user: { displayName: 'Changed' }, userErrors: [] });
  });

  it('reports an unknown user together with the other problems, and a user of another tenant the same way', async () => {
    const m = await run('userUpdate', USER, { id: missingUser, displayName: ' ', email: 'e'.repeat(256) }, caller());
    expect(payload(m.value, 'userUpdate')).toEqual({
      user: null,
      userErrors: [
        NOT_FOUND,
        { field: ['input', 'displayName'], message: 'A display name is 1 to 255 characters, not only spaces.', code: 'INVALID' },
        { field: ['input', 'email'], message: 'An e-mail address is 1 to 255 characters, not only spaces.', code: 'INVALID' },
      ],
    });
    const foreign = newUser('upd.foreign', [orgs.theirs]);
    const outside = await run('userUpdate', USER, { id: globalIds.user(foreign), displayName: 'Hijacked' }, caller());
    const missing = await run('userUpdate', USER, { id: missingUser, displayName: 'Hijacked' }, caller());
    expect(outside.value).toEqual(missing.value);
    expect(foreign.displayName).toBe('upd.foreign display');
  });

  it('reports a username another user has as ALREADY_EXISTS, and a group ID as BAD_USER_INPUT', async () => {
    const user = newUser('upd.dup', [orgs.mine]);
    newUser('upd.other', [orgs.theirs]);
    const m = await run('userUpdate', USER, { id: globalIds.user(user), username: 'upd.other' }, caller());
    expect(payload(m.value, 'userUpdate')).toEqual({ user: null, userErrors: [{ field: ['input', 'username'], message: 'An object with this name already exists.', code: 'ALREADY_EXISTS' }] });
    expect(user.name).toBe('upd.dup');
    const wrongType = await run('userUpdate', USER, { id: groupId(orgs.mine, 'G-01'), displayName: 'x' }, caller());
    expect(errorCodes(wrongType.value)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('userDelete', () => {
  it('deletes a user who belongs only to the caller’s Organizations from the cluster, with one users/{id}/delete', async () => {
    const user = newUser('del.mine', [orgs.mine, orgs.second], { groups: ['G-01'] });
    const writer = caller(['directory:write'], new Set(['Usr-Mine', 'Usr-Second']));
    const m = await run('userDelete', 'deletedUserId', { id: globalIds.user(user) }, writer);
    expect(payload(m.value, 'userDelete')).toEqual({ deletedUserId: globalIds.user(user), userErrors: [] });
    expect(exists(user)).toBe(false);
    // The caller's Orgs (tenancy), the Orgs holding the user, the user; the user's Orgs once more past the tenancy
    // view (does it belong elsewhere?); the delete.
    expect(m.calls).toEqual({ 'orgs/search': 3, 'users/search': 1, 'users/{user_identifier}/delete': 1 });
    expect(await audit(writer)).toEqual([expect.objectContaining({ operation: 'userDelete', outcome: 'SUCCESS', errorCode: null, organization: 'Usr-Mine' })]);
  });

  it('never deletes a user shared with an Organization outside the grant: it only leaves the caller’s Organizations', async () => {
    const user = newUser('del.shared', [orgs.mine, orgs.theirs], { groups: ['G-01'] });
    stack.emulator.state.addGroupMember(orgs.theirs.groups.get('G-02') as GroupRec, user);
    const writer = caller();
    const m = await run('userDelete', 'deletedUserId', { id: globalIds.user(user) }, writer);
    // The answer is the one a cluster-wide delete gets: nothing in it tells of the other tenant.
    expect(payload(m.value, 'userDelete')).toEqual({ deletedUserId: globalIds.user(user), userErrors: [] });
    expect(exists(user)).toBe(true);
    expect([orgNames(user), groupNames(user), user.password]).toEqual([['Usr-Theirs'], ['G-02'], 'initial-secret']);
    expect(writes(m, 'users/{user_identifier}/delete')).toEqual([]);
    expect(writes(m, 'users/{user_identifier}/update')).toEqual([{ org_identifiers: [String(orgs.mine.org.id)], operation: 'REMOVE' }]);
    // Run with a Primary-Org token: only there may Org memberships change.
    expect(m.records.find((r) => r.endpoint === 'POST /api/rest/2.0/users/{user_identifier}/update')?.orgId).toBe(0);
    expect(await audit(writer)).toEqual([expect.objectContaining({ operation: 'userDelete', outcome: 'SUCCESS', organization: 'Usr-Mine' })]);
    // For the caller the user is gone.
    const again = await run('userDelete', 'deletedUserId', { id: globalIds.user(user) }, caller());
    expect(payload(again.value, 'userDelete')).toEqual({ deletedUserId: null, userErrors: [NOT_FOUND] });
  });

  it('deletes the shared user from the cluster for a caller granted every Organization', async () => {
    const user = newUser('del.everywhere', [orgs.mine, orgs.theirs]);
    const m = await run('userDelete', 'deletedUserId', { id: globalIds.user(user) }, caller(['directory:write'], '*'));
    expect(payload(m.value, 'userDelete')).toEqual({ deletedUserId: globalIds.user(user), userErrors: [] });
    expect(exists(user)).toBe(false);
    expect(m.calls['users/{user_identifier}/delete']).toBe(1);
  });

  it('refuses system principals and the service account (NOT_ALLOWED), and another tenant’s user as none', async () => {
    const everyOrg = caller(['directory:write'], '*');
    for (const [guid, message] of [
      [WELL_KNOWN.systemUserId, 'This user is a ThoughtSpot system principal and cannot be changed this way.'],
      [WELL_KNOWN.tsadminUserId, 'This user is the service account the directory signs in with and cannot be changed this way.'],
    ] as const) {
      const m = await run('userDelete', 'deletedUserId', { id: globalIds.user({ id: guid }) }, everyOrg);
      expect(payload(m.value, 'userDelete')).toEqual({ deletedUserId: null, userErrors: [{ field: ['input', 'id'], message, code: 'NOT_ALLOWED' }] });
      expect(stack.emulator.state.users.has(guid)).toBe(true);
    }
    const foreign = newUser('del.foreign', [orgs.theirs]);
    const outside = await run('userDelete', 'deletedUserId', { id: globalIds.user(foreign) }, caller());
    const missing = await run('userDelete', 'deletedUserId', { id: missingUser }, caller());
    expect(outside.value).toEqual(missing.value);
    expect(exists(foreign)).toBe(true);
  });
});

describe('userDeactivate and userActivate', () => {
  it('deactivates with users/deactivate, keeps its activation link out of every answer, event and log line, and activates again', async () => {
    const user = newUser('act.person', [orgs.mine]);
    const writer = caller();
    const off = await run('userDeactivate', ACTIVATION, { id: globalIds.user(user) }, writer);
    expect(payload(off.value, 'userDeactivate')).toEqual({ user: { username: 'act.person', accountStatus: 'INACTIVE' }, userErrors: [] });
    expect(user.accountStatus).toBe('INACTIVE');
    expect(writes(off, 'users/deactivate')).toEqual([{ user_identifier: user.id, base_url: stack.emulator.url }]);
    const link = stack.emulator.state.activations.get(user.id)?.token ?? 'no activation';
    expect(shows(off, link)).toBe(false);
    expect(JSON.stringify(await audit(writer))).not.toContain(link);
    expect(logged.join('\n')).not.toContain(link);
    const on = await run('userActivate', ACTIVATION, { id: globalIds.user(user) }, writer);
    expect(payload(on.value, 'userActivate')).toEqual({ user: { username: 'act.person', accountStatus: 'ACTIVE' }, userErrors: [] });
    expect(user.accountStatus).toBe('ACTIVE');
    expect(writes(on, 'users/{user_identifier}/update')).toEqual([{ account_status: 'ACTIVE' }]);
    expect((await audit(writer)).map((line) => [line.operation, line.outcome, line.organization])).toEqual([
      ['userDeactivate', 'SUCCESS', 'Usr-Mine'],
      ['userActivate', 'SUCCESS', 'Usr-Mine'],
    ]);
  });

  it('refuses a user shared with an Organization outside the grant, and the service account', async () => {
    const shared = newUser('act.shared', [orgs.mine, orgs.theirs], { accountStatus: 'INACTIVE' });
    const on = await run('userActivate', ACTIVATION, { id: globalIds.user(shared) }, caller());
    const off = await run('userDeactivate', ACTIVATION, { id: globalIds.user(shared) }, caller());
    expect([payload(on.value, 'userActivate'), payload(off.value, 'userDeactivate')]).toEqual([
      { user: null, userErrors: [SHARED] },
      { user: null, userErrors: [SHARED] },
    ]);
    expect(shared.accountStatus).toBe('INACTIVE');
    const service = await run('userDeactivate', ACTIVATION, { id: globalIds.user({ id: WELL_KNOWN.tsadminUserId }) }, caller(['directory:write'], '*'));
    expect(payload(service.value, 'userDeactivate')).toMatchObject({ user: null, userErrors: [{ field: ['input', 'id'], code: 'NOT_ALLOWED' }] });
    expect(stack.emulator.state.users.get(WELL_KNOWN.tsadminUserId)?.accountStatus).toBe('ACTIVE');
  });

  it('answers for another tenant’s user as for none, and needs directory:write', async () => {
    const foreign = newUser('act.foreign', [orgs.theirs]);
    const outside = await run('userDeactivate', ACTIVATION, { id: globalIds.user(foreign) }, caller());
    expect(payload(outside.value, 'userDeactivate')).toEqual({ user: null, userErrors: [NOT_FOUND] });
    const reader = caller(['directory:read']);
    const denied = await run('userDeactivate', ACTIVATION, { id: globalIds.user(newUser('act.denied', [orgs.mine])) }, reader);
    expect(errorCodes(denied.value)).toEqual(['FORBIDDEN']);
    expect(denied.calls).toEqual({});
    expect(foreign.accountStatus).toBe('ACTIVE');
  });
});

describe('userPasswordReset', () => {
  it('sets a local user’s password with one users/reset-password; the password is in no event, log line or answer', async () => {
    const user = newUser('pw.person', [orgs.mine]);
    const writer = caller();
    const newPassword = 'Fresh-Secret-42';
    const m = await run('userPasswordReset', 'user { username }', { id: globalIds.user(user), newPassword }, writer);
    expect(payload(m.value, 'userPasswordReset')).toEqual({ user: { username: 'pw.person' }, userErrors: [] });
    expect(user.password).toBe(newPassword);
    expect(m.calls).toEqual({ 'orgs/search': 3, 'users/reset-password': 1, 'users/search': 2 });
    expect(await audit(writer)).toEqual([
      { operation: 'userPasswordReset', outcome: 'SUCCESS', errorCode: null, organization: 'Usr-Mine', input: { id: globalIds.user(user), newPassword: '[REDACTED]' } },
    ]);
    expect(logged.join('\n')).not.toContain(newPassword);
    expect(shows(m, newPassword)).toBe(false);
  });

  it('passes on ThoughtSpot’s password policy as INVALID without the password, and refuses an empty one before any call', async () => {
    const user = newUser('pw.policy', [orgs.mine]);
    const short = await run('userPasswordReset', 'user { username }', { id: globalIds.user(user), newPassword: 'Tiny-7' }, caller());
    expect(payload(short.value, 'userPasswordReset')).toEqual({
      user: null,
      userErrors: [{ field: ['input', 'newPassword'], message: expect.stringContaining('at least 8 characters'), code: 'INVALID' }],
    });
    expect(shows(short, 'Tiny-7')).toBe(false);
    const empty = await run('userPasswordReset', 'user { username }', { id: missingUser, newPassword: '' }, caller());
    expect(payload(empty.value, 'userPasswordReset')).toEqual({
      user: null,
      userErrors: [NOT_FOUND, { field: ['input', 'newPassword'], message: 'A password is 1 to 255 characters.', code: 'INVALID' }],
    });
    expect(user.password).toBe('initial-secret');
    expect(logged.join('\n')).not.toContain('Tiny-7');
  });

  it('refuses users who sign in elsewhere, users shared with another tenant, and the service account (NOT_ALLOWED)', async () => {
    const saml = newUser('pw.saml', [orgs.mine], { accountType: 'SAML_USER' });
    const shared = newUser('pw.shared', [orgs.mine, orgs.theirs]);
    const everyOrg = caller(['directory:write'], '*');
    const results = [
      await run('userPasswordReset', 'user { username }', { id: globalIds.user(saml), newPassword: 'Whatever-123' }, caller()),
      await run('userPasswordReset', 'user { username }', { id: globalIds.user(shared), newPassword: 'Whatever-123' }, caller()),
      await run('userPasswordReset', 'user { username }', { id: globalIds.user({ id: WELL_KNOWN.tsadminUserId }), newPassword: 'Whatever-123' }, everyOrg),
    ];
    expect(results.map((m) => payload(m.value, 'userPasswordReset'))).toEqual([
      { user: null, userErrors: [{ field: ['input', 'id'], message: 'Only local users have a ThoughtSpot password; this user signs in elsewhere.', code: 'NOT_ALLOWED' }] },
      { user: null, userErrors: [SHARED] },
      { user: null, userErrors: [{ field: ['input', 'id'], message: expect.stringContaining('service account'), code: 'NOT_ALLOWED' }] },
    ]);
    expect(results.flatMap((m) => writes(m, 'users/reset-password'))).toEqual([]);
    expect([saml.password, shared.password]).toEqual(['initial-secret', 'initial-secret']);
  });

  it('treats a retry with the same key as a replay even with another password (secrets are not fingerprinted)', async () => {
    const user = newUser('pw.retry', [orgs.mine]);
    const writer = caller();
    const first = await run('userPasswordReset', 'user { username }', { id: globalIds.user(user), newPassword: 'First-Secret-1', idempotencyKey: 'pw-1' }, writer);
    const retry = await run('userPasswordReset', 'user { username }', { id: globalIds.user(user), newPassword: 'Second-Secret-2', idempotencyKey: 'pw-1' }, writer);
    expect(retry.value).toEqual(first.value);
    expect(writes(retry, 'users/reset-password')).toEqual([]);
    expect(user.password).toBe('First-Secret-1');
  });
});
