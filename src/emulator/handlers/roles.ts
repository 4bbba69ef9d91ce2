// Internal to src/emulator/handlers: the Roles tag (RBAC clusters only). Roles are per Org and reach users only through
// groups (CONTRACT.md §8, §11.5).

import type { Handler } from '../types.js';
import { badRequest } from '../types.js';
import type { EmulatorState } from '../domain/state.js';
import type { OrgRec, RoleRec } from '../domain/model.js';
import { ROLE_ADMIN_PRIVILEGES } from '../domain/model.js';
import { checkPathIdentifier, findOrg, findRoleIn, invalidIdentifiers } from '../domain/resolve.js';
import { SEARCH_SPELLING, serializeRole } from '../domain/serialize.js';
import type { Ctx } from './common.js';
import {
  isPrimaryClusterAdmin,
  now,
  optBool,
  requiredText,
  requirePrivilege,
  requireRbac,
  str,
  strings,
  tokenOrg,
} from './common.js';

/** Longest role name and description (v1 Role API rules, CONTRACT.md §11.5). */
const MAX_ROLE_NAME = 48;
const MAX_ROLE_DESCRIPTION = 124;

function checkRoleText(name: string, description: string | undefined): void {
  if (name.length > MAX_ROLE_NAME) {
    throw badRequest(`Role name must be at most ${MAX_ROLE_NAME} characters, but got ${name.length}: ${name}`);
  }
  if (description !== undefined && description.length > MAX_ROLE_DESCRIPTION) {
    throw badRequest(`Role description must be at most ${MAX_ROLE_DESCRIPTION} characters, but got ${description.length}.`);
  }
}

/** A role of the token's Org named in the path, or 400. */
function pathRole(ctx: Ctx): RoleRec {
  const identifier = ctx.params['role_identifier'] ?? '';
  checkPathIdentifier('role', identifier);
  const role = findRoleIn(tokenOrg(ctx), identifier);
  if (role === undefined) throw invalidIdentifiers('role', [identifier]);
  return role;
}

/**
 * `roles/search`: unpaged. `org_identifiers` omitted → the token's Org; other Orgs only for a Primary cluster admin
 * (anyone else silently sees their own Org only). `group_identifiers` → roles assigned to those groups (§11.5).
 */
const searchRoles: Handler<EmulatorState> = (ctx) => {
  requireRbac(ctx);
  requirePrivilege(ctx, ROLE_ADMIN_PRIVILEGES, 'search roles');
  const state = ctx.state;
  const body = ctx.body;
  const own = tokenOrg(ctx);
  let orgs: OrgRec[] = [own];
  const orgIdentifiers = strings(body, 'org_identifiers');
  if (orgIdentifiers !== undefined) {
    const admin = isPrimaryClusterAdmin(ctx);
    const found = new Map<number, OrgRec>();
    for (const identifier of orgIdentifiers) {
      const org = findOrg(state, identifier);
      if (org !== undefined && (admin || org.id === own.id)) found.set(org.id, org);
    }
    orgs = [...found.values()].sort((a, b) => a.id - b.id);
  }
  let roles: RoleRec[] = [];
  for (const org of orgs) roles.push(...org.roles.values());
  const roleIdentifiers = strings(body, 'role_identifiers');
  if (roleIdentifiers !== undefined) {
    const wanted = new Set(roleIdentifiers);
    roles = roles.filter((r) => wanted.has(r.id) || wanted.has(r.name));
  }
  const groupIdentifiers = strings(body, 'group_identifiers');
  if (groupIdentifiers !== undefined) {
    const wanted = new Set(groupIdentifiers);
    const held = new Set<string>();
    for (const org of orgs) {
      for (const group of org.groups.values()) {
        if (wanted.has(group.id) || wanted.has(group.name)) for (const roleId of group.roleIds) held.add(roleId);
      }
    }
    roles = roles.filter((r) => held.has(r.id));
  }
  const privileges = strings(body, 'privileges');
  if (privileges !== undefined) {
    const typo = new Map(Object.entries(SEARCH_SPELLING).map(([right, wrong]) => [wrong, right]));
    const wanted = privileges.map((p) => typo.get(p) ?? p);
    roles = roles.filter((r) => wanted.some((p) => r.privileges.has(p)));
  }
  const permissions = strings(body, 'permissions');
  if (permissions !== undefined) {
    roles = roles.filter((r) => permissions.includes(r.readOnly ? 'READ_ONLY' : 'MODIFY'));
  }
  // Private: no emulated role is deprecated, external or shared via a connection, so these flags keep every role
  // when false and none when true.
  for (const flag of ['deprecated', 'external', 'shared_via_connection'] as const) {
    if (optBool(body, flag) === true) roles = [];
  }
  roles.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
  return { status: 200, body: state.wire.rows(state, ctx.fidelity, roles, 'role search', (r) => serializeRole(state, r, true)) };
};

