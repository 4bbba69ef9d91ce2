// Public to the rest of src (through thoughtspot/index.ts): the adapter's camelCase domain records. They are what
// the adapter returns, what the loaders cache and what codegen maps GraphQL types to. Wire shapes (snake_case) never
// leave src/thoughtspot; every field here is normalised (no `undefined`, lists never null, Org ids always numbers).

/** Closed enums ThoughtSpot documents (CONTRACT.md §13). Responses may carry values added in later releases: the
 * adapter keeps those as-is in `string` fields such as `privileges`, but these enums are validated. */
export const ACCOUNT_STATUSES = ['ACTIVE', 'INACTIVE', 'EXPIRED', 'LOCKED', 'PENDING', 'SUSPENDED'] as const;
/** A user's account status. */
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** How a user signs in (CONTRACT.md §13). */
export const ACCOUNT_TYPES = ['LOCAL_USER', 'LDAP_USER', 'SAML_USER', 'OIDC_USER', 'REMOTE_USER'] as const;
/** A user's account type. */
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** Whether a user or group may be shared with (CONTRACT.md §13). */
export const VISIBILITIES = ['SHARABLE', 'NON_SHARABLE'] as const;
/** Sharing visibility of a user or group. */
export type Visibility = (typeof VISIBILITIES)[number];

/** Kinds of group (CONTRACT.md §13). */
export const GROUP_TYPES = ['LOCAL_GROUP', 'LDAP_GROUP', 'TEAM_GROUP', 'TENANT_GROUP'] as const;
/** A group's kind. */
export type GroupType = (typeof GROUP_TYPES)[number];

/** Org statuses (CONTRACT.md §13). */
export const ORG_STATUSES = ['ACTIVE', 'IN_ACTIVE'] as const;
/** An Org's status. */
export type OrgStatus = (typeof ORG_STATUSES)[number];

/** Org visibilities (CONTRACT.md §13). */
export const ORG_VISIBILITIES = ['SHOW', 'HIDDEN'] as const;
/** An Org's visibility. */
export type OrgVisibility = (typeof ORG_VISIBILITIES)[number];

/** Role permissions (CONTRACT.md §13). */
export const ROLE_PERMISSIONS = ['READ_ONLY', 'MODIFY', 'NO_ACCESS'] as const;
/** Whether a role can be changed. */
export type RolePermission = (typeof ROLE_PERMISSIONS)[number];

/** A reference to a principal by GUID and name (the wire's `Object_ID_And_Name`, `UserGroup`, `GenericInfo`). */
export interface PrincipalRef {
  readonly id: string;
  readonly name: string;
}

/** A reference to an Org. ThoughtSpot sends Org ids as integers on users and as strings on groups and roles; the
 * adapter always gives numbers. */
export interface OrgRef {
  readonly id: number;
  readonly name: string;
}

/** A user as `users/search`, `users/create`, `users/activate` and `auth/session/user` return it. */
export interface UserRecord {
  /** GUID. */
  readonly id: string;
  /** Username, unique cluster-wide; what every identifier field accepts besides the GUID. */
  readonly name: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly accountType: AccountType | null;
  readonly accountStatus: AccountStatus | null;
  readonly visibility: Visibility;
  /** Orgs the user is a member of. */
  readonly orgs: readonly OrgRef[];
  /** The Org of the token that read this record, when ThoughtSpot reports it. */
  readonly currentOrg: OrgRef | null;
  /** Direct group memberships (`user_groups`). */
  readonly groups: readonly PrincipalRef[];
  /** Groups reached through the sub-group hierarchy (`user_inherited_groups`). */
  readonly inheritedGroups: readonly PrincipalRef[];
  /** Effective privileges (union over the group closure and its roles); unknown strings are kept. */
  readonly privileges: readonly string[];
  readonly notifyOnShare: boolean | null;
  readonly showOnboardingExperience: boolean | null;
  readonly onboardingExperienceCompleted: boolean | null;
  readonly preferredLocale: string | null;
  readonly superUser: boolean;
  readonly systemUser: boolean;
  readonly external: boolean;
  readonly hidden: boolean;
  readonly authorId: string | null;
  /** Epoch milliseconds. */
  readonly createdAt: number | null;
  /** Epoch milliseconds. */
  readonly modifiedAt: number | null;
  /** Epoch milliseconds of the first login, if any. */
  readonly firstLoginAt: number | null;
}

