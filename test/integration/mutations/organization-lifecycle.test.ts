// `organizationCreate`, `organizationUpdate` and `organizationDelete`: `directory:admin`, names only within the
// caller's grant (how a signup flow provisions its own tenant), ThoughtSpot's name rules checked before any write,
// the Primary Organization protected, another tenant's Organization answered as none, the payload, the upstream calls
// and the audit event.

import { describe, expect, it } from 'vitest';
import type { OrgRec } from '../../../src/emulator/domain/index.js';
import { FIXTURE_EPOCH_MS } from '../../support/fixtures.js';
import { useTestStack } from '../../support/harness.js';
import { globalIds, mutationHelpers, useFixtureOrgs } from '../../support/mutations.js';

const stack = useTestStack({ seed: 'minimal' });
const { caller, run, payload, writes, errorCodes, audit } = mutationHelpers(stack, 'orgs', new Set(['Org-Mine']));
const orgs = useFixtureOrgs(stack, { mine: ['Org-Mine', 2], theirs: ['Org-Theirs', 2] });

const ORG = 'organization { name description status visibility groups { nodes { name } } }';
const admin = (orgs: ReadonlySet<string> | '*') => caller(['directory:admin'], orgs);
const orgNamed = (name: string): OrgRec | undefined => stack.emulator.state.findOrg(name);
const newOrg = (name: string): OrgRec => stack.emulator.state.createOrg({ name, description: 'before', at: FIXTURE_EPOCH_MS });

describe('organizationCreate', () => {
  it('lets a signup token granted just the new name create it, with its built-in groups, in one orgs/create', async () => {
    const signup = admin(new Set(['Acme-Signup']));
    const m = await run('organizationCreate', ORG, { name: 'Acme-Signup', description: 'A new tenant' }, signup);
    expect(payload(m.value, 'organizationCreate')).toEqual({
      organization: { name: 'Acme-Signup', description: 'A new tenant', status: 'ACTIVE', visibility: 'VISIBLE', groups: { nodes: [{ name: 'Administrator' }, { name: 'All' }] } },
      userErrors: [],
    });
    expect(orgNamed('Acme-Signup')?.description).toBe('A new tenant');
    expect(writes(m, 'orgs/create')).toEqual([{ name: 'Acme-Signup', description: 'A new tenant' }]);
    // The duplicate check's Org index, the write; then the payload's Org index and the new Org's groups.
    expect(m.calls).toEqual({ 'groups/search': 1, 'orgs/create': 1, 'orgs/search': 2 });
    expect(await audit(signup)).toEqual([
      { operation: 'organizationCreate', outcome: 'SUCCESS', errorCode: null, organization: 'Acme-Signup', input: { name: 'Acme-Signup', description: 'A new tenant' } },
    ]);
  });

  it('refuses a name the caller’s grant does not name (FORBIDDEN), creates nothing, and names no Organization in the event', async () => {
    const signup = admin(new Set(['Acme-Other']));
    const m = await run('organizationCreate', ORG, { name: 'Not-Granted' }, signup);
    expect(errorCodes(m.value)).toEqual(['FORBIDDEN']);
    expect(m.value.errors?.[0]?.message).toBe(
      "The caller's token does not grant an Organization of this name (orgs claim), so it cannot give an Organization that name.",
    );
    expect(orgNamed('Not-Granted')).toBeUndefined();
    expect(m.calls).toEqual({});
    expect(await audit(signup)).toEqual([expect.objectContaining({ outcome: 'FAILURE', errorCode: 'FORBIDDEN', organization: null })]);
  });

  it('checks ThoughtSpot’s name rules and the description before any call, reporting both at once', async () => {
    for (const name of ['', 'Has Space', 'x'.repeat(49), 'Ünïcode']) {
      const m = await run('organizationCreate', ORG, { name, description: 'd'.repeat(125) }, admin('*'));
      expect(payload(m.value, 'organizationCreate')).toEqual({
        organization: null,
        userErrors: [
          { field: ['input', 'name'], message: 'An Organization name is 1 to 48 letters, digits and hyphens.', code: 'INVALID' },
          { field: ['input', 'description'], message: 'An Organization description is at most 124 characters.', code: 'INVALID' },
        ],
      });
      expect(m.calls).toEqual({});
    }
  });

  it('refuses a name already taken, whatever its case (ALREADY_EXISTS)', async () => {
    const m = await run('organizationCreate', ORG, { name: 'org-mine' }, admin('*'));
    expect(payload(m.value, 'organizationCreate')).toEqual({
      organization: null,
      userErrors: [{ field: ['input', 'name'], message: 'An Organization with this name already exists.', code: 'ALREADY_EXISTS' }],
    });
    expect(writes(m, 'orgs/create')).toEqual([]);
  });

  it('needs directory:admin, and replays an idempotent retry without a second orgs/create', async () => {
    const writer = caller(['directory:write'], '*');
    const denied = await run('organizationCreate', ORG, { name: 'Writer-Org' }, writer);
    expect(errorCodes(denied.value)).toEqual(['FORBIDDEN']);
    expect(await audit(writer)).toEqual([expect.objectContaining({ outcome: 'DENIED' })]);
    const signup = admin(new Set(['Once-Org']));
    const input = { name: 'Once-Org', idempotencyKey: 'signup-once' };
    const first = await run('organizationCreate', ORG, input, signup);
    const again = await run('organizationCreate', ORG, input, signup);
    expect(again.value).toEqual(first.value);
    expect(writes(again, 'orgs/create')).toEqual([]);
    expect(orgNamed('Writer-Org')).toBeUndefined();
  });
});

