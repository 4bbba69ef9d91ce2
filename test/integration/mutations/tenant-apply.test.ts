// `tenantPlan` and `tenantApply` (src/provisioning/plan.ts, apply.ts): a blueprint planned and applied to a new
// tenant and to an existing one, convergence (apply, then plan: nothing), what a blueprint leaves alone, the caller's
// grant, the run log, the audit events, idempotency, and the problems found before anything is written.

import { describe, expect, it } from 'vitest';
import { useTestStack } from '../../support/harness.js';
import {
  APPLY,
  PLAN,
  caller,
  freshBlueprint,
  run,
  seedExistingTenant,
  writesOf,
  type ApplyData,
  type BlueprintInput,
  type PlanData,
} from './tenant-support.js';

const stack = useTestStack({ seed: 'minimal' });

function orgNamed(name: string) {
  return [...stack.emulator.state.orgs.values()].find((org) => org.name === name);
}

function groupNames(ids: Iterable<string>): string[] {
  return [...ids].map((id) => stack.emulator.state.groups.get(id)?.name ?? id).sort();
}

function roleNames(ids: Iterable<string>): string[] {
  return [...ids].map((id) => stack.emulator.state.roles.get(id)?.name ?? id).sort();
}

/** A user's direct groups in one Org, by name. */
function groupsOf(username: string, orgId: number): string[] {
  const user = stack.emulator.state.findUserIgnoringCase(username);
  return groupNames([...(user?.groupIds ?? [])].filter((id) => stack.emulator.state.groups.get(id)?.orgId === orgId));
}

describe('tenantPlan and tenantApply on a new tenant', () => {
  it('plans the 20 changes in dependency order, writing nothing', async () => {
    const blueprint = freshBlueprint('Fresh-Plan');
    const { result, calls, records } = await run<PlanData>(stack, PLAN, blueprint);
    expect(result.errors).toBeUndefined();
    const changes = result.data?.tenantPlan.changes ?? [];
    expect(changes.map((change) => change.index)).toEqual(Array.from({ length: 20 }, (_unused, i) => i + 1));
    expect(changes.map((change) => `${change.action} ${change.target.name}`).slice(0, 8)).toEqual([
      'CREATE_ORGANIZATION Fresh-Plan',
      'CREATE_ROLE R-Viewer',
      'CREATE_ROLE R-Analyst',
      'CREATE_ROLE R-Admin',
      // Children before parents: a group is created with its sub-groups, which must exist.
      'CREATE_GROUP Leaf',
      'CREATE_GROUP Side',
      'CREATE_GROUP Mid',
      'CREATE_GROUP Top',
    ]);
    expect(changes.slice(8).every((change) => change.action === 'CREATE_USER' && change.target.type === 'USER')).toBe(true);
    expect(changes[6]?.description).toBe('Create the group Mid with sub-groups Leaf and roles R-Analyst.');
    expect(result.data?.tenantPlan.organization).toBeNull();
    // One Org index, one users/import dry run (which usernames exist anywhere), and nothing else.
    expect(calls).toEqual({ 'orgs/search': 1, 'users/import': 1 });
    expect(writesOf(records)).toEqual({});
    expect(orgNamed('Fresh-Plan')).toBeUndefined();
  });

  it('applies the blueprint, and then plans and changes nothing', async () => {
    const blueprint = freshBlueprint('Fresh-Apply');
    const applied = await run<ApplyData>(stack, APPLY, blueprint);
    expect(applied.result.errors).toBeUndefined();
    const payload = applied.result.data?.tenantApply;
    expect(payload?.status).toBe('SUCCEEDED');
    expect(payload?.userErrors).toEqual([]);
    expect(payload?.organization).toEqual({ name: 'Fresh-Apply' });
    expect(payload?.results?.map((result) => result.status)).toEqual(Array.from({ length: 20 }, () => 'APPLIED'));
    // Twelve users cost one users/import (plus the dry run that found none of them existing), not twelve calls.
    expect(applied.calls).toEqual({ 'groups/create': 4, 'orgs/create': 1, 'orgs/search': 1, 'roles/create': 3, 'users/import': 2 });

    const org = orgNamed('Fresh-Apply');
    expect(org?.description).toBe('Tenant Fresh-Apply');
    const id = org?.id as number;
    const group = (name: string) => org?.groupsByName.get(name);
    expect([...(org?.rolesByName.get('R-Analyst')?.privileges ?? [])].sort()).toEqual(['CAN_MODIFY_FOLDERS', 'DATADOWNLOADING']);
    expect(groupNames(group('Top')?.subGroupIds ?? [])).toEqual(['Mid']);
    expect(groupNames(group('Mid')?.subGroupIds ?? [])).toEqual(['Leaf']);
    expect(group('Mid')?.displayName).toBe('Middle');
    expect(roleNames(group('Side')?.roleIds ?? [])).toEqual(['R-Admin', 'R-Viewer']);
    expect(groupsOf('fresh-apply.user-00', id)).toEqual(['Administrator', 'Side']);
    expect(groupsOf('fresh-apply.user-04', id)).toEqual(['Mid']);
    const saml = stack.emulator.state.findUserIgnoringCase('fresh-apply.user-03');
    expect([saml?.accountType, saml?.displayName, saml?.email, [...(saml?.orgIds ?? [])]]).toEqual([
      'SAML_USER',
      'User 3',
      'user-3@fresh-apply.example',
      [id],
    ]);

    const again = await run<PlanData>(stack, PLAN, blueprint);
    expect(again.result.data?.tenantPlan).toEqual({ changes: [], organization: { name: 'Fresh-Apply' }, userErrors: [] });
    const second = await run<ApplyData>(stack, APPLY, blueprint);
    expect(second.result.data?.tenantApply).toMatchObject({ status: 'SUCCEEDED', results: [], userErrors: [] });
    expect(writesOf(second.records)).toEqual({});
  });

  it('records the run in the store, every change with its status', async () => {
    const applied = await run<ApplyData>(stack, APPLY, freshBlueprint('Fresh-Run'));
    const runId = applied.result.data?.tenantApply.runId as string;
    const stored = await stack.app.store.runs.get(runId);
    expect(stored).toMatchObject({ status: 'SUCCEEDED', organization: { id: orgNamed('Fresh-Run')?.id, name: 'Fresh-Run' } });
    expect(stored?.finishedAt).not.toBeNull();
    const changes = stored?.changes as { index: number; action: string; status: string }[];
    expect(changes).toHaveLength(20);
    expect(changes.every((change) => change.status === 'APPLIED')).toBe(true);
    expect(changes[0]).toMatchObject({ index: 1, action: 'CREATE_ORGANIZATION', target: { type: 'ORGANIZATION', name: 'Fresh-Run' } });
  });
});

