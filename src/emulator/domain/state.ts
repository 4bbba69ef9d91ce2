// Internal to src/emulator: the emulated cluster's state. It owns every record and the indexes over them, keeps the
// two sides of every relation consistent (user↔group, group↔sub-group, group↔role, user↔Org), runs the membership
// and privilege engine with memoisation, and stores tokens and sessions. Handlers validate requests and decide what
// to change; this class only changes it, so its invariants hold whatever the caller.

import { randomUUID } from 'node:crypto';
import type { Clock, Credentials, DomainState, Fidelity, Principal } from '../types.js';
import { IdGenerator, mintTokenString, randomSecret } from './ids.js';
import { WireCache } from '../wire.js';
import {
  ALL_GROUP_PRIVILEGES,
  ADMINISTRATOR_GROUP_PRIVILEGES,
  CLUSTER_ADMIN_PRIVILEGES,
  PRIMARY_ORG_ID,
  TSADMIN_PASSWORD,
  WELL_KNOWN,
} from './model.js';
import type {
  AccountStatus,
  AccountType,
  ActivationRec,
  BuiltInGroup,
  GroupRec,
  GroupType,
  OrgRec,
  RoleRec,
  SessionRec,
  TokenRec,
  UserRec,
  Visibility,
} from './model.js';

/** Sort keys of `sort_options.field_name` (CONTRACT.md §5). */
export type SortField = 'NAME' | 'DISPLAY_NAME' | 'AUTHOR' | 'CREATED' | 'MODIFIED';

/** What the state needs from the emulator around it. */
export interface StateDeps {
  /** The live fidelity switches. Only read where no handler context exists (the secret key getter). */
  readonly fidelity: Readonly<Fidelity>;
  readonly clock: Clock;
}

/** Fields of a new user; everything but the names has a default. */
export interface NewUser {
  id?: string;
  name: string;
  displayName: string;
  email?: string | null;
  password?: string | null;
  accountType?: AccountType;
  accountStatus?: AccountStatus;
  visibility?: Visibility;
  notifyOnShare?: boolean;
  showOnboardingExperience?: boolean;
  onboardingExperienceCompleted?: boolean;
  preferredLocale?: string | null;
  useBrowserLanguage?: boolean | null;
  homeLiveboard?: string | null;
  extendedProperties?: Record<string, unknown> | null;
  extendedPreferences?: Record<string, unknown> | null;
  superUser?: boolean;
  systemUser?: boolean;
  hidden?: boolean;
  at: number;
  authorId?: string;
}

/** Fields of a new group. */
export interface NewGroup {
  id?: string;
  name: string;
  displayName: string;
  description?: string | null;
  type?: GroupType;
  visibility?: Visibility;
  privileges?: Iterable<string>;
  builtIn?: BuiltInGroup | null;
  defaultLiveboards?: string[];
  at: number;
  authorId?: string;
}

/** Fields of a new role. */
export interface NewRole {
  id?: string;
  name: string;
  description?: string;
  privileges?: Iterable<string>;
  readOnly?: boolean;
  at: number;
  authorId?: string;
}

/** How long a cookie session lives: 3 h idle, or 7 days with `remember_me` (CONTRACT.md §2.5). */
const SESSION_IDLE_MS = 3 * 60 * 60 * 1000;
const SESSION_REMEMBER_MS = 7 * 24 * 60 * 60 * 1000;
/** Expired tokens are kept this long so `token/validate` can still say "expired" rather than "malformed". */
const EXPIRED_TOKEN_GRACE_MS = 24 * 60 * 60 * 1000;
/** Sweep expired tokens after this many mints, so a benchmark minting tokens in a loop holds bounded memory. */
const SWEEP_EVERY_MINTS = 4096;

/** A cached sorted listing of one Org's members, with the sort key of every row beside it. */
interface SortedUsers {
  readonly orgId: number;
  readonly field: SortField;
  readonly users: UserRec[];
  readonly keys: (string | number)[];
}

/** The fields listings sort on. */
interface Sortable {
  id: string;
  name: string;
  displayName: string;
  authorId: string;
  createdAt: number;
  modifiedAt: number;
}

