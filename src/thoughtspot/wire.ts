// Internal to src/thoughtspot: ThoughtSpot's REST v2.0 wire shapes (snake_case), as src/emulator/contract.json and
// CONTRACT.md §11–§12 describe them. Response types mark every field optional and nullable whatever the schema says:
// real responses omit or null fields the schema calls required (CONTRACT.md §12), so the readers in the resource
// modules check each field they use.

/** `Object_ID_And_Name`, `UserGroup`, `GenericInfo`, `Role`: a reference by id and name. */
export interface RefWire {
  readonly id?: string | number | null;
  readonly name?: string | null;
}

/** `Org` on users: `{ id: int, name }`. */
export interface OrgWire {
  readonly id?: number | string | null;
  readonly name?: string | null;
}

/** `User` (users/search items, users/create, users/activate, auth/session/user). */
export interface UserWire {
  readonly id?: string | null;
  readonly name?: string | null;
  readonly display_name?: string | null;
  readonly visibility?: string | null;
  readonly author_id?: string | null;
  readonly creation_time_in_millis?: number | null;
  readonly modification_time_in_millis?: number | null;
  readonly first_login_time_in_millis?: number | null;
  readonly current_org?: OrgWire | null;
  readonly account_type?: string | null;
  readonly account_status?: string | null;
  readonly email?: string | null;
  readonly external?: boolean | null;
  readonly hidden?: boolean | null;
  readonly notify_on_share?: boolean | null;
  readonly onboarding_experience_completed?: boolean | null;
  readonly show_onboarding_experience?: boolean | null;
  readonly orgs?: readonly OrgWire[] | null;
  readonly privileges?: readonly string[] | null;
  readonly super_user?: boolean | null;
  readonly system_user?: boolean | null;
  readonly user_groups?: readonly RefWire[] | null;
  readonly user_inherited_groups?: readonly RefWire[] | null;
  readonly preferred_locale?: string | null;
}

/** `UserGroupResponse` (groups/search items, groups/create). */
export interface GroupWire {
  readonly id?: string | null;
  readonly name?: string | null;
  readonly display_name?: string | null;
  readonly description?: string | null;
  readonly type?: string | null;
  readonly visibility?: string | null;
  readonly privileges?: readonly string[] | null;
  readonly orgs?: readonly RefWire[] | null;
  readonly sub_groups?: readonly RefWire[] | null;
  readonly users?: readonly RefWire[] | null;
  readonly roles?: readonly RefWire[] | null;
  readonly default_liveboards?: readonly RefWire[] | null;
  readonly system_group?: boolean | null;
  readonly external?: boolean | null;
  readonly hidden?: boolean | null;
  readonly author_id?: string | null;
  readonly creation_time_in_millis?: number | null;
  readonly modification_time_in_millis?: number | null;
}

/** `OrgResponse` (orgs/search items, orgs/create). */
export interface OrgResponseWire {
  readonly id?: number | string | null;
  readonly name?: string | null;
  readonly status?: string | null;
  readonly description?: string | null;
  readonly visibility?: string | null;
}

/** `RoleResponse` / `SearchRoleResponse`. Timestamps are typed `object` in the spec (a defect, §14) but are numbers. */
export interface RoleWire {
  readonly id?: string | null;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly groups_assigned_count?: number | null;
  readonly orgs?: readonly RefWire[] | null;
  readonly groups?: readonly RefWire[] | null;
  readonly privileges?: readonly string[] | null;
  readonly permission?: string | null;
  readonly author_id?: string | null;
  readonly creation_time_in_millis?: unknown;
  readonly modification_time_in_millis?: unknown;
  readonly deprecated?: boolean | null;
  readonly external?: boolean | null;
  readonly hidden?: boolean | null;
  readonly shared_via_connection?: boolean | null;
}

/** `Token` (auth/token/full, auth/token/object). */
export interface TokenWire {
  readonly token?: string | null;
  readonly creation_time_in_millis?: number | null;
  readonly expiration_time_in_millis?: number | null;
  readonly scope?: { readonly access_type?: string | null; readonly org_id?: number | null; readonly metadata_id?: string | null } | null;
  readonly valid_for_user_id?: string | null;
  readonly valid_for_username?: string | null;
}

/** `ImportUsersResponse` and `ImportUserGroupsResponse`. */
export interface ImportResponseWire {
  readonly users_added?: readonly RefWire[] | null;
  readonly users_updated?: readonly RefWire[] | null;
  readonly users_deleted?: readonly RefWire[] | null;
  readonly groups_added?: readonly RefWire[] | null;
  readonly groups_updated?: readonly RefWire[] | null;
  readonly groups_deleted?: readonly RefWire[] | null;
}

/** `ResponseActivationURL` (users/deactivate). */
export interface ActivationLinkWire {
  readonly activation_link?: string | null;
}

/** `SystemInfo` (GET /system), the fields the adapter reads. */
export interface SystemInfoWire {
  readonly id?: string | null;
  readonly name?: string | null;
  readonly release_version?: string | null;
  readonly time_zone?: string | null;
  readonly type?: string | null;
  readonly environment?: string | null;
  readonly tsadmin_user_id?: string | null;
  readonly admin_group_id?: string | null;
  readonly all_user_group_id?: string | null;
  readonly system_user_id?: string | null;
  readonly super_user_id?: string | null;
}

/** `SortOptions` on users/search and groups/search. */
export interface SortOptionsWire {
  readonly field_name: string;
  readonly order: string;
}

/** A request body: JSON object with snake_case keys; `undefined` members are dropped by JSON.stringify. */
export type RequestBody = Readonly<Record<string, unknown>>;
