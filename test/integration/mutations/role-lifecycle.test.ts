// `roleCreate`, `roleUpdate` and `roleDelete` (resolvers/shared/lifecycle.ts, role-privileges.ts): roles found only
// among the caller's Organizations, the privileges a role may grant, read-only roles refused, every input problem
// reported at once before any write, the payload, the upstream calls and the audit event.

import { describe, expect, it } from 'vitest';
import type { GroupRec, RoleRec } from '../../../src/emulator/domain/index.js';
import { FIXTURE_EPOCH_MS, type FixtureOrg } from '../../support/fixtures.js';
import { useTestStack } from '../../support/harness.js';
import { NO_SUCH_GUID, globalIds, mutationHelpers, useFixtureOrgs } from '../../support/mutations.js';

const stack = useTestStack({ seed: 'minimal' });
const { caller, run, payload, writes, errorCodes, audit } = mutationHelpers(stack, 'roles', new Set(['Role-Mine']));
const orgs = useFixtureOrgs(stack, { mine: ['Role-Mine', 2], theirs: ['Role-Theirs', 2] });

/** A fresh role of `f` for one test. */
function newRole(f: FixtureOrg, name: string, readOnly = false): RoleRec {
  return stack.emulator.state.createRole(f.org, { name, description: 'before', privileges: ['DATADOWNLOADING'], readOnly, at: FIXTURE_EPOCH_MS });
}

const ROLE = 'role { name description privileges permission organization { name } groups { totalCount } }';
const rolesNamed = (f: FixtureOrg, name: string): RoleRec | undefined => stack.emulator.state.orgs.get(f.org.id)?.rolesByName.get(name);

