// Internal to src/emulator/handlers: the Users tag: search, create, update, delete, deactivate/activate, import,
// force-logout and the two password endpoints (CONTRACT.md §5, §8, §11.2).

import type { Handler } from '../types.js';
import { badRequest } from '../types.js';
import type { EmulatorState } from '../domain/state.js';
import type { AccountStatus, AccountType, Favorite, GroupRec, OrgRec, UserRec, Visibility } from '../domain/model.js';
import { PRIMARY_ORG_ID, PROTECTED_USERNAMES, USER_ADMIN_PRIVILEGES } from '../domain/model.js';
import { randomSecret } from '../domain/ids.js';
import {
  checkPathIdentifier,
  findGroupIn,
  findGroupsIn,
  findOrg,
  findOrgs,
  findRoleIn,
  findUser,
  findUsers,
  invalidIdentifiers,
} from '../domain/resolve.js';
import { serializeUser } from '../domain/serialize.js';
import type { Ctx, Operation } from './common.js';
import {
  bool,
  callerOf,
  checkPassword,
  denied,
  diff,
  intersects,
  isPrimaryClusterAdmin,
  namePatternOf,
  now,
  obj,
  objects,
  operationOf,
  optBool,
  optionalText,
  pageOf,
  pageThrough,
  requiredText,
  requirePrivilege,
  sortOf,
  str,
  strings,
  tokenOrg,
  userView,
} from './common.js';

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

/** A user that the caller can address: a member of the token's Org, or anyone for a Primary cluster admin. */
function visibleUser(ctx: Ctx, identifier: string): UserRec {
  const user = findUser(ctx.state, identifier, ctx.fidelity);
  if (user === undefined || (!user.orgIds.has(tokenOrg(ctx).id) && !isPrimaryClusterAdmin(ctx))) {
    throw invalidIdentifiers('user', [identifier]);
  }
  return user;
}

/** The well-known principals are protected from deletion, deactivation and renaming. */
function checkNotProtected(user: UserRec, action: string): void {
  if (PROTECTED_USERNAMES.has(user.name) || user.systemUser || user.superUser) {
    throw badRequest(`User ${user.name} is a system principal and cannot be ${action}.`);
  }
}

/**
 * Orgs named in `org_identifiers`. Only cluster admins calling from the Primary Org may move users between Orgs
 * (CONTRACT.md §16 Q18); naming just the token's own Org is harmless and allowed to anyone.
 */
function orgsFor(ctx: Ctx, identifiers: readonly string[] | undefined): OrgRec[] | undefined {
  if (identifiers === undefined) return undefined;
  const orgs = findOrgs(ctx.state, identifiers);
  const own = tokenOrg(ctx).id;
  if (orgs.some((o) => o.id !== own) && !isPrimaryClusterAdmin(ctx)) {
    throw denied(ctx, 'Only cluster administrators calling from the Primary Org may change org_identifiers.');
  }
  return orgs;
}

/** `favorite_metadata` input items. */
function favoritesOf(body: Record<string, unknown>): Favorite[] | undefined {
  const items = objects(body, 'favorite_metadata');
  if (items === undefined) return undefined;
  const out: Favorite[] = [];
  for (const item of items) {
    const identifier = item['identifier'];
    if (typeof identifier !== 'string' || identifier === '') {
      throw badRequest('favorite_metadata items need a non-empty identifier.');
    }
    out.push({ identifier, type: item['type'] === 'ANSWER' ? 'ANSWER' : 'LIVEBOARD' });
  }
  return out;
}

/** Applies an operation to a user's favourites, keyed by identifier and type. */
function applyFavorites(user: UserRec, given: Favorite[], operation: Operation): void {
  const key = (f: Favorite): string => `${f.type}|${f.identifier}`;
  const byKey = new Map(user.favorites.map((f) => [key(f), f]));
  const givenByKey = new Map(given.map((f) => [key(f), f]));
  const { add, remove } = diff(byKey.keys(), [...givenByKey.keys()], operation);
  for (const k of remove) byKey.delete(k);
  for (const k of add) byKey.set(k, givenByKey.get(k) as Favorite);
  user.favorites = [...byKey.values()];
}

