// The relationship mutations (resolvers/shared/relationships.ts): set semantics (no write when nothing changes), all
// or nothing (every refused ID reported with its index, nothing written), ThoughtSpot's ADD/REMOVE operations naming
// only what changes, cycles refused before any write, tenancy (another tenant's object reads as no object), read
// your writes, idempotency and the audit event.

import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FormattedExecutionResult } from 'graphql';
import type { Caller, Scope } from '../../../src/auth/index.js';
import type { GroupRec, RoleRec, UserRec } from '../../../src/emulator/domain/index.js';
import { toGlobalId } from '../../../src/relay/global-id.js';
import { FIXTURE_EPOCH_MS, addFixtureOrg, type FixtureOrg } from '../../support/fixtures.js';
import { executeSingle } from '../../support/graphql.js';
import { useTestStack, type Measured } from '../../support/harness.js';

const stack = useTestStack({ seed: 'minimal' });
let mine: FixtureOrg;
let second: FixtureOrg;
let theirs: FixtureOrg;

beforeAll(() => {
  mine = addFixtureOrg(stack.emulator, 'Rel-Mine', 24);
  second = addFixtureOrg(stack.emulator, 'Rel-Second', 2);
  theirs = addFixtureOrg(stack.emulator, 'Rel-Theirs', 4);
});

const caller = (scopes: readonly Scope[] = ['directory:write'], orgs: Caller['orgs'] = new Set(['Rel-Mine', 'Rel-Second'])): Caller => ({
  subject: `rel-${randomBytes(3).toString('hex')}`,
  scopes: new Set(scopes),
  orgs,
  connectionId: null,
});

const userId = (user: UserRec): string => toGlobalId('test', { typename: 'User', guid: user.id });
const groupId = (group: GroupRec): string => toGlobalId('test', { typename: 'Group', orgId: group.orgId, guid: group.id });
const roleId = (role: RoleRec): string => toGlobalId('test', { typename: 'Role', orgId: role.orgId, guid: role.id });
const orgId = (f: FixtureOrg): string => toGlobalId('test', { typename: 'Organization', orgId: f.org.id });
const user = (f: FixtureOrg, i: number): UserRec => f.users[i] as UserRec;
const fixtureGroup = (f: FixtureOrg, name: string): GroupRec => f.groups.get(name) as GroupRec;
const fixtureRole = (f: FixtureOrg, name: string): RoleRec => f.roles.get(name) as RoleRec;
/** A GUID no object has. */
const NOBODY = '5f0c1e2d-0000-4000-8000-000000000000';

/** A fresh group of `f` for one test, with these direct members. */
function newGroup(f: FixtureOrg, name: string, members: readonly UserRec[] = []): GroupRec {
  const group = stack.emulator.state.createGroup(f.org, { name, displayName: name, at: FIXTURE_EPOCH_MS });
  for (const member of members) stack.emulator.state.addGroupMember(group, member);
  return group;
}

const GROUP_FIELDS = 'group { name members(first: 50) { nodes { username } } subGroups { nodes { name } } roles { nodes { name } } }';
const USER_ERRORS = 'userErrors { field message code }';

function document(mutation: string): string {
  const inputType = `${mutation[0]?.toUpperCase() ?? ''}${mutation.slice(1)}Input`;
  const result = mutation.startsWith('organization') ? 'organization { name users(first: 50) { nodes { username } } }' : GROUP_FIELDS;
  return `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${result} ${USER_ERRORS} } }`;
}

async function run(mutation: string, input: Record<string, unknown>, as: Caller = caller()): Promise<Measured<FormattedExecutionResult>> {
  return stack.measure(() => executeSingle(stack.app, { query: document(mutation), variables: { input } }, { caller: as }));
}

/** The payload of `mutation` in a result that must have no top-level error. */
function payload(result: FormattedExecutionResult, mutation: string): Record<string, unknown> {
  expect(result.errors).toBeUndefined();
  return (result.data as Record<string, Record<string, unknown>>)[mutation] as Record<string, unknown>;
}

const usernames = (users: readonly UserRec[]): string[] => users.map((u) => u.name).sort();
const memberNames = (group: GroupRec): string[] => [...group.userIds].map((id) => stack.emulator.state.users.get(id)?.name ?? id).sort();
const writes = (m: Measured<unknown>, endpoint: string): unknown[] => m.records.filter((r) => r.endpoint === `POST /api/rest/2.0/${endpoint}`).map((r) => r.body);

