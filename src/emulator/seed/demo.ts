// Internal to src/emulator/seed: the `demo` seed, a believable embedded-analytics customer base. An ISV ("Lumora
// Analytics") runs ThoughtSpot with its own staff in the Primary Org and one tenant Org per customer. Each tenant has
// the built-in groups, a three-level management hierarchy, functional groups with roles, a tenant administrator,
// SSO users where the customer uses an identity provider, and a few inactive, locked and pending accounts. Some
// people belong to several Orgs. Everything is drawn from seeded generators: two builds are identical.

import type { EmulatorState } from '../domain/state.js';
import { IdGenerator } from '../domain/ids.js';
import type { AccountStatus, AccountType, GroupRec, GroupType, OrgRec, RoleRec, UserRec, Visibility } from '../domain/model.js';
import { FIRST_NAMES, LAST_NAMES, slug } from './names.js';
import { SEED_EPOCH_MS, seedWellKnown } from './minimal.js';

/** Password of every seeded LOCAL_USER in the demo and large seeds (SSO users have none). */
export const DEMO_PASSWORD = 'demo-password';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

interface RoleSpec {
  readonly name: string;
  readonly description: string;
  readonly privileges: readonly string[];
  readonly readOnly?: boolean;
}

interface GroupSpec {
  readonly name: string;
  readonly displayName: string;
  readonly description: string;
  readonly roles: readonly string[];
  readonly privileges?: readonly string[];
  /** The group this one is a sub-group (member) of. */
  readonly parent?: string;
  readonly type?: GroupType;
  readonly visibility?: Visibility;
  /** Relative weight when placing people into groups. */
  readonly weight: number;
}

interface TenantSpec {
  readonly name: string;
  readonly description: string;
  readonly domain: string;
  readonly users: number;
  /** How most people of this customer sign in. */
  readonly accountType: AccountType;
}

/** Roles every Org gets. */
const ORG_ROLES: readonly RoleSpec[] = [
  {
    name: 'Analyst',
    description: 'Explores data and builds answers',
    privileges: ['DATADOWNLOADING', 'USERDATAUPLOADING', 'SHAREWITHALL', 'CAN_DOWNLOAD_VISUALS', 'CAN_USE_SPOTTER'],
  },
  {
    name: 'Data Steward',
    description: 'Curates models, worksheets and connections',
    privileges: ['DATAMANAGEMENT', 'CAN_MANAGE_WORKSHEET_VIEWS_TABLES', 'CAN_CREATE_OR_EDIT_CONNECTIONS', 'LIVEBOARD_VERIFIER'],
  },
  {
    name: 'Report Author',
    description: 'Publishes and schedules liveboards',
    privileges: ['JOBSCHEDULING', 'SHAREWITHALL', 'CAN_MODIFY_FOLDERS', 'CAN_VIEW_FOLDERS'],
  },
  { name: 'Viewer', description: 'Reads shared liveboards', privileges: ['CAN_VIEW_FOLDERS', 'CAN_DOWNLOAD_VISUALS'] },
  {
    name: 'User Manager',
    description: 'Manages the users and groups of the Org',
    privileges: ['USER_ADMINISTRATION', 'GROUP_ADMINISTRATION'],
  },
];

/** Extra roles of the Primary Org (the ISV's own staff). */
const PRIMARY_ROLES: readonly RoleSpec[] = [
  { name: 'Super Admin', description: 'Built-in administrator role', privileges: ['ADMINISTRATION'], readOnly: true },
  {
    name: 'Org Manager',
    description: 'Onboards tenants: manages Orgs, users and groups',
    privileges: ['ORG_ADMINISTRATION', 'USER_ADMINISTRATION', 'GROUP_ADMINISTRATION'],
  },
  {
    name: 'Support Engineer',
    description: 'Reads cluster information for support cases',
    privileges: ['SYSTEM_INFO_ADMINISTRATION', 'CAN_VIEW_FOLDERS'],
  },
];

