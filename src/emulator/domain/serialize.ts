// Internal to src/emulator: the one serializer per vendor object type. Every field of the contract's success schema is
// emitted (nullable ones as null), with the vendor's types: timestamps as integer epoch milliseconds, Org ids as
// integers on users (`Org`) and as strings on groups and roles (`UserGroup` / `GenericInfo`), CONTRACT.md §12.

import { PRIMARY_ORG_ID } from './model.js';
import type { GroupRec, OrgRec, RoleRec, TokenRec, UserRec } from './model.js';
import type { EmulatorState } from './state.js';

/** How a user is seen: from which Org, and which optional parts are filled in. */
export interface UserView {
  /** The Org of the caller's token: privileges and groups are computed there. */
  readonly orgId: number;
  /** Whether group lists span every Org of the user (a Primary-Org read with `primaryGroupSearchSpansOrgs`). */
  readonly spanOrgs: boolean;
  /** Whether the implicit `All` group is listed (`fidelity.listAllGroup`, §16 Q10). */
  readonly listAllGroup: boolean;
  readonly includeFavorites: boolean;
  readonly includeVariables: boolean;
  /** The Org to report as `current_org`; null reports the user's last-used Org. */
  readonly currentOrgId: number | null;
}

/** How a group is seen. */
export interface GroupView {
  readonly includeUsers: boolean;
  readonly includeSubGroups: boolean;
  readonly listAllGroup: boolean;
  readonly rbacEnabled: boolean;
}

function ref(rec: { id: string; name: string }): { id: string; name: string } {
  return { id: rec.id, name: rec.name };
}

function orgRef(org: OrgRec): { id: number; name: string } {
  return { id: org.id, name: org.name };
}

function orgRefString(org: OrgRec): { id: string; name: string } {
  return { id: String(org.id), name: org.name };
}

function mapToObject(map: Map<string, unknown[]> | undefined): Record<string, unknown[]> | null {
  if (map === undefined || map.size === 0) return null;
  return Object.fromEntries(map);
}

/** The Orgs whose groups a user view lists. */
function viewOrgs(state: EmulatorState, user: UserRec, view: UserView): number[] {
  if (view.spanOrgs) return [...user.orgIds].sort((a, b) => a - b);
  return user.orgIds.has(view.orgId) ? [view.orgId] : [];
}

/** `User` (users/search items, users/create, users/activate, auth/session/user). */
export function serializeUser(state: EmulatorState, user: UserRec, view: UserView): Record<string, unknown> {
  const orgIds = viewOrgs(state, user, view);
  const direct: { id: string; name: string }[] = [];
  const inherited: { id: string; name: string }[] = [];
  for (const orgId of orgIds) {
    const org = state.orgs.get(orgId);
    if (org === undefined) continue;
    const all = view.listAllGroup ? state.groups.get(org.allGroupId) : undefined;
    if (all !== undefined) direct.push(ref(all));
    for (const group of state.directGroups(user, orgId)) direct.push(ref(group));
    if (all !== undefined) inherited.push(ref(all));
    for (const group of state.groupClosure(user, orgId)) inherited.push(ref(group));
  }
  const orgs: { id: number; name: string }[] = [];
  for (const orgId of [...user.orgIds].sort((a, b) => a - b)) {
    const org = state.orgs.get(orgId);
    if (org !== undefined) orgs.push(orgRef(org));
  }
  const currentOrgId = view.currentOrgId ?? user.lastOrgId ?? (user.orgIds.has(PRIMARY_ORG_ID) ? PRIMARY_ORG_ID : orgs[0]?.id);
  const currentOrg = currentOrgId === undefined ? undefined : state.orgs.get(currentOrgId);
  const filterRules = user.filterRules.get(view.orgId);
  const parameterValues = user.parameterValues.get(view.orgId);
  const accessControl =
    filterRules === undefined && parameterValues === undefined
      ? null
      : { filter_rules: filterRules ?? [], parameter_values: mapToObject(parameterValues) ?? {} };
  return {
    id: user.id,
    name: user.name,
    display_name: user.displayName,
    visibility: user.visibility,
    author_id: user.authorId,
    can_change_password: user.accountType === 'LOCAL_USER' && !user.systemUser,
    complete_detail: true,
    creation_time_in_millis: user.createdAt,
    current_org: currentOrg === undefined ? null : orgRef(currentOrg),
    deleted: false,
    deprecated: false,
    account_type: user.accountType,
    account_status: user.accountStatus,
    email: user.email,
    expiration_time_in_millis: null,
    external: user.accountType !== 'LOCAL_USER',
    favorite_metadata: view.includeFavorites
      ? user.favorites.map((f) => ({ id: f.identifier, name: f.identifier, type: f.type }))
      : [],
    first_login_time_in_millis: user.firstLoginAt,
    group_mask: 0,
    hidden: user.hidden,
    home_liveboard: user.homeLiveboard === null ? null : { id: user.homeLiveboard, name: user.homeLiveboard },
    incomplete_details: null,
    is_first_login: user.firstLoginAt === null,
    modification_time_in_millis: user.modifiedAt,
    modifier_id: user.modifierId,
    notify_on_share: user.notifyOnShare,
    onboarding_experience_completed: user.onboardingExperienceCompleted,
    orgs,
    owner_id: user.id,
    parent_type: 'USER',
    privileges: [...state.effectivePrivileges(user, view.orgId)],
    show_onboarding_experience: user.showOnboardingExperience,
    super_user: user.superUser,
    system_user: user.systemUser,
    tags: [],
    tenant_id: null,
    user_groups: direct,
    user_inherited_groups: inherited,
    welcome_email_sent: false,
    org_privileges: null,
    preferred_locale: user.preferredLocale,
    use_browser_language: user.useBrowserLanguage,
    extended_properties: user.extendedProperties,
    extended_preferences: user.extendedPreferences,
    user_parameters: user.userParameters,
    access_control_properties: accessControl,
    variable_values: view.includeVariables ? (mapToObject(user.variableValues.get(view.orgId)) ?? {}) : null,
  };
}

