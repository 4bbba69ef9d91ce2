// Internal to src/emulator/seed: the `large` seed, a generated directory of N users for benchmarks. Records go straight
// into the state (no per-row HTTP) in one linear pass, so 100,000 users build in well under two seconds.

import type { EmulatorState } from '../domain/state.js';
import { IdGenerator } from '../domain/ids.js';
import type { GroupRec, OrgRec, RoleRec } from '../domain/model.js';
import { PRIMARY_ORG_ID } from '../domain/model.js';
import { FIRST_NAMES, LAST_NAMES, slug } from './names.js';
import { SEED_EPOCH_MS, seedWellKnown } from './minimal.js';
import { DEMO_PASSWORD } from './demo.js';

/** Tenant Orgs of the large seed; every user is in the Primary Org and in one tenant. */
const TENANT_COUNT = 4;
/** Users per generated group (roughly). */
const USERS_PER_GROUP = 200;
/** Roles of every Org, assigned to the head of each three-level group chain. */
const ROLES: readonly { name: string; privileges: readonly string[] }[] = [
  { name: 'Analyst', privileges: ['DATADOWNLOADING', 'SHAREWITHALL'] },
  { name: 'Data Steward', privileges: ['DATAMANAGEMENT', 'CAN_MANAGE_WORKSHEET_VIEWS_TABLES'] },
  { name: 'Report Author', privileges: ['JOBSCHEDULING', 'CAN_MODIFY_FOLDERS'] },
  { name: 'Viewer', privileges: ['CAN_VIEW_FOLDERS'] },
];

/** Creates an Org's roles and `count` groups linked in chains of three (head ⊃ middle ⊃ leaf). */
function buildGroups(state: EmulatorState, org: OrgRec, count: number, at: number): GroupRec[] {
  const roles: RoleRec[] = ROLES.map((r) => state.createRole(org, { name: r.name, privileges: r.privileges, at }));
  const groups: GroupRec[] = [];
  for (let g = 0; g < count; g++) {
    const label = String(g + 1).padStart(4, '0');
    const group = state.createGroup(org, {
      name: `Department-${label}`,
      displayName: `Department ${label}`,
      description: `Generated department ${label}`,
      at: at + g * 1000,
    });
    if (g % 3 === 0) state.assignRole(group, roles[(g / 3) % roles.length] as RoleRec);
    else state.addSubGroup(groups[g - 1] as GroupRec, group);
    groups.push(group);
  }
  return groups;
}

/** The `large` seed: the well-known principals plus `users` generated users spread over four tenant Orgs. */
export function seedLarge(state: EmulatorState, users: number): void {
  if (!Number.isInteger(users) || users < 0) {
    throw new RangeError(`The large seed needs a non-negative integer user count, but got: ${users}`);
  }
  seedWellKnown(state);
  const rng = new IdGenerator('large-seed');
  const groupsPerOrg = Math.max(3, Math.ceil(users / TENANT_COUNT / USERS_PER_GROUP));
  const primaryGroups = buildGroups(state, state.primary, groupsPerOrg, SEED_EPOCH_MS);
  const tenants: { org: OrgRec; groups: GroupRec[] }[] = [];
  for (let t = 0; t < TENANT_COUNT; t++) {
    const at = SEED_EPOCH_MS + (t + 1) * 86_400_000;
    const org = state.createOrg({ name: `Tenant-${String(t + 1).padStart(2, '0')}`, description: `Generated tenant ${t + 1}`, at });
    tenants.push({ org, groups: buildGroups(state, org, groupsPerOrg, at) });
  }
  const firstSlugs = FIRST_NAMES.map(slug);
  const lastSlugs = LAST_NAMES.map(slug);
  for (let i = 0; i < users; i++) {
    const f = rng.nextInt(FIRST_NAMES.length);
    const l = rng.nextInt(LAST_NAMES.length);
    const username = `${firstSlugs[f] as string}.${lastSlugs[l] as string}.${i + 1}`;
    const tenant = tenants[i % TENANT_COUNT] as { org: OrgRec; groups: GroupRec[] };
    const user = state.insertUser({
      name: username,
      displayName: `${FIRST_NAMES[f] as string} ${LAST_NAMES[l] as string}`,
      email: `${username}@${slug(tenant.org.name)}.example`,
      password: DEMO_PASSWORD,
      at: SEED_EPOCH_MS + i * 1000,
    });
    state.addUserToOrg(user, PRIMARY_ORG_ID);
    state.addUserToOrg(user, tenant.org.id);
    state.addGroupMember(primaryGroups[i % primaryGroups.length] as GroupRec, user);
    state.addGroupMember(tenant.groups[Math.floor(i / TENANT_COUNT) % tenant.groups.length] as GroupRec, user);
  }
  // Private: build the default users/search listing of the Primary Org now, so a benchmark's first page is as fast
  // as its others; later writes keep it right incrementally.
  state.sortedOrgMembers(PRIMARY_ORG_ID, 'NAME');
}
