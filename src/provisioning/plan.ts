// Public to src/resolvers: the tenant planner. Pure: the current state of one tenant as the caller may see it, and a
// blueprint (blueprint.ts), in; the ordered changes that make ThoughtSpot match the blueprint, and the upstream calls
// that make them, out. An empty plan means ThoughtSpot already matches: applying a blueprint and planning it again
// gives no changes (convergence).
//
// Order. Changes come in phases, each depending only on earlier ones: the Organization; roles; new groups, children
// before parents (a group is created with its sub-groups and roles, which must exist); edits of existing groups that
// remove sub-groups or roles; edits that add them; users joining the Organization; users' own changes. ThoughtSpot
// refuses a sub-group edge that would close a cycle, so the hierarchy must stay acyclic at every step, not only at
// the end (a REPLACE that added and removed in one call could close one on the way: say A ⊃ B becomes B ⊃ A). It
// does: a new group is created before anything points to it, and once the removals are made every edge left is one
// of the final hierarchy's, which is acyclic (checked), so no addition can close a cycle.
//
// Calls. A change is made by one call, and the call is all-or-nothing (ThoughtSpot validates a request before it
// writes), so a failed call leaves each of its changes exactly unmade. Roles and groups are few, so they cost a
// call each. Users are many: every user's changes go into `users/import` rows, IMPORT_CHUNK_ROWS to a call, which
// makes a 1,000-user tenant one call instead of a thousand; users who already exist in another Organization join
// this one first through one `orgs/{id}/update` per chunk (ADD), the documented way to add a user to an Org
// (CONTRACT.md §3, §9).

import type { AccountType } from '../thoughtspot/index.js';
import {
  ADMINISTRATOR_GROUP,
  cycleAmong,
  type Blueprint,
  type BlueprintProblem,
  type GroupSpec,
  type UserSpec,
} from './blueprint.js';