/** Orders two rows by sort key, then by GUID (the stable tiebreak). */
function compareKeyed(keyA: string | number, idA: string, keyB: string | number, idB: string): number {
  if (keyA !== keyB) return keyA < keyB ? -1 : 1;
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

function byNameThenId<T extends { name: string; id: string }>(a: T, b: T): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The emulated cluster. Implements the shell's {@link DomainState}. */
export class EmulatorState implements DomainState {
  /** Seeded generator for GUIDs and Org ids. */
  readonly ids = new IdGenerator('thoughtspot-emulator');
  readonly orgs = new Map<number, OrgRec>();
  readonly users = new Map<string, UserRec>();
  readonly groups = new Map<string, GroupRec>();
  readonly roles = new Map<string, RoleRec>();
  readonly tokens = new Map<string, TokenRec>();
  readonly sessions = new Map<string, SessionRec>();
  readonly activations = new Map<string, ActivationRec>();

  private readonly usersByName = new Map<string, UserRec>();
  private readonly usersByLowerName = new Map<string, UserRec>();
  private readonly tokensByUser = new Map<string, Set<string>>();
  private mintsSinceSweep = 0;

  /** Bumped by every write that can change a closure, a privilege set or a group listing. */
  private version = 0;
  /** Bumped by every write that can change a users/search listing (membership of an Org, names, timestamps). */
  private userListVersion = 0;
  private cacheVersion = -1;
  private userListCacheVersion = -1;
  private readonly ancestorCache = new Map<string, ReadonlySet<string>>();
  private readonly grantCache = new Map<string, ReadonlySet<string>>();
  private readonly privilegeCache = new Map<string, readonly string[]>();
  private readonly clusterAdminCache = new Map<string, boolean>();
  private readonly sortedGroupCache = new Map<string, readonly GroupRec[]>();
  private readonly sortedUserCache = new Map<string, SortedUsers>();

  /** Search answers in wire form, per record and view; dropped whenever {@link changeCount} moves. */
  readonly wire = new WireCache();

  constructor(private readonly deps: StateDeps) {}

  // ---------------------------------------------------------------- DomainState

  /** The seeded cluster administrator. */
  get adminCredentials(): { readonly username: string; readonly password: string } {
    return { username: 'tsadmin', password: TSADMIN_PASSWORD };
  }

  /** The cluster's trusted-authentication secret key (from the live fidelity switches). */
  get secretKey(): string {
    return this.deps.fidelity.secretKey;
  }

  /** The clock the state was created with (token expiry, session idling). */
  get clock(): Clock {
    return this.deps.clock;
  }

  /**
   * The caller behind a bearer token or a `JSESSIONID`. A bearer, when present, decides alone: an invalid bearer is
   * not rescued by a valid cookie. Deleted users, deactivated users and users removed from the token's Org lose
   * their tokens at once, as on a real cluster.
   */
  authenticate(credentials: Credentials): Principal | null {
    const now = this.deps.clock.now();
    if (credentials.bearer !== undefined) {
      const rec = this.tokens.get(credentials.bearer);
      if (rec === undefined || rec.revoked || now >= rec.expiresAt) return null;
      if (!this.canActIn(rec.userId, rec.orgId)) return null;
      return { userId: rec.userId, orgId: rec.orgId, accessType: rec.accessType, token: rec.token };
    }
    if (credentials.sessionId !== undefined) {
      const session = this.sessions.get(credentials.sessionId);
      if (session === undefined) return null;
      const limit = session.rememberMe ? session.createdAt + SESSION_REMEMBER_MS : session.lastSeenAt + SESSION_IDLE_MS;
      if (now >= limit) {
        this.sessions.delete(session.id);
        return null;
      }
      if (!this.canActIn(session.userId, session.orgId)) return null;
      session.lastSeenAt = now;
      return { userId: session.userId, orgId: session.orgId, accessType: 'FULL', token: session.id };
    }
    return null;
  }

  /** True when the user exists, may log in, and is a member of the Org (or a cluster admin, who acts everywhere). */
  canActIn(userId: string, orgId: number): boolean {
    const user = this.users.get(userId);
    if (user === undefined || user.accountStatus !== 'ACTIVE') return false;
    if (!this.orgs.has(orgId)) return false;
    return user.orgIds.has(orgId) || this.isClusterAdmin(user);
  }

  // ---------------------------------------------------------------- inspectors (tests, CLI)

  /** A user by exact username. */
  findUser(name: string): UserRec | undefined {
    return this.usersByName.get(name);
  }

  /** A user by username, ignoring case. */
  findUserIgnoringCase(name: string): UserRec | undefined {
    return this.usersByLowerName.get(name.toLowerCase());
  }

  /** An Org by exact name. */
  findOrg(name: string): OrgRec | undefined {
    for (const org of this.orgs.values()) if (org.name === name) return org;
    return undefined;
  }

  /** A group by exact name inside an Org (Primary by default). */
  findGroup(name: string, orgId: number = PRIMARY_ORG_ID): GroupRec | undefined {
    return this.orgs.get(orgId)?.groupsByName.get(name);
  }

  /** A role by exact name inside an Org (Primary by default). */
  findRole(name: string, orgId: number = PRIMARY_ORG_ID): RoleRec | undefined {
    return this.orgs.get(orgId)?.rolesByName.get(name);
  }

  /** The Primary Org. Always present. */
  get primary(): OrgRec {
    const org = this.orgs.get(PRIMARY_ORG_ID);
    if (org === undefined) throw new Error('The emulator state has no Primary Org; every seed must create Org 0.');
    return org;
  }

  /** The Org a record belongs to. */
  orgOf(rec: { orgId: number }): OrgRec {
    const org = this.orgs.get(rec.orgId);
    if (org === undefined) throw new Error(`Record points at Org ${rec.orgId}, which does not exist.`);
    return org;
  }

  // ---------------------------------------------------------------- change tracking

  /** How many changes the state has recorded: anything derived from it is valid while this stays put. */
  get changeCount(): number {
    return this.version;
  }

  /** Records a change to membership, privileges, roles or groups: memoised closures are recomputed on next use. */
  changed(): void {
    this.version++;
  }

  /** Records a wholesale change to users listings (Orgs created, renamed or deleted): every listing is rebuilt. */
  usersChanged(): void {
    this.userListVersion++;
    this.version++;
  }

  private fresh(): void {
    if (this.cacheVersion !== this.version) {
      this.ancestorCache.clear();
      this.grantCache.clear();
      this.privilegeCache.clear();
      this.clusterAdminCache.clear();
      this.sortedGroupCache.clear();
      this.cacheVersion = this.version;
    }
    if (this.userListCacheVersion !== this.userListVersion) {
      this.sortedUserCache.clear();
      this.userListCacheVersion = this.userListVersion;
    }
  }

  // ---------------------------------------------------------------- Orgs

  /** Creates an Org with its built-in `All` and `Administrator` groups (CONTRACT.md §3: new Orgs come with both). */
  createOrg(input: {
    id?: number;
    name: string;
    description?: string | null;
    at: number;
    authorId?: string;
    allGroupId?: string;
    adminGroupId?: string;
  }): OrgRec {
    let id = input.id;
    if (id === undefined) {
      do id = this.ids.nextOrgId();
      while (this.orgs.has(id));
    }
    if (this.orgs.has(id)) throw new Error(`Org id ${id} is already taken.`);
    const org: OrgRec = {
      id,
      name: input.name,
      description: input.description ?? null,
      status: 'ACTIVE',
      visibility: 'SHOW',
      createdAt: input.at,
      modifiedAt: input.at,
      members: new Set(),
      groups: new Map(),
      groupsByName: new Map(),
      roles: new Map(),
      rolesByName: new Map(),
      allGroupId: '',
      adminGroupId: '',
      defaultGroupIds: new Set(),
    };
    this.orgs.set(id, org);
    const author = input.authorId ?? WELL_KNOWN.tsadminUserId;
    const all = this.createGroup(org, {
      ...(input.allGroupId !== undefined ? { id: input.allGroupId } : {}),
      name: 'All',
      displayName: 'All Group',
      description: 'All users are members of this group',
      privileges: ALL_GROUP_PRIVILEGES,
      builtIn: 'ALL',
      at: input.at,
      authorId: author,
    });
    const admin = this.createGroup(org, {
      ...(input.adminGroupId !== undefined ? { id: input.adminGroupId } : {}),
      name: 'Administrator',
      displayName: 'Administrator',
      description: 'Administrators of this Org',
      privileges: ADMINISTRATOR_GROUP_PRIVILEGES,
      builtIn: 'ADMINISTRATOR',
      at: input.at,
      authorId: author,
    });
    org.allGroupId = all.id;
    org.adminGroupId = admin.id;
    this.usersChanged();
    return org;
  }

  /**
   * Deletes an Org: its groups and roles go, users who belonged only to it are deleted, other members just lose the
   * membership, and tokens and sessions scoped to it stop working (CONTRACT.md §3).
   */
  deleteOrg(org: OrgRec): void {
    for (const userId of [...org.members]) {
      const user = this.users.get(userId);
      if (user === undefined) continue;
      if (user.orgIds.size === 1) this.deleteUser(user);
      else this.removeUserFromOrg(user, org.id);
    }
    for (const group of [...org.groups.values()]) this.deleteGroup(group, true);
    for (const role of [...org.roles.values()]) this.deleteRole(role);
    this.orgs.delete(org.id);
    for (const rec of this.tokens.values()) if (rec.orgId === org.id) rec.revoked = true;
    for (const session of [...this.sessions.values()]) if (session.orgId === org.id) this.sessions.delete(session.id);
    for (const user of this.users.values()) if (user.lastOrgId === org.id) user.lastOrgId = null;
    this.usersChanged();
  }

  // ---------------------------------------------------------------- users

  /** Inserts a user with no Org and no group; callers add memberships next. */
  insertUser(input: NewUser): UserRec {
    const id = input.id ?? this.ids.nextGuid();
    if (this.users.has(id)) throw new Error(`User id ${id} is already taken.`);
    const lower = input.name.toLowerCase();
    if (this.usersByLowerName.has(lower)) throw new Error(`A user named ${input.name} already exists.`);
    const author = input.authorId ?? WELL_KNOWN.tsadminUserId;
    const user: UserRec = {
      id,
      name: input.name,
      displayName: input.displayName,
      email: input.email ?? null,
      password: input.password ?? null,
      accountType: input.accountType ?? 'LOCAL_USER',
      accountStatus: input.accountStatus ?? 'ACTIVE',
      visibility: input.visibility ?? 'SHARABLE',
      notifyOnShare: input.notifyOnShare ?? true,
      showOnboardingExperience: input.showOnboardingExperience ?? true,
      onboardingExperienceCompleted: input.onboardingExperienceCompleted ?? false,
      homeLiveboard: input.homeLiveboard ?? null,
      favorites: [],
      preferredLocale: input.preferredLocale ?? null,
      useBrowserLanguage: input.useBrowserLanguage ?? null,
      extendedProperties: input.extendedProperties ?? null,
      extendedPreferences: input.extendedPreferences ?? null,
      orgIds: new Set(),
      groupIds: new Set(),
      lastOrgId: null,
      createdAt: input.at,
      modifiedAt: input.at,
      authorId: author,
      modifierId: author,
      firstLoginAt: null,
      superUser: input.superUser ?? false,
      systemUser: input.systemUser ?? false,
      hidden: input.hidden ?? false,
      userParameters: null,
      variableValues: new Map(),
      filterRules: new Map(),
      parameterValues: new Map(),
    };
    this.users.set(id, user);
    this.usersByName.set(user.name, user);
    this.usersByLowerName.set(lower, user);
    this.changed();
    return user;
  }

  /** A user by exact name, then (when allowed) ignoring case (CONTRACT.md §16 Q6). */
  userByName(name: string, caseInsensitive: boolean): UserRec | undefined {
    return this.usersByName.get(name) ?? (caseInsensitive ? this.usersByLowerName.get(name.toLowerCase()) : undefined);
  }

  /** True when another user already holds this name, compared without case (usernames are unique cluster-wide). */
  usernameTaken(name: string, except?: UserRec): boolean {
    const other = this.usersByLowerName.get(name.toLowerCase());
    return other !== undefined && other !== except;
  }

  /** Renames a user, keeping the name indexes right. */
  renameUser(user: UserRec, name: string): void {
    if (user.name === name) return;
    this.usersByName.delete(user.name);
    this.usersByLowerName.delete(user.name.toLowerCase());
    user.name = name;
    this.usersByName.set(name, user);
    this.usersByLowerName.set(name.toLowerCase(), user);
    this.dropAuthorListings();
    this.reindexUser(user);
    this.changed();
  }

  /** AUTHOR listings sort on the author's name, which changes for every row a renamed or deleted user created. */
  private dropAuthorListings(): void {
    for (const [key, entry] of this.sortedUserCache) if (entry.field === 'AUTHOR') this.sortedUserCache.delete(key);
    this.sortedGroupCache.clear();
  }

  /** Stamps a user as modified now by `by`. */
  touchUser(user: UserRec, at: number, by: string): void {
    user.modifiedAt = at;
    user.modifierId = by;
    this.reindexUser(user);
    this.changed();
  }

  /** Deletes a user everywhere: memberships, tokens, sessions, pending activation. */
  deleteUser(user: UserRec): void {
    for (const groupId of user.groupIds) this.groups.get(groupId)?.userIds.delete(user.id);
    for (const orgId of user.orgIds) this.orgs.get(orgId)?.members.delete(user.id);
    this.users.delete(user.id);
    this.usersByName.delete(user.name);
    this.usersByLowerName.delete(user.name.toLowerCase());
    this.revokeUserTokens(user.id);
    this.endUserSessions(user.id);
    this.activations.delete(user.id);
    this.dropAuthorListings();
    this.reindexUser(user);
    this.changed();
  }

  /** Adds a user to an Org, and to the Org's default groups. Idempotent. */
  addUserToOrg(user: UserRec, orgId: number): void {
    const org = this.orgs.get(orgId);
    if (org === undefined) throw new Error(`Org ${orgId} does not exist.`);
    if (user.orgIds.has(orgId)) return;
    user.orgIds.add(orgId);
    org.members.add(user.id);
    for (const groupId of org.defaultGroupIds) {
      const group = org.groups.get(groupId);
      if (group !== undefined) this.addGroupMember(group, user);
    }
    this.reindexUser(user);
    this.changed();
  }

  /** Removes a user from an Org, dropping the user's groups there (group membership needs Org membership). */
  removeUserFromOrg(user: UserRec, orgId: number): void {
    if (!user.orgIds.has(orgId)) return;
    for (const groupId of [...user.groupIds]) {
      const group = this.groups.get(groupId);
      if (group !== undefined && group.orgId === orgId) this.removeGroupMember(group, user);
    }
    user.orgIds.delete(orgId);
    this.orgs.get(orgId)?.members.delete(user.id);
    if (user.lastOrgId === orgId) user.lastOrgId = null;
    this.reindexUser(user);
    this.changed();
  }

  // ---------------------------------------------------------------- groups

  /** Creates a group in an Org. */
  createGroup(org: OrgRec, input: NewGroup): GroupRec {
    const id = input.id ?? this.ids.nextGuid();
    if (this.groups.has(id)) throw new Error(`Group id ${id} is already taken.`);
    if (org.groupsByName.has(input.name)) throw new Error(`Org ${org.id} already has a group named ${input.name}.`);
    const author = input.authorId ?? WELL_KNOWN.tsadminUserId;
    const group: GroupRec = {
      id,
      orgId: org.id,
      name: input.name,
      displayName: input.displayName,
      description: input.description ?? null,
      type: input.type ?? 'LOCAL_GROUP',
      visibility: input.visibility ?? 'SHARABLE',
      privileges: new Set(input.privileges ?? []),
      roleIds: new Set(),
      subGroupIds: new Set(),
      parentIds: new Set(),
      userIds: new Set(),
      defaultLiveboards: input.defaultLiveboards ?? [],
      builtIn: input.builtIn ?? null,
      createdAt: input.at,
      modifiedAt: input.at,
      authorId: author,
      modifierId: author,
      generation: 1,
    };
    this.groups.set(id, group);
    org.groups.set(id, group);
    org.groupsByName.set(group.name, group);
    this.changed();
    return group;
  }

  /** Renames a group inside its Org. */
  renameGroup(group: GroupRec, name: string): void {
    if (group.name === name) return;
    const org = this.orgOf(group);
    org.groupsByName.delete(group.name);
    group.name = name;
    org.groupsByName.set(name, group);
    this.changed();
  }

  /** Stamps a group as modified. */
  touchGroup(group: GroupRec, at: number, by: string): void {
    group.modifiedAt = at;
    group.modifierId = by;
    group.generation++;
    this.changed();
  }

  /** Deletes a group: its members, sub-group edges and role assignments go with it. */
  deleteGroup(group: GroupRec, evenBuiltIn = false): void {
    if (group.builtIn !== null && !evenBuiltIn) throw new Error(`Built-in group ${group.name} cannot be deleted.`);
    for (const userId of group.userIds) this.users.get(userId)?.groupIds.delete(group.id);
    for (const childId of group.subGroupIds) this.groups.get(childId)?.parentIds.delete(group.id);
    for (const parentId of group.parentIds) this.groups.get(parentId)?.subGroupIds.delete(group.id);
    const org = this.orgs.get(group.orgId);
    if (org !== undefined) {
      org.groups.delete(group.id);
      org.groupsByName.delete(group.name);
      org.defaultGroupIds.delete(group.id);
    }
    this.groups.delete(group.id);
    this.changed();
  }

  /** Makes a user a direct member of a group. `All` is implicit and never stored. */
  addGroupMember(group: GroupRec, user: UserRec): void {
    if (group.builtIn === 'ALL') return;
    if (!user.orgIds.has(group.orgId)) {
      throw new Error(`User ${user.name} is not a member of Org ${group.orgId}, so cannot join group ${group.name}.`);
    }
    if (group.userIds.has(user.id)) return;
    group.userIds.add(user.id);
    user.groupIds.add(group.id);
    this.changed();
  }

  /** Removes a direct membership. */
  removeGroupMember(group: GroupRec, user: UserRec): void {
    if (!group.userIds.delete(user.id)) return;
    user.groupIds.delete(group.id);
    this.changed();
  }

  /** True when making `child` a sub-group of `parent` would close a cycle (or is a self-edge). */
  wouldCycle(parent: GroupRec, child: GroupRec): boolean {
    return this.ancestorsOf(parent.id).has(child.id);
  }

  /** Makes `child` a sub-group (member) of `parent`. Callers check {@link wouldCycle} first. */
  addSubGroup(parent: GroupRec, child: GroupRec): void {
    if (parent.orgId !== child.orgId) throw new Error('Sub-groups must belong to the same Org as their parent.');
    if (this.wouldCycle(parent, child)) {
      throw new Error(`Adding ${child.name} under ${parent.name} would create a cycle.`);
    }
    parent.subGroupIds.add(child.id);
    child.parentIds.add(parent.id);
    this.changed();
  }

  /** Removes a sub-group edge. */
  removeSubGroup(parent: GroupRec, child: GroupRec): void {
    if (!parent.subGroupIds.delete(child.id)) return;
    child.parentIds.delete(parent.id);
    this.changed();
  }

  /** Assigns a role to a group of the same Org. */
  assignRole(group: GroupRec, role: RoleRec): void {
    if (group.orgId !== role.orgId) throw new Error('Roles can only be assigned to groups of their own Org.');
    if (group.roleIds.has(role.id)) return;
    group.roleIds.add(role.id);
    this.changed();
  }

  /** Removes a role assignment. */
  unassignRole(group: GroupRec, role: RoleRec): void {
    if (group.roleIds.delete(role.id)) this.changed();
  }

  // ---------------------------------------------------------------- roles

  /** Creates a role in an Org. */
  createRole(org: OrgRec, input: NewRole): RoleRec {
    const id = input.id ?? this.ids.nextGuid();
    if (this.roles.has(id)) throw new Error(`Role id ${id} is already taken.`);
    if (org.rolesByName.has(input.name)) throw new Error(`Org ${org.id} already has a role named ${input.name}.`);
    const author = input.authorId ?? WELL_KNOWN.tsadminUserId;
    const role: RoleRec = {
      id,
      orgId: org.id,
      name: input.name,
      description: input.description ?? '',
      privileges: new Set(input.privileges ?? []),
      readOnly: input.readOnly ?? false,
      createdAt: input.at,
      modifiedAt: input.at,
      authorId: author,
      modifierId: author,
    };
    this.roles.set(id, role);
    org.roles.set(id, role);
    org.rolesByName.set(role.name, role);
    this.changed();
    return role;
  }

  /** Renames a role inside its Org. */
  renameRole(role: RoleRec, name: string): void {
    if (role.name === name) return;
    const org = this.orgOf(role);
    org.rolesByName.delete(role.name);
    role.name = name;
    org.rolesByName.set(name, role);
    this.changed();
  }

  /** Deletes a role, unassigning it from every group (CONTRACT.md §16 Q13). */
  deleteRole(role: RoleRec): void {
    const org = this.orgs.get(role.orgId);
    if (org !== undefined) {
      for (const group of org.groups.values()) group.roleIds.delete(role.id);
      org.roles.delete(role.id);
      org.rolesByName.delete(role.name);
    }
    this.roles.delete(role.id);
    this.changed();
  }

  /** Groups of the role's Org that hold the role, by name. */
  groupsWithRole(role: RoleRec): GroupRec[] {
    const org = this.orgs.get(role.orgId);
    if (org === undefined) return [];
    const out: GroupRec[] = [];
    for (const group of org.groups.values()) if (group.roleIds.has(role.id)) out.push(group);
    return out.sort(byNameThenId);
  }

  // ---------------------------------------------------------------- membership engine

  /**
   * The group and every group above it: a sub-group is a member of its parent, so members of the sub-group inherit
   * the parent's privileges and roles (CONTRACT.md §8). Cycles are refused on write, and the walk keeps a visited set
   * anyway so a cycle could never hang a request.
   */
  ancestorsOf(groupId: string): ReadonlySet<string> {
    this.fresh();
    const cached = this.ancestorCache.get(groupId);
    if (cached !== undefined) return cached;
    const seen = new Set<string>();
    const stack = [groupId];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue;
      const group = this.groups.get(id);
      if (group === undefined) continue;
      seen.add(id);
      for (const parent of group.parentIds) if (!seen.has(parent)) stack.push(parent);
    }
    this.ancestorCache.set(groupId, seen);
    return seen;
  }

  /** What a group grants by itself: its privileges plus its roles' privileges. */
  grantsOf(groupId: string): ReadonlySet<string> {
    this.fresh();
    const cached = this.grantCache.get(groupId);
    if (cached !== undefined) return cached;
    const out = new Set<string>();
    const group = this.groups.get(groupId);
    if (group !== undefined) {
      for (const p of group.privileges) out.add(p);
      for (const roleId of group.roleIds) {
        const role = this.roles.get(roleId);
        if (role !== undefined) for (const p of role.privileges) out.add(p);
      }
    }
    this.grantCache.set(groupId, out);
    return out;
  }

  /** The user's direct groups inside one Org (never `All`). */
  directGroups(user: UserRec, orgId: number): GroupRec[] {
    const out: GroupRec[] = [];
    for (const groupId of user.groupIds) {
      const group = this.groups.get(groupId);
      if (group !== undefined && group.orgId === orgId) out.push(group);
    }
    return out.sort(byNameThenId);
  }

  /** Direct groups plus everything they inherit, inside one Org (CONTRACT.md §16 Q10: inherited ⊇ direct). */
  groupClosure(user: UserRec, orgId: number): GroupRec[] {
    const ids = new Set<string>();
    for (const groupId of user.groupIds) {
      const group = this.groups.get(groupId);
      if (group === undefined || group.orgId !== orgId) continue;
      for (const a of this.ancestorsOf(groupId)) ids.add(a);
    }
    const out: GroupRec[] = [];
    for (const id of ids) {
      const group = this.groups.get(id);
      if (group !== undefined) out.push(group);
    }
    return out.sort(byNameThenId);
  }

  /** Privileges a user holds in one Org through groups, roles and `All`, before the cluster-admin bonus. */
  private orgGrants(user: UserRec, orgId: number): Set<string> {
    const out = new Set<string>();
    const org = this.orgs.get(orgId);
    if (org === undefined || !user.orgIds.has(orgId)) return out;
    for (const p of this.grantsOf(org.allGroupId)) out.add(p);
    for (const groupId of user.groupIds) {
      const group = this.groups.get(groupId);
      if (group === undefined || group.orgId !== orgId) continue;
      for (const a of this.ancestorsOf(groupId)) for (const p of this.grantsOf(a)) out.add(p);
    }
    return out;
  }

  /**
   * Cluster administrators hold administration in the Primary Org (the `Administrator` group there, or
   * `ORG_ADMINISTRATION`), or are the super user. They may act in every Org (CONTRACT.md §2.4, §3).
   */
  isClusterAdmin(user: UserRec): boolean {
    if (user.superUser) return true;
    this.fresh();
    const cached = this.clusterAdminCache.get(user.id);
    if (cached !== undefined) return cached;
    const grants = this.orgGrants(user, PRIMARY_ORG_ID);
    const result = CLUSTER_ADMIN_PRIVILEGES.some((p) => grants.has(p));
    this.clusterAdminCache.set(user.id, result);
    return result;
  }

  /**
   * The user's effective privileges in an Org: the union over the group closure of group privileges and role
   * privileges, plus `All`'s; cluster administrators also hold `ADMINISTRATION` in every Org. Sorted, memoised.
   */
  effectivePrivileges(user: UserRec, orgId: number): readonly string[] {
    this.fresh();
    const key = `${user.id}|${orgId}`;
    const cached = this.privilegeCache.get(key);
    if (cached !== undefined) return cached;
    const grants = this.orgGrants(user, orgId);
    if (this.isClusterAdmin(user)) grants.add('ADMINISTRATION');
    const list = [...grants].sort();
    this.privilegeCache.set(key, list);
    return list;
  }

  /** Roles that reach a user in an Org (through the group closure and `All`). */
  effectiveRoles(user: UserRec, orgId: number): Set<string> {
    const out = new Set<string>();
    const org = this.orgs.get(orgId);
    if (org === undefined || !user.orgIds.has(orgId)) return out;
    const all = this.groups.get(org.allGroupId);
    if (all !== undefined) for (const r of all.roleIds) out.add(r);
    for (const group of this.groupClosure(user, orgId)) for (const r of group.roleIds) out.add(r);
    return out;
  }

  // ---------------------------------------------------------------- sorted listings

  private sortKey(field: SortField): (rec: Sortable) => string | number {
    switch (field) {
      case 'NAME':
        return (r) => r.name.toLowerCase();
      case 'DISPLAY_NAME':
        return (r) => r.displayName.toLowerCase();
      case 'AUTHOR':
        return (r) => this.users.get(r.authorId)?.name.toLowerCase() ?? r.authorId;
      case 'CREATED':
        return (r) => r.createdAt;
      case 'MODIFIED':
        return (r) => r.modifiedAt;
    }
  }

  private sortRecords<T extends Sortable>(records: T[], field: SortField): { rows: T[]; keys: (string | number)[] } {
    const keyOf = this.sortKey(field);
    const keyed = records.map((rec) => ({ rec, key: keyOf(rec) }));
    keyed.sort((a, b) => compareKeyed(a.key, a.rec.id, b.key, b.rec.id));
    return { rows: keyed.map((k) => k.rec), keys: keyed.map((k) => k.key) };
  }

  /**
   * Keeps cached member listings right after one user changed: the user leaves every listing and re-enters, by binary
   * search, those of the Orgs it still belongs to. A write costs a linear scan of each cached listing instead of a
   * full re-sort, so a benchmark that mixes writes with paged reads over 100,000 users stays cheap.
   */
  private reindexUser(user: UserRec): void {
    if (this.sortedUserCache.size === 0) return;
    this.fresh();
    const alive = this.users.get(user.id) === user;
    for (const entry of this.sortedUserCache.values()) {
      const at = entry.users.indexOf(user);
      if (at >= 0) {
        entry.users.splice(at, 1);
        entry.keys.splice(at, 1);
      }
      if (!alive || user.hidden || !user.orgIds.has(entry.orgId)) continue;
      const key = this.sortKey(entry.field)(user);
      let lo = 0;
      let hi = entry.users.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareKeyed(entry.keys[mid] as string | number, (entry.users[mid] as UserRec).id, key, user.id) < 0) lo = mid + 1;
        else hi = mid;
      }
      entry.users.splice(lo, 0, user);
      entry.keys.splice(lo, 0, key);
    }
  }

  /**
   * Listed members of an Org (hidden system principals such as `su` and `system` are never listed) sorted ascending
   * by a field with the GUID as a stable tiebreak. Cached and kept right by {@link reindexUser}, so a page of a
   * 100,000-user search neither sorts nor filters 100,000 rows per request.
   */
  sortedOrgMembers(orgId: number, field: SortField): readonly UserRec[] {
    this.fresh();
    const key = `${orgId}|${field}`;
    const cached = this.sortedUserCache.get(key);
    if (cached !== undefined) return cached.users;
    const org = this.orgs.get(orgId);
    const members: UserRec[] = [];
    if (org !== undefined) {
      for (const id of org.members) {
        const user = this.users.get(id);
        if (user !== undefined && !user.hidden) members.push(user);
      }
    }
    const sorted = this.sortRecords(members, field);
    this.sortedUserCache.set(key, { orgId, field, users: sorted.rows, keys: sorted.keys });
    return sorted.rows;
  }

  /** Groups of one Org, or of every Org (`'*'`), sorted ascending by a field; cached like users. */
  sortedGroups(scope: number | '*', field: SortField): readonly GroupRec[] {
    this.fresh();
    const key = `${scope}|${field}`;
    const cached = this.sortedGroupCache.get(key);
    if (cached !== undefined) return cached;
    const list =
      scope === '*' ? [...this.groups.values()] : [...(this.orgs.get(scope)?.groups.values() ?? [])];
    const sorted = this.sortRecords(list, field).rows;
    this.sortedGroupCache.set(key, sorted);
    return sorted;
  }

  // ---------------------------------------------------------------- tokens and sessions

  /** Mints a bearer token; many live tokens per user coexist (CONTRACT.md §2.2). */
  mintToken(input: {
    user: UserRec;
    orgId: number;
    accessType: 'FULL' | 'REPORT_BOOK_VIEW';
    metadataId?: string | null;
    validitySec: number;
  }): TokenRec {
    const now = this.deps.clock.now();
    if (++this.mintsSinceSweep >= SWEEP_EVERY_MINTS) this.sweepTokens(now);
    const rec: TokenRec = {
      token: mintTokenString(input.user.name),
      id: randomUUID(),
      userId: input.user.id,
      orgId: input.orgId,
      accessType: input.accessType,
      metadataId: input.metadataId ?? null,
      createdAt: now,
      expiresAt: now + input.validitySec * 1000,
      revoked: false,
    };
    this.tokens.set(rec.token, rec);
    let own = this.tokensByUser.get(rec.userId);
    if (own === undefined) this.tokensByUser.set(rec.userId, (own = new Set()));
    own.add(rec.token);
    this.noteLogin(input.user, input.orgId, now);
    return rec;
  }

  /** Records a login: the Org becomes the user's default, and the first login time is set once. */
  noteLogin(user: UserRec, orgId: number, at: number): void {
    if (user.lastOrgId === orgId && user.firstLoginAt !== null) return;
    user.lastOrgId = orgId;
    if (user.firstLoginAt === null) user.firstLoginAt = at;
    this.changed();
  }

  /** Revokes one token. */
  revokeToken(rec: TokenRec): void {
    rec.revoked = true;
  }

  /** Revokes every token of a user. */
  revokeUserTokens(userId: string): void {
    const own = this.tokensByUser.get(userId);
    if (own === undefined) return;
    for (const token of own) {
      const rec = this.tokens.get(token);
      if (rec !== undefined) rec.revoked = true;
    }
  }

  /**
   * Revokes every token of every user at once: `users/force-logout` without a list (CONTRACT.md §2.3). One pass over
   * the tokens rather than one per user, which on the large seed would be a pass per user.
   */
  revokeAllTokens(): void {
    for (const rec of this.tokens.values()) rec.revoked = true;
  }

  /** Ends every cookie session of every user (the session half of a force-logout without a list). */
  endAllSessions(): void {
    this.sessions.clear();
  }

  /** Ends every cookie session of a user. */
  endUserSessions(userId: string): void {
    for (const session of [...this.sessions.values()]) if (session.userId === userId) this.sessions.delete(session.id);
  }

  /** Opens a cookie session and returns its `JSESSIONID`. */
  createSession(user: UserRec, orgId: number, rememberMe: boolean): SessionRec {
    const now = this.deps.clock.now();
    const session: SessionRec = {
      id: randomSecret(18),
      userId: user.id,
      orgId,
      createdAt: now,
      lastSeenAt: now,
      rememberMe,
    };
    this.sessions.set(session.id, session);
    this.noteLogin(user, orgId, now);
    return session;
  }

  private sweepTokens(now: number): void {
    this.mintsSinceSweep = 0;
    for (const [token, rec] of this.tokens) {
      if (rec.expiresAt + EXPIRED_TOKEN_GRACE_MS <= now || (rec.revoked && rec.expiresAt <= now)) {
        this.tokens.delete(token);
        this.tokensByUser.get(rec.userId)?.delete(token);
      }
    }
  }
}
