// Internal to src/thoughtspot: the users/* endpoints and `auth/session/user` (CONTRACT.md §11.2, §2.4): request bodies
// built from the camelCase inputs, responses read into UserRecord.

import { ACCOUNT_STATUSES, ACCOUNT_TYPES, VISIBILITIES, type ImportResult, type UserRecord, type Visibility } from './records.js';
import type { CallOptions, OrgScope, PageRequest, UserCreate, UserImport, UserSearch, UserUpdate } from './types.js';
import type { Pipeline } from './pipeline.js';
import {
  enumOrNull,
  expectObject,
  flag,
  optionalBoolean,
  optionalNumber,
  optionalString,
  orgRefList,
  orgRefOrNull,
  refList,
  requiredString,
  stringList,
  WireShapeError,
  describe,
} from './decode.js';
import { checkIdentifierList, checkOperation, checkPage, checkScope, pathIdentifier } from './request-checks.js';
import { deleteIdentified, orgCall, voidWrite } from './calls.js';
import { importResult, recordList, sortOptions, withoutUndefined } from './shared.js';

/** Contract endpoint ids (the emulator's call log and the adapter's events use them verbatim). */
export const USER_ENDPOINTS = {
  search: 'POST /api/rest/2.0/users/search',
  create: 'POST /api/rest/2.0/users/create',
  update: 'POST /api/rest/2.0/users/{user_identifier}/update',
  delete: 'POST /api/rest/2.0/users/{user_identifier}/delete',
  deactivate: 'POST /api/rest/2.0/users/deactivate',
  activate: 'POST /api/rest/2.0/users/activate',
  import: 'POST /api/rest/2.0/users/import',
  forceLogout: 'POST /api/rest/2.0/users/force-logout',
  resetPassword: 'POST /api/rest/2.0/users/reset-password',
  changePassword: 'POST /api/rest/2.0/users/change-password',
  currentUser: 'GET /api/rest/2.0/auth/session/user',
} as const;

/** Page size of `iterateUsers` when none is given. */
export const DEFAULT_ITERATION_PAGE_SIZE = 100;

/** Visibility is required on the wire; v1's `DEFAULT` meant sharable, and anything newer is read the same way. */
export function readVisibility(object: Record<string, unknown>): Visibility {
  return enumOrNull(object, 'visibility', VISIBILITIES) ?? 'SHARABLE';
}

/** Read one wire `User` into a record. */
export function toUserRecord(value: unknown, what = 'user'): UserRecord {
  const wire = expectObject(value, what);
  const id = requiredString(wire, 'id', what);
  const name = requiredString(wire, 'name', what);
  return {
    id,
    name,
    displayName: optionalString(wire, 'display_name', what) ?? name,
    email: optionalString(wire, 'email', what),
    accountType: enumOrNull(wire, 'account_type', ACCOUNT_TYPES),
    accountStatus: enumOrNull(wire, 'account_status', ACCOUNT_STATUSES),
    visibility: readVisibility(wire),
    orgs: orgRefList(wire, 'orgs', what),
    currentOrg: orgRefOrNull(wire, 'current_org', what),
    groups: refList(wire, 'user_groups', what),
    inheritedGroups: refList(wire, 'user_inherited_groups', what),
    privileges: stringList(wire, 'privileges', what),
    notifyOnShare: optionalBoolean(wire, 'notify_on_share', what),
    showOnboardingExperience: optionalBoolean(wire, 'show_onboarding_experience', what),
    onboardingExperienceCompleted: optionalBoolean(wire, 'onboarding_experience_completed', what),
    preferredLocale: optionalString(wire, 'preferred_locale', what),
    superUser: flag(wire, 'super_user', what),
    systemUser: flag(wire, 'system_user', what),
    external: flag(wire, 'external', what),
    hidden: flag(wire, 'hidden', what),
    authorId: optionalString(wire, 'author_id', what),
    createdAt: optionalNumber(wire, 'creation_time_in_millis', what),
    modifiedAt: optionalNumber(wire, 'modification_time_in_millis', what),
    firstLoginAt: optionalNumber(wire, 'first_login_time_in_millis', what),
  };
}

