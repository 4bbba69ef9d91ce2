// Shared by the tenant provisioning tests (tenant-*.test.ts): the operations, a caller builder, blueprints of known
// shape, and `effectPresent`, which reads in the emulator's own state whether one planned change has taken effect,
// so a run's report can be checked against the directory itself rather than against the subgraph's reading of it.

import { randomBytes } from 'node:crypto';
import type { FormattedExecutionResult } from 'graphql';
import type { Caller, Scope } from '../../../src/auth/index.js';
import type { CallRecord, Emulator } from '../../../src/emulator/index.js';
import type { GroupRec, OrgRec } from '../../../src/emulator/domain/index.js';
import { executeSingle } from '../../support/graphql.js';
import type { TestStack } from '../../support/harness.js';

export const CHANGE_FIELDS = 'index action target { type name } description';

export const PLAN = `mutation ($input: TenantBlueprintInput!) {
  tenantPlan(input: $input) { changes { ${CHANGE_FIELDS} } organization { name } userErrors { field message code } }
}`;

export const APPLY = `mutation ($input: TenantBlueprintInput!) {
  tenantApply(input: $input) {
    runId status results { change { ${CHANGE_FIELDS} } status reason } organization { name } userErrors { field message code }
  }
}`;

/** A change as the payloads carry it. */
export interface ChangeData {
  readonly index: number;
  readonly action: string;
  readonly target: { readonly type: string; readonly name: string };
  readonly description: string;
}

export interface PlanData {
  readonly tenantPlan: {
    readonly changes: ChangeData[] | null;
    readonly organization: { readonly name: string } | null;
    readonly userErrors: { field: string[] | null; message: string; code: string }[];
  };
}

export interface ResultData {
  readonly change: ChangeData;
  readonly status: 'APPLIED' | 'FAILED' | 'SKIPPED';
  readonly reason: string | null;
}

export interface ApplyData {
  readonly tenantApply: {
    readonly runId: string | null;
    readonly status: 'SUCCEEDED' | 'FAILED' | null;
    readonly results: ResultData[] | null;
    readonly organization: { readonly name: string } | null;
    readonly userErrors: { field: string[] | null; message: string; code: string }[];
  };
}

/** A caller with these scopes and Organizations (a fresh subject, so its audit events are its own). */
export function caller(scopes: readonly Scope[], orgs: Caller['orgs'] = '*'): Caller {
  return { subject: `tenant-${randomBytes(3).toString('hex')}`, scopes: new Set(scopes), orgs, connectionId: null };
}

/** Runs `query` with `input` as `as`, measured: the result and the upstream calls it made. */
export async function run<T>(
  stack: TestStack,
  query: string,
  input: unknown,
  as: Caller = caller(['directory:write']),
): Promise<{ result: FormattedExecutionResult<T>; calls: Record<string, number>; records: CallRecord[] }> {
  const { value, calls, records } = await stack.measure(() => executeSingle<T>(stack.app, { query, variables: { input } }, { caller: as }));
  return { result: value, calls, records };
}

/** Whether a call record is a write: not a search, not a session read, not a `users/import` dry run. */
export function isWrite(call: CallRecord): boolean {
  if (call.method !== 'POST' || call.endpoint === null || call.endpoint.endsWith('/search')) return false;
  if (call.endpoint.endsWith('/users/import') || call.endpoint.endsWith('/groups/import')) {
    return (call.body as { dry_run?: unknown } | null)?.dry_run === false;
  }
  return true;
}