/** Scalar fields shared by create, update and import. Present fields overwrite, absent ones are left alone. */
function applyScalars(user: UserRec, body: Record<string, unknown>): boolean {
  let changed = false;
  const set = <K extends keyof UserRec>(key: K, value: UserRec[K] | undefined): void => {
    if (value !== undefined && user[key] !== value) {
      user[key] = value;
      changed = true;
    }
  };
  set('displayName', str(body, 'display_name'));
  set('email', str(body, 'email'));
  set('visibility', str(body, 'visibility') as Visibility | undefined);
  set('accountType', str(body, 'account_type') as AccountType | undefined);
  set('accountStatus', str(body, 'account_status') as AccountStatus | undefined);
  set('notifyOnShare', optBool(body, 'notify_on_share'));
  set('showOnboardingExperience', optBool(body, 'show_onboarding_experience'));
  set('onboardingExperienceCompleted', optBool(body, 'onboarding_experience_completed'));
  set('preferredLocale', str(body, 'preferred_locale'));
  set('useBrowserLanguage', optBool(body, 'use_browser_language'));
  set('homeLiveboard', str(body, 'home_liveboard_identifier'));
  const props = obj(body, 'extended_properties');
  if (props !== undefined) {
    user.extendedProperties = props;
    changed = true;
  }
  const prefs = obj(body, 'extended_preferences');
  if (prefs !== undefined) {
    user.extendedPreferences = prefs;
    changed = true;
  }
  return changed;
}

/** Sets a user's direct groups in one Org per operation. The implicit `All` is never added or removed (§8.1). */
function applyGroups(ctx: Ctx, user: UserRec, org: OrgRec, groups: readonly GroupRec[], operation: Operation): void {
  const state = ctx.state;
  const explicit = groups.filter((g) => g.builtIn !== 'ALL');
  if (explicit.length > 0 && operation !== 'REMOVE' && !user.orgIds.has(org.id)) {
    throw badRequest(`User ${user.name} is not a member of Org ${org.id} (${org.name}), so cannot join its groups.`);
  }
  const current = state.directGroups(user, org.id).map((g) => g.id);
  const { add, remove } = diff(current, explicit.map((g) => g.id), operation);
  for (const id of remove) state.removeGroupMember(state.groups.get(id) as GroupRec, user);
  for (const id of add) state.addGroupMember(state.groups.get(id) as GroupRec, user);
}

/** The well-known principals must stay in the Primary Org. */
function checkOrgRemovals(user: UserRec, removed: readonly number[]): void {
  if (removed.includes(PRIMARY_ORG_ID) && (PROTECTED_USERNAMES.has(user.name) || user.hidden)) {
    throw badRequest(`User ${user.name} is a system principal and cannot leave the Primary Org.`);
  }
}

// ---------------------------------------------------------------- search

/**
 * `users/search`: members of the token's Org only (CONTRACT.md §16 Q17), filtered (arrays OR-ed inside, AND-ed
 * across), sorted (default NAME ASC, §16 Q19) and paged over a cached sorted list.
 */