/** Groups of every tenant Org. Leadership ⊃ Regional-Managers ⊃ Branch-Managers is the three-level hierarchy. */
const TENANT_GROUPS: readonly GroupSpec[] = [
  { name: 'Leadership', displayName: 'Leadership', description: 'Executive team', roles: ['Viewer'], weight: 3 },
  {
    name: 'Regional-Managers',
    displayName: 'Regional Managers',
    description: 'Managers of a region',
    roles: ['Report Author'],
    parent: 'Leadership',
    weight: 6,
  },
  {
    name: 'Branch-Managers',
    displayName: 'Branch Managers',
    description: 'Managers of a single site',
    roles: [],
    privileges: ['DATADOWNLOADING'],
    parent: 'Regional-Managers',
    weight: 14,
  },
  { name: 'Analysts', displayName: 'Analysts', description: 'Business analysts', roles: ['Analyst'], weight: 18 },
  {
    name: 'Senior-Analysts',
    displayName: 'Senior Analysts',
    description: 'Analysts who also curate data',
    roles: ['Data Steward'],
    parent: 'Analysts',
    weight: 7,
  },
  { name: 'Finance', displayName: 'Finance', description: 'Finance team', roles: ['Viewer'], type: 'TEAM_GROUP', weight: 12 },
  { name: 'Operations', displayName: 'Operations', description: 'Operations staff', roles: ['Viewer'], weight: 22 },
  {
    name: 'People-Admins',
    displayName: 'People Admins',
    description: 'Manage users and groups of this tenant',
    roles: ['User Manager'],
    weight: 2,
  },
  {
    name: 'External-Auditors',
    displayName: 'External Auditors',
    description: 'Auditors with read access',
    roles: ['Viewer'],
    visibility: 'NON_SHARABLE',
    weight: 3,
  },
];

/** Groups of the Primary Org. Platform-Admins sits under Administrator, so its members are cluster admins. */
const PRIMARY_GROUPS: readonly GroupSpec[] = [
  {
    name: 'Platform-Admins',
    displayName: 'Platform Administrators',
    description: 'Run the analytics platform',
    roles: [],
    parent: 'Administrator',
    weight: 3,
  },
  { name: 'Engineering', displayName: 'Engineering', description: 'Product engineering', roles: ['Viewer'], weight: 6 },
  {
    name: 'Data-Engineering',
    displayName: 'Data Engineering',
    description: 'Pipelines and models',
    roles: ['Data Steward'],
    parent: 'Engineering',
    weight: 8,
  },
  {
    name: 'Analytics-Engineering',
    displayName: 'Analytics Engineering',
    description: 'Embedded content for customers',
    roles: ['Analyst'],
    parent: 'Data-Engineering',
    weight: 6,
  },
  {
    name: 'Customer-Success',
    displayName: 'Customer Success',
    description: 'Consultants who work inside customer Orgs',
    roles: ['Report Author'],
    weight: 10,
  },
  {
    name: 'Tenant-Onboarding',
    displayName: 'Tenant Onboarding',
    description: 'Create and configure customer Orgs',
    roles: ['Org Manager'],
    weight: 3,
  },
  { name: 'Support', displayName: 'Support', description: 'Support engineers', roles: ['Support Engineer'], weight: 7 },
  { name: 'Sales', displayName: 'Sales', description: 'Account executives', roles: ['Viewer'], type: 'TEAM_GROUP', weight: 5 },
];

/** The customers, one tenant Org each. */
const TENANTS: readonly TenantSpec[] = [
  { name: 'Alderbrook-Foods', description: 'Regional grocery chain', domain: 'alderbrookfoods.example', users: 84, accountType: 'LOCAL_USER' },
  { name: 'Brightwater-Health', description: 'Outpatient clinic network', domain: 'brightwaterhealth.example', users: 76, accountType: 'SAML_USER' },
  { name: 'Cobalt-Freight', description: 'Freight forwarding and logistics', domain: 'cobaltfreight.example', users: 68, accountType: 'LOCAL_USER' },
  { name: 'Driftwood-Outfitters', description: 'Outdoor apparel retailer', domain: 'driftwoodoutfitters.example', users: 72, accountType: 'OIDC_USER' },
  { name: 'Everpine-Energy', description: 'Renewable energy utility', domain: 'everpineenergy.example', users: 64, accountType: 'LDAP_USER' },
];

/** Size of the ISV's own staff in the Primary Org. */
const PRIMARY_STAFF = 48;