/** The `users/search` body. A sort is always sent: the default order is undocumented (CONTRACT.md §16 Q19). */
export function userSearchBody(query: UserSearch, page: { record_offset: number; record_size: number }): Record<string, unknown> {
  return withoutUndefined({
    user_identifier: query.identifier,
    display_name: query.displayName,
    name_pattern: query.namePattern,
    email: query.email,
    visibility: query.visibility,
    account_type: query.accountType,
    account_status: query.accountStatus,
    group_identifiers: query.groupIdentifiers,
    role_identifiers: query.roleIdentifiers,
    org_identifiers: query.orgIdentifiers,
    privileges: query.privileges,
    sort_options: sortOptions(query.sort),
    ...page,
  });
}

/** `users/search`: one page. */
export function searchUsers(
  pipeline: Pipeline,
  scope: OrgScope,
  query: UserSearch,
  page: PageRequest,
  options?: CallOptions,
): Promise<UserRecord[]> {
  const endpoint = USER_ENDPOINTS.search;
  const orgId = checkScope(endpoint, scope);
  return orgCall(pipeline, endpoint, orgId, {
    kind: 'read',
    body: userSearchBody(query, checkPage(endpoint, orgId, page)),
    decode: (json) => recordList(json, 'users/search response', toUserRecord),
    options,
  });
}

/** `users/create`. */
export function createUser(pipeline: Pipeline, scope: OrgScope, input: UserCreate, options?: CallOptions): Promise<UserRecord> {
  const endpoint = USER_ENDPOINTS.create;
  return orgCall(pipeline, endpoint, checkScope(endpoint, scope), {
    kind: 'write',
    body: withoutUndefined({
      name: input.name,
      display_name: input.displayName,
      email: input.email,
      password: input.password,
      account_type: input.accountType,
      account_status: input.accountStatus,
      visibility: input.visibility,
      org_identifiers: input.orgIdentifiers,
      group_identifiers: input.groupIdentifiers,
      notify_on_share: input.notifyOnShare,
      show_onboarding_experience: input.showOnboardingExperience,
      onboarding_experience_completed: input.onboardingExperienceCompleted,
      preferred_locale: input.preferredLocale,
      trigger_welcome_email: input.triggerWelcomeEmail,
      trigger_activation_email: input.triggerActivationEmail,
    }),
    secrets: [input.password],
    decode: (json) => toUserRecord(json, 'users/create response'),
    options,
  });
}

/** `users/{id}/update` (204). */
export function updateUser(pipeline: Pipeline, scope: OrgScope, identifier: string, input: UserUpdate, options?: CallOptions): Promise<void> {
  const endpoint = USER_ENDPOINTS.update;
  const orgId = checkScope(endpoint, scope);
  checkOperation(endpoint, orgId, input, ['groupIdentifiers', 'orgIdentifiers']);
  return voidWrite(pipeline, endpoint, orgId, {
    segment: pathIdentifier(endpoint, orgId, 'user identifier', identifier),
    body: withoutUndefined({
      name: input.name,
      display_name: input.displayName,
      email: input.email,
      visibility: input.visibility,
      account_status: input.accountStatus,
      account_type: input.accountType,
      group_identifiers: input.groupIdentifiers,
      org_identifiers: input.orgIdentifiers,
      notify_on_share: input.notifyOnShare,
      show_onboarding_experience: input.showOnboardingExperience,
      onboarding_experience_completed: input.onboardingExperienceCompleted,
      preferred_locale: input.preferredLocale,
      operation: input.operation,
    }),
    options,
  });
}

/** `users/{id}/delete` (204): removes the user from the whole cluster (CONTRACT.md §11.2). */
export function deleteUser(pipeline: Pipeline, scope: OrgScope, identifier: string, options?: CallOptions): Promise<void> {
  return deleteIdentified(pipeline, USER_ENDPOINTS.delete, scope, 'user identifier', identifier, options);
}

/** `users/deactivate`: returns the activation link (it carries a one-off token: treat it as a secret). */
export function deactivateUser(pipeline: Pipeline, scope: OrgScope, identifier: string, baseUrl: string, options?: CallOptions): Promise<string> {
  const endpoint = USER_ENDPOINTS.deactivate;
  const orgId = checkScope(endpoint, scope);
  pathIdentifier(endpoint, orgId, 'user identifier', identifier);
  return orgCall(pipeline, endpoint, orgId, {
    kind: 'write',
    body: { user_identifier: identifier, base_url: baseUrl },
    decode: (json) => {
      const link = expectObject(json, 'users/deactivate response')['activation_link'];
      if (typeof link !== 'string' || link === '') {
        throw new WireShapeError(`expected users/deactivate response.activation_link to be a non-empty string, but got: ${describe(link)}`);
      }
      return link;
    },
    options,
  });
}