const searchUsers: Handler<EmulatorState> = (ctx) => {
  const state = ctx.state;
  const body = ctx.body;
  const org = tokenOrg(ctx);
  const page = pageOf(ctx);
  const { field, descending } = sortOf(ctx);
  const accept: ((u: UserRec) => boolean)[] = [];
  let base: readonly UserRec[];
  const identifier = str(body, 'user_identifier');
  if (identifier !== undefined) {
    // A single identifier yields at most one row; a non-matching one yields [] (§16 Q8).
    const user = findUser(state, identifier, ctx.fidelity);
    base = user !== undefined && org.members.has(user.id) ? [user] : [];
  } else {
    base = state.sortedOrgMembers(org.id, field);
  }
  const displayName = str(body, 'display_name');
  if (displayName !== undefined) {
    const wanted = displayName.toLowerCase();
    accept.push((u) => u.displayName.toLowerCase() === wanted);
  }
  const match = namePatternOf(ctx);
  if (match !== undefined) accept.push((u) => match(u.name));
  const email = str(body, 'email');
  if (email !== undefined) {
    const wanted = email.toLowerCase();
    accept.push((u) => u.email !== null && u.email.toLowerCase() === wanted);
  }
  const visibility = str(body, 'visibility');
  if (visibility !== undefined) accept.push((u) => u.visibility === visibility);
  const accountType = str(body, 'account_type');
  if (accountType !== undefined) accept.push((u) => u.accountType === accountType);
  const accountStatus = str(body, 'account_status');
  if (accountStatus !== undefined) accept.push((u) => u.accountStatus === accountStatus);
  const notify = optBool(body, 'notify_on_share');
  if (notify !== undefined) accept.push((u) => u.notifyOnShare === notify);
  const showOnboarding = optBool(body, 'show_onboarding_experience');
  if (showOnboarding !== undefined) accept.push((u) => u.showOnboardingExperience === showOnboarding);
  const onboarded = optBool(body, 'onboarding_experience_completed');
  if (onboarded !== undefined) accept.push((u) => u.onboardingExperienceCompleted === onboarded);
  const home = str(body, 'home_liveboard_identifier');
  if (home !== undefined) accept.push((u) => u.homeLiveboard === home);
  const groupIdentifiers = strings(body, 'group_identifiers');
  if (groupIdentifiers !== undefined) {
    // Filters name groups of the token's Org; unknown ones match nobody. `All` matches every member.
    const ids = new Set<string>();
    let everyone = false;
    for (const identifier of groupIdentifiers) {
      const group = findGroupIn(org, identifier);
      if (group === undefined) continue;
      if (group.builtIn === 'ALL') everyone = true;
      ids.add(group.id);
    }
    if (!everyone) accept.push((u) => intersects(u.groupIds, ids));
  }
  const privileges = strings(body, 'privileges');
  if (privileges !== undefined) {
    accept.push((u) => {
      const held = state.effectivePrivileges(u, org.id);
      return privileges.some((p) => held.includes(p));
    });
  }
  const orgIdentifiers = strings(body, 'org_identifiers');
  if (orgIdentifiers !== undefined) {
    const ids = new Set<number>();
    for (const identifier of orgIdentifiers) {
      const o = findOrg(state, identifier);
      if (o !== undefined) ids.add(o.id);
    }
    accept.push((u) => intersects(u.orgIds, ids));
  }
  const roleIdentifiers = strings(body, 'role_identifiers');
  if (roleIdentifiers !== undefined) {
    const ids = new Set<string>();
    for (const identifier of roleIdentifiers) {
      const role = findRoleIn(org, identifier);
      if (role !== undefined) ids.add(role.id);
    }
    accept.push((u) => intersects(state.effectiveRoles(u, org.id), ids));
  }
  const favorites = favoritesOf(body);
  if (favorites !== undefined) {
    accept.push((u) => u.favorites.some((f) => favorites.some((w) => w.identifier === f.identifier)));
  }
  const rows = pageThrough(base, descending, page, accept.length === 0 ? null : (u) => accept.every((test) => test(u)));
  const view = userView(ctx, {
    includeFavorites: bool(body, 'include_favorite_metadata', false),
    includeVariables: bool(body, 'include_variable_values', false),
  });
  return { status: 200, body: state.wire.rows(state, ctx.fidelity, rows, `user ${JSON.stringify(view)}`, (u) => serializeUser(state, u, view)) };
};

// ---------------------------------------------------------------- create, update, delete

