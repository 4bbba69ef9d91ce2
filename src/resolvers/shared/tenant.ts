// Internal to src/resolvers: what tenantPlan and tenantApply share: the blueprint as the planner takes it (from the
// GraphQL input), the tenant's current state as the caller may see it (through the loaders, which see only the
// caller's Organizations), and the plan.
//
// Reading the state costs: one `orgs/search`; for an existing Organization, its group index and (when the blueprint
// declares roles) its role index, one call each, and the declared users found in it (loaders/user-lookup.ts: a scan
// of its user list for more than a few); for declared users not in it, one `users/import` dry run per
// IMPORT_CHUNK_ROWS users, which writes nothing and tells, cluster-wide, which usernames exist already. Those are
// then looked up where the caller may look; a username that exists only elsewhere is reported, never overwritten.

import type { TenantBlueprintInput } from '../../__generated__/resolvers-types.js';
import type { Context } from '../../context.js';
import { isRecordNotFound } from '../../loaders/index.js';
import { unknownPassword } from '../../provisioning/apply.js';
import { checkBlueprint, type Blueprint } from '../../provisioning/blueprint.js';
import { IMPORT_CHUNK_ROWS, planTenant, type GroupState, type Plan, type RoleState, type TenantState, type UserState } from '../../provisioning/plan.js';
import type { OrgRecord, UserRecord } from '../../thoughtspot/index.js';
import type { AuditedAction, UserErrorModel } from './audit.js';
import { Problems } from './lifecycle.js';
import { userErrorOf, type MutationSpec } from './mutations.js';
import { toPrivilege } from './privileges.js';
import { rolePrivileges } from './role-privileges.js';

/** A plan ready to show or apply, or why there is none. */
export type Prepared =
  | { readonly problems: UserErrorModel[] }
  | { readonly blueprint: Blueprint; readonly plan: Plan; readonly organization: OrgRecord | null };

/** The Primary Org: dry runs go there, as they need no Organization of the tenant's to exist. */
const PRIMARY = { orgId: 0 } as const;

/**
 * The audit fields of tenantPlan and tenantApply. The event names the Organization only when it is in the caller's
 * grant, so a caller's attempt on another tenant leaves no trace in that tenant's log.
 */
export function tenantAction(ctx: Context, operation: string, input: TenantBlueprintInput): AuditedAction & MutationSpec {
  const name = input.organization.name;
  const granted = ctx.caller.orgs === '*' || ctx.caller.orgs.has(name);
  return {
    operation,
    scope: 'directory:write',
    target: { type: 'Organization', id: null },
    organization: granted ? { id: null, name } : null,
    input,
    idempotencyKey: input.idempotencyKey,
  };
}

/** Checks the blueprint, reads the tenant and plans (see the header). */
export async function prepareTenantPlan(ctx: Context, input: TenantBlueprintInput): Promise<Prepared> {
  const { blueprint, problems } = blueprintOf(input);
  if (problems.length > 0) return { problems };
  const read = await readTenant(ctx, blueprint);
  if ('problems' in read) return read;
  const plan = planTenant(read.state, blueprint);
  if (plan.problems.length > 0) {
    return { problems: plan.problems.map((problem) => ({ field: ['input', ...problem.path], message: problem.message, code: problem.code })) };
  }
  return { blueprint, plan, organization: read.organization };
}

/** The blueprint of a GraphQL input, and every problem of it (fields start with `input`). */
export function blueprintOf(input: TenantBlueprintInput): { blueprint: Blueprint; problems: UserErrorModel[] } {
  const problems = new Problems();
  const roles = (input.roles ?? []).map((role, i) => ({
    name: role.name,
    description: role.description ?? null,
    privileges: rolePrivileges(problems, role.privileges, 'update', ['input', 'roles', String(i), 'privileges']) ?? [],
  }));
  if (input.initialPassword != null) problems.secret(input.initialPassword, ['input', 'initialPassword']);
  const blueprint: Blueprint = {
    organization: { name: input.organization.name, description: input.organization.description ?? null },
    roles,
    groups: (input.groups ?? []).map((group) => ({
      name: group.name,
      displayName: group.displayName ?? null,
      description: group.description ?? null,
      subGroups: group.subGroups ?? [],
      roles: group.roles ?? [],
    })),
    users: (input.users ?? []).map((user) => ({
      username: user.username,
      displayName: user.displayName ?? null,
      email: user.email ?? null,
      accountType: user.accountType ?? null,
      groups: user.groups ?? [],
    })),
  };
  for (const problem of checkBlueprint(blueprint)) problems.add(['input', ...problem.path], problem.message, problem.code);
  return { blueprint, problems: problems.list };
}

