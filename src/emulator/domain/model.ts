// Internal to src/emulator: the in-memory records of the emulated directory and the fixed facts of a ThoughtSpot
// cluster (well-known principals, privilege sets). Records are mutable on purpose: the state owns them and keeps its
// indexes consistent; nothing outside src/emulator/domain writes to them directly except through EmulatorState.

/** Account types a user can have (CONTRACT.md §13). */
export type AccountType = 'LOCAL_USER' | 'LDAP_USER' | 'SAML_USER' | 'OIDC_USER' | 'REMOTE_USER';
/** Account statuses (CONTRACT.md §13). */
export type AccountStatus = 'ACTIVE' | 'INACTIVE' | 'EXPIRED' | 'LOCKED' | 'PENDING' | 'SUSPENDED';
/** User and group visibility. */
export type Visibility = 'SHARABLE' | 'NON_SHARABLE';
/** Group types. */
export type GroupType = 'LOCAL_GROUP' | 'LDAP_GROUP' | 'TEAM_GROUP' | 'TENANT_GROUP';
/** Favourite metadata as stored on a user (the input shape of `favorite_metadata`). */
export interface Favorite {
  identifier: string;
  type: 'LIVEBOARD' | 'ANSWER';
}

/** The Org id of the undeletable Primary Org (CONTRACT.md §3). */
export const PRIMARY_ORG_ID = 0;

/** An Org. Groups and roles live inside their Org; users are cluster-wide and point at the Orgs they belong to. */
export interface OrgRec {
  id: number;
  name: string;
  description: string | null;
  status: 'ACTIVE' | 'IN_ACTIVE';
  visibility: 'SHOW' | 'HIDDEN';
  createdAt: number;
  modifiedAt: number;
  /** GUIDs of the users that are members of this Org. */
  members: Set<string>;
  /** Groups of this Org by GUID and by exact name. */
  groups: Map<string, GroupRec>;
  groupsByName: Map<string, GroupRec>;
  /** Roles of this Org by GUID and by exact name. */
  roles: Map<string, RoleRec>;
  rolesByName: Map<string, RoleRec>;
  /** GUID of this Org's implicit `All` group and of its `Administrator` group. */
  allGroupId: string;
  adminGroupId: string;
  /** "Default groups" set through `orgs/{id}/update` `group_identifiers`: users joining the Org join them too. */
  defaultGroupIds: Set<string>;
}

/** Which built-in group a group is, if any. Built-in groups cannot be deleted. */
export type BuiltInGroup = 'ALL' | 'ADMINISTRATOR' | 'SYSTEM';

/** A group. `subGroupIds` are the groups that are members of this group; `parentIds` the reverse edges. */
export interface GroupRec {
  id: string;
  orgId: number;
  name: string;
  displayName: string;
  description: string | null;
  type: GroupType;
  visibility: Visibility;
  /** Privileges assigned to the group itself. */
  privileges: Set<string>;
  roleIds: Set<string>;
  subGroupIds: Set<string>;
  parentIds: Set<string>;
  /** Direct user members (never used for `All`, whose membership is implicit). */
  userIds: Set<string>;
  defaultLiveboards: string[];
  builtIn: BuiltInGroup | null;
  createdAt: number;
  modifiedAt: number;
  authorId: string;
  modifierId: string;
  /** Bumped on every change, reported as `generation_number`/`metadata_version`. */
  generation: number;
}

/** A role (RBAC). Roles are per Org and reach users only through groups. */
export interface RoleRec {
  id: string;
  orgId: number;
  name: string;
  description: string;
  privileges: Set<string>;
  readOnly: boolean;
  createdAt: number;
  modifiedAt: number;
  authorId: string;
  modifierId: string;
}

/** A user. Users are cluster-wide; `groupIds` holds direct memberships in every Org. */
export interface UserRec {
  id: string;
  name: string;
  displayName: string;
  email: string | null;
  /** Plain-text password (an emulator keeps no secrets worth hashing); null for users who cannot log in with one. */
  password: string | null;
  accountType: AccountType;
  accountStatus: AccountStatus;
  visibility: Visibility;
  notifyOnShare: boolean;
  showOnboardingExperience: boolean;
  onboardingExperienceCompleted: boolean;
  homeLiveboard: string | null;
  favorites: Favorite[];
  preferredLocale: string | null;
  useBrowserLanguage: boolean | null;
  extendedProperties: Record<string, unknown> | null;
  extendedPreferences: Record<string, unknown> | null;
  orgIds: Set<number>;
  groupIds: Set<string>;
  /** The Org of the user's latest token or session: the default Org of the next one (CONTRACT.md §16 Q2). */
  lastOrgId: number | null;
  createdAt: number;
  modifiedAt: number;
  authorId: string;
  modifierId: string;
  firstLoginAt: number | null;
  superUser: boolean;
  systemUser: boolean;
  hidden: boolean;
  /** Deprecated `user_parameters` of the last token request that carried them. */
  userParameters: Record<string, unknown> | null;
  /** ABAC values persisted by `auth/token/custom`, per Org (CONTRACT.md §10). */
  variableValues: Map<number, Map<string, unknown[]>>;
  filterRules: Map<number, unknown[]>;
  parameterValues: Map<number, Map<string, unknown[]>>;
}