/** How account statuses are spread (weights); the rest are ACTIVE. */
const STATUS_WEIGHTS: readonly [AccountStatus, number][] = [
  ['ACTIVE', 90],
  ['INACTIVE', 4],
  ['LOCKED', 2],
  ['PENDING', 2],
  ['EXPIRED', 1],
  ['SUSPENDED', 1],
];

function weighted<T>(rng: IdGenerator, entries: readonly (readonly [T, number])[]): T {
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let x = rng.nextFloat() * total;
  for (const [value, w] of entries) {
    x -= w;
    if (x < 0) return value;
  }
  return (entries[entries.length - 1] as readonly [T, number])[0];
}

/** Builds one Org's roles and groups from specs, wiring sub-groups and role assignments. */
function buildOrgStructure(
  state: EmulatorState,
  org: OrgRec,
  roles: readonly RoleSpec[],
  groups: readonly GroupSpec[],
  at: number,
): Map<string, GroupRec> {
  const roleByName = new Map<string, RoleRec>();
  for (const spec of roles) {
    roleByName.set(
      spec.name,
      state.createRole(org, {
        name: spec.name,
        description: spec.description,
        privileges: spec.privileges,
        readOnly: spec.readOnly ?? false,
        at,
      }),
    );
  }
  const byName = new Map<string, GroupRec>();
  for (const group of org.groups.values()) byName.set(group.name, group);
  for (const spec of groups) {
    const group = state.createGroup(org, {
      name: spec.name,
      displayName: spec.displayName,
      description: spec.description,
      privileges: spec.privileges ?? [],
      type: spec.type ?? 'LOCAL_GROUP',
      visibility: spec.visibility ?? 'SHARABLE',
      at,
    });
    byName.set(spec.name, group);
    for (const roleName of spec.roles) {
      const role = roleByName.get(roleName);
      if (role === undefined) throw new Error(`Seed group ${spec.name} names unknown role ${roleName}.`);
      state.assignRole(group, role);
    }
  }
  for (const spec of groups) {
    if (spec.parent === undefined) continue;
    const parent = byName.get(spec.parent);
    const child = byName.get(spec.name);
    if (parent === undefined || child === undefined) throw new Error(`Seed group ${spec.name} has unknown parent.`);
    state.addSubGroup(parent, child);
  }
  const superAdmin = roleByName.get('Super Admin');
  const admin = byName.get('Administrator');
  if (superAdmin !== undefined && admin !== undefined) state.assignRole(admin, superAdmin);
  return byName;
}

/** Draws a person and makes a unique username for them. */
function person(
  state: EmulatorState,
  rng: IdGenerator,
): { first: string; last: string; username: string } {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const base = `${slug(first)}.${slug(last)}`;
  let username = base;
  for (let n = 2; state.usernameTaken(username); n++) username = `${base}${n}`;
  return { first, last, username };
}

