// `groupUpdate` and `groupDelete` (resolvers/shared/lifecycle.ts): the group found only among the caller's
// Organizations, every input problem reported at once before any write, system groups refused, the payload read back
// after the write, the upstream calls, idempotency and the audit event.

import { describe, expect, it } from 'vitest';
import type { GroupRec } from '../../../src/emulator/domain/index.js';
import { FIXTURE_EPOCH_MS, type FixtureOrg } from '../../support/fixtures.js';
import { useTestStack } from '../../support/harness.js';
import { NO_SUCH_GUID, globalIds, mutationHelpers, useFixtureOrgs } from '../../support/mutations.js';

const stack = useTestStack({ seed: 'minimal' });
const { caller, run, payload, writes, errorCodes, audit } = mutationHelpers(stack, 'groups', new Set(['Grp-Mine']));
const orgs = useFixtureOrgs(stack, { mine: ['Grp-Mine', 4], theirs: ['Grp-Theirs', 4] });

/** A fresh group of `f` for one test. */
function newGroup(f: FixtureOrg, name: string): GroupRec {
  return stack.emulator.state.createGroup(f.org, { name, displayName: name, description: 'before', at: FIXTURE_EPOCH_MS });
}

const GROUP = 'group { name displayName description type visibility isSystemGroup organization { name } }';
const missingGroupId = (f: FixtureOrg): string => globalIds.group({ orgId: f.org.id, id: NO_SUCH_GUID });

describe('groupUpdate', () => {
  it('changes the attributes given, leaves the others, and answers with the group as ThoughtSpot now holds it', async () => {
    const group = newGroup(orgs.mine, 'Upd-Target');
    const writer = caller();
    const m = await run('groupUpdate', GROUP, { id: globalIds.group(group), name: 'Upd-Renamed', description: 'after', type: 'TEAM', visibility: 'NOT_SHAREABLE' }, writer);
    expect(payload(m.value, 'groupUpdate')).toEqual({
      group: { name: 'Upd-Renamed', displayName: 'Upd-Target', description: 'after', type: 'TEAM', visibility: 'NOT_SHAREABLE', isSystemGroup: false, organization: { name: 'Grp-Mine' } },
      userErrors: [],
    });
    expect([group.name, group.displayName, group.description, group.type, group.visibility]).toEqual(['Upd-Renamed', 'Upd-Target', 'after', 'TEAM_GROUP', 'NON_SHARABLE']);
    expect(writes(m, 'groups/{group_identifier}/update')).toEqual([{ name: 'Upd-Renamed', description: 'after', type: 'TEAM_GROUP', visibility: 'NON_SHARABLE' }]);
    // The Org index (scope and audit) and the group index before the write, the write, the group index after it,
    // and the Org index again for the payload's `organization` (mutate forgets every read once the write is done).
    expect(m.calls).toEqual({ 'groups/search': 2, 'groups/{group_identifier}/update': 1, 'orgs/search': 2 });
    expect(await audit(writer)).toEqual([
      { operation: 'groupUpdate', outcome: 'SUCCESS', errorCode: null, organization: 'Grp-Mine', input: expect.objectContaining({ name: 'Upd-Renamed' }) },
    ]);
  });

  it('reports every problem of the input at once, and writes nothing', async () => {
    const m = await run('groupUpdate', GROUP, { id: missingGroupId(orgs.mine), name: '   ', displayName: 'x'.repeat(256), description: 'y'.repeat(256) }, caller());
    expect(payload(m.value, 'groupUpdate')).toEqual({
      group: null,
      userErrors: [
        { field: ['input', 'id'], message: 'No group with this ID exists.', code: 'NOT_FOUND' },
        { field: ['input', 'name'], message: 'A group name is 1 to 255 characters, not only spaces.', code: 'INVALID' },
        { field: ['input', 'displayName'], message: 'A display name is 1 to 255 characters, not only spaces.', code: 'INVALID' },
        { field: ['input', 'description'], message: 'A description is at most 255 characters.', code: 'INVALID' },
      ],
    });
    expect(m.calls).toEqual({ 'groups/search': 1, 'orgs/search': 1 });
  });

  it('refuses a name another group of the Organization has (ALREADY_EXISTS) and the renaming of a system group (NOT_ALLOWED)', async () => {
    const group = newGroup(orgs.mine, 'Upd-Dup');
    const taken = await run('groupUpdate', GROUP, { id: globalIds.group(group), name: 'G-01' }, caller());
    expect(payload(taken.value, 'groupUpdate')).toEqual({
      group: null,
      userErrors: [{ field: ['input', 'name'], message: 'Another group of this Organization has this name.', code: 'ALREADY_EXISTS' }],
    });
    const all = stack.emulator.state.orgs.get(orgs.mine.org.id)?.groups.get(orgs.mine.org.allGroupId) as GroupRec;
    const system = await run('groupUpdate', GROUP, { id: globalIds.group(all), name: 'Everyone' }, caller());
    expect(payload(system.value, 'groupUpdate')).toEqual({
      group: null,
      userErrors: [{ field: ['input', 'name'], message: 'All is a system group and cannot be renamed.', code: 'NOT_ALLOWED' }],
    });
    expect(writes(taken, 'groups/{group_identifier}/update')).toEqual([]);
    expect(writes(system, 'groups/{group_identifier}/update')).toEqual([]);
    expect([group.name, all.name]).toEqual(['Upd-Dup', 'All']);
  });

  it('treats a group of another tenant exactly as one that does not exist, and never writes it', async () => {
    const foreign = newGroup(orgs.theirs, 'Upd-Foreign');
    const outside = await run('groupUpdate', GROUP, { id: globalIds.group(foreign), displayName: 'Hijacked' }, caller());
    const missing = await run('groupUpdate', GROUP, { id: missingGroupId(orgs.mine), displayName: 'Hijacked' }, caller());
    expect(outside.value).toEqual(missing.value);
    expect(payload(outside.value, 'groupUpdate')).toEqual({ group: null, userErrors: [{ field: ['input', 'id'], message: 'No group with this ID exists.', code: 'NOT_FOUND' }] });
    // The other tenant's Org is never read: no group index, no token for it.
    expect(outside.calls).toEqual({ 'orgs/search': 1 });
    expect(foreign.displayName).toBe('Upd-Foreign');
  });

  it('rejects the ID of another type as BAD_USER_INPUT, and needs directory:write', async () => {
    const wrongType = await run('groupUpdate', GROUP, { id: globalIds.user(orgs.mine.users[0] as { id: string }), name: 'Nope' }, caller());
    expect(errorCodes(wrongType.value)).toEqual(['BAD_USER_INPUT']);
    const reader = caller(['directory:read']);
    const denied = await run('groupUpdate', GROUP, { id: globalIds.group(newGroup(orgs.mine, 'Upd-Denied')), name: 'Nope' }, reader);
    expect(errorCodes(denied.value)).toEqual(['FORBIDDEN']);
    expect(denied.calls).toEqual({});
    expect(await audit(reader)).toEqual([expect.objectContaining({ operation: 'groupUpdate', outcome: 'DENIED', errorCode: 'FORBIDDEN' })]);
  });
});