/** `users/activate`: consumes the token from the activation link. */
export function activateUser(
  pipeline: Pipeline,
  scope: OrgScope,
  input: { identifier: string; authToken: string; password: string },
  options?: CallOptions,
): Promise<UserRecord> {
  const endpoint = USER_ENDPOINTS.activate;
  return orgCall(pipeline, endpoint, checkScope(endpoint, scope), {
    kind: 'write',
    body: { user_identifier: input.identifier, auth_token: input.authToken, password: input.password },
    secrets: [input.authToken, input.password],
    decode: (json) => toUserRecord(json, 'users/activate response'),
    options,
  });
}

/**
 * `users/import`. `dry_run` is always sent (ThoughtSpot defaults it to true, CONTRACT.md §11.2) and so is
 * `delete_unspecified_users`, so the request says exactly what it does. A dry run changes nothing, so it is retried
 * like a read.
 */
export function importUsers(pipeline: Pipeline, scope: OrgScope, input: UserImport, options?: CallOptions): Promise<ImportResult> {
  const endpoint = USER_ENDPOINTS.import;
  return orgCall(pipeline, endpoint, checkScope(endpoint, scope), {
    kind: input.dryRun ? 'read' : 'write',
    body: withoutUndefined({
      users: input.users.map((row) =>
        withoutUndefined({
          user_identifier: row.identifier,
          display_name: row.displayName,
          password: row.password,
          email: row.email,
          account_type: row.accountType,
          account_status: row.accountStatus,
          visibility: row.visibility,
          org_identifiers: row.orgIdentifiers,
          group_identifiers: row.groupIdentifiers,
        }),
      ),
      default_password: input.defaultPassword,
      dry_run: input.dryRun === true,
      delete_unspecified_users: input.deleteUnspecifiedUsers === true,
    }),
    secrets: [input.defaultPassword, ...input.users.map((row) => row.password)],
    decode: (json) => importResult(json, 'users', 'users/import response'),
    options,
  });
}

/** `users/force-logout` (204). An empty list would log out every user on the cluster, so it is refused. */
export function forceLogoutUsers(pipeline: Pipeline, scope: OrgScope, identifiers: readonly string[], options?: CallOptions): Promise<void> {
  const endpoint = USER_ENDPOINTS.forceLogout;
  const orgId = checkScope(endpoint, scope);
  checkIdentifierList(
    endpoint,
    orgId,
    'identifiers',
    identifiers,
    'without user_identifiers ThoughtSpot logs out every user on the cluster, which the adapter never does.',
  );
  return voidWrite(pipeline, endpoint, orgId, { body: { user_identifiers: [...identifiers] }, options });
}

/** `users/reset-password` (204): an administrator sets a new password. */
export function resetUserPassword(pipeline: Pipeline, scope: OrgScope, identifier: string, newPassword: string, options?: CallOptions): Promise<void> {
  const endpoint = USER_ENDPOINTS.resetPassword;
  return voidWrite(pipeline, endpoint, checkScope(endpoint, scope), {
    body: { user_identifier: identifier, new_password: newPassword },
    secrets: [newPassword],
    options,
  });
}

/** `users/change-password` (204): needs the current password. */
export function changeUserPassword(
  pipeline: Pipeline,
  scope: OrgScope,
  input: { identifier: string; currentPassword: string; newPassword: string },
  options?: CallOptions,
): Promise<void> {
  const endpoint = USER_ENDPOINTS.changePassword;
  return voidWrite(pipeline, endpoint, checkScope(endpoint, scope), {
    body: { user_identifier: input.identifier, current_password: input.currentPassword, new_password: input.newPassword },
    secrets: [input.currentPassword, input.newPassword],
    options,
  });
}

/** `GET auth/session/user`: the service account as ThoughtSpot sees it in this Org. */
export function getCurrentUser(pipeline: Pipeline, scope: OrgScope, options?: CallOptions): Promise<UserRecord> {
  const endpoint = USER_ENDPOINTS.currentUser;
  return orgCall(pipeline, endpoint, checkScope(endpoint, scope), {
    kind: 'read',
    decode: (json) => toUserRecord(json, 'auth/session/user response'),
    options,
  });
}