describe('tenantApply on an existing tenant', () => {
  it('makes every kind of change, and leaves alone what the blueprint does not declare', async () => {
    const { blueprint, org, other } = seedExistingTenant(stack.emulator, 'Existing-A');
    const plan = await run<PlanData>(stack, PLAN, blueprint);
    expect(plan.result.data?.tenantPlan.changes?.map((change) => `${change.action} ${change.target.name}`)).toEqual([
      'UPDATE_ORGANIZATION Existing-A',
      'UPDATE_ROLE R-Change',
      'CREATE_ROLE R-New',
      'CREATE_GROUP G-D',
      'UPDATE_GROUP G-A',
      // Removals before additions: the hierarchy never passes through a cycle on the way.
      'REMOVE_SUB_GROUPS G-A',
      'UNASSIGN_ROLES G-A',
      'ADD_SUB_GROUPS G-A',
      'ASSIGN_ROLES G-A',
      'ADD_USER_TO_ORGANIZATION existing-a.shared',
      'UPDATE_USER existing-a.u1',
      'SET_USER_GROUPS existing-a.u1',
      'SET_USER_GROUPS existing-a.u2',
      'SET_USER_GROUPS existing-a.shared',
      ...Array.from({ length: 6 }, (_unused, i) => `CREATE_USER existing-a.new-${i}`),
    ]);
    expect(writesOf(plan.records)).toEqual({});

    const applied = await run<ApplyData>(stack, APPLY, blueprint);
    expect(applied.result.data?.tenantApply.status).toBe('SUCCEEDED');
    expect(writesOf(applied.records)).toEqual({
      'orgs/{org_identifier}/update': 2,
      'roles/{role_identifier}/update': 1,
      'roles/create': 1,
      'groups/create': 1,
      'groups/{group_identifier}/update': 5,
      'users/import': 1,
    });
    const a = org.groupsByName.get('G-A');
    expect(a?.displayName).toBe('Group A');
    // G-U and R-Unmanaged are not declared: they stay on G-A; G-B and R-Keep are declared and not listed: they go.
    expect(groupNames(a?.subGroupIds ?? [])).toEqual(['G-C', 'G-U']);
    expect(roleNames(a?.roleIds ?? [])).toEqual(['R-New', 'R-Unmanaged']);
    expect(org.description).toBe('New description');
    // u1 keeps G-U (not declared), leaves G-A for G-D; the shared user joins and keeps its other Organization.
    expect(groupsOf('existing-a.u1', org.id)).toEqual(['G-D', 'G-U']);
    expect(stack.emulator.state.findUser('existing-a.u1')?.displayName).toBe('User One');
    expect(groupsOf('existing-a.u2', org.id)).toEqual(['Administrator', 'G-B']);
    expect(stack.emulator.state.findUser('existing-a.u2')?.displayName).toBe('Wrong');
    const shared = stack.emulator.state.findUser('existing-a.shared');
    expect([...(shared?.orgIds ?? [])].sort()).toEqual([org.id, other.id].sort());
    expect(groupsOf('existing-a.shared', org.id)).toEqual(['G-C']);
    expect(groupsOf('existing-a.shared', other.id)).toEqual(['Other-G']);
    expect(other.description).toBe('Neighbour');

    const again = await run<PlanData>(stack, PLAN, blueprint);
    expect(again.result.data?.tenantPlan.changes).toEqual([]);
  });

  it('refuses a cycle that would close through groups the blueprint does not declare, writing nothing', async () => {
    const state = stack.emulator.state;
    const at = Date.UTC(2024, 5, 1);
    const org = state.createOrg({ name: 'Cyclic-Co', at });
    const [a, b, u] = ['A', 'B', 'U'].map((name) => state.createGroup(org, { name, displayName: name, at }));
    state.addSubGroup(b!, u!);
    state.addSubGroup(u!, a!);
    const blueprint: BlueprintInput = { organization: { name: 'Cyclic-Co' }, groups: [{ name: 'A', subGroups: ['B'] }, { name: 'B' }] };
    const { result, records } = await run<ApplyData>(stack, APPLY, blueprint);
    expect(result.data?.tenantApply).toMatchObject({ runId: null, results: null, userErrors: [{ code: 'CYCLE', field: ['input', 'groups', '0', 'subGroups'] }] });
    expect(writesOf(records)).toEqual({});
  });
});

