import { describe, expect, it } from 'vitest';
import { createState, type EmulatorState, type SortField, type UserRec } from '../../../src/emulator/domain/index.js';
import { IdGenerator } from '../../../src/emulator/domain/ids.js';
import { DEFAULT_FIDELITY } from '../../../src/emulator/options.js';

function freshSort(state: EmulatorState, orgId: number, field: SortField): string[] {
  const key = (u: UserRec): string | number => {
    switch (field) {
      case 'NAME':
        return u.name.toLowerCase();
      case 'DISPLAY_NAME':
        return u.displayName.toLowerCase();
      case 'CREATED':
        return u.createdAt;
      case 'MODIFIED':
        return u.modifiedAt;
      case 'AUTHOR':
        return state.users.get(u.authorId)?.name.toLowerCase() ?? u.authorId;
    }
  };
  return [...(state.orgs.get(orgId)?.members ?? [])]
    .map((id) => state.users.get(id) as UserRec)
    .filter((u) => !u.hidden)
    .sort((a, b) => {
      const x = key(a);
      const y = key(b);
      if (x !== y) return x < y ? -1 : 1;
      return a.id < b.id ? -1 : 1;
    })
    .map((u) => u.id);
}

describe('EmulatorState', () => {
  it('keeps cached sorted listings equal to a fresh sort across random writes', () => {
    const state = createState({ large: { users: 1500 } }, { fidelity: { ...DEFAULT_FIDELITY }, clock: { now: () => 0 } });
    const fields: SortField[] = ['NAME', 'DISPLAY_NAME', 'CREATED', 'MODIFIED', 'AUTHOR'];
    const tenant = [...state.orgs.keys()].find((id) => id !== 0) as number;
    for (const field of fields) {
      state.sortedOrgMembers(0, field);
      state.sortedOrgMembers(tenant, field);
    }
    const rng = new IdGenerator('state-test');
    const people = () => [...state.users.values()].filter((u) => !u.hidden && u.name !== 'tsadmin');
    for (let step = 0; step < 300; step++) {
      const user = rng.pick(people());
      switch (rng.nextInt(6)) {
        case 0:
          state.renameUser(user, `renamed.${step}.${rng.nextInt(1000)}`);
          break;
        case 1:
          user.displayName = `Display ${rng.nextInt(5000)}`;
          state.touchUser(user, 1_000_000 + rng.nextInt(1_000_000), user.id);
          break;
        case 2:
          state.removeUserFromOrg(user, 0);
          break;
        case 3:
          state.addUserToOrg(user, 0);
          break;
        case 4:
          state.deleteUser(user);
          break;
        default: {
          const created = state.insertUser({ name: `new.${step}`, displayName: `New ${step}`, at: rng.nextInt(10_000), authorId: user.id });
          state.addUserToOrg(created, rng.nextFloat() < 0.5 ? 0 : tenant);
        }
      }
    }
    for (const field of fields) {
      expect(state.sortedOrgMembers(0, field).map((u) => u.id)).toEqual(freshSort(state, 0, field));
      expect(state.sortedOrgMembers(tenant, field).map((u) => u.id)).toEqual(freshSort(state, tenant, field));
    }
  });

  it('computes the group closure upwards and refuses cycles', () => {
    const state = createState('minimal', { fidelity: { ...DEFAULT_FIDELITY }, clock: { now: () => 0 } });
    const org = state.primary;
    const a = state.createGroup(org, { name: 'A', displayName: 'A', at: 0 });
    const b = state.createGroup(org, { name: 'B', displayName: 'B', at: 0 });
    const c = state.createGroup(org, { name: 'C', displayName: 'C', at: 0 });
    state.addSubGroup(a, b);
    state.addSubGroup(b, c);
    expect([...state.ancestorsOf(c.id)].sort()).toEqual([a.id, b.id, c.id].sort());
    expect(state.wouldCycle(c, a)).toBe(true);
    expect(state.wouldCycle(a, a)).toBe(true);
    expect(state.wouldCycle(a, c)).toBe(false);
    expect(() => state.addSubGroup(c, a)).toThrow(/cycle/);
  });
});