/** The `demo` seed: Primary plus five customer Orgs, about 430 users. */
export function seedDemo(state: EmulatorState): void {
  seedWellKnown(state);
  const rng = new IdGenerator('demo-seed');
  const primary = state.primary;
  const primaryGroups = buildOrgStructure(state, primary, [...ORG_ROLES, ...PRIMARY_ROLES], PRIMARY_GROUPS, SEED_EPOCH_MS);
  const liveboards = Array.from({ length: 12 }, () => rng.nextGuid());

  const makeUser = (
    org: OrgRec,
    index: number,
    domain: string,
    accountType: AccountType,
    status: AccountStatus,
  ): UserRec => {
    const { first, last, username } = person(state, rng);
    const createdAt = org.createdAt + index * 2 * HOUR_MS + rng.nextInt(90) * 60_000;
    const local = accountType === 'LOCAL_USER';
    const user = state.insertUser({
      name: username,
      displayName: `${first} ${last}`,
      email: `${username}@${domain}`,
      password: local ? DEMO_PASSWORD : null,
      accountType,
      accountStatus: status,
      notifyOnShare: rng.nextFloat() < 0.8,
      showOnboardingExperience: rng.nextFloat() < 0.3,
      onboardingExperienceCompleted: rng.nextFloat() < 0.7,
      preferredLocale: rng.nextFloat() < 0.2 ? rng.pick(['en-GB', 'de-DE', 'fr-FR', 'es-ES', 'ja-JP', 'pt-BR']) : null,
      at: createdAt,
    });
    user.modifiedAt = createdAt + rng.nextInt(60) * DAY_MS;
    state.addUserToOrg(user, org.id);
    return user;
  };

  const placeIn = (user: UserRec, groups: Map<string, GroupRec>, specs: readonly GroupSpec[]): void => {
    const choices: [string | null, number][] = specs.map((s) => [s.name, s.weight]);
    choices.push([null, 13]);
    const firstPick = weighted(rng, choices);
    if (firstPick !== null) state.addGroupMember(groups.get(firstPick) as GroupRec, user);
    if (rng.nextFloat() < 0.25) {
      const second = weighted(rng, choices);
      if (second !== null) state.addGroupMember(groups.get(second) as GroupRec, user);
    }
    if (firstPick === 'Leadership' || firstPick === 'Regional-Managers') {
      user.homeLiveboard = rng.pick(liveboards);
      user.favorites = [
        { identifier: user.homeLiveboard, type: 'LIVEBOARD' },
        { identifier: rng.pick(liveboards), type: 'ANSWER' },
      ];
    }
  };

  // The ISV's staff, all local accounts in the Primary Org.
  const staff: UserRec[] = [];
  for (let i = 0; i < PRIMARY_STAFF; i++) {
    const status = i < 12 ? 'ACTIVE' : weighted(rng, STATUS_WEIGHTS);
    const user = makeUser(primary, i + 1, 'lumora.example', 'LOCAL_USER', status);
    staff.push(user);
    if (i < 3) state.addGroupMember(primaryGroups.get('Platform-Admins') as GroupRec, user);
    else if (i < 9) state.addGroupMember(primaryGroups.get('Customer-Success') as GroupRec, user);
    else if (i < 11) state.addGroupMember(primaryGroups.get('Tenant-Onboarding') as GroupRec, user);
    else placeIn(user, primaryGroups, PRIMARY_GROUPS.filter((g) => g.name !== 'Platform-Admins'));
  }

  // One Org per customer, created two weeks apart.
  const tenants: { org: OrgRec; groups: Map<string, GroupRec>; people: UserRec[] }[] = [];
  TENANTS.forEach((spec, t) => {
    const at = SEED_EPOCH_MS + (t + 1) * 14 * DAY_MS;
    const org = state.createOrg({ name: spec.name, description: spec.description, at });
    const groups = buildOrgStructure(state, org, ORG_ROLES, TENANT_GROUPS, at);
    const people: UserRec[] = [];
    for (let i = 0; i < spec.users; i++) {
      // The first person is the tenant's administrator and always signs in locally.
      const admin = i === 0;
      const accountType = admin ? 'LOCAL_USER' : rng.nextFloat() < 0.85 ? spec.accountType : 'LOCAL_USER';
      const status = admin ? 'ACTIVE' : weighted(rng, STATUS_WEIGHTS);
      const user = makeUser(org, i, spec.domain, accountType, status);
      if (admin) {
        state.addGroupMember(groups.get('Administrator') as GroupRec, user);
        state.addGroupMember(groups.get('People-Admins') as GroupRec, user);
      } else {
        placeIn(user, groups, TENANT_GROUPS);
      }
      people.push(user);
    }
    tenants.push({ org, groups, people });
  });

  // Customer Success consultants work inside two customer Orgs each, as analysts there.
  staff.slice(3, 9).forEach((consultant, k) => {
    for (const t of [k % tenants.length, (k + 1) % tenants.length]) {
      const tenant = tenants[t];
      if (tenant === undefined) continue;
      state.addUserToOrg(consultant, tenant.org.id);
      state.addGroupMember(tenant.groups.get('Analysts') as GroupRec, consultant);
    }
  });
  // A few contractors serve two customers.
  tenants.forEach((tenant, t) => {
    const contractor = tenant.people[tenant.people.length - 1];
    const other = tenants[(t + 2) % tenants.length];
    if (contractor === undefined || other === undefined || contractor.accountStatus !== 'ACTIVE') return;
    state.addUserToOrg(contractor, other.org.id);
    state.addGroupMember(other.groups.get('Operations') as GroupRec, contractor);
  });
}
