// Deterministic directory fixtures added to a running emulator through its domain state (the emulator's state
// inspectors), for tests and benchmarks that need a shape the seeds do not have: an Org whose users belong to it
// alone, a three-level group hierarchy, and groups of a chosen size.

import type { Emulator } from '../../src/emulator/index.js';
import type { GroupRec, OrgRec, RoleRec, UserRec } from '../../src/emulator/domain/index.js';

/** When fixture records say they were created. */
export const FIXTURE_EPOCH_MS = Date.UTC(2024, 5, 1, 12, 0, 0);

/** The records of a fixture Org, by name. */
export interface FixtureOrg {
  readonly org: OrgRec;
  readonly groups: ReadonlyMap<string, GroupRec>;
  readonly roles: ReadonlyMap<string, RoleRec>;
  readonly users: readonly UserRec[];
}

/**
 * An Org whose users belong to it alone: roles R-Read, R-Write and R-Admin; groups G-00 … G-07 where
 * G-03 ⊂ G-01 ⊂ G-00 and G-02 ⊂ G-00 (⊂: "is a sub-group of"); R-Read on G-00, R-Write on G-01, R-Admin on G-04.
 * User i (u-000 …) is a direct member of G-(i mod 8), and also of G-((3i+1) mod 8) when i is a multiple of 3; every
 * seventh is INACTIVE, every tenth a SAML user, and u-011 is hidden from sharing (NON_SHARABLE).
 */
export function addFixtureOrg(emulator: Emulator, name = 'Fixture-Co', userCount = 60): FixtureOrg {
  const state = emulator.state;
  const at = FIXTURE_EPOCH_MS;
  const org = state.createOrg({ name, description: 'Test fixture', at });
  const roles = new Map<string, RoleRec>();
  for (const [role, privileges] of [
    ['R-Read', ['CAN_VIEW_FOLDERS']],
    ['R-Write', ['DATADOWNLOADING', 'CAN_MODIFY_FOLDERS']],
    ['R-Admin', ['USER_ADMINISTRATION']],
  ] as const) {
    roles.set(role, state.createRole(org, { name: role, description: `${role} role`, privileges, at }));
  }
  const groups = new Map<string, GroupRec>();
  for (let i = 0; i < 8; i++) {
    const groupName = `G-0${i}`;
    groups.set(
      groupName,
      state.createGroup(org, {
        name: groupName,
        displayName: `Group ${8 - i}`,
        type: i === 5 ? 'TEAM_GROUP' : 'LOCAL_GROUP',
        visibility: i === 6 ? 'NON_SHARABLE' : 'SHARABLE',
        privileges: i === 7 ? ['DATAMANAGEMENT'] : [],
        at: at + i * 60_000,
      }),
    );
  }
  const group = (groupName: string): GroupRec => groups.get(groupName) as GroupRec;
  state.addSubGroup(group('G-00'), group('G-01'));
  state.addSubGroup(group('G-00'), group('G-02'));
  state.addSubGroup(group('G-01'), group('G-03'));
  state.assignRole(group('G-00'), roles.get('R-Read') as RoleRec);
  state.assignRole(group('G-01'), roles.get('R-Write') as RoleRec);
  state.assignRole(group('G-04'), roles.get('R-Admin') as RoleRec);
  const users: UserRec[] = [];
  for (let i = 0; i < userCount; i++) {
    const n = String(i).padStart(3, '0');
    const user = state.insertUser({
      name: `${name.toLowerCase()}.u-${n}`,
      displayName: `User ${userCount - i}`,
      email: `u-${n}@${name.toLowerCase()}.example`,
      accountType: i % 10 === 9 ? 'SAML_USER' : 'LOCAL_USER',
      accountStatus: i % 7 === 6 ? 'INACTIVE' : 'ACTIVE',
      visibility: i === 11 ? 'NON_SHARABLE' : 'SHARABLE',
      at: at + i * 1000,
    });
    state.addUserToOrg(user, org.id);
    state.addGroupMember(group(`G-0${i % 8}`), user);
    if (i % 3 === 0) state.addGroupMember(group(`G-0${(3 * i + 1) % 8}`), user);
    users.push(user);
  }
  return { org, groups, roles, users };
}

/** Adds `count` users, members of `org` only, to a new group of `org` named `name`; returns the group. */
export function addLargeGroup(emulator: Emulator, org: OrgRec, name: string, count: number): GroupRec {
  const state = emulator.state;
  const group = state.createGroup(org, { name, displayName: name, at: FIXTURE_EPOCH_MS });
  for (let i = 0; i < count; i++) {
    const user = state.insertUser({
      name: `${name.toLowerCase()}.m-${String(i).padStart(5, '0')}`,
      displayName: `${name} member ${i}`,
      email: null,
      at: FIXTURE_EPOCH_MS + i,
    });
    state.addUserToOrg(user, org.id);
    state.addGroupMember(group, user);
  }
  return group;
}