describe('roleCreate', () => {
  it('creates the role in the Organization with one roles/create and answers with it', async () => {
    const writer = caller();
    const m = await run('roleCreate', ROLE, { organizationId: globalIds.org(orgs.mine.org), name: 'Analyst', description: 'Reads', privileges: ['DATADOWNLOADING', 'CAN_VIEW_FOLDERS', 'DATADOWNLOADING'] }, writer);
    expect(payload(m.value, 'roleCreate')).toEqual({
      role: { name: 'Analyst', description: 'Reads', privileges: expect.arrayContaining(['DATADOWNLOADING', 'CAN_VIEW_FOLDERS']), permission: 'MODIFY', organization: { name: 'Role-Mine' }, groups: { totalCount: 0 } },
      userErrors: [],
    });
    expect([...(rolesNamed(orgs.mine, 'Analyst')?.privileges ?? [])].sort()).toEqual(['CAN_VIEW_FOLDERS', 'DATADOWNLOADING']);
    expect(writes(m, 'roles/create')).toEqual([{ name: 'Analyst', description: 'Reads', privileges: ['DATADOWNLOADING', 'CAN_VIEW_FOLDERS'] }]);
    // The Org index and the role index (for the duplicate check) before the write, the write; after it, the Org
    // index again for `organization` and the group index for `groups`.
    expect(m.calls).toEqual({ 'groups/search': 1, 'orgs/search': 2, 'roles/create': 1, 'roles/search': 1 });
    expect(await audit(writer)).toEqual([expect.objectContaining({ operation: 'roleCreate', outcome: 'SUCCESS', errorCode: null, organization: 'Role-Mine' })]);
  });

  it('creates a read-only role when asked', async () => {
    const m = await run('roleCreate', ROLE, { organizationId: globalIds.org(orgs.mine.org), name: 'Frozen', readOnly: true }, caller());
    expect(payload(m.value, 'roleCreate')).toMatchObject({ role: { name: 'Frozen', permission: 'READ_ONLY' }, userErrors: [] });
    expect(rolesNamed(orgs.mine, 'Frozen')?.readOnly).toBe(true);
  });

  it('reports every problem at once, each on its field (list elements by index), and writes nothing', async () => {
    const m = await run(
      'roleCreate',
      ROLE,
      { organizationId: globalIds.org({ id: 987_654_321 }), name: 'n'.repeat(49), description: 'd'.repeat(125), privileges: ['DATADOWNLOADING', 'ADMINISTRATION', 'AUTHORING'] },
      caller(),
    );
    expect(payload(m.value, 'roleCreate')).toEqual({
      role: null,
      userErrors: [
        { field: ['input', 'organizationId'], message: 'No Organization with this ID exists.', code: 'NOT_FOUND' },
        { field: ['input', 'name'], message: 'A role name is 1 to 48 characters, not only spaces.', code: 'INVALID' },
        { field: ['input', 'description'], message: 'A role description is at most 124 characters.', code: 'INVALID' },
        { field: ['input', 'privileges', '1'], message: expect.stringContaining('A role cannot grant ADMINISTRATION'), code: 'INVALID' },
        { field: ['input', 'privileges', '2'], message: expect.stringContaining('A role cannot grant AUTHORING'), code: 'INVALID' },
      ],
    });
    expect(m.calls).toEqual({ 'orgs/search': 1 });
  });

  it('refuses a name the Organization already has (ALREADY_EXISTS) and a blank one (INVALID)', async () => {
    const taken = await run('roleCreate', ROLE, { organizationId: globalIds.org(orgs.mine.org), name: 'R-Read' }, caller());
    expect(payload(taken.value, 'roleCreate')).toEqual({
      role: null,
      userErrors: [{ field: ['input', 'name'], message: 'Another role of this Organization has this name.', code: 'ALREADY_EXISTS' }],
    });
    const blank = await run('roleCreate', ROLE, { organizationId: globalIds.org(orgs.mine.org), name: ' ' }, caller());
    expect(payload(blank.value, 'roleCreate')).toMatchObject({ role: null, userErrors: [{ field: ['input', 'name'], code: 'INVALID' }] });
    expect([...writes(taken, 'roles/create'), ...writes(blank, 'roles/create')]).toEqual([]);
  });

  it('treats another tenant’s Organization as one that does not exist, and an ID of another type as BAD_USER_INPUT', async () => {
    const outside = await run('roleCreate', ROLE, { organizationId: globalIds.org(orgs.theirs.org), name: 'Intruder' }, caller());
    const missing = await run('roleCreate', ROLE, { organizationId: globalIds.org({ id: 987_654_321 }), name: 'Intruder' }, caller());
    expect(outside.value).toEqual(missing.value);
    expect(rolesNamed(orgs.theirs, 'Intruder')).toBeUndefined();
    const wrongType = await run('roleCreate', ROLE, { organizationId: globalIds.role(orgs.mine.roles.get('R-Read') as RoleRec), name: 'Intruder' }, caller());
    expect(errorCodes(wrongType.value)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('roleUpdate', () => {
  it('renames the role and replaces its privileges with one roles/{id}/update, answering with the role', async () => {
    const role = newRole(orgs.mine, 'Upd-Role');
    const writer = caller();
    const m = await run('roleUpdate', ROLE, { id: globalIds.role(role), name: 'Upd-Role-2', privileges: ['JOBSCHEDULING'] }, writer);
    expect(payload(m.value, 'roleUpdate')).toEqual({
      role: { name: 'Upd-Role-2', description: 'before', privileges: ['JOBSCHEDULING'], permission: 'MODIFY', organization: { name: 'Role-Mine' }, groups: { totalCount: 0 } },
      userErrors: [],
    });
    expect([role.name, [...role.privileges]]).toEqual(['Upd-Role-2', ['JOBSCHEDULING']]);
    // The Org index and the role index before the write, the write (it answers with the role); then the payload's
    // `organization` and `groups`.
    expect(m.calls).toEqual({ 'groups/search': 1, 'orgs/search': 2, 'roles/search': 1, 'roles/{role_identifier}/update': 1 });
    expect(await audit(writer)).toEqual([expect.objectContaining({ operation: 'roleUpdate', outcome: 'SUCCESS', organization: 'Role-Mine' })]);
  });

  it('sends the current name when only the description changes (ThoughtSpot requires it on every update)', async () => {
    const role = newRole(orgs.mine, 'Keep-Name');
    const m = await run('roleUpdate', ROLE, { id: globalIds.role(role), description: 'after' }, caller());
    expect(writes(m, 'roles/{role_identifier}/update')).toEqual([{ name: 'Keep-Name', description: 'after' }]);
    expect([...role.privileges]).toEqual(['DATADOWNLOADING']);
  });

  it('refuses a read-only role (NOT_ALLOWED) together with the other problems, and writes nothing', async () => {
    const role = newRole(orgs.mine, 'Upd-Frozen', true);
    const m = await run('roleUpdate', ROLE, { id: globalIds.role(role), name: 'R-Read', privileges: ['ALLOW_NON_EMBED_FULL_APP_ACCESS'] }, caller());
    expect(payload(m.value, 'roleUpdate')).toEqual({
      role: null,
      userErrors: [
        { field: ['input', 'privileges', '0'], message: expect.stringContaining('roles/update'), code: 'INVALID' },
        { field: ['input', 'id'], message: 'Upd-Frozen is a read-only role and cannot be changed.', code: 'NOT_ALLOWED' },
        { field: ['input', 'name'], message: 'Another role of this Organization has this name.', code: 'ALREADY_EXISTS' },
      ],
    });
    expect(writes(m, 'roles/{role_identifier}/update')).toEqual([]);
    expect(role.name).toBe('Upd-Frozen');
  });

  it('treats a role of another tenant as one that does not exist, and never writes it', async () => {
    const foreign = newRole(orgs.theirs, 'Upd-Foreign');
    const outside = await run('roleUpdate', ROLE, { id: globalIds.role(foreign), description: 'hijacked' }, caller());
    const missing = await run('roleUpdate', ROLE, { id: globalIds.role({ orgId: orgs.mine.org.id, id: NO_SUCH_GUID }), description: 'hijacked' }, caller());
    expect(outside.value).toEqual(missing.value);
    expect(payload(outside.value, 'roleUpdate')).toEqual({ role: null, userErrors: [{ field: ['input', 'id'], message: 'No role with this ID exists.', code: 'NOT_FOUND' }] });
    expect(outside.calls).toEqual({ 'orgs/search': 1 });
    expect(foreign.description).toBe('before');
  });
});

describe('roleDelete', () => {
  it('deletes the role with one roles/{id}/delete; the groups it was assigned to lose it', async () => {
    const role = newRole(orgs.mine, 'Del-Role');
    const group = orgs.mine.groups.get('G-05') as GroupRec;
    stack.emulator.state.assignRole(group, role);
    const writer = caller();
    const m = await run('roleDelete', 'deletedRoleId', { id: globalIds.role(role) }, writer);
    expect(payload(m.value, 'roleDelete')).toEqual({ deletedRoleId: globalIds.role(role), userErrors: [] });
    expect(rolesNamed(orgs.mine, 'Del-Role')).toBeUndefined();
    expect(group.roleIds.has(role.id)).toBe(false);
    expect(m.calls).toEqual({ 'orgs/search': 1, 'roles/search': 1, 'roles/{role_identifier}/delete': 1 });
    expect(await audit(writer)).toEqual([expect.objectContaining({ operation: 'roleDelete', outcome: 'SUCCESS', organization: 'Role-Mine' })]);
  });

  it('refuses a read-only role with NOT_ALLOWED, and a role of another tenant as one that does not exist', async () => {
    const frozen = newRole(orgs.mine, 'Del-Frozen', true);
    const refused = await run('roleDelete', 'deletedRoleId', { id: globalIds.role(frozen) }, caller());
    expect(payload(refused.value, 'roleDelete')).toEqual({
      deletedRoleId: null,
      userErrors: [{ field: ['input', 'id'], message: 'Del-Frozen is a read-only role and cannot be deleted.', code: 'NOT_ALLOWED' }],
    });
    const foreign = newRole(orgs.theirs, 'Del-Foreign');
    const outside = await run('roleDelete', 'deletedRoleId', { id: globalIds.role(foreign) }, caller());
    expect(payload(outside.value, 'roleDelete')).toEqual({ deletedRoleId: null, userErrors: [{ field: ['input', 'id'], message: 'No role with this ID exists.', code: 'NOT_FOUND' }] });
    expect([rolesNamed(orgs.mine, 'Del-Frozen'), rolesNamed(orgs.theirs, 'Del-Foreign')]).toEqual([frozen, foreign]);
    expect([...writes(refused, 'roles/{role_identifier}/delete'), ...writes(outside, 'roles/{role_identifier}/delete')]).toEqual([]);
  });

  it('needs directory:write', async () => {
    const role = newRole(orgs.mine, 'Del-Denied');
    const m = await run('roleDelete', 'deletedRoleId', { id: globalIds.role(role) }, caller(['directory:read']));
    expect(errorCodes(m.value)).toEqual(['FORBIDDEN']);
    expect(rolesNamed(orgs.mine, 'Del-Denied')).toBe(role);
  });
});
