import { describe, expect, it } from 'vitest';
import {
  ALL_GROUP_NAME,
  groupMembers,
  isAllGroup,
  isMember,
  roleHolders,
  rolesHeld,
  rolesHeldThroughGroups,
  subGroupClosure,
} from '../../../src/loaders/membership.js';

const row = (groups: string[], inherited: string[] = []) => ({
  groups: groups.map((id) => ({ id })),
  inheritedGroups: inherited.map((id) => ({ id })),
});

describe('isAllGroup', () => {
  it('knows All by name, from a full record and from a bare {id, name} reference', () => {
    expect(isAllGroup({ id: 'a', name: ALL_GROUP_NAME, systemGroup: true })).toBe(true);
    expect(isAllGroup({ id: 'a', name: ALL_GROUP_NAME })).toBe(true);
  });

  it('refuses a record that says it is not a system group, and any other name', () => {
    expect(isAllGroup({ id: 'a', name: ALL_GROUP_NAME, systemGroup: false })).toBe(false);
    expect(isAllGroup({ id: 'a', name: 'all' })).toBe(false);
    expect(isAllGroup({ id: 'a' })).toBe(false);
  });
});

describe('subGroupClosure', () => {
  const tree: Record<string, string[]> = { root: ['a', 'b'], a: ['c'], c: ['d'], b: [], d: [] };
  const childrenOf = (id: string) => tree[id] ?? [];

  it('holds the group and every group below it, at any depth', () => {
    expect([...subGroupClosure('root', childrenOf)].sort()).toEqual(['a', 'b', 'c', 'd', 'root']);
    expect([...subGroupClosure('a', childrenOf)].sort()).toEqual(['a', 'c', 'd']);
    expect([...subGroupClosure('d', childrenOf)]).toEqual(['d']);
  });

  it('ends on a cycle', () => {
    const cyclic: Record<string, string[]> = { x: ['y'], y: ['x'] };
    expect([...subGroupClosure('x', (id) => cyclic[id] ?? [])].sort()).toEqual(['x', 'y']);
  });
});

describe('groupMembers', () => {
  it('matches direct members only without a closure, and the closure with one', () => {
    const direct = groupMembers({ id: 'g', name: 'G', systemGroup: false }, null);
    expect(direct).toEqual({ via: 'groups', ids: ['g'], match: ['g'], matchOn: 'direct', everyone: false });
    expect(isMember(row(['g']), direct)).toBe(true);
    expect(isMember(row(['s']), direct)).toBe(false);
    // A sub-group's member is a member of the parent's closure, not of its direct list.
    const all = groupMembers({ id: 'g', name: 'G', systemGroup: false }, new Set(['s', 'g']));
    expect(all.ids).toEqual(['g', 's']);
    expect(isMember(row(['s']), all)).toBe(true);
    // Direct lists compare direct groups only: an inherited group does not make a direct member.
    expect(isMember(row([], ['g']), direct)).toBe(false);
  });

  it('counts every user of the Org as a member of All, whatever the row lists', () => {
    const everyone = groupMembers({ id: 'all', name: ALL_GROUP_NAME, systemGroup: true }, null);
    expect(everyone.everyone).toBe(true);
    expect(isMember(row([]), everyone)).toBe(true);
  });
});

describe('roleHolders', () => {
  it('holds a role through its groups, directly or inherited', () => {
    const rule = roleHolders('r', [{ id: 'g2', name: 'G2' }, { id: 'g1', name: 'G1' }]);
    expect(rule).toEqual({ via: 'roles', ids: ['r'], match: ['g1', 'g2'], matchOn: 'inherited', everyone: false });
    expect(isMember(row(['g1']), rule)).toBe(true);
    expect(isMember(row(['x'], ['g2']), rule)).toBe(true);
    expect(isMember(row(['x'], ['y']), rule)).toBe(false);
  });

  it('needs no read for a role assigned to no group, and matches everyone for a role assigned to All', () => {
    expect(roleHolders('r', []).ids).toEqual([]);
    expect(roleHolders('r', [{ id: 'all', name: ALL_GROUP_NAME }]).everyone).toBe(true);
  });
});

describe('rolesHeldThroughGroups', () => {
  // The assignments of the rolesHeld case below, as group rows name them.
  const groups = [
    { id: 'all', name: ALL_GROUP_NAME, systemGroup: true, roles: [{ id: 'everyone', name: 'everyone' }] },
    { id: 'g1', name: 'G1', systemGroup: false, roles: [{ id: 'direct', name: 'direct' }, { id: 'everyone', name: 'everyone' }] },
    { id: 'p', name: 'Parent', systemGroup: false, roles: [{ id: 'inherited', name: 'inherited' }] },
    { id: 'x', name: 'X', systemGroup: false, roles: [{ id: 'unheld', name: 'unheld' }] },
  ];

  it('holds the roles of direct and inherited groups and of All, each once', () => {
    expect(rolesHeldThroughGroups(row(['g1'], ['p']), groups).map((role) => role.id).sort()).toEqual(['direct', 'everyone', 'inherited']);
  });

  it('gives a user in no group the roles of All only', () => {
    expect(rolesHeldThroughGroups(row([]), groups).map((role) => role.id)).toEqual(['everyone']);
  });
});

describe('rolesHeld', () => {
  const roles = [
    { name: 'direct', groups: [{ id: 'g1', name: 'G1' }] },
    { name: 'inherited', groups: [{ id: 'p', name: 'Parent' }] },
    { name: 'everyone', groups: [{ id: 'all', name: ALL_GROUP_NAME }] },
    { name: 'unheld', groups: [{ id: 'x', name: 'X' }] },
    { name: 'unassigned', groups: [] },
  ];

  it('holds roles of direct and inherited groups and of All, in the roles order', () => {
    expect(rolesHeld(row(['g1'], ['p']), roles).map((role) => role.name)).toEqual(['direct', 'inherited', 'everyone']);
  });

  it('holds the All role even for a user in no group', () => {
    expect(rolesHeld(row([]), roles).map((role) => role.name)).toEqual(['everyone']);
  });
});