/** `roles/create`: a role in the token's Org; `read_only: true` makes it immutable (§11.5). */
const createRole: Handler<EmulatorState> = (ctx) => {
  requireRbac(ctx);
  const caller = requirePrivilege(ctx, ROLE_ADMIN_PRIVILEGES, 'create roles');
  const org = tokenOrg(ctx);
  const name = requiredText(ctx.body, 'name');
  const description = str(ctx.body, 'description');
  checkRoleText(name, description);
  if (org.rolesByName.has(name)) throw badRequest(`Role with name ${name} already exists`);
  const role = ctx.state.createRole(org, {
    name,
    description: description ?? '',
    privileges: strings(ctx.body, 'privileges') ?? [],
    readOnly: ctx.body['read_only'] === true,
    at: now(ctx),
    authorId: caller.id,
  });
  return { status: 200, body: serializeRole(ctx.state, role) };
};

/**
 * `roles/{id}/update`: `name` is required; `privileges`, when given, replace the role's set (§16 Q13). Read-only
 * roles are refused with 400. Returns the role (200, unlike the other updates).
 */
const updateRole: Handler<EmulatorState> = (ctx) => {
  requireRbac(ctx);
  const caller = requirePrivilege(ctx, ROLE_ADMIN_PRIVILEGES, 'update roles');
  const role = pathRole(ctx);
  if (role.readOnly) throw badRequest(`Role ${role.name} is read-only and cannot be updated.`);
  const org = tokenOrg(ctx);
  const name = requiredText(ctx.body, 'name');
  const description = str(ctx.body, 'description');
  checkRoleText(name, description);
  if (name !== role.name && org.rolesByName.has(name)) throw badRequest(`Role with name ${name} already exists`);
  ctx.state.renameRole(role, name);
  if (description !== undefined) role.description = description;
  const privileges = strings(ctx.body, 'privileges');
  if (privileges !== undefined) role.privileges = new Set(privileges);
  role.modifiedAt = now(ctx);
  role.modifierId = caller.id;
  ctx.state.changed();
  return { status: 200, body: serializeRole(ctx.state, role) };
};

/** `roles/{id}/delete`: unassigns the role from its groups (§16 Q13); read-only roles are refused with 400. */
const deleteRole: Handler<EmulatorState> = (ctx) => {
  requireRbac(ctx);
  requirePrivilege(ctx, ROLE_ADMIN_PRIVILEGES, 'delete roles');
  const role = pathRole(ctx);
  if (role.readOnly) throw badRequest(`Role ${role.name} is read-only and cannot be deleted.`);
  ctx.state.deleteRole(role);
  return { status: 204 };
};

/** Handlers of the Roles tag, keyed by contract endpoint id. */
export const roleHandlers: Readonly<Record<string, Handler<EmulatorState>>> = {
  'POST /api/rest/2.0/roles/search': searchRoles,
  'POST /api/rest/2.0/roles/create': createRole,
  'POST /api/rest/2.0/roles/{role_identifier}/update': updateRole,
  'POST /api/rest/2.0/roles/{role_identifier}/delete': deleteRole,
};