/** Direct user members of a group as `{id, name}`, by name. `All` lists every Org member only when asked to. */
function groupMembers(state: EmulatorState, group: GroupRec, listAllGroup: boolean): { id: string; name: string }[] {
  const out: UserRec[] = [];
  if (group.builtIn === 'ALL') {
    if (listAllGroup) out.push(...state.sortedOrgMembers(group.orgId, 'NAME'));
    return out.map(ref);
  }
  for (const userId of group.userIds) {
    const user = state.users.get(userId);
    if (user !== undefined) out.push(user);
  }
  out.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));
  return out.map(ref);
}

function groupRefs(state: EmulatorState, ids: Iterable<string>): { id: string; name: string }[] {
  const out: GroupRec[] = [];
  for (const id of ids) {
    const group = state.groups.get(id);
    if (group !== undefined) out.push(group);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(ref);
}

/** `UserGroupResponse` (groups/search items, groups/create). */
export function serializeGroup(state: EmulatorState, group: GroupRec, view: GroupView): Record<string, unknown> {
  const org = state.orgs.get(group.orgId);
  const roles: { id: string; name: string }[] = [];
  for (const roleId of group.roleIds) {
    const role = state.roles.get(roleId);
    if (role !== undefined) roles.push(ref(role));
  }
  roles.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    author_id: group.authorId,
    complete_detail: true,
    content: null,
    creation_time_in_millis: group.createdAt,
    default_liveboards: group.defaultLiveboards.map((id) => ({ id, name: id })),
    deleted: false,
    deprecated: false,
    description: group.description,
    display_name: group.displayName,
    external: group.type === 'LDAP_GROUP',
    generation_number: group.generation,
    hidden: group.builtIn === 'SYSTEM',
    id: group.id,
    index: 0,
    index_version: group.generation,
    metadata_version: group.generation,
    modification_time_in_millis: group.modifiedAt,
    modifier_id: group.modifierId,
    name: group.name,
    orgs: org === undefined ? [] : [orgRefString(org)],
    owner_id: group.id,
    parent_type: 'GROUP',
    privileges: [...group.privileges].sort(),
    sub_groups: view.includeSubGroups ? groupRefs(state, group.subGroupIds) : [],
    system_group: group.builtIn !== null,
    tags: [],
    type: group.type,
    users: view.includeUsers ? groupMembers(state, group, view.listAllGroup) : [],
    visibility: group.visibility,
    roles: view.rbacEnabled ? roles : null,
  };
}

/** `OrgResponse` (orgs/search items, orgs/create). */
export function serializeOrg(org: OrgRec): Record<string, unknown> {
  return {
    id: org.id,
    name: org.name,
    status: org.status,
    description: org.description,
    visibility: org.visibility,
  };
}

/**
 * The spelling `roles/search` uses for `CAN_MODIFY_FOLDERS`: its enum (`P-ROLE-SEARCH`) only knows the typo
 * `CAN_MODIDY_FOLDERS` (CONTRACT.md §14.6), so search results and search filters use the typo while
 * `roles/create` and `roles/update` use the correct name.
 */
export const SEARCH_SPELLING: Readonly<Record<string, string>> = { CAN_MODIFY_FOLDERS: 'CAN_MODIDY_FOLDERS' };

/** `RoleResponse` / `SearchRoleResponse` (identical fields; `forSearch` applies the search enum's spelling). */
export function serializeRole(state: EmulatorState, role: RoleRec, forSearch = false): Record<string, unknown> {
  const org = state.orgs.get(role.orgId);
  const groups = state.groupsWithRole(role);
  return {
    id: role.id,
    name: role.name,
    description: role.description,
    groups_assigned_count: groups.length,
    orgs: org === undefined ? [] : [orgRefString(org)],
    groups: groups.map(ref),
    privileges: [...role.privileges].map((p) => (forSearch ? (SEARCH_SPELLING[p] ?? p) : p)).sort(),
    permission: role.readOnly ? 'READ_ONLY' : 'MODIFY',
    author_id: role.authorId,
    modifier_id: role.modifierId,
    creation_time_in_millis: role.createdAt,
    modification_time_in_millis: role.modifiedAt,
    deleted: false,
    deprecated: false,
    external: false,
    hidden: false,
    shared_via_connection: false,
  };
}

/** `Token` (auth/token/full, auth/token/object). */
export function serializeToken(rec: TokenRec, username: string): Record<string, unknown> {
  return {
    token: rec.token,
    creation_time_in_millis: rec.createdAt,
    expiration_time_in_millis: rec.expiresAt,
    scope: { access_type: rec.accessType, org_id: rec.orgId, metadata_id: rec.metadataId },
    valid_for_user_id: rec.userId,
    valid_for_username: username,
  };
}