describe('groupMembersAdd', () => {
  it('adds only the users not yet members, with one groups/{id}/update ADD, and answers with the new members', async () => {
    const group = newGroup(mine, 'Rel-Add-Members', [user(mine, 0)]);
    const added = [user(mine, 0), user(mine, 1), user(mine, 2)];
    const m = await run('groupMembersAdd', { groupId: groupId(group), userIds: added.map(userId) });
    expect(payload(m.value, 'groupMembersAdd')).toEqual({
      group: {
        name: 'Rel-Add-Members',
        members: { nodes: usernames(added).map((username) => ({ username })) },
        subGroups: { nodes: [] },
        roles: { nodes: [] },
      },
      userErrors: [],
    });
    expect(memberNames(group)).toEqual(usernames(added));
    expect(writes(m, 'groups/{group_identifier}/update')).toEqual([{ user_identifiers: [user(mine, 1).id, user(mine, 2).id], operation: 'ADD' }]);
    // Before the write: the Org index (audit and tenancy), the group index, one read of the Org's user list for the
    // three users (it fits the scan's row budget). After it: the group read back, then the payload's members and
    // sub-groups (the roles list of one Org is one roles/search).
    expect(m.calls).toEqual({ 'groups/search': 3, 'groups/{group_identifier}/update': 1, 'orgs/search': 2, 'roles/search': 1, 'users/search': 2 });
  });

  it('adds nothing and writes nothing when every user is already a member (set semantics)', async () => {
    const group = newGroup(mine, 'Rel-Readd-Members', [user(mine, 3), user(mine, 4)]);
    const m = await run('groupMembersAdd', { groupId: groupId(group), userIds: [userId(user(mine, 4)), userId(user(mine, 3))] });
    expect(payload(m.value, 'groupMembersAdd')).toMatchObject({ group: { name: 'Rel-Readd-Members' }, userErrors: [] });
    expect(m.calls['groups/{group_identifier}/update']).toBeUndefined();
    expect(memberNames(group)).toEqual(usernames([user(mine, 3), user(mine, 4)]));
  });

  it('changes nothing for an empty list', async () => {
    const group = newGroup(mine, 'Rel-Empty-Members');
    const m = await run('groupMembersAdd', { groupId: groupId(group), userIds: [] });
    expect(payload(m.value, 'groupMembersAdd')).toMatchObject({ group: { name: 'Rel-Empty-Members', members: { nodes: [] } }, userErrors: [] });
    expect(m.calls['groups/{group_identifier}/update']).toBeUndefined();
  });

  it('reports every refused ID at once, each on its index, and writes nothing (all or nothing)', async () => {
    const group = newGroup(mine, 'Rel-Refused-Members');
    const ok = userId(user(mine, 5));
    const m = await run('groupMembersAdd', {
      groupId: groupId(group),
      userIds: [
        ok,
        'not-an-id',
        groupId(fixtureGroup(mine, 'G-01')),
        userId(user(theirs, 0)),
        ok,
        toGlobalId('elsewhere', { typename: 'User', guid: user(mine, 6).id }),
        toGlobalId('test', { typename: 'User', guid: NOBODY }),
        userId(user(second, 0)),
      ],
    });
    const notMember = "No user with this ID is a member of the group's Organization.";
    expect(payload(m.value, 'groupMembersAdd')).toEqual({
      group: null,
      userErrors: [
        { field: ['input', 'userIds', '1'], message: 'This is not an ID issued by this API.', code: 'INVALID' },
        { field: ['input', 'userIds', '2'], message: 'This is the ID of a Group, not of a User.', code: 'INVALID' },
        // Another tenant's user, a user of nowhere and a user of the caller's other Organization read alike.
        { field: ['input', 'userIds', '3'], message: notMember, code: 'NOT_FOUND' },
        { field: ['input', 'userIds', '4'], message: 'This ID is already in the list, at index 0; give each ID once.', code: 'INVALID' },
        // An ID of another ThoughtSpot connection names nothing here either.
        { field: ['input', 'userIds', '5'], message: notMember, code: 'NOT_FOUND' },
        { field: ['input', 'userIds', '6'], message: notMember, code: 'NOT_FOUND' },
        { field: ['input', 'userIds', '7'], message: notMember, code: 'NOT_FOUND' },
      ],
    });
    expect(group.userIds.size).toBe(0);
    expect(m.calls['groups/{group_identifier}/update']).toBeUndefined();
  });

  it('refuses more than 100 IDs with one error on the list, reading no user', async () => {
    const group = newGroup(mine, 'Rel-Too-Many');
    const ids = Array.from({ length: 101 }, (_, i) => toGlobalId('test', { typename: 'User', guid: `guid-${i}` }));
    const m = await run('groupMembersAdd', { groupId: groupId(group), userIds: ids });
    expect(payload(m.value, 'groupMembersAdd')).toEqual({
      group: null,
      userErrors: [{ field: ['input', 'userIds'], message: 'At most 100 IDs at a time, but got 101.', code: 'INVALID' }],
    });
    // The one read is the Org index, for the audit event's Organization.
    expect(m.calls).toEqual({ 'orgs/search': 1 });
  });

  it('treats a group of another tenant exactly as one that does not exist, and writes nothing', async () => {
    const target = fixtureGroup(theirs, 'G-05');
    const before = memberNames(target);
    const input = (id: string) => ({ groupId: id, userIds: [userId(user(mine, 7))] });
    const outside = await run('groupMembersAdd', input(groupId(target)));
    const missing = await run('groupMembersAdd', input(toGlobalId('test', { typename: 'Group', orgId: mine.org.id, guid: NOBODY })));
    expect(outside.value).toEqual(missing.value);
    expect(payload(outside.value, 'groupMembersAdd')).toEqual({
      group: null,
      userErrors: [{ field: ['input', 'groupId'], message: 'No group with this ID exists.', code: 'NOT_FOUND' }],
    });
    expect(memberNames(target)).toEqual(before);
    // Not even a read in the other tenant's Organization: its Org index entry is all that was consulted.
    expect(outside.calls).toEqual({ 'orgs/search': 1 });
    const wrongType = await run('groupMembersAdd', input(orgId(mine)));
    expect(payload(wrongType.value, 'groupMembersAdd')).toEqual({
      group: null,
      userErrors: [{ field: ['input', 'groupId'], message: 'This is the ID of an Organization, not of a Group.', code: 'INVALID' }],
    });
  });

  it('needs directory:write: a reader and an embedding back end are refused and change nothing', async () => {
    const group = newGroup(mine, 'Rel-Scope');
    for (const scopes of [['directory:read'], ['directory:embed']] as const) {
      const m = await run('groupMembersAdd', { groupId: groupId(group), userIds: [userId(user(mine, 8))] }, caller(scopes));
      expect(m.value.errors?.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
      expect(m.calls).toEqual({});
    }
    expect(group.userIds.size).toBe(0);
  });

  it('replays a retry with the same idempotency key without calling ThoughtSpot again', async () => {
    const group = newGroup(mine, 'Rel-Idempotent');
    const writer = caller();
    const input = { groupId: groupId(group), userIds: [userId(user(mine, 9))], idempotencyKey: 'rel-members-1' };
    const first = await run('groupMembersAdd', input, writer);
    // Someone takes the user out in between: the replay answers the first result and writes nothing.
    stack.emulator.state.removeGroupMember(group, user(mine, 9));
    const again = await run('groupMembersAdd', input, writer);
    // The stored payload names the group; its lists are read as they are now.
    expect(payload(first.value, 'groupMembersAdd')).toMatchObject({ group: { name: 'Rel-Idempotent', members: { nodes: [{ username: user(mine, 9).name }] } }, userErrors: [] });
    expect(payload(again.value, 'groupMembersAdd')).toMatchObject({ group: { name: 'Rel-Idempotent', members: { nodes: [] } }, userErrors: [] });
    expect(again.calls['groups/{group_identifier}/update']).toBeUndefined();
    expect(group.userIds.size).toBe(0);
  });

  it('leaves one audit event per call with the group, its Organization and the outcome', async () => {
    const group = newGroup(mine, 'Rel-Audited');
    const writer = caller();
    await run('groupMembersAdd', { groupId: groupId(group), userIds: [userId(user(mine, 10))] }, writer);
    await run('groupMembersAdd', { groupId: groupId(group), userIds: ['bogus'] }, writer);
    const events = await stack.app.store.audit.list({ actor: writer.subject });
    expect(events.edges.map(({ node }) => [node.operation, node.outcome, node.errorCode, node.organization?.name, node.target.type, node.target.id])).toEqual([
      ['groupMembersAdd', 'FAILURE', 'INVALID', 'Rel-Mine', 'Group', groupId(group)],
      ['groupMembersAdd', 'SUCCESS', null, 'Rel-Mine', 'Group', groupId(group)],
    ]);
    expect(events.edges[1]?.node.input).toEqual({ groupId: groupId(group), userIds: [userId(user(mine, 10))] });
  });
});

describe('groupMembersRemove', () => {
  it('removes only the members, with one groups/{id}/update REMOVE; a non-member is left alone', async () => {
    const group = newGroup(mine, 'Rel-Remove-Members', [user(mine, 11), user(mine, 12)]);
    const m = await run('groupMembersRemove', { groupId: groupId(group), userIds: [userId(user(mine, 11)), userId(user(mine, 13))] });
    expect(payload(m.value, 'groupMembersRemove')).toMatchObject({
      group: { name: 'Rel-Remove-Members', members: { nodes: [{ username: user(mine, 12).name }] } },
      userErrors: [],
    });
    expect(memberNames(group)).toEqual([user(mine, 12).name]);
    expect(writes(m, 'groups/{group_identifier}/update')).toEqual([{ user_identifiers: [user(mine, 11).id], operation: 'REMOVE' }]);
  });

  it('writes nothing when none of the users is a member', async () => {
    const group = newGroup(mine, 'Rel-Remove-None', [user(mine, 14)]);
    const m = await run('groupMembersRemove', { groupId: groupId(group), userIds: [userId(user(mine, 15))] });
    expect(payload(m.value, 'groupMembersRemove')).toMatchObject({ userErrors: [] });
    expect(m.calls['groups/{group_identifier}/update']).toBeUndefined();
    expect(memberNames(group)).toEqual([user(mine, 14).name]);
  });

  it('refuses to remove anyone from All, whose membership is implicit, and adding to All writes nothing', async () => {
    const all = stack.emulator.state.groups.get(mine.org.allGroupId) as GroupRec;
    const removed = await run('groupMembersRemove', { groupId: groupId(all), userIds: [userId(user(mine, 16))] });
    expect(payload(removed.value, 'groupMembersRemove')).toEqual({
      group: null,
      userErrors: [
        { field: ['input', 'groupId'], message: 'Every user of the Organization is in the All group; no one can be removed from it.', code: 'NOT_ALLOWED' },
      ],
    });
    const added = await run('groupMembersAdd', { groupId: groupId(all), userIds: [userId(user(mine, 16))] });
    expect(payload(added.value, 'groupMembersAdd')).toMatchObject({ group: { name: 'All' }, userErrors: [] });
    expect(removed.calls['groups/{group_identifier}/update']).toBeUndefined();
    expect(added.calls['groups/{group_identifier}/update']).toBeUndefined();
  });
});

describe('groupSubGroupsAdd', () => {
  it('adds only the groups not yet sub-groups, with one ADD, and answers with the new hierarchy', async () => {
    const parent = newGroup(mine, 'Rel-Parent');
    const kept = newGroup(mine, 'Rel-Child-Kept');
    const fresh = newGroup(mine, 'Rel-Child-New');
    stack.emulator.state.addSubGroup(parent, kept);
    const m = await run('groupSubGroupsAdd', { groupId: groupId(parent), subGroupIds: [groupId(kept), groupId(fresh)] });
    expect(payload(m.value, 'groupSubGroupsAdd')).toMatchObject({
      group: { name: 'Rel-Parent', subGroups: { nodes: [{ name: 'Rel-Child-Kept' }, { name: 'Rel-Child-New' }] } },
      userErrors: [],
    });
    expect([...parent.subGroupIds].sort()).toEqual([kept.id, fresh.id].sort());
    expect(writes(m, 'groups/{group_identifier}/update')).toEqual([{ sub_group_identifiers: [fresh.id], operation: 'ADD' }]);
    const again = await run('groupSubGroupsAdd', { groupId: groupId(parent), subGroupIds: [groupId(fresh)] });
    expect(payload(again.value, 'groupSubGroupsAdd')).toMatchObject({ userErrors: [] });
    expect(again.calls['groups/{group_identifier}/update']).toBeUndefined();
  });

  it('refuses cycles (CYCLE), All and groups of other Organizations before any write, each on its index', async () => {
    // The fixture's hierarchy: G-03 ⊂ G-01 ⊂ G-00.
    const target = fixtureGroup(mine, 'G-03');
    const all = stack.emulator.state.groups.get(mine.org.allGroupId) as GroupRec;
    const m = await run('groupSubGroupsAdd', {
      groupId: groupId(target),
      subGroupIds: [
        groupId(fixtureGroup(mine, 'G-07')),
        groupId(fixtureGroup(mine, 'G-00')),
        groupId(target),
        groupId(all),
        groupId(fixtureGroup(theirs, 'G-07')),
        groupId(fixtureGroup(second, 'G-07')),
        userId(user(mine, 0)),
      ],
    });
    const otherOrg = "No group with this ID exists in the parent group's Organization.";
    expect(payload(m.value, 'groupSubGroupsAdd')).toEqual({
      group: null,
      userErrors: [
        {
          field: ['input', 'subGroupIds', '1'],
          message: 'Group "G-00" already contains group "G-03" (directly or through sub-groups), so it cannot also be its sub-group.',
          code: 'CYCLE',
        },
        { field: ['input', 'subGroupIds', '2'], message: 'A group cannot be a sub-group of itself.', code: 'CYCLE' },
        {
          field: ['input', 'subGroupIds', '3'],
          message: 'The All group cannot be a sub-group: every user of the Organization is in it already.',
          code: 'NOT_ALLOWED',
        },
        { field: ['input', 'subGroupIds', '4'], message: otherOrg, code: 'NOT_FOUND' },
        { field: ['input', 'subGroupIds', '5'], message: otherOrg, code: 'NOT_FOUND' },
        { field: ['input', 'subGroupIds', '6'], message: 'This is the ID of a User, not of a Group.', code: 'INVALID' },
      ],
    });
    expect(target.subGroupIds.size).toBe(0);
    expect(m.calls['groups/{group_identifier}/update']).toBeUndefined();
    // The whole check is the Org index and the group index: no call per element.
    expect(m.calls).toEqual({ 'groups/search': 1, 'orgs/search': 1 });
  });
});

describe('groupSubGroupsRemove', () => {
  it('takes out only the sub-groups there are, with one REMOVE', async () => {
    const parent = newGroup(mine, 'Rel-Parent-Remove');
    const child = newGroup(mine, 'Rel-Child-Remove');
    const stranger = newGroup(mine, 'Rel-Child-Stranger');
    stack.emulator.state.addSubGroup(parent, child);
    const m = await run('groupSubGroupsRemove', { groupId: groupId(parent), subGroupIds: [groupId(child), groupId(stranger)] });
    expect(payload(m.value, 'groupSubGroupsRemove')).toMatchObject({ group: { name: 'Rel-Parent-Remove', subGroups: { nodes: [] } }, userErrors: [] });
    expect(parent.subGroupIds.size).toBe(0);
    expect(writes(m, 'groups/{group_identifier}/update')).toEqual([{ sub_group_identifiers: [child.id], operation: 'REMOVE' }]);
    const again = await run('groupSubGroupsRemove', { groupId: groupId(parent), subGroupIds: [groupId(child)] });
    expect(again.calls['groups/{group_identifier}/update']).toBeUndefined();
  });
});

describe('groupRolesAssign and groupRolesUnassign', () => {
  it('assigns only the roles the group lacks, with one ADD, and answers with its roles', async () => {
    const group = newGroup(mine, 'Rel-Roles');
    stack.emulator.state.assignRole(group, fixtureRole(mine, 'R-Read'));
    const m = await run('groupRolesAssign', { groupId: groupId(group), roleIds: [roleId(fixtureRole(mine, 'R-Read')), roleId(fixtureRole(mine, 'R-Admin'))] });
    expect(payload(m.value, 'groupRolesAssign')).toMatchObject({
      group: { name: 'Rel-Roles', roles: { nodes: [{ name: 'R-Admin' }, { name: 'R-Read' }] } },
      userErrors: [],
    });
    expect(writes(m, 'groups/{group_identifier}/update')).toEqual([{ role_identifiers: [fixtureRole(mine, 'R-Admin').id], operation: 'ADD' }]);
    expect([...group.roleIds].sort()).toEqual([fixtureRole(mine, 'R-Read').id, fixtureRole(mine, 'R-Admin').id].sort());
  });

  it('unassigns only the roles the group has, with one REMOVE; none held means no write', async () => {
    const group = newGroup(mine, 'Rel-Unassign');
    stack.emulator.state.assignRole(group, fixtureRole(mine, 'R-Write'));
    const m = await run('groupRolesUnassign', { groupId: groupId(group), roleIds: [roleId(fixtureRole(mine, 'R-Write')), roleId(fixtureRole(mine, 'R-Read'))] });
    expect(payload(m.value, 'groupRolesUnassign')).toMatchObject({ group: { roles: { nodes: [] } }, userErrors: [] });
    expect(writes(m, 'groups/{group_identifier}/update')).toEqual([{ role_identifiers: [fixtureRole(mine, 'R-Write').id], operation: 'REMOVE' }]);
    expect(group.roleIds.size).toBe(0);
    const again = await run('groupRolesUnassign', { groupId: groupId(group), roleIds: [roleId(fixtureRole(mine, 'R-Write'))] });
    expect(again.calls['groups/{group_identifier}/update']).toBeUndefined();
  });

  it('reads a role of another tenant, or of nowhere, as unknown, and assigns nothing', async () => {
    const group = newGroup(mine, 'Rel-Roles-Refused');
    const m = await run('groupRolesAssign', {
      groupId: groupId(group),
      roleIds: [
        roleId(fixtureRole(mine, 'R-Read')),
        roleId(fixtureRole(theirs, 'R-Read')),
        toGlobalId('test', { typename: 'Role', orgId: mine.org.id, guid: NOBODY }),
      ],
    });
    const unknown = "No role with this ID exists in the group's Organization.";
    expect(payload(m.value, 'groupRolesAssign')).toEqual({
      group: null,
      userErrors: [
        { field: ['input', 'roleIds', '1'], message: unknown, code: 'NOT_FOUND' },
        { field: ['input', 'roleIds', '2'], message: unknown, code: 'NOT_FOUND' },
      ],
    });
    expect(group.roleIds.size).toBe(0);
  });
});

describe('organizationUsersAdd and organizationUsersRemove', () => {
  it('adds only the users not yet in the Organization, with one orgs/{id}/update ADD', async () => {
    const newcomer = user(mine, 17);
    const m = await run('organizationUsersAdd', { organizationId: orgId(second), userIds: [userId(newcomer), userId(user(second, 0))] });
    expect(payload(m.value, 'organizationUsersAdd')).toEqual({
      organization: { name: 'Rel-Second', users: { nodes: usernames([newcomer, user(second, 0), user(second, 1)]).map((username) => ({ username })) } },
      userErrors: [],
    });
    expect(second.org.members.has(newcomer.id)).toBe(true);
    expect(newcomer.orgIds.has(mine.org.id)).toBe(true);
    expect(writes(m, 'orgs/{org_identifier}/update')).toEqual([{ user_identifiers: [newcomer.id], operation: 'ADD' }]);
    const again = await run('organizationUsersAdd', { organizationId: orgId(second), userIds: [userId(newcomer)] });
    expect(payload(again.value, 'organizationUsersAdd')).toMatchObject({ userErrors: [] });
    expect(again.calls['orgs/{org_identifier}/update']).toBeUndefined();
  });

  it('removes only the members, with one REMOVE, and the users keep their other Organizations', async () => {
    const leaver = user(mine, 18);
    stack.emulator.state.addUserToOrg(leaver, second.org.id);
    const m = await run('organizationUsersRemove', { organizationId: orgId(second), userIds: [userId(leaver), userId(user(mine, 19))] });
    expect(payload(m.value, 'organizationUsersRemove')).toMatchObject({ organization: { name: 'Rel-Second' }, userErrors: [] });
    expect(writes(m, 'orgs/{org_identifier}/update')).toEqual([{ user_identifiers: [leaver.id], operation: 'REMOVE' }]);
    expect(second.org.members.has(leaver.id)).toBe(false);
    expect(leaver.orgIds.has(mine.org.id)).toBe(true);
  });

  it("reads another tenant's user as no user, and another tenant's Organization as no Organization", async () => {
    const stranger = user(theirs, 1);
    const m = await run('organizationUsersAdd', {
      organizationId: orgId(mine),
      userIds: [userId(stranger), toGlobalId('test', { typename: 'User', guid: NOBODY }), groupId(fixtureGroup(mine, 'G-00'))],
    });
    expect(payload(m.value, 'organizationUsersAdd')).toEqual({
      organization: null,
      userErrors: [
        { field: ['input', 'userIds', '0'], message: 'No user with this ID exists.', code: 'NOT_FOUND' },
        { field: ['input', 'userIds', '1'], message: 'No user with this ID exists.', code: 'NOT_FOUND' },
        { field: ['input', 'userIds', '2'], message: 'This is the ID of a Group, not of a User.', code: 'INVALID' },
      ],
    });
    expect(stranger.orgIds.has(mine.org.id)).toBe(false);
    const outside = await run('organizationUsersAdd', { organizationId: orgId(theirs), userIds: [userId(user(mine, 20))] });
    const missing = await run('organizationUsersAdd', {
      organizationId: toGlobalId('test', { typename: 'Organization', orgId: 987_654_321 }),
      userIds: [userId(user(mine, 20))],
    });
    expect(outside.value).toEqual(missing.value);
    expect(payload(outside.value, 'organizationUsersAdd')).toEqual({
      organization: null,
      userErrors: [{ field: ['input', 'organizationId'], message: 'No Organization with this ID exists.', code: 'NOT_FOUND' }],
    });
    expect(user(mine, 20).orgIds.has(theirs.org.id)).toBe(false);
    expect(outside.calls['orgs/{org_identifier}/update']).toBeUndefined();
  });

  it('records the Organization in the audit event', async () => {
    const writer = caller();
    await run('organizationUsersAdd', { organizationId: orgId(second), userIds: [userId(user(mine, 21))] }, writer);
    const events = await stack.app.store.audit.list({ actor: writer.subject });
    expect(events.edges.map(({ node }) => [node.operation, node.outcome, node.organization?.name])).toEqual([['organizationUsersAdd', 'SUCCESS', 'Rel-Second']]);
  });
});

describe('every relationship mutation', () => {
  interface Case {
    readonly mutation: string;
    readonly target: string;
    readonly field: string;
    /** The target's ID and Organization, and two valid element IDs, fresh for the test. */
    readonly setup: (name: string) => { readonly targetId: string; readonly org: string; readonly valid: readonly string[] };
    /** An element of another tenant, one of the wrong type, and the message of an unknown element. */
    readonly theirs: () => string;
    readonly wrongType: () => string;
    readonly wrongTypeMessage: string;
    /** An ID of the right type that names nothing. */
    readonly nobody: () => string;
    readonly unknown: string;
    readonly write: string;
  }
  const usersOf = (f: FixtureOrg, from: number): string[] => [userId(user(f, from)), userId(user(f, from + 1))];
  const groupCase = (mutation: string, field: string, kind: 'users' | 'groups' | 'roles'): Case => ({
    mutation,
    target: 'groupId',
    field,
    setup: (name) => {
      const group = newGroup(mine, name);
      const valid =
        kind === 'users'
          ? usersOf(mine, 22)
          : kind === 'roles'
            ? [roleId(fixtureRole(mine, 'R-Read')), roleId(fixtureRole(mine, 'R-Write'))]
            : [groupId(newGroup(mine, `${name}-A`)), groupId(newGroup(mine, `${name}-B`))];
      return { targetId: groupId(group), org: 'Rel-Mine', valid };
    },
    theirs: () => (kind === 'users' ? userId(user(theirs, 2)) : kind === 'roles' ? roleId(fixtureRole(theirs, 'R-Read')) : groupId(fixtureGroup(theirs, 'G-04'))),
    wrongType: () => (kind === 'users' ? roleId(fixtureRole(mine, 'R-Read')) : userId(user(mine, 0))),
    wrongTypeMessage: kind === 'users' ? 'This is the ID of a Role, not of a User.' : `This is the ID of a User, not of a ${kind === 'roles' ? 'Role' : 'Group'}.`,
    nobody: () =>
      kind === 'users'
        ? toGlobalId('test', { typename: 'User', guid: NOBODY })
        : toGlobalId('test', { typename: kind === 'roles' ? 'Role' : 'Group', orgId: mine.org.id, guid: NOBODY }),
    unknown:
      kind === 'users'
        ? "No user with this ID is a member of the group's Organization."
        : kind === 'roles'
          ? "No role with this ID exists in the group's Organization."
          : "No group with this ID exists in the parent group's Organization.",
    write: 'groups/{group_identifier}/update',
  });
  const orgCase = (mutation: string): Case => ({
    mutation,
    target: 'organizationId',
    field: 'userIds',
    setup: () => ({ targetId: orgId(second), org: 'Rel-Second', valid: usersOf(mine, 22) }),
    theirs: () => userId(user(theirs, 3)),
    wrongType: () => groupId(fixtureGroup(mine, 'G-00')),
    wrongTypeMessage: 'This is the ID of a Group, not of a User.',
    nobody: () => toGlobalId('test', { typename: 'User', guid: NOBODY }),
    unknown: 'No user with this ID exists.',
    write: 'orgs/{org_identifier}/update',
  });
  const cases: readonly Case[] = [
    groupCase('groupMembersAdd', 'userIds', 'users'),
    groupCase('groupMembersRemove', 'userIds', 'users'),
    groupCase('groupSubGroupsAdd', 'subGroupIds', 'groups'),
    groupCase('groupSubGroupsRemove', 'subGroupIds', 'groups'),
    groupCase('groupRolesAssign', 'roleIds', 'roles'),
    groupCase('groupRolesUnassign', 'roleIds', 'roles'),
    orgCase('organizationUsersAdd'),
    orgCase('organizationUsersRemove'),
  ];

  it.each(cases)('$mutation refuses a list of more than 100 IDs before reading any element', async (c) => {
    const { targetId } = c.setup(`Rel-Every-Limit-${c.mutation}`);
    const m = await run(c.mutation, { [c.target]: targetId, [c.field]: Array.from({ length: 101 }, () => c.wrongType()) });
    expect(payload(m.value, c.mutation)).toMatchObject({ userErrors: [{ field: ['input', c.field], message: 'At most 100 IDs at a time, but got 101.', code: 'INVALID' }] });
    expect(m.calls).toEqual({ 'orgs/search': 1 });
  });

  it.each(cases)('$mutation reports duplicates, wrong types, other tenants and unknown IDs on their indexes, writes nothing, and audits it', async (c) => {
    const { targetId, org, valid } = c.setup(`Rel-Every-Refused-${c.mutation}`);
    const writer = caller();
    const [first = ''] = valid;
    const m = await run(c.mutation, { [c.target]: targetId, [c.field]: [first, first, c.wrongType(), c.theirs(), c.nobody(), 'x'] }, writer);
    expect(payload(m.value, c.mutation)[c.target === 'groupId' ? 'group' : 'organization']).toBeNull();
    const errors = (payload(m.value, c.mutation)['userErrors'] as { field: string[]; message: string; code: string }[]).map((e) => [e.field.join('.'), e.code, e.message]);
    // Another tenant's element and an element of nothing read alike.
    expect(errors).toEqual([
      [`input.${c.field}.1`, 'INVALID', 'This ID is already in the list, at index 0; give each ID once.'],
      [`input.${c.field}.2`, 'INVALID', c.wrongTypeMessage],
      [`input.${c.field}.3`, 'NOT_FOUND', c.unknown],
      [`input.${c.field}.4`, 'NOT_FOUND', c.unknown],
      [`input.${c.field}.5`, 'INVALID', 'This is not an ID issued by this API.'],
    ]);
    expect(m.calls[c.write]).toBeUndefined();
    const events = await stack.app.store.audit.list({ actor: writer.subject });
    expect(events.edges.map(({ node }) => [node.operation, node.outcome, node.errorCode, node.organization?.name])).toEqual([[c.mutation, 'FAILURE', 'INVALID', org]]);
  });

  it.each(cases)('$mutation writes once for a change and not at all when repeated, auditing both', async (c) => {
    const { targetId, org, valid } = c.setup(`Rel-Every-Write-${c.mutation}`);
    const writer = caller();
    const input = { [c.target]: targetId, [c.field]: valid };
    // A remove needs something to remove: add it first with the matching add mutation.
    const adder = c.mutation.replace('Remove', 'Add').replace('Unassign', 'Assign');
    if (adder !== c.mutation) expect(payload((await run(adder, input)).value, adder)).toMatchObject({ userErrors: [] });
    const once = await run(c.mutation, input, writer);
    const twice = await run(c.mutation, input, writer);
    expect(payload(once.value, c.mutation)).toMatchObject({ userErrors: [] });
    expect(payload(twice.value, c.mutation)).toMatchObject({ userErrors: [] });
    expect([once.calls[c.write], twice.calls[c.write]]).toEqual([1, undefined]);
    const events = await stack.app.store.audit.list({ actor: writer.subject });
    expect(events.edges.map(({ node }) => [node.operation, node.outcome, node.organization?.name])).toEqual([
      [c.mutation, 'SUCCESS', org],
      [c.mutation, 'SUCCESS', org],
    ]);
  });
});