describe('tenant blueprints and the caller', () => {
  it('creates an Organization only for a caller whose grant names it (or grants every one)', async () => {
    const named = caller(['directory:write'], new Set(['Granted-Co']));
    const created = await run<ApplyData>(stack, APPLY, { organization: { name: 'Granted-Co' }, groups: [{ name: 'Staff' }] }, named);
    expect(created.result.data?.tenantApply.status).toBe('SUCCEEDED');
    expect(orgNamed('Granted-Co')?.groupsByName.has('Staff')).toBe(true);

    // An existing Organization outside the grant reads exactly as one that does not exist, and neither is written.
    stack.emulator.state.createOrg({ name: 'Somebody-Else', at: Date.UTC(2024, 5, 1) });
    const outsider = caller(['directory:write'], new Set(['Granted-Co']));
    const existing = await run<ApplyData>(stack, APPLY, { organization: { name: 'Somebody-Else' }, groups: [{ name: 'Mine' }] }, outsider);
    const missing = await run<ApplyData>(stack, APPLY, { organization: { name: 'Nobody-Yet' }, groups: [{ name: 'Mine' }] }, outsider);
    expect(existing.result.data).toEqual(missing.result.data);
    expect(existing.result.data?.tenantApply.userErrors).toEqual([
      {
        field: ['input', 'organization', 'name'],
        message: 'No Organization with this name is in your grant; creating one needs a grant of every Organization or of this name.',
        code: 'NOT_FOUND',
      },
    ]);
    expect(writesOf([...existing.records, ...missing.records])).toEqual({});
    expect(orgNamed('Nobody-Yet')).toBeUndefined();
    expect(orgNamed('Somebody-Else')?.groupsByName.has('Mine')).toBe(false);
  });

  it('refuses a username taken outside the caller’s Organizations, and never overwrites that user', async () => {
    const state = stack.emulator.state;
    const theirs = state.createOrg({ name: 'Their-Tenant', at: Date.UTC(2024, 5, 1) });
    const victim = state.insertUser({ name: 'taken.user', displayName: 'Theirs', email: 'victim@their.example', at: Date.UTC(2024, 5, 1) });
    state.addUserToOrg(victim, theirs.id);
    const mine = caller(['directory:write'], new Set(['My-Tenant']));
    const blueprint: BlueprintInput = {
      organization: { name: 'My-Tenant' },
      users: [{ username: 'Taken.User', displayName: 'Hijacked', email: 'attacker@mine.example' }, { username: 'my.user' }],
    };
    const { result, records } = await run<ApplyData>(stack, APPLY, blueprint, mine);
    expect(result.data?.tenantApply.userErrors).toEqual([
      {
        field: ['input', 'users', '0', 'username'],
        message: 'The username Taken.User is taken by a user outside the Organizations you may manage.',
        code: 'ALREADY_EXISTS',
      },
    ]);
    expect(writesOf(records)).toEqual({});
    expect([victim.displayName, victim.email, [...victim.orgIds]]).toEqual(['Theirs', 'victim@their.example', [theirs.id]]);
    expect(orgNamed('My-Tenant')).toBeUndefined();
  });

  it('reports every problem of the blueprint itself before calling ThoughtSpot', async () => {
    const blueprint: BlueprintInput = {
      organization: { name: 'Bad name!' },
      roles: [{ name: 'R', privileges: ['ADMINISTRATION'] }],
      groups: [
        { name: 'A', subGroups: ['B'], roles: ['R-Missing'] },
        { name: 'B', subGroups: ['A'] },
        { name: 'All' },
      ],
      users: [{ username: 'tsadmin' }, { username: 'dup' }, { username: 'DUP', groups: ['Nope'] }],
    };
    const { result, calls } = await run<PlanData>(stack, PLAN, blueprint);
    expect(calls).toEqual({});
    expect(result.data?.tenantPlan.changes).toBeNull();
    expect(result.data?.tenantPlan.userErrors.map((error) => [error.field?.join('.'), error.code])).toEqual([
      ['input.roles.0.privileges.0', 'INVALID'],
      ['input.organization.name', 'INVALID'],
    ]);
    const shapeOnly = await run<PlanData>(stack, PLAN, { ...blueprint, organization: { name: 'Good-Name' }, roles: [] });
    expect(shapeOnly.result.data?.tenantPlan.userErrors.map((error) => [error.field?.join('.'), error.code])).toEqual([
      ['input.groups.0.roles.0', 'NOT_FOUND'],
      ['input.groups.2.name', 'NOT_ALLOWED'],
      ['input.groups.0.subGroups', 'CYCLE'],
      ['input.users.2.username', 'ALREADY_EXISTS'],
      ['input.users.0.username', 'NOT_ALLOWED'],
      ['input.users.2.groups.0', 'NOT_FOUND'],
    ]);
  });

  it('needs directory:write', async () => {
    const { result, calls } = await run<PlanData>(stack, PLAN, freshBlueprint('Read-Only-Co'), caller(['directory:read']));
    expect(result.errors?.map((error) => error.extensions?.['code'])).toEqual(['FORBIDDEN']);
    expect(calls).toEqual({});
  });

  it('replays an apply with the same idempotency key without calling ThoughtSpot', async () => {
    const writer = caller(['directory:write']);
    const blueprint = { ...freshBlueprint('Replayed-Co'), idempotencyKey: 'tenant-replayed-1' };
    const first = await run<ApplyData>(stack, APPLY, blueprint, writer);
    const again = await run<ApplyData>(stack, APPLY, blueprint, writer);
    expect(again.result).toEqual(first.result);
    expect(again.calls).toEqual({});
  });

  it('leaves one audit event per call, naming the Organization', async () => {
    const writer = caller(['directory:write']);
    const blueprint = freshBlueprint('Audited-Co');
    await run(stack, PLAN, blueprint, writer);
    await run(stack, APPLY, blueprint, writer);
    await run(stack, APPLY, { ...blueprint, groups: [{ name: 'X', subGroups: ['X'] }] }, writer);
    const events = await stack.app.store.audit.list({ actor: writer.subject });
    expect(events.edges.map((edge) => [edge.node.operation, edge.node.outcome, edge.node.errorCode, edge.node.organization?.name])).toEqual([
      ['tenantApply', 'FAILURE', 'CYCLE', 'Audited-Co'],
      ['tenantApply', 'SUCCESS', null, 'Audited-Co'],
      ['tenantPlan', 'SUCCESS', null, 'Audited-Co'],
    ]);
    // The blueprint's secrets never reach the log.
    await run(stack, PLAN, { ...blueprint, initialPassword: 'hunter2-secret' }, writer);
    const latest = await stack.app.store.audit.list({ actor: writer.subject });
    expect(JSON.stringify(latest.edges[0]?.node.input)).not.toContain('hunter2-secret');
  });
});