/** The upstream calls of `records` that write, as `{ endpoint: count }` (prefix stripped). */
export function writesOf(records: readonly CallRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of records.filter(isWrite)) {
    const name = (call.endpoint as string).replace(/^POST \/api\/rest\/2\.0\//, '');
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------------------------
// Blueprints
// ---------------------------------------------------------------------------------------------------------------

export interface BlueprintInput {
  organization: { name: string; description?: string };
  roles?: { name: string; description?: string; privileges: string[] }[];
  groups?: { name: string; displayName?: string; description?: string; subGroups?: string[]; roles?: string[] }[];
  users?: { username: string; displayName?: string; email?: string; accountType?: string; groups?: string[] }[];
  initialPassword?: string;
  idempotencyKey?: string;
}

/**
 * A blueprint of exactly 20 changes for a tenant that does not exist yet: the Organization, three roles, four groups
 * (Top ⊃ Mid ⊃ Leaf, and Side) and twelve users, two of them administrators.
 */
export function freshBlueprint(tenant: string): BlueprintInput {
  const prefix = tenant.toLowerCase();
  return {
    organization: { name: tenant, description: `Tenant ${tenant}` },
    roles: [
      { name: 'R-Viewer', privileges: ['CAN_VIEW_FOLDERS'] },
      { name: 'R-Analyst', description: 'Analysts', privileges: ['DATADOWNLOADING', 'CAN_MODIFY_FOLDERS'] },
      { name: 'R-Admin', privileges: ['USER_ADMINISTRATION', 'GROUP_ADMINISTRATION'] },
    ],
    groups: [
      { name: 'Top', subGroups: ['Mid'], roles: ['R-Viewer'] },
      { name: 'Mid', displayName: 'Middle', subGroups: ['Leaf'], roles: ['R-Analyst'] },
      { name: 'Leaf' },
      { name: 'Side', description: 'Side group', roles: ['R-Admin', 'R-Viewer'] },
    ],
    users: Array.from({ length: 12 }, (_unused, i) => ({
      username: `${prefix}.user-${String(i).padStart(2, '0')}`,
      displayName: `User ${i}`,
      email: `user-${i}@${prefix}.example`,
      ...(i % 4 === 3 ? { accountType: 'SAML' } : {}),
      groups: i < 2 ? ['Administrator', 'Side'] : [['Top', 'Mid', 'Leaf'][i % 3] as string],
    })),
  };
}

/**
 * An existing tenant `tenant` (with a neighbour Organization `<tenant>-Other`), and a blueprint of exactly 20 changes
 * for it that updates, adds and leaves alone: every kind of change but CREATE_ORGANIZATION. What the blueprint does
 * not declare (the role R-Unmanaged, the group G-U, membership of G-U, the neighbour) must stay as it is.
 */
export function seedExistingTenant(emulator: Emulator, tenant: string): { blueprint: BlueprintInput; org: OrgRec; other: OrgRec } {
  const state = emulator.state;
  const at = Date.UTC(2024, 5, 1);
  const prefix = tenant.toLowerCase();
  const org = state.createOrg({ name: tenant, description: 'Old description', at });
  const other = state.createOrg({ name: `${tenant}-Other`, description: 'Neighbour', at });
  const role = (name: string, privileges: string[]) => state.createRole(org, { name, description: name, privileges, at });
  const keep = role('R-Keep', ['CAN_VIEW_FOLDERS']);
  role('R-Change', ['DATADOWNLOADING']);
  const unmanaged = role('R-Unmanaged', ['DATAMANAGEMENT']);
  const group = (name: string, displayName = name): GroupRec => state.createGroup(org, { name, displayName, at });
  const a = group('G-A', 'Old A');
  const b = group('G-B');
  group('G-C');
  const u = group('G-U');
  state.addSubGroup(a, b);
  state.addSubGroup(a, u);
  state.assignRole(a, keep);
  state.assignRole(a, unmanaged);
  const user = (name: string, orgs: OrgRec[], groups: GroupRec[]) => {
    const rec = state.insertUser({ name, displayName: 'Wrong', email: `${name}@old.example`, at });
    for (const o of orgs) state.addUserToOrg(rec, o.id);
    for (const g of groups) state.addGroupMember(g, rec);
    return rec;
  };
  const otherGroup = state.createGroup(other, { name: 'Other-G', displayName: 'Other-G', at });
  user(`${prefix}.u1`, [org], [a, u]);
  user(`${prefix}.u2`, [org], [b]);
  user(`${prefix}.shared`, [other], [otherGroup]);
  return {
    org,
    other,
    blueprint: {
      organization: { name: tenant, description: 'New description' },
      roles: [
        { name: 'R-Keep', privileges: ['CAN_VIEW_FOLDERS'] },
        { name: 'R-Change', privileges: ['DATADOWNLOADING', 'CAN_MODIFY_FOLDERS'] },
        { name: 'R-New', privileges: ['JOBSCHEDULING'] },
      ],
      groups: [
        { name: 'G-A', displayName: 'Group A', subGroups: ['G-C'], roles: ['R-New'] },
        { name: 'G-B' },
        { name: 'G-C' },
        { name: 'G-D', subGroups: ['G-B'] },
      ],
      users: [
        { username: `${prefix}.u1`, displayName: 'User One', groups: ['G-D'] },
        { username: `${prefix}.u2`, groups: ['G-B', 'Administrator'] },
        { username: `${prefix}.shared`, groups: ['G-C'] },
        ...Array.from({ length: 6 }, (_unused, i) => ({ username: `${prefix}.new-${i}`, email: `new-${i}@${prefix}.example`, groups: ['G-A'] })),
      ],
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The directory itself
// ---------------------------------------------------------------------------------------------------------------

function orgNamed(emulator: Emulator, name: string): OrgRec | undefined {
  return [...emulator.state.orgs.values()].find((org) => org.name === name);
}

function namesOf(emulator: Emulator, ids: Iterable<string>, from: 'groups' | 'roles'): string[] {
  const map = from === 'groups' ? emulator.state.groups : emulator.state.roles;
  return [...ids].map((id) => map.get(id)?.name ?? id).sort();
}

const sorted = (values: Iterable<string>): string[] => [...values].sort();

/**
 * Whether `change` of a plan for `blueprint` has taken effect, read in the emulator's state: a created object exists
 * (with what it was created with), an update's values are there, a list change's declared part is as the blueprint
 * says, a user is in the Organization.
 */
export function effectPresent(emulator: Emulator, blueprint: BlueprintInput, change: ChangeData): boolean {
  const org = orgNamed(emulator, blueprint.organization.name);
  const name = change.target.name;
  if (change.action === 'CREATE_ORGANIZATION') return org !== undefined;
  if (change.action === 'UPDATE_ORGANIZATION') return org?.description === blueprint.organization.description;
  if (org === undefined) return false;
  const declaredGroups = new Set((blueprint.groups ?? []).map((g) => g.name));
  const declaredRoles = new Set((blueprint.roles ?? []).map((r) => r.name));
  const role = org.rolesByName.get(name);
  const roleSpec = blueprint.roles?.find((r) => r.name === name);
  const group = org.groupsByName.get(name);
  const groupSpec = blueprint.groups?.find((g) => g.name === name);
  const userSpec = blueprint.users?.find((u) => u.username === name);
  const user = userSpec === undefined ? undefined : emulator.state.findUserIgnoringCase(userSpec.username);
  const declaredChildren = () => namesOf(emulator, group?.subGroupIds ?? [], 'groups').filter((n) => declaredGroups.has(n));
  const declaredRolesOf = () => namesOf(emulator, group?.roleIds ?? [], 'roles').filter((n) => declaredRoles.has(n));
  const userGroups = () =>
    user === undefined
      ? []
      : namesOf(
          emulator,
          [...user.groupIds].filter((id) => emulator.state.groups.get(id)?.orgId === org.id),
          'groups',
        ).filter((n) => declaredGroups.has(n) || n === 'Administrator');
  switch (change.action) {
    case 'CREATE_ROLE':
    case 'UPDATE_ROLE':
      return role !== undefined && JSON.stringify(sorted(role.privileges)) === JSON.stringify(sorted(roleSpec?.privileges ?? []));
    case 'CREATE_GROUP':
      return group !== undefined && JSON.stringify(declaredChildren()) === JSON.stringify(sorted(groupSpec?.subGroups ?? []));
    case 'UPDATE_GROUP':
      return group?.displayName === groupSpec?.displayName;
    case 'REMOVE_SUB_GROUPS':
      return declaredChildren().every((child) => groupSpec?.subGroups?.includes(child) === true);
    case 'ADD_SUB_GROUPS':
      return (groupSpec?.subGroups ?? []).every((child) => declaredChildren().includes(child));
    case 'UNASSIGN_ROLES':
      return declaredRolesOf().every((r) => groupSpec?.roles?.includes(r) === true);
    case 'ASSIGN_ROLES':
      return (groupSpec?.roles ?? []).every((r) => declaredRolesOf().includes(r));
    case 'ADD_USER_TO_ORGANIZATION':
      return user?.orgIds.has(org.id) === true;
    case 'CREATE_USER':
      return user !== undefined && user.orgIds.has(org.id);
    case 'UPDATE_USER':
      return user !== undefined && (userSpec?.displayName === undefined || user.displayName === userSpec.displayName);
    case 'SET_USER_GROUPS':
      return JSON.stringify(userGroups()) === JSON.stringify(sorted(userSpec?.groups ?? []));
    default:
      throw new Error(`effectPresent does not know ${change.action}`);
  }
}
