// Internal to src/emulator/handlers: the Orgs tag. Org administration belongs to cluster administrators calling with
// a Primary-Org token (CONTRACT.md §3, §16 Q3); with the Orgs feature off every call fails (§15).

import type { Handler } from '../types.js';
import { badRequest } from '../types.js';
import type { EmulatorState } from '../domain/state.js';
import type { OrgRec, UserRec } from '../domain/model.js';
import { PRIMARY_ORG_ID, PROTECTED_USERNAMES } from '../domain/model.js';
import { checkPathIdentifier, findGroupsIn, findOrg, findUser, findUsers, invalidIdentifiers } from '../domain/resolve.js';
import { serializeOrg } from '../domain/serialize.js';
import type { Ctx } from './common.js';
import {
  callerOf,
  denied,
  diff,
  isPrimaryClusterAdmin,
  now,
  operationOf,
  requireOrgsFeature,
  requiredText,
  str,
  strings,
} from './common.js';

/** Longest Org name and description (v1 Org API rules, CONTRACT.md §3). */
const MAX_ORG_NAME = 48;
const MAX_ORG_DESCRIPTION = 124;

/** The Orgs feature must be on, and the caller a cluster admin with a Primary-Org token. */
function requireOrgAdmin(ctx: Ctx, action: string): UserRec {
  requireOrgsFeature(ctx);
  const caller = callerOf(ctx);
  if (!isPrimaryClusterAdmin(ctx)) {
    throw denied(ctx, `${caller.name} may not ${action}: it needs a cluster administrator's Primary-Org (0) token.`);
  }
  return caller;
}

/** Org names: unique (ignoring case), at most 48 characters, letters, digits and hyphens only (§3). */
function checkOrgName(ctx: Ctx, name: string, except?: OrgRec): void {
  if (name.length > MAX_ORG_NAME) {
    throw badRequest(`Org name must be at most ${MAX_ORG_NAME} characters, but got ${name.length}: ${name}`);
  }
  if (!/^[A-Za-z0-9-]+$/.test(name)) {
    throw badRequest(`Org name may contain only letters, digits and hyphens, but got: ${name}`);
  }
  const lower = name.toLowerCase();
  for (const org of ctx.state.orgs.values()) {
    if (org !== except && org.name.toLowerCase() === lower) throw badRequest(`Org with name ${name} already exists`);
  }
}

function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > MAX_ORG_DESCRIPTION) {
    throw badRequest(`Org description must be at most ${MAX_ORG_DESCRIPTION} characters, but got ${description.length}.`);
  }
}

/** An Org named in the path, or 400. */
function pathOrg(ctx: Ctx): OrgRec {
  const identifier = ctx.params['org_identifier'] ?? '';
  checkPathIdentifier('org', identifier);
  const org = findOrg(ctx.state, identifier);
  if (org === undefined) throw invalidIdentifiers('org', [identifier]);
  return org;
}

/** `orgs/search`: unpaged, by id; `user_identifiers` returns the Orgs those users belong to (§11.4). */
const searchOrgs: Handler<EmulatorState> = (ctx) => {
  requireOrgAdmin(ctx, 'search Orgs');
  const state = ctx.state;
  const body = ctx.body;
  let orgs = [...state.orgs.values()].sort((a, b) => a.id - b.id);
  const identifier = str(body, 'org_identifier');
  if (identifier !== undefined) {
    const org = findOrg(state, identifier);
    orgs = org === undefined ? [] : [org];
  }
  const description = str(body, 'description');
  if (description !== undefined) {
    const wanted = description.toLowerCase();
    orgs = orgs.filter((o) => (o.description ?? '').toLowerCase() === wanted);
  }
  const visibility = str(body, 'visibility');
  if (visibility !== undefined) orgs = orgs.filter((o) => o.visibility === visibility);
  const status = str(body, 'status');
  if (status !== undefined) orgs = orgs.filter((o) => o.status === status);
  const userIdentifiers = strings(body, 'user_identifiers');
  if (userIdentifiers !== undefined) {
    const ids = new Set<number>();
    for (const id of userIdentifiers) {
      const user = findUser(state, id, ctx.fidelity);
      if (user !== undefined) for (const orgId of user.orgIds) ids.add(orgId);
    }
    orgs = orgs.filter((o) => ids.has(o.id));
  }
  // Plain: an Org's five fields serialize faster than a cached wire form is looked up (see src/emulator/wire.ts).
  return { status: 200, body: orgs.map(serializeOrg) };
};