// Private: the tenant's current state (see the header), or why it cannot be planned.
async function readTenant(
  ctx: Context,
  blueprint: Blueprint,
): Promise<{ readonly problems: UserErrorModel[] } | { readonly state: TenantState; readonly organization: OrgRecord | null }> {
  const name = blueprint.organization.name;
  const organization = (await ctx.loaders.orgIndex()).byName.get(name) ?? null;
  if (organization === null && ctx.caller.orgs !== '*' && !ctx.caller.orgs.has(name)) {
    // An Organization outside the grant reads exactly as one that does not exist, and neither may be created.
    return {
      problems: [
        {
          field: ['input', 'organization', 'name'],
          message: 'No Organization with this name is in your grant; creating one needs a grant of every Organization or of this name.',
          code: 'NOT_FOUND',
        },
      ],
    };
  }
  const roles = new Map<string, RoleState>();
  const groups = new Map<string, GroupState>();
  const users = new Map<string, UserState>();
  let outside = blueprint.users.map((user) => user.username);
  if (organization !== null) {
    const orgId = organization.id;
    const [groupIndex, roleIndex] = await Promise.all([
      ctx.loaders.groupIndex.load(orgId),
      blueprint.roles.length === 0 ? null : ctx.loaders.roleIndex.load(orgId),
    ]);
    for (const role of roleIndex?.list ?? []) {
      roles.set(role.name, {
        id: role.id,
        name: role.name,
        description: role.description,
        privileges: role.privileges.map((privilege) => toPrivilege(privilege) ?? privilege),
        readOnly: role.permission === 'READ_ONLY',
      });
    }
    const nameOf = (id: string): string | undefined => groupIndex.byId.get(id)?.name;
    for (const group of groupIndex.list) {
      groups.set(group.name, {
        id: group.id,
        name: group.name,
        displayName: group.displayName,
        description: group.description,
        subGroups: groupIndex.childrenOf(group.id).flatMap((id) => nameOf(id) ?? []),
        roles: group.roles.map((role) => role.name),
      });
    }
    const found = await ctx.loaders.userInOrg.loadMany(blueprint.users.map((user) => ({ orgId, by: 'name', value: user.username }) as const));
    outside = [];
    found.forEach((row, i) => {
      const username = (blueprint.users[i] as { username: string }).username;
      if (isRecordNotFound(row)) outside.push(username);
      else if (row instanceof Error) throw row;
      else users.set(username.toLowerCase(), userState(row, true, row.groups.flatMap((ref) => nameOf(ref.id) ?? [])));
    });
  }
  const existing = await existingUsernames(ctx, outside);
  if ('problems' in existing) return existing;
  const hiddenUsernames = new Set<string>();
  const elsewhere = outside.filter((username) => existing.names.has(username.toLowerCase()));
  const rows = await ctx.loaders.userByKey.loadMany(elsewhere.map((username) => ({ by: 'name', value: username }) as const));
  rows.forEach((row, i) => {
    const username = (elsewhere[i] as string).toLowerCase();
    if (isRecordNotFound(row)) hiddenUsernames.add(username);
    else if (row instanceof Error) throw row;
    else users.set(username, userState(row, false, []));
  });
  return { state: { organization, roles, groups, users, hiddenUsernames }, organization };
}

// Private: which of `usernames` exist anywhere on the cluster (lower-cased), from `users/import` dry runs.
async function existingUsernames(ctx: Context, usernames: readonly string[]): Promise<{ readonly names: Set<string> } | { readonly problems: UserErrorModel[] }> {
  const names = new Set<string>();
  if (usernames.length === 0) return { names };
  // New local users need a password even in a dry run (CONTRACT.md §11.2); this one is never used.
  const defaultPassword = unknownPassword();
  const chunks: string[][] = [];
  for (let i = 0; i < usernames.length; i += IMPORT_CHUNK_ROWS) chunks.push(usernames.slice(i, i + IMPORT_CHUNK_ROWS));
  try {
    const answers = await Promise.all(
      chunks.map((chunk) =>
        ctx.client.importUsers(PRIMARY, { users: chunk.map((username) => ({ identifier: username, displayName: username })), defaultPassword, dryRun: true }),
      ),
    );
    for (const answer of answers) for (const user of answer.updated) names.add(user.name.toLowerCase());
  } catch (error) {
    return { problems: [userErrorOf(error, ['input', 'users'])] };
  }
  return { names };
}

// Private: a user row as the planner sees it.
function userState(row: UserRecord, inOrganization: boolean, groups: string[]): UserState {
  return {
    id: row.id,
    name: row.name,
    displayName: row.displayName,
    email: row.email,
    accountType: row.accountType,
    inOrganization,
    groups,
  };
}