/** `users/create`: a user in the token's Org (plus `org_identifiers`), always in `All`; returns the User. */
const createUser: Handler<EmulatorState> = (ctx) => {
  const state = ctx.state;
  const caller = requirePrivilege(ctx, USER_ADMIN_PRIVILEGES, 'create users');
  const body = ctx.body;
  const name = requiredText(body, 'name');
  const displayName = requiredText(body, 'display_name');
  const email = requiredText(body, 'email');
  if (state.usernameTaken(name)) throw badRequest(`User with name ${name} already exists`);
  const password = str(body, 'password');
  if (password !== undefined) checkPassword(ctx, password);
  const org = tokenOrg(ctx);
  const orgs = orgsFor(ctx, strings(body, 'org_identifiers')) ?? [];
  const groupIdentifiers = strings(body, 'group_identifiers');
  const groups = groupIdentifiers === undefined ? [] : findGroupsIn(org, groupIdentifiers);
  const favorites = favoritesOf(body);
  const at = now(ctx);
  const user = state.insertUser({ name, displayName, email, password: password ?? null, at, authorId: caller.id });
  applyScalars(user, body);
  if (favorites !== undefined) user.favorites = favorites;
  state.addUserToOrg(user, org.id);
  for (const o of orgs) state.addUserToOrg(user, o.id);
  applyGroups(ctx, user, org, groups, 'ADD');
  return { status: 200, body: serializeUser(state, user, userView(ctx)) };
};

/**
 * `users/{id}/update`: scalars present are overwritten; `group_identifiers`, `org_identifiers` and
 * `favorite_metadata` follow one `operation` (default REPLACE); absent lists are untouched; `{}` is a no-op (§8.1).
 */
const updateUser: Handler<EmulatorState> = (ctx) => {
  const state = ctx.state;
  const caller = requirePrivilege(ctx, USER_ADMIN_PRIVILEGES, 'update users');
  const identifier = ctx.params['user_identifier'] ?? '';
  checkPathIdentifier('user', identifier);
  const user = visibleUser(ctx, identifier);
  const body = ctx.body;
  const operation = operationOf(ctx, 'REPLACE');
  const org = tokenOrg(ctx);
  const name = optionalText(body, 'name');
  if (name !== undefined && name !== user.name) {
    checkNotProtected(user, 'renamed');
    if (state.usernameTaken(name, user)) throw badRequest(`User with name ${name} already exists`);
  }
  for (const key of ['display_name', 'email'] as const) optionalText(body, key);
  const groupIdentifiers = strings(body, 'group_identifiers');
  const groups = groupIdentifiers === undefined ? undefined : findGroupsIn(org, groupIdentifiers);
  const orgs = orgsFor(ctx, strings(body, 'org_identifiers'));
  const favorites = favoritesOf(body);
  let orgChange: { add: number[]; remove: number[] } | undefined;
  if (orgs !== undefined) {
    orgChange = diff(user.orgIds, orgs.map((o) => o.id), operation);
    checkOrgRemovals(user, orgChange.remove);
  }
  if (groups !== undefined && groups.some((g) => g.builtIn !== 'ALL') && operation !== 'REMOVE') {
    const willBeMember = user.orgIds.has(org.id) || (orgChange?.add.includes(org.id) ?? false);
    const willLeave = orgChange?.remove.includes(org.id) ?? false;
    if (!willBeMember || willLeave) {
      throw badRequest(`User ${user.name} is not a member of Org ${org.id} (${org.name}), so cannot join its groups.`);
    }
  }
  let changed = false;
  if (name !== undefined && name !== user.name) {
    state.renameUser(user, name);
    changed = true;
  }
  if (applyScalars(user, body)) changed = true;
  if (favorites !== undefined) {
    applyFavorites(user, favorites, operation);
    changed = true;
  }
  if (orgChange !== undefined) for (const id of orgChange.add) state.addUserToOrg(user, id);
  if (groups !== undefined) {
    applyGroups(ctx, user, org, groups, operation);
    changed = true;
  }
  if (orgChange !== undefined) {
    for (const id of orgChange.remove) state.removeUserFromOrg(user, id);
    changed = true;
  }
  if (changed) state.touchUser(user, now(ctx), caller.id);
  return { status: 204 };
};

/** `users/{id}/delete`: removes the user from the whole cluster (§11.2). */
const deleteUser: Handler<EmulatorState> = (ctx) => {
  requirePrivilege(ctx, USER_ADMIN_PRIVILEGES, 'delete users');
  const identifier = ctx.params['user_identifier'] ?? '';
  checkPathIdentifier('user', identifier);
  const user = visibleUser(ctx, identifier);
  checkNotProtected(user, 'deleted');
  ctx.state.deleteUser(user);
  return { status: 204 };
};