/** A group as `groups/search` and `groups/create` return it. Groups are per Org. */
export interface GroupRecord {
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  readonly description: string | null;
  readonly type: GroupType | null;
  readonly visibility: Visibility;
  /** Privileges assigned to the group itself (not inherited). */
  readonly privileges: readonly string[];
  /** The Org(s) the group belongs to. */
  readonly orgs: readonly OrgRef[];
  /** Direct sub-groups: groups that are members of this group. Empty when fetched with `includeSubGroups: false`. */
  readonly subGroups: readonly PrincipalRef[];
  /** Direct user members. Empty when fetched with `includeUsers: false`. */
  readonly users: readonly PrincipalRef[];
  /** Roles assigned to the group (RBAC clusters). */
  readonly roles: readonly PrincipalRef[];
  readonly defaultLiveboards: readonly PrincipalRef[];
  readonly systemGroup: boolean;
  readonly external: boolean;
  readonly hidden: boolean;
  readonly authorId: string | null;
  readonly createdAt: number | null;
  readonly modifiedAt: number | null;
}

/** An Org as `orgs/search` and `orgs/create` return it. */
export interface OrgRecord {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
  readonly status: OrgStatus | null;
  readonly visibility: OrgVisibility | null;
}

/** A role as `roles/search`, `roles/create` and `roles/update` return it. Roles are per Org. */
export interface RoleRecord {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly privileges: readonly string[];
  readonly permission: RolePermission | null;
  /** Groups the role is assigned to. */
  readonly groups: readonly PrincipalRef[];
  readonly groupsAssignedCount: number | null;
  readonly orgs: readonly OrgRef[];
  readonly external: boolean;
  readonly hidden: boolean;
  readonly deprecated: boolean;
  readonly sharedViaConnection: boolean;
  readonly authorId: string | null;
  readonly createdAt: number | null;
  readonly modifiedAt: number | null;
}

/** A minted bearer token (`auth/token/full`, `auth/token/object`). */
export interface TokenRecord {
  readonly token: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly orgId: number | null;
  readonly accessType: string;
  readonly userId: string;
  readonly username: string;
}

/** Result of `users/import` and `groups/import`: what was (or, on a dry run, would be) added, updated, deleted. */
export interface ImportResult {
  readonly added: readonly { readonly id: string | null; readonly name: string }[];
  readonly updated: readonly { readonly id: string | null; readonly name: string }[];
  readonly deleted: readonly { readonly id: string | null; readonly name: string }[];
}

/** `GET /system`, the fields the subgraph uses (all nullable upstream). */
export interface SystemInfoRecord {
  readonly id: string | null;
  readonly name: string | null;
  readonly releaseVersion: string | null;
  readonly timeZone: string | null;
  readonly type: string | null;
  readonly environment: string | null;
  readonly tsadminUserId: string | null;
  readonly adminGroupId: string | null;
  readonly allUserGroupId: string | null;
  readonly systemUserId: string | null;
  readonly superUserId: string | null;
}

/** `auth/token/validate`: whether a token is live, and what it is for. Expired and malformed tokens are `valid: false`. */
export type TokenValidationRecord =
  | {
      readonly valid: true;
      readonly createdAt: number;
      readonly expiresAt: number;
      readonly orgId: number | null;
      readonly accessType: string;
      readonly userId: string;
      readonly tokenType: string;
    }
  | {
      readonly valid: false;
      /** ThoughtSpot's reason ("…has expired", "…malformed…"), redacted. */
      readonly reason: string;
    };

/** `GET /system/config`. */
export interface SystemConfigRecord {
  readonly onboardingContentUrl: string | null;
  readonly samlEnabled: boolean | null;
  readonly oktaEnabled: boolean | null;
}