/** A bearer token. */
export interface TokenRec {
  token: string;
  /** GUID of the token (`AccessToken.id` for custom tokens). */
  id: string;
  userId: string;
  orgId: number;
  accessType: 'FULL' | 'REPORT_BOOK_VIEW';
  metadataId: string | null;
  createdAt: number;
  expiresAt: number;
  revoked: boolean;
}

/** A cookie session from `auth/session/login`. */
export interface SessionRec {
  id: string;
  userId: string;
  orgId: number;
  createdAt: number;
  lastSeenAt: number;
  rememberMe: boolean;
}

/** A pending activation minted by `users/deactivate`. */
export interface ActivationRec {
  token: string;
  expiresAt: number;
}

/**
 * GUIDs of the well-known principals. The user and group GUIDs are the ones that appear in every ThoughtSpot example
 * and in ThoughtSpot's own client constants, so code written against a real cluster finds them here too.
 */
export const WELL_KNOWN = {
  tsadminUserId: '59481331-ee53-42be-a548-bd87be6ddd4a',
  superUserId: '0f0dd0f7-7411-4195-a4aa-0dc6b58413c9',
  systemUserId: '67e15c06-d153-4924-a4cd-ff615393b60f',
  guestUserId: 'a1f86a8b-2b0b-4f3e-9d4c-6c2f0b7e5d11',
  allGroupId: 'b25ee394-9d13-49e3-9385-cd97f5b253b4',
  adminGroupId: 'd0326b56-ef23-4c8a-8327-a30e99bcc72b',
  systemGroupId: '179d8867-cf36-4a8d-a019-63a226fd3196',
  hiddenObjectId: '8a6f2e0c-5b1d-4c2e-9f3a-7d4e1b6c9a02',
  allTablesConnectionId: '3c9e7b41-0d6a-4f58-8e2b-5a1f9c7d3e64',
  clusterId: '982d6da9-9cd1-479e-b9a6-35aa05f9282a',
} as const;

/** Usernames that bulk operations never delete and that cannot be deleted or renamed (CONTRACT.md §11.2 import). */
export const PROTECTED_USERNAMES: ReadonlySet<string> = new Set(['tsadmin', 'su', 'system', 'guest']);

/** The fixed password of the seeded `tsadmin` (what the CLI prints and tests log in with). */
export const TSADMIN_PASSWORD = 'admin';

/** Privileges that allow user writes (CONTRACT.md §8 "Who may call what"). */
export const USER_ADMIN_PRIVILEGES = ['ADMINISTRATION', 'USER_ADMINISTRATION'] as const;
/** Privileges that allow group writes. */
export const GROUP_ADMIN_PRIVILEGES = ['ADMINISTRATION', 'GROUP_ADMINISTRATION'] as const;
/** Privileges that allow role administration. */
export const ROLE_ADMIN_PRIVILEGES = ['ADMINISTRATION', 'ROLE_ADMINISTRATION'] as const;
/** Privileges that allow `GET /system`. */
export const SYSTEM_INFO_PRIVILEGES = ['ADMINISTRATION', 'SYSTEM_INFO_ADMINISTRATION'] as const;
/** Privileges that make a user a cluster administrator when held in the Primary Org. */
export const CLUSTER_ADMIN_PRIVILEGES = ['ADMINISTRATION', 'ORG_ADMINISTRATION'] as const;

/** What the built-in `Administrator` group of every Org grants. */
export const ADMINISTRATOR_GROUP_PRIVILEGES = [
  'ADMINISTRATION',
  'AUTHORING',
  'DATADOWNLOADING',
  'USERDATAUPLOADING',
  'DATAMANAGEMENT',
  'SHAREWITHALL',
  'JOBSCHEDULING',
] as const;

/** What the built-in `All` group grants every member of its Org (with RBAC, the system ALL role: CONTRACT.md §8). */
export const ALL_GROUP_PRIVILEGES = ['AUTHORING'] as const;