// ---------------------------------------------------------------- deactivate, activate

/**
 * `users/deactivate`: status INACTIVE, tokens and sessions end, and a one-off activation link valid
 * `fidelity.activationLinkValidityDays` days is returned (`<base_url>/#/activate?id=<guid>&token=<token>`, §11.2).
 */
const deactivateUser: Handler<EmulatorState> = (ctx) => {
  const state = ctx.state;
  const caller = requirePrivilege(ctx, USER_ADMIN_PRIVILEGES, 'deactivate users');
  const user = visibleUser(ctx, requiredText(ctx.body, 'user_identifier'));
  const baseUrl = requiredText(ctx.body, 'base_url').replace(/\/+$/, '');
  checkNotProtected(user, 'deactivated');
  const token = randomSecret(24);
  const at = now(ctx);
  state.activations.set(user.id, { token, expiresAt: at + ctx.fidelity.activationLinkValidityDays * ONE_DAY_MS });
  user.accountStatus = 'INACTIVE';
  state.revokeUserTokens(user.id);
  state.endUserSessions(user.id);
  state.touchUser(user, at, caller.id);
  return { status: 200, body: { activation_link: `${baseUrl}/#/activate?id=${user.id}&token=${token}` } };
};

/**
 * Decodes `properties` of `users/activate`: in v1 a base64-encoded JSON object of user properties; `email` and
 * `display_name` (or `displayName`) are applied.
 */
function applyActivationProperties(user: UserRec, properties: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(properties, 'base64').toString('utf8'));
  } catch {
    throw badRequest('properties must be a base64-encoded JSON object, but it could not be decoded.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('properties must be a base64-encoded JSON object.');
  }
  const record = parsed as Record<string, unknown>;
  const email = record['email'] ?? record['mail'];
  if (typeof email === 'string') user.email = email;
  const displayName = record['display_name'] ?? record['displayName'];
  if (typeof displayName === 'string' && displayName !== '') user.displayName = displayName;
}

/** `users/activate`: consumes the one-off token of the activation link, sets the password, ACTIVE again. */
const activateUser: Handler<EmulatorState> = (ctx) => {
  const state = ctx.state;
  const caller = requirePrivilege(ctx, USER_ADMIN_PRIVILEGES, 'activate users');
  const user = visibleUser(ctx, requiredText(ctx.body, 'user_identifier'));
  const authToken = requiredText(ctx.body, 'auth_token');
  const password = str(ctx.body, 'password') ?? '';
  const pending = state.activations.get(user.id);
  const at = now(ctx);
  if (pending === undefined || pending.token !== authToken || at >= pending.expiresAt) {
    throw badRequest(`The activation token for ${user.name} is invalid, expired or already used.`);
  }
  checkPassword(ctx, password);
  const properties = str(ctx.body, 'properties');
  if (properties !== undefined && properties !== '') applyActivationProperties(user, properties);
  state.activations.delete(user.id);
  user.password = password;
  user.accountStatus = 'ACTIVE';
  state.touchUser(user, at, caller.id);
  return { status: 200, body: serializeUser(state, user, userView(ctx)) };
};

// ---------------------------------------------------------------- import

interface ImportPlan {
  readonly item: Record<string, unknown>;
  readonly identifier: string;
  readonly existing: UserRec | undefined;
  readonly groups: GroupRec[] | undefined;
  readonly orgs: OrgRec[] | undefined;
  readonly password: string | undefined;
  readonly favorites: Favorite[] | undefined;
}

/**
 * `users/import`: upsert a list of users in the token's Org. `dry_run` defaults to TRUE and then nothing changes
 * (§11.2). Everything is validated before anything is written, so a failing import changes nothing either.
 * `delete_unspecified_users` considers members of the token's Org only (§16 Q11) and never the well-known principals
 * or the caller; users who also belong to other Orgs just leave this one.
 */