describe('groupDelete', () => {
  it('deletes the group with one groups/{id}/delete; its members stay in the Organization', async () => {
    const group = newGroup(orgs.mine, 'Del-Target');
    const member = orgs.mine.users[1];
    if (member === undefined) throw new Error('fixture user missing');
    stack.emulator.state.addGroupMember(group, member);
    const writer = caller();
    const m = await run('groupDelete', 'deletedGroupId', { id: globalIds.group(group) }, writer);
    expect(payload(m.value, 'groupDelete')).toEqual({ deletedGroupId: globalIds.group(group), userErrors: [] });
    expect(stack.emulator.state.groups.has(group.id)).toBe(false);
    expect(member.orgIds.has(orgs.mine.org.id)).toBe(true);
    expect(m.calls).toEqual({ 'groups/search': 1, 'groups/{group_identifier}/delete': 1, 'orgs/search': 1 });
    expect(await audit(writer)).toEqual([expect.objectContaining({ operation: 'groupDelete', outcome: 'SUCCESS', organization: 'Grp-Mine' })]);
  });

  it('refuses the system groups with NOT_ALLOWED and writes nothing', async () => {
    const org = stack.emulator.state.orgs.get(orgs.mine.org.id);
    for (const id of [orgs.mine.org.allGroupId, orgs.mine.org.adminGroupId]) {
      const group = org?.groups.get(id) as GroupRec;
      const writer = caller();
      const m = await run('groupDelete', 'deletedGroupId', { id: globalIds.group(group) }, writer);
      expect(payload(m.value, 'groupDelete')).toEqual({
        deletedGroupId: null,
        userErrors: [{ field: ['input', 'id'], message: `${group.name} is a system group and cannot be deleted.`, code: 'NOT_ALLOWED' }],
      });
      expect(writes(m, 'groups/{group_identifier}/delete')).toEqual([]);
      expect(stack.emulator.state.groups.has(id)).toBe(true);
      expect(await audit(writer)).toEqual([expect.objectContaining({ outcome: 'FAILURE', errorCode: 'NOT_ALLOWED', organization: 'Grp-Mine' })]);
    }
  });

  it('answers for a group of another tenant as for one that does not exist, records no Organization, and deletes nothing', async () => {
    const foreign = newGroup(orgs.theirs, 'Del-Foreign');
    const writer = caller();
    const outside = await run('groupDelete', 'deletedGroupId', { id: globalIds.group(foreign) }, writer);
    const missing = await run('groupDelete', 'deletedGroupId', { id: missingGroupId(orgs.mine) }, writer);
    expect(outside.value).toEqual(missing.value);
    expect(payload(outside.value, 'groupDelete')).toEqual({ deletedGroupId: null, userErrors: [{ field: ['input', 'id'], message: 'No group with this ID exists.', code: 'NOT_FOUND' }] });
    expect(stack.emulator.state.groups.has(foreign.id)).toBe(true);
    expect((await audit(writer)).map((line) => [line.outcome, line.errorCode, line.organization])).toEqual([
      ['FAILURE', 'NOT_FOUND', null],
      ['FAILURE', 'NOT_FOUND', 'Grp-Mine'],
    ]);
  });

  it('replays a retry with the same idempotency key without calling ThoughtSpot again', async () => {
    const group = newGroup(orgs.mine, 'Del-Once');
    const writer = caller();
    const input = { id: globalIds.group(group), idempotencyKey: 'offboard-7' };
    const first = await run('groupDelete', 'deletedGroupId', input, writer);
    const again = await run('groupDelete', 'deletedGroupId', input, writer);
    expect(again.value).toEqual(first.value);
    expect(payload(again.value, 'groupDelete')).toEqual({ deletedGroupId: input.id, userErrors: [] });
    expect(writes(again, 'groups/{group_identifier}/delete')).toEqual([]);
  });
});