/** `orgs/create`: a new Org with a system-assigned integer id and its `All` and `Administrator` groups. */
const createOrg: Handler<EmulatorState> = (ctx) => {
  const caller = requireOrgAdmin(ctx, 'create Orgs');
  const name = requiredText(ctx.body, 'name');
  checkOrgName(ctx, name);
  const description = str(ctx.body, 'description');
  checkDescription(description);
  const org = ctx.state.createOrg({ name, description: description ?? null, at: now(ctx), authorId: caller.id });
  return { status: 200, body: serializeOrg(org) };
};

/**
 * `orgs/{id}/update`: name and description; `user_identifiers` (members) and `group_identifiers` (the Org's default
 * groups, which users joining the Org are put in) follow one `operation`, default ADD (§8.1).
 */
const updateOrg: Handler<EmulatorState> = (ctx) => {
  requireOrgAdmin(ctx, 'update Orgs');
  const state = ctx.state;
  const org = pathOrg(ctx);
  const body = ctx.body;
  const operation = operationOf(ctx, 'ADD');
  const name = str(body, 'name');
  if (name !== undefined && name !== org.name) {
    if (org.id === PRIMARY_ORG_ID) throw badRequest('The Primary Org cannot be renamed.');
    checkOrgName(ctx, name, org);
  }
  const description = str(body, 'description');
  checkDescription(description);
  const userIdentifiers = strings(body, 'user_identifiers');
  const users = userIdentifiers === undefined ? undefined : findUsers(state, userIdentifiers, ctx.fidelity);
  const groupIdentifiers = strings(body, 'group_identifiers');
  const groups = groupIdentifiers === undefined ? undefined : findGroupsIn(org, groupIdentifiers);
  const memberChange = users === undefined ? undefined : diff(org.members, users.map((u) => u.id), operation);
  if (memberChange !== undefined && org.id === PRIMARY_ORG_ID) {
    for (const id of memberChange.remove) {
      const user = state.users.get(id) as UserRec;
      if (PROTECTED_USERNAMES.has(user.name) || user.hidden) {
        throw badRequest(`User ${user.name} is a system principal and cannot leave the Primary Org.`);
      }
    }
  }
  if (name !== undefined) org.name = name;
  if (description !== undefined) org.description = description;
  if (groups !== undefined) {
    const { add, remove } = diff(org.defaultGroupIds, groups.filter((g) => g.builtIn !== 'ALL').map((g) => g.id), operation);
    for (const id of remove) org.defaultGroupIds.delete(id);
    for (const id of add) org.defaultGroupIds.add(id);
  }
  if (memberChange !== undefined) {
    for (const id of memberChange.add) state.addUserToOrg(state.users.get(id) as UserRec, org.id);
    for (const id of memberChange.remove) state.removeUserFromOrg(state.users.get(id) as UserRec, org.id);
  }
  org.modifiedAt = now(ctx);
  state.changed();
  return { status: 204 };
};

/** `orgs/{id}/delete`: the Org, its groups and roles, and users who belonged only to it; Primary is refused. */
const deleteOrg: Handler<EmulatorState> = (ctx) => {
  requireOrgAdmin(ctx, 'delete Orgs');
  const org = pathOrg(ctx);
  if (org.id === PRIMARY_ORG_ID) throw badRequest('The Primary Org cannot be deleted.');
  ctx.state.deleteOrg(org);
  return { status: 204 };
};

/** Handlers of the Orgs tag, keyed by contract endpoint id. */
export const orgHandlers: Readonly<Record<string, Handler<EmulatorState>>> = {
  'POST /api/rest/2.0/orgs/search': searchOrgs,
  'POST /api/rest/2.0/orgs/create': createOrg,
  'POST /api/rest/2.0/orgs/{org_identifier}/update': updateOrg,
  'POST /api/rest/2.0/orgs/{org_identifier}/delete': deleteOrg,
};