/** A role as it is now. */
export interface RoleState {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** ThoughtSpot privilege names (roles/search's spellings already normalised). */
  readonly privileges: readonly string[];
  /** A read-only role can be neither updated nor deleted (CONTRACT.md §11.5). */
  readonly readOnly: boolean;
}

/** A group as it is now. */
export interface GroupState {
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  readonly description: string | null;
  /** Names of its direct sub-groups. */
  readonly subGroups: readonly string[];
  /** Names of the roles it holds. */
  readonly roles: readonly string[];
}

/** A user the blueprint declares, as it is now. */
export interface UserState {
  readonly id: string;
  /** The username as ThoughtSpot spells it (blueprints match usernames without case). */
  readonly name: string;
  readonly displayName: string;
  readonly email: string | null;
  readonly accountType: AccountType | null;
  /** Whether the user is a member of the tenant's Organization. */
  readonly inOrganization: boolean;
  /** Names of the Organization's groups the user is a direct member of (empty when not a member). */
  readonly groups: readonly string[];
}

/** One tenant as the caller may see it. */
export interface TenantState {
  /** The Organization, or null when it does not exist. */
  readonly organization: { readonly id: number; readonly name: string; readonly description: string | null } | null;
  /** The Organization's roles, by name (empty when it does not exist). */
  readonly roles: ReadonlyMap<string, RoleState>;
  /** The Organization's groups, by name (empty when it does not exist). */
  readonly groups: ReadonlyMap<string, GroupState>;
  /** The declared users that exist somewhere the caller may see, by lower-cased username. */
  readonly users: ReadonlyMap<string, UserState>;
  /** Lower-cased usernames the blueprint declares that exist only where the caller may not look. */
  readonly hiddenUsernames: ReadonlySet<string>;
}

/** What a change does (schema: `TenantChangeAction`). */
export type ChangeAction =
  | 'CREATE_ORGANIZATION'
  | 'UPDATE_ORGANIZATION'
  | 'CREATE_ROLE'
  | 'UPDATE_ROLE'
  | 'CREATE_GROUP'
  | 'UPDATE_GROUP'
  | 'REMOVE_SUB_GROUPS'
  | 'UNASSIGN_ROLES'
  | 'ADD_SUB_GROUPS'
  | 'ASSIGN_ROLES'
  | 'ADD_USER_TO_ORGANIZATION'
  | 'CREATE_USER'
  | 'UPDATE_USER'
  | 'SET_USER_GROUPS';

/** What a change acts on (schema: `TenantObjectType`). */
export type TargetType = 'ORGANIZATION' | 'ROLE' | 'GROUP' | 'USER';

/** One change of a plan. */
export interface Change {
  /** 1-based position in the plan. */
  readonly index: number;
  readonly action: ChangeAction;
  readonly target: { readonly type: TargetType; readonly name: string };
  /** What it does, in words. */
  readonly description: string;
}

/** One `users/import` row. */
export interface ImportRow {
  /** The username (ThoughtSpot's spelling for an existing user). */
  readonly identifier: string;
  readonly displayName: string;
  readonly email?: string;
  readonly accountType?: AccountType;
  /** The user's direct groups in the Organization afterwards (REPLACE); absent: left alone. */
  readonly groups?: readonly string[];
  /** A new user: gets the apply's initial password. */
  readonly isNew: boolean;
}

/** The upstream call that makes one or more changes. Identifiers are names; the Org is the plan's. */
export type Call =
  | { readonly kind: 'createOrganization'; readonly name: string; readonly description: string | null }
  | { readonly kind: 'updateOrganization'; readonly description: string }
  | { readonly kind: 'createRole'; readonly name: string; readonly description: string | null; readonly privileges: readonly string[] }
  | { readonly kind: 'updateRole'; readonly id: string; readonly name: string; readonly description: string | null; readonly privileges: readonly string[] }
  | {
      readonly kind: 'createGroup';
      readonly name: string;
      readonly displayName: string;
      readonly description: string | null;
      readonly subGroups: readonly string[];
      readonly roles: readonly string[];
    }
  | { readonly kind: 'updateGroup'; readonly id: string; readonly displayName: string | null; readonly description: string | null }
  | {
      readonly kind: 'editGroupLists';
      readonly id: string;
      readonly operation: 'ADD' | 'REMOVE';
      readonly subGroups?: readonly string[];
      readonly roles?: readonly string[];
    }
  | { readonly kind: 'addUsersToOrganization'; readonly userIds: readonly string[] }
  | { readonly kind: 'importUsers'; readonly rows: readonly ImportRow[] };

/** One call of a plan and the changes it makes. Steps of one phase are independent of each other. */
export interface Step {
  readonly phase: number;
  readonly call: Call;
  /** Indexes (`Change.index`) of the changes this call makes. */
  readonly changes: readonly number[];
}

/** The plan: changes in order, the calls that make them, or why there is none. */
export interface Plan {
  readonly changes: readonly Change[];
  readonly steps: readonly Step[];
  /** Non-empty when the blueprint cannot be applied to this state; there are then no changes. */
  readonly problems: readonly BlueprintProblem[];
}

/** Users per `users/import` call (and per `orgs/{id}/update` that adds users): see the header. */
export const IMPORT_CHUNK_ROWS = 1_000;

// Phases; new groups take one phase per level of the new hierarchy, from PHASE_NEW_GROUPS on.
const PHASE_ORGANIZATION = 0;
const PHASE_ROLES = 1;
const PHASE_NEW_GROUPS = 2;

/** Plans `blueprint` (already checked: blueprint.ts `checkBlueprint`) against `state`. */
export function planTenant(state: TenantState, blueprint: Blueprint): Plan {
  const problems = conflicts(state, blueprint);
  if (problems.length > 0) return { changes: [], steps: [], problems };
  const draft = new Draft();
  const org = state.organization;
  const { organization } = blueprint;
  if (org === null) {
    draft.add(PHASE_ORGANIZATION, { kind: 'createOrganization', name: organization.name, description: organization.description }, [
      ['CREATE_ORGANIZATION', 'ORGANIZATION', organization.name, `Create the Organization ${organization.name}.`],
    ]);
  } else if (organization.description !== null && organization.description !== (org.description ?? '')) {
    draft.add(PHASE_ORGANIZATION, { kind: 'updateOrganization', description: organization.description }, [
      ['UPDATE_ORGANIZATION', 'ORGANIZATION', org.name, `Set the description of ${org.name}.`],
    ]);
  }

  for (const role of blueprint.roles) {
    const current = state.roles.get(role.name);
    const privileges = [...new Set(role.privileges)].sort();
    if (current === undefined) {
      draft.add(PHASE_ROLES, { kind: 'createRole', name: role.name, description: role.description, privileges }, [
        ['CREATE_ROLE', 'ROLE', role.name, `Create the role ${role.name} with ${listOf(privileges, 'no privileges')}.`],
      ]);
      continue;
    }
    const samePrivileges = sameSet(current.privileges, privileges);
    const sameDescription = role.description === null || role.description === current.description;
    if (samePrivileges && sameDescription) continue;
    const what = [
      ...(samePrivileges ? [] : [`privileges ${listOf(privileges, 'none')} (was ${listOf([...current.privileges].sort(), 'none')})`]),
      ...(sameDescription ? [] : ['description']),
    ];
    draft.add(PHASE_ROLES, { kind: 'updateRole', id: current.id, name: current.name, description: role.description, privileges }, [
      ['UPDATE_ROLE', 'ROLE', role.name, `Set the ${what.join(' and ')} of the role ${role.name}.`],
    ]);
  }

  planGroups(draft, state, blueprint);
  planUsers(draft, state, blueprint);
  return draft.finish();
}

// Private: what no plan can fix: a username taken outside the caller's view, a read-only role that would change,
// a hierarchy that would become cyclic once the declared sub-groups are in place.
function conflicts(state: TenantState, blueprint: Blueprint): BlueprintProblem[] {
  const problems: BlueprintProblem[] = [];
  blueprint.users.forEach((user, i) => {
    if (state.hiddenUsernames.has(user.username.toLowerCase())) {
      problems.push({
        path: ['users', String(i), 'username'],
        message: `The username ${user.username} is taken by a user outside the Organizations you may manage.`,
        code: 'ALREADY_EXISTS',
      });
    }
  });
  blueprint.roles.forEach((role, i) => {
    const current = state.roles.get(role.name);
    if (current?.readOnly === true && !(sameSet(current.privileges, role.privileges) && (role.description ?? current.description) === current.description)) {
      problems.push({ path: ['roles', String(i)], message: `The role ${role.name} is read-only and cannot be changed.`, code: 'NOT_ALLOWED' });
    }
  });
  // The hierarchy afterwards: every existing edge the blueprint does not decide, plus the declared ones.
  const declared = new Map(blueprint.groups.map((group) => [group.name, group]));
  const edges = new Map<string, string[]>();
  for (const group of state.groups.values()) {
    const decided = declared.has(group.name);
    edges.set(group.name, group.subGroups.filter((child) => !(decided && declared.has(child))));
  }
  for (const group of blueprint.groups) edges.set(group.name, [...(edges.get(group.name) ?? []), ...group.subGroups]);
  const cyclic = cycleAmong([...edges]);
  if (cyclic !== null) {
    const i = blueprint.groups.findIndex((group) => group.name === cyclic);
    problems.push({
      path: i === -1 ? ['groups'] : ['groups', String(i), 'subGroups'],
      message: `With the declared sub-groups, ${cyclic} would become a sub-group of itself through groups the blueprint does not declare.`,
      code: 'CYCLE',
    });
  }
  return problems;
}

// Private: roles and groups: new groups level by level, then edits of existing ones (removals before additions).
function planGroups(draft: Draft, state: TenantState, blueprint: Blueprint): void {
  const declaredGroups = new Set(blueprint.groups.map((group) => group.name));
  const declaredRoles = new Set(blueprint.roles.map((role) => role.name));
  const fresh = new Map(blueprint.groups.filter((group) => !state.groups.has(group.name)).map((group) => [group.name, group]));
  // Level of a new group: 0 without new sub-groups, else one more than its highest new sub-group (acyclic: checked).
  const levels = new Map<string, number>();
  const levelOf = (group: GroupSpec): number => {
    const known = levels.get(group.name);
    if (known !== undefined) return known;
    let level = 0;
    for (const child of group.subGroups) {
      const spec = fresh.get(child);
      if (spec !== undefined) level = Math.max(level, levelOf(spec) + 1);
    }
    levels.set(group.name, level);
    return level;
  };
  let deepest = -1;
  for (const group of fresh.values()) {
    const level = levelOf(group);
    deepest = Math.max(deepest, level);
    const parts = [
      ...(group.subGroups.length === 0 ? [] : [`sub-groups ${listOf(group.subGroups, '')}`]),
      ...(group.roles.length === 0 ? [] : [`roles ${listOf(group.roles, '')}`]),
    ];
    draft.add(
      PHASE_NEW_GROUPS + level,
      {
        kind: 'createGroup',
        name: group.name,
        displayName: group.displayName ?? group.name,
        description: group.description,
        subGroups: [...group.subGroups],
        roles: [...group.roles],
      },
      [['CREATE_GROUP', 'GROUP', group.name, `Create the group ${group.name}${parts.length === 0 ? '' : ` with ${parts.join(' and ')}`}.`]],
    );
  }
  const removals = PHASE_NEW_GROUPS + deepest + 1;
  const additions = removals + 1;
  for (const group of blueprint.groups) {
    const current = state.groups.get(group.name);
    if (current === undefined) continue;
    const displayName = group.displayName !== null && group.displayName !== current.displayName ? group.displayName : null;
    const description = group.description !== null && group.description !== (current.description ?? '') ? group.description : null;
    if (displayName !== null || description !== null) {
      const what = [...(displayName === null ? [] : ['display name']), ...(description === null ? [] : ['description'])];
      draft.add(removals, { kind: 'updateGroup', id: current.id, displayName, description }, [
        ['UPDATE_GROUP', 'GROUP', group.name, `Set the ${what.join(' and ')} of the group ${group.name}.`],
      ]);
    }
    const lists = [
      { field: 'subGroups', current: current.subGroups, wanted: group.subGroups, declared: declaredGroups, noun: 'sub-groups' },
      { field: 'roles', current: current.roles, wanted: group.roles, declared: declaredRoles, noun: 'roles' },
    ] as const;
    for (const list of lists) {
      const have = new Set(list.current.filter((name) => list.declared.has(name)));
      const gone = [...have].filter((name) => !list.wanted.includes(name)).sort();
      const added = list.wanted.filter((name) => !have.has(name));
      const subGroups = list.field === 'subGroups';
      const edit = (names: readonly string[]) => (subGroups ? { subGroups: names } : { roles: names });
      const edits = [
        { operation: 'REMOVE', names: gone, phase: removals, action: subGroups ? 'REMOVE_SUB_GROUPS' : 'UNASSIGN_ROLES', words: ['Remove', 'from'] },
        { operation: 'ADD', names: added, phase: additions, action: subGroups ? 'ADD_SUB_GROUPS' : 'ASSIGN_ROLES', words: ['Add', 'to'] },
      ] as const;
      for (const { operation, names, phase, action, words } of edits) {
        if (names.length === 0) continue;
        const description = `${words[0]} the ${list.noun} ${listOf(names, '')} ${words[1]} the group ${group.name}.`;
        draft.add(phase, { kind: 'editGroupLists', id: current.id, operation, ...edit(names) }, [[action, 'GROUP', group.name, description]]);
      }
    }
  }
  draft.nextPhase = additions + 1;
}

// Private: users: who joins the Organization (one call per chunk), then every user's own changes as import rows.
function planUsers(draft: Draft, state: TenantState, blueprint: Blueprint): void {
  const managed = new Set([...blueprint.groups.map((group) => group.name), ADMINISTRATOR_GROUP]);
  const joining: { readonly user: UserSpec; readonly id: string }[] = [];
  const rows: { readonly row: ImportRow; readonly changes: ChangeSpec[] }[] = [];
  for (const user of blueprint.users) {
    const current = state.users.get(user.username.toLowerCase());
    const wanted = [...user.groups];
    if (current === undefined) {
      const accountType = user.accountType ?? 'LOCAL_USER';
      rows.push({
        row: {
          identifier: user.username,
          displayName: user.displayName ?? user.username,
          ...(user.email === null ? {} : { email: user.email }),
          accountType,
          groups: wanted,
          isNew: true,
        },
        changes: [
          [
            'CREATE_USER',
            'USER',
            user.username,
            `Create the user ${user.username} (${accountType.replace(/_USER$/, '')} account)${wanted.length === 0 ? '' : ` in ${listOf(wanted, '')}`}.`,
          ],
        ],
      });
      continue;
    }
    if (!current.inOrganization) joining.push({ user, id: current.id });
    const changes: ChangeSpec[] = [];
    const attributes: string[] = [];
    if (user.displayName !== null && user.displayName !== current.displayName) attributes.push('display name');
    if (user.email !== null && user.email !== current.email) attributes.push('e-mail');
    if (user.accountType !== null && user.accountType !== current.accountType) attributes.push('account type');
    if (attributes.length > 0) {
      changes.push(['UPDATE_USER', 'USER', user.username, `Set the ${attributes.join(', ')} of the user ${user.username}.`]);
    }
    const had = current.groups.filter((name) => managed.has(name));
    const groupsChange = !sameSet(had, wanted);
    if (groupsChange) {
      const joins = wanted.filter((name) => !had.includes(name));
      const leaves = had.filter((name) => !wanted.includes(name)).sort();
      const what = [...(joins.length === 0 ? [] : [`add to ${listOf(joins, '')}`]), ...(leaves.length === 0 ? [] : [`remove from ${listOf(leaves, '')}`])];
      changes.push(['SET_USER_GROUPS', 'USER', user.username, `Groups of the user ${user.username}: ${what.join('; ')}.`]);
    }
    if (changes.length === 0) continue;
    rows.push({
      row: {
        identifier: current.name,
        displayName: user.displayName ?? current.displayName,
        ...(user.email === null ? {} : { email: user.email }),
        ...(user.accountType === null ? {} : { accountType: user.accountType }),
        // The groups the blueprint does not decide stay as they are.
        ...(groupsChange ? { groups: [...current.groups.filter((name) => !managed.has(name)), ...wanted] } : {}),
        isNew: false,
      },
      changes,
    });
  }
  const joinPhase = draft.nextPhase;
  for (let i = 0; i < joining.length; i += IMPORT_CHUNK_ROWS) {
    const chunk = joining.slice(i, i + IMPORT_CHUNK_ROWS);
    draft.add(
      joinPhase,
      { kind: 'addUsersToOrganization', userIds: chunk.map((entry) => entry.id) },
      chunk.map(({ user }) => [
        'ADD_USER_TO_ORGANIZATION',
        'USER',
        user.username,
        `Add the existing user ${user.username} to the Organization ${blueprint.organization.name}.`,
      ]),
    );
  }
  for (let i = 0; i < rows.length; i += IMPORT_CHUNK_ROWS) {
    const chunk = rows.slice(i, i + IMPORT_CHUNK_ROWS);
    draft.add(joinPhase + 1, { kind: 'importUsers', rows: chunk.map((entry) => entry.row) }, chunk.flatMap((entry) => entry.changes));
  }
}

/** A change before it has its index: action, target type, target name, description. */
type ChangeSpec = readonly [ChangeAction, TargetType, string, string];

// Private: collects steps in any order and numbers their changes by phase, then by insertion.
class Draft {
  nextPhase = PHASE_NEW_GROUPS;
  private readonly entries: { readonly phase: number; readonly call: Call; readonly changes: readonly ChangeSpec[] }[] = [];

  add(phase: number, call: Call, changes: readonly ChangeSpec[]): void {
    this.entries.push({ phase, call, changes });
  }

  finish(): Plan {
    const ordered = this.entries.map((entry, order) => ({ ...entry, order })).sort((a, b) => a.phase - b.phase || a.order - b.order);
    const changes: Change[] = [];
    const steps: Step[] = [];
    for (const entry of ordered) {
      const indexes: number[] = [];
      for (const [action, type, name, description] of entry.changes) {
        const index = changes.length + 1;
        changes.push({ index, action, target: { type, name }, description });
        indexes.push(index);
      }
      steps.push({ phase: entry.phase, call: entry.call, changes: indexes });
    }
    return { changes, steps, problems: [] };
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((item) => y.has(item));
}

function listOf(items: readonly string[], empty: string): string {
  return items.length === 0 ? empty : items.join(', ');
}