const importUsers: Handler<EmulatorState> = (ctx) => {
  const state = ctx.state;
  const caller = requirePrivilege(ctx, USER_ADMIN_PRIVILEGES, 'import users');
  const org = tokenOrg(ctx);
  const items = objects(ctx.body, 'users') ?? [];
  const dryRun = bool(ctx.body, 'dry_run', true);
  const deleteUnspecified = bool(ctx.body, 'delete_unspecified_users', false);
  const defaultPasswordRaw = str(ctx.body, 'default_password');
  const defaultPassword = defaultPasswordRaw === '' ? undefined : defaultPasswordRaw;
  if (defaultPassword !== undefined) checkPassword(ctx, defaultPassword, 'default_password');
  const plans: ImportPlan[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const label = `users[${index}]`;
    const identifier = str(item, 'user_identifier') ?? '';
    if (identifier.trim() === '') throw badRequest(`${label}.user_identifier must be a non-empty string.`);
    if ((str(item, 'display_name') ?? '').trim() === '') {
      throw badRequest(`${label}.display_name must be a non-empty string.`);
    }
    const existing = findUser(state, identifier, ctx.fidelity);
    const key = existing?.id ?? identifier.toLowerCase();
    if (seen.has(key)) throw badRequest(`${label}: user ${identifier} appears more than once in the import.`);
    seen.add(key);
    if (existing === undefined && state.usernameTaken(identifier)) {
      throw badRequest(`User with name ${identifier} already exists`);
    }
    const groupIdentifiers = strings(item, 'group_identifiers');
    const itemPassword = str(item, 'password');
    if (itemPassword !== undefined && itemPassword !== '') checkPassword(ctx, itemPassword, `${label}.password`);
    const password = itemPassword !== undefined && itemPassword !== '' ? itemPassword : undefined;
    const accountType = str(item, 'account_type') ?? existing?.accountType ?? 'LOCAL_USER';
    if (existing === undefined && accountType === 'LOCAL_USER' && (password ?? defaultPassword) === undefined) {
      // New local users need a password to log in; ThoughtSpot's own test vector 443 expects this to fail (§11.2).
      throw badRequest(`${label}: new user ${identifier} needs a password: give password or default_password.`);
    }
    plans.push({
      item,
      identifier,
      existing,
      groups: groupIdentifiers === undefined ? undefined : findGroupsIn(org, groupIdentifiers),
      orgs: orgsFor(ctx, strings(item, 'org_identifiers')),
      password: existing === undefined ? (password ?? defaultPassword) : password,
      favorites: favoritesOf(item),
    });
  });
  const listed = new Set(plans.map((p) => p.existing?.id).filter((id): id is string => id !== undefined));
  const deletions: UserRec[] = [];
  if (deleteUnspecified) {
    for (const user of state.sortedOrgMembers(org.id, 'NAME')) {
      if (listed.has(user.id) || user.id === caller.id || PROTECTED_USERNAMES.has(user.name) || user.hidden) continue;
      deletions.push(user);
    }
  }
  const added: { id?: string; name: string }[] = [];
  const updated: { id?: string; name: string }[] = [];
  const deleted = deletions.map((u) => ({ id: u.id, name: u.name }));
  const at = now(ctx);
  for (const plan of plans) {
    if (dryRun) {
      if (plan.existing === undefined) added.push({ name: plan.identifier });
      else updated.push({ id: plan.existing.id, name: plan.existing.name });
      continue;
    }
    let user = plan.existing;
    if (user === undefined) {
      user = state.insertUser({
        name: plan.identifier,
        displayName: str(plan.item, 'display_name') ?? plan.identifier,
        password: plan.password ?? null,
        at,
        authorId: caller.id,
      });
      added.push({ id: user.id, name: user.name });
    } else {
      if (plan.password !== undefined) user.password = plan.password;
      updated.push({ id: user.id, name: user.name });
    }
    applyScalars(user, plan.item);
    if (plan.favorites !== undefined) user.favorites = plan.favorites;
    state.addUserToOrg(user, org.id);
    for (const o of plan.orgs ?? []) state.addUserToOrg(user, o.id);
    if (plan.groups !== undefined) applyGroups(ctx, user, org, plan.groups, 'REPLACE');
    state.touchUser(user, at, caller.id);
  }
  if (!dryRun) {
    for (const user of deletions) {
      if (user.orgIds.size <= 1) state.deleteUser(user);
      else state.removeUserFromOrg(user, org.id);
    }
  }
  return { status: 200, body: { users_added: added, users_updated: updated, users_deleted: deleted } };
};