describe('organizationUpdate', () => {
  it('renames the Organization and changes its description, within the caller’s grant, and answers with the new state', async () => {
    const org = newOrg('Upd-Org');
    const owner = admin(new Set(['Upd-Org', 'Upd-Org-2']));
    const m = await run('organizationUpdate', ORG, { id: globalIds.org(org), name: 'Upd-Org-2', description: 'after' }, owner);
    expect(payload(m.value, 'organizationUpdate')).toMatchObject({ organization: { name: 'Upd-Org-2', description: 'after' }, userErrors: [] });
    expect([org.name, org.description]).toEqual(['Upd-Org-2', 'after']);
    expect(writes(m, 'orgs/{org_identifier}/update')).toEqual([{ name: 'Upd-Org-2', description: 'after' }]);
    expect(await audit(owner)).toEqual([expect.objectContaining({ operation: 'organizationUpdate', outcome: 'SUCCESS', organization: 'Upd-Org' })]);
  });

  it('refuses a new name outside the caller’s grant (FORBIDDEN): the Organization would leave its hands', async () => {
    const org = newOrg('Keep-Org');
    const m = await run('organizationUpdate', ORG, { id: globalIds.org(org), name: 'Somebody-Else' }, admin(new Set(['Keep-Org'])));
    expect(errorCodes(m.value)).toEqual(['FORBIDDEN']);
    expect(org.name).toBe('Keep-Org');
  });

  it('refuses to rename the Primary Organization (NOT_ALLOWED), and a name taken by another Organization (ALREADY_EXISTS)', async () => {
    const primary = await run('organizationUpdate', ORG, { id: globalIds.org({ id: 0 }), name: 'Main' }, admin('*'));
    expect(payload(primary.value, 'organizationUpdate')).toEqual({
      organization: null,
      userErrors: [{ field: ['input', 'name'], message: 'The Primary Organization cannot be renamed.', code: 'NOT_ALLOWED' }],
    });
    const org = newOrg('Dup-Org');
    const taken = await run('organizationUpdate', ORG, { id: globalIds.org(org), name: 'Org-Theirs' }, admin('*'));
    expect(payload(taken.value, 'organizationUpdate')).toMatchObject({ organization: null, userErrors: [{ field: ['input', 'name'], code: 'ALREADY_EXISTS' }] });
    expect([...writes(primary, 'orgs/{org_identifier}/update'), ...writes(taken, 'orgs/{org_identifier}/update')]).toEqual([]);
    expect(stack.emulator.state.primary.name).toBe('Primary');
  });

  it('treats another tenant’s Organization as one that does not exist, and an ID of another type as BAD_USER_INPUT', async () => {
    const outside = await run('organizationUpdate', ORG, { id: globalIds.org(orgs.theirs.org), description: 'hijacked' }, admin(new Set(['Org-Mine'])));
    const missing = await run('organizationUpdate', ORG, { id: globalIds.org({ id: 987_654_321 }), description: 'hijacked' }, admin(new Set(['Org-Mine'])));
    expect(outside.value).toEqual(missing.value);
    expect(payload(outside.value, 'organizationUpdate')).toEqual({ organization: null, userErrors: [{ field: ['input', 'id'], message: 'No Organization with this ID exists.', code: 'NOT_FOUND' }] });
    expect(orgs.theirs.org.description).toBe('Test fixture');
    const wrongType = await run('organizationUpdate', ORG, { id: globalIds.user(orgs.mine.users[0] as { id: string }), name: 'X' }, admin('*'));
    expect(errorCodes(wrongType.value)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('organizationDelete', () => {
  it('deletes the Organization: its own users go with it, members of other Organizations only lose the membership', async () => {
    const org = newOrg('Del-Org');
    const state = stack.emulator.state;
    const only = state.insertUser({ name: 'del-org.only', displayName: 'Only here', email: null, at: FIXTURE_EPOCH_MS });
    const shared = state.insertUser({ name: 'del-org.shared', displayName: 'Also elsewhere', email: null, at: FIXTURE_EPOCH_MS });
    state.addUserToOrg(only, org.id);
    state.addUserToOrg(shared, org.id);
    state.addUserToOrg(shared, orgs.theirs.org.id);
    const owner = admin(new Set(['Del-Org']));
    const m = await run('organizationDelete', 'deletedOrganizationId', { id: globalIds.org(org) }, owner);
    expect(payload(m.value, 'organizationDelete')).toEqual({ deletedOrganizationId: globalIds.org(org), userErrors: [] });
    expect(orgNamed('Del-Org')).toBeUndefined();
    expect(state.users.has(only.id)).toBe(false);
    expect([...shared.orgIds]).toEqual([orgs.theirs.org.id]);
    expect(m.calls).toEqual({ 'orgs/search': 1, 'orgs/{org_identifier}/delete': 1 });
    expect(await audit(owner)).toEqual([expect.objectContaining({ operation: 'organizationDelete', outcome: 'SUCCESS', organization: 'Del-Org' })]);
  });

  it('refuses the Primary Organization (NOT_ALLOWED) and answers for another tenant’s as for none', async () => {
    const primary = await run('organizationDelete', 'deletedOrganizationId', { id: globalIds.org({ id: 0 }) }, admin('*'));
    expect(payload(primary.value, 'organizationDelete')).toEqual({
      deletedOrganizationId: null,
      userErrors: [{ field: ['input', 'id'], message: 'The Primary Organization cannot be deleted.', code: 'NOT_ALLOWED' }],
    });
    const outside = await run('organizationDelete', 'deletedOrganizationId', { id: globalIds.org(orgs.theirs.org) }, admin(new Set(['Org-Mine'])));
    expect(payload(outside.value, 'organizationDelete')).toEqual({
      deletedOrganizationId: null,
      userErrors: [{ field: ['input', 'id'], message: 'No Organization with this ID exists.', code: 'NOT_FOUND' }],
    });
    expect([orgNamed('Primary'), orgNamed('Org-Theirs')]).toEqual([stack.emulator.state.primary, orgs.theirs.org]);
  });

  it('needs directory:admin', async () => {
    const org = newOrg('Del-Denied');
    const m = await run('organizationDelete', 'deletedOrganizationId', { id: globalIds.org(org) }, caller(['directory:write'], new Set(['Del-Denied'])));
    expect(errorCodes(m.value)).toEqual(['FORBIDDEN']);
    expect(orgNamed('Del-Denied')).toBe(org);
  });
});
