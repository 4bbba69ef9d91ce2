// The tenant planner (src/provisioning/plan.ts) as a pure function: the order of its phases, what it leaves alone,
// how many calls a large tenant costs, and the conflicts no plan can fix.

import { describe, expect, it } from 'vitest';
import { checkBlueprint, type Blueprint, type GroupSpec, type UserSpec } from '../../../src/provisioning/blueprint.js';
import { IMPORT_CHUNK_ROWS, planTenant, type GroupState, type TenantState, type UserState } from '../../../src/provisioning/plan.js';

const EMPTY: TenantState = { organization: null, roles: new Map(), groups: new Map(), users: new Map(), hiddenUsernames: new Set() };

function blueprint(parts: Partial<Blueprint> = {}): Blueprint {
  return { organization: { name: 'Acme', description: null }, roles: [], groups: [], users: [], ...parts };
}

const group = (name: string, subGroups: string[] = [], roles: string[] = []): GroupSpec => ({ name, displayName: null, description: null, subGroups, roles });
const user = (username: string, groups: string[] = []): UserSpec => ({ username, displayName: null, email: null, accountType: null, groups });

function existing(groups: [string, string[]][], users: UserState[] = []): TenantState {
  const states = new Map<string, GroupState>(
    groups.map(([name, subGroups]) => [name, { id: `id-${name}`, name, displayName: name, description: null, subGroups, roles: [] }]),
  );
  return {
    organization: { id: 7, name: 'Acme', description: null },
    roles: new Map(),
    groups: states,
    users: new Map(users.map((u) => [u.name.toLowerCase(), u])),
    hiddenUsernames: new Set(),
  };
}

describe('planTenant', () => {
  it('creates new groups children first, one phase per level of the new hierarchy', () => {
    const plan = planTenant(EMPTY, blueprint({ groups: [group('Top', ['Mid']), group('Mid', ['Leaf']), group('Leaf'), group('Alone')] }));
    expect(plan.changes.map((c) => `${c.action} ${c.target.name}`)).toEqual([
      'CREATE_ORGANIZATION Acme',
      'CREATE_GROUP Leaf',
      'CREATE_GROUP Alone',
      'CREATE_GROUP Mid',
      'CREATE_GROUP Top',
    ]);
    expect(plan.steps.map((step) => step.phase)).toEqual([0, 2, 2, 3, 4]);
  });

  it('removes declared sub-groups before it adds any, and never touches undeclared ones', () => {
    // Today A ⊃ B and A ⊃ U (U undeclared); the blueprint turns it round: B ⊃ A.
    const state = existing([
      ['A', ['B', 'U']],
      ['B', []],
      ['U', []],
    ]);
    const plan = planTenant(state, blueprint({ groups: [group('A'), group('B', ['A'])] }));
    expect(plan.steps.map((step) => [step.phase, step.call])).toEqual([
      [2, { kind: 'editGroupLists', id: 'id-A', operation: 'REMOVE', subGroups: ['B'] }],
      [3, { kind: 'editGroupLists', id: 'id-B', operation: 'ADD', subGroups: ['A'] }],
    ]);
  });

  it('sets a user’s declared groups and keeps the others', () => {
    const u: UserState = { id: 'u1', name: 'Ann', displayName: 'Ann', email: null, accountType: 'LOCAL_USER', inOrganization: true, groups: ['A', 'Other'] };
    const plan = planTenant(existing([['A', []], ['B', []], ['Other', []]], [u]), blueprint({ groups: [group('A'), group('B')], users: [user('ann', ['B', 'Administrator'])] }));
    expect(plan.changes.map((c) => c.action)).toEqual(['SET_USER_GROUPS']);
    expect(plan.steps[0]?.call).toEqual({
      kind: 'importUsers',
      rows: [{ identifier: 'Ann', displayName: 'Ann', groups: ['Other', 'B', 'Administrator'], isNew: false }],
    });
  });

  it('puts every user change of a large tenant into one users/import per 1,000 rows', () => {
    const users = Array.from({ length: 2 * IMPORT_CHUNK_ROWS + 1 }, (_unused, i) => user(`u-${i}`, ['G']));
    const plan = planTenant(EMPTY, blueprint({ groups: [group('G')], users }));
    expect(plan.changes).toHaveLength(users.length + 2);
    expect(plan.steps.filter((step) => step.call.kind === 'importUsers').map((step) => step.changes.length)).toEqual([1000, 1000, 1]);
  });

  it('finds a cycle closed through groups the blueprint does not declare, and plans nothing', () => {
    const plan = planTenant(existing([['A', []], ['B', ['U']], ['U', ['A']]]), blueprint({ groups: [group('A', ['B']), group('B')] }));
    expect(plan.changes).toEqual([]);
    expect(plan.problems.map((p) => [p.path.join('.'), p.code])).toEqual([['groups.0.subGroups', 'CYCLE']]);
  });

  it('plans nothing once the state matches', () => {
    const state = existing([['A', ['B']], ['B', []]]);
    expect(planTenant(state, blueprint({ groups: [group('A', ['B']), group('B')] })).changes).toEqual([]);
  });
});

describe('checkBlueprint', () => {
  it('accepts a blueprint whose references are all declared', () => {
    expect(checkBlueprint(blueprint({ groups: [group('A', ['B']), group('B')], users: [user('x', ['A', 'Administrator'])] }))).toEqual([]);
  });

  it('refuses duplicate usernames without case and a cycle among declared groups', () => {
    const problems = checkBlueprint(blueprint({ groups: [group('A', ['B']), group('B', ['A'])], users: [user('x'), user('X')] }));
    expect(problems.map((p) => [p.path.join('.'), p.code])).toEqual([
      ['groups.0.subGroups', 'CYCLE'],
      ['users.1.username', 'ALREADY_EXISTS'],
    ]);
  });
});