// ---------------------------------------------------------------- sessions and passwords

/**
 * `users/force-logout`: the listed users, or every user of the cluster when `user_identifiers` is absent or null
 * (CONTRACT.md §2.3, §11.2; contract.ts marks the field nullable to let null through). The caller is one of
 * "every user", so its own token stops working too. An empty list names nobody and logs nobody out: only null and
 * absence are documented to mean everyone. Sessions always end; bearer tokens too with
 * `fidelity.logoutRevokesTokens` (§16 Q7).
 */
const forceLogout: Handler<EmulatorState> = (ctx) => {
  const state = ctx.state;
  requirePrivilege(ctx, USER_ADMIN_PRIVILEGES, 'force users to log out');
  const identifiers = strings(ctx.body, 'user_identifiers');
  if (identifiers === undefined) {
    state.endAllSessions();
    if (ctx.fidelity.logoutRevokesTokens) state.revokeAllTokens();
    return { status: 204 };
  }
  for (const user of findUsers(state, identifiers, ctx.fidelity)) {
    state.endUserSessions(user.id);
    if (ctx.fidelity.logoutRevokesTokens) state.revokeUserTokens(user.id);
  }
  return { status: 204 };
};

/** `users/reset-password`: an administrator sets a user's password. */
const resetPassword: Handler<EmulatorState> = (ctx) => {
  const caller = requirePrivilege(ctx, USER_ADMIN_PRIVILEGES, 'reset passwords');
  const user = visibleUser(ctx, requiredText(ctx.body, 'user_identifier'));
  const password = str(ctx.body, 'new_password') ?? '';
  checkPassword(ctx, password, 'new_password');
  user.password = password;
  ctx.state.touchUser(user, now(ctx), caller.id);
  return { status: 204 };
};

/**
 * `users/change-password`: a user changes their own password (an administrator may change anyone's). A wrong
 * `current_password` is 400 / 10002 (the contract is silent; the emulator treats it as a bad parameter).
 */
const changePassword: Handler<EmulatorState> = (ctx) => {
  const caller = callerOf(ctx);
  const identifier = requiredText(ctx.body, 'user_identifier');
  const user = findUser(ctx.state, identifier, ctx.fidelity);
  if (user === undefined) throw invalidIdentifiers('user', [identifier]);
  if (user.id !== caller.id) {
    requirePrivilege(ctx, USER_ADMIN_PRIVILEGES, "change another user's password");
    visibleUser(ctx, identifier);
  }
  const current = str(ctx.body, 'current_password') ?? '';
  if (user.password === null || user.password !== current) throw badRequest('current_password is incorrect.');
  const password = str(ctx.body, 'new_password') ?? '';
  checkPassword(ctx, password, 'new_password');
  user.password = password;
  ctx.state.touchUser(user, now(ctx), caller.id);
  return { status: 204 };
};

/** Handlers of the Users tag, keyed by contract endpoint id. */
export const userHandlers: Readonly<Record<string, Handler<EmulatorState>>> = {
  'POST /api/rest/2.0/users/search': searchUsers,
  'POST /api/rest/2.0/users/create': createUser,
  'POST /api/rest/2.0/users/{user_identifier}/update': updateUser,
  'POST /api/rest/2.0/users/{user_identifier}/delete': deleteUser,
  'POST /api/rest/2.0/users/deactivate': deactivateUser,
  'POST /api/rest/2.0/users/activate': activateUser,
  'POST /api/rest/2.0/users/import': importUsers,
  'POST /api/rest/2.0/users/force-logout': forceLogout,
  'POST /api/rest/2.0/users/reset-password': resetPassword,
  'POST /api/rest/2.0/users/change-password': changePassword,
};
