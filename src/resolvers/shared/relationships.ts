// Internal to src/resolvers: what the relationship mutations share (issue "Provisioning mutations", item 2): a group's
// members, sub-groups and roles, and an Organization's users, each changed by a set operation over a list of IDs.
//
// The semantics, one for all eight mutations:
// - Set operations. Adding what is there, or removing what is not, is not an error: the element is left as it is,
//   and when nothing is left to change no write is sent at all.
// - All or nothing. The list (at most MAX_RELATIONSHIP_IDS) is checked element by element before anything is
//   written: an ID that is malformed, of another type, repeated, unknown, outside the target's Organization (or the
//   caller's), or that would make a group its own descendant, gets its own user error on its index
//   (["input", "userIds", "3"]), and if there is any, nothing is written.
// - One write. ThoughtSpot's own set operations do the change: `groups/{id}/update` and `orgs/{id}/update` with
//   `operation: ADD` or `REMOVE`, naming only the elements that change. Nothing is read back and replaced
//   (`REPLACE`), which would undo what a concurrent writer changed between the read and the write; the read here
//   only decides what to send, and a stale read costs at most a harmless ADD of a member that is there already.
// - Tenancy. An element or target outside the caller's Organizations gets exactly the user error of one that does
//   not exist, and is never written: every read goes through the request's loaders (loaders/tenancy.ts).

import type { Context } from '../../context.js';
import { isAllGroup, isRecordNotFound, PRIMARY_ORG_ID, type GroupNode, type UserInOrgKey } from '../../loaders/index.js';
import { ForeignIdError, fromGlobalId, type GlobalIdTarget, type NodeTypename } from '../../relay/global-id.js';
import type { GroupUpdate, OrgRecord, UserRecord } from '../../thoughtspot/index.js';
import type { UserErrorModel } from './audit.js';
import { globalIdOf, loadNode } from './lists.js';
import { failed, mutate, userErrorOf, writableOrg, type MutationSpec, type Payload } from './mutations.js';

/** What a user ID that names nobody the caller can see is told. */
const UNKNOWN_USER = 'No user with this ID exists.';

/** Most IDs one relationship mutation takes. */
export const MAX_RELATIONSHIP_IDS = 100;

/** How a relationship mutation changes the set: ThoughtSpot's `operation` of the same name. */
export type SetOperation = 'ADD' | 'REMOVE';

/** What every relationship mutation's input has besides its list. */
interface RelationshipInput {
  readonly idempotencyKey?: string | null | undefined;
}

/** An element of the list as checked against the directory: its relation to the target now, or why it is refused. */
type Checked = { readonly related: boolean; readonly refused?: undefined } | { readonly refused: UserErrorModel };

/** One list element that decoded well: its index in the input and its ThoughtSpot GUID. */
export interface Element {
  readonly index: number;
  readonly guid: string;
}

/** A user error and the list index it belongs to (-1: the target, which is reported first). */
export interface Indexed {
  readonly index: number;
  readonly error: UserErrorModel;
}

/** One of a group's three relations: members, sub-groups, roles. */
export interface GroupRelation {
  /** The input field of the list. */
  readonly field: 'userIds' | 'subGroupIds' | 'roleIds';
  /** The type of the list's IDs. */
  readonly typename: 'User' | 'Group' | 'Role';
  /** What an element that names nothing in the group's Organization is told. */
  readonly unknown: string;
  /** Looks up the elements in the group's Organization, in order: each one's relation to the group, or its refusal. */
  check(ctx: Context, group: GroupNode, guids: readonly string[], operation: SetOperation): Promise<Checked[]>;
  /** The list field of `groups/{id}/update` that holds these elements. */
  update(guids: readonly string[]): Pick<GroupUpdate, 'userIdentifiers' | 'subGroupIdentifiers' | 'roleIdentifiers'>;
}

/**
 * Direct user members. Only users of the group's Organization can be members (ThoughtSpot refuses others), so a
 * user is looked up in that Organization, which is one of the caller's: a user who is not in it is reported as
 * unknown, whether it exists elsewhere or not. `All` holds every user of its Organization implicitly.
 */
export const GROUP_MEMBERS: GroupRelation = {
  field: 'userIds',
  typename: 'User',
  unknown: "No user with this ID is a member of the group's Organization.",
  async check(ctx, group, guids) {
    const keys = guids.map((guid): UserInOrgKey => ({ orgId: group.orgId, by: 'id', value: guid }));
    const rows = await ctx.loaders.userInOrg.loadMany(keys);
    return rows.map((row) =>
      found(row, GROUP_MEMBERS.unknown, (user) => ({
        related: isAllGroup(group) || user.groups.some((ref) => ref.id === group.id),
      })),
    );
  },
  update: (guids) => ({ userIdentifiers: guids }),
};

/**
 * Direct sub-groups, from the Organization's group index, which also decides cycles before anything is written:
 * making `child` a sub-group of `group` closes a loop exactly when `group` is `child` or one of its descendants.
 */
export const GROUP_SUB_GROUPS: GroupRelation = {
  field: 'subGroupIds',
  typename: 'Group',
  unknown: "No group with this ID exists in the parent group's Organization.",
  async check(ctx, group, guids, operation) {
    const index = await ctx.loaders.groupIndex.load(group.orgId);
    const children = new Set(index.childrenOf(group.id));
    return guids.map((guid): Checked => {
      const child = index.byId.get(guid);
      if (child === undefined) return refuse(GROUP_SUB_GROUPS.unknown, 'NOT_FOUND');
      const related = children.has(guid);
      if (operation === 'REMOVE' || related) return { related };
      if (isAllGroup(child)) return refuse('The All group cannot be a sub-group: every user of the Organization is in it already.', 'NOT_ALLOWED');
      if (child.id === group.id) return refuse('A group cannot be a sub-group of itself.', 'CYCLE');
      if (index.closureOf(child.id).has(group.id)) {
        return refuse(`Group "${child.name}" already contains group "${group.name}" (directly or through sub-groups), so it cannot also be its sub-group.`, 'CYCLE');
      }
      return { related };
    });
  },
  update: (guids) => ({ subGroupIdentifiers: guids }),
};

/** Roles assigned to the group, from the Organization's role index (clusters with role-based access control). */
export const GROUP_ROLES: GroupRelation = {
  field: 'roleIds',
  typename: 'Role',
  unknown: "No role with this ID exists in the group's Organization.",
  async check(ctx, group, guids) {
    const index = await ctx.loaders.roleIndex.load(group.orgId);
    const held = new Set(index.rolesOfGroup(group.id).map((role) => role.id));
    return guids.map((guid): Checked =>
      index.byId.has(guid) ? { related: held.has(guid) } : refuse(GROUP_ROLES.unknown, 'NOT_FOUND'),
    );
  },
  update: (guids) => ({ roleIdentifiers: guids }),
};

/**
 * Runs a group relationship mutation (see the header): `operationName` is the mutation's field, `ids` its list.
 * The audit event records the group and its Organization (when the caller may see it).
 */
export function changeGroupRelation(
  ctx: Context,
  operationName: string,
  relation: GroupRelation,
  operation: SetOperation,
  input: RelationshipInput & { readonly groupId: string },
  ids: readonly string[],
): Promise<{ group: GroupNode; userErrors: UserErrorModel[] } | Payload> {
  const targetField = ['input', 'groupId'];
  return mutate(ctx, writeOf(operationName, { type: 'Group', id: input.groupId }, organizationOfGroup(ctx, input.groupId), input), async () => {
    const listField = ['input', relation.field];
    if (ids.length > MAX_RELATIONSHIP_IDS) return failed([tooMany(listField, ids.length)]);
    const target = decode(ctx, input.groupId, 'Group', targetField);
    const orgId = target.target?.orgId ?? null;
    // Groups and roles are per Organization: one of another Organization is as unknown here as one that is nowhere.
    const sameOrg = relation.typename === 'User' ? null : orgId;
    const { elements, errors } = decodeIdList(ctx, ids, { typename: relation.typename, field: listField, orgId: sameOrg, unknown: relation.unknown });
    const group = target.target == null ? null : ((await loadNode(ctx, target.target)) as GroupNode | null);
    if (group === null) {
      const targetError = target.error ?? { field: targetField, message: 'No group with this ID exists.', code: 'NOT_FOUND' };
      return failed(withoutTarget(targetError, errors));
    }
    if (operation === 'REMOVE' && relation.field === 'userIds' && isAllGroup(group)) {
      errors.push({
        index: -1,
        error: { field: targetField, message: 'Every user of the Organization is in the All group; no one can be removed from it.', code: 'NOT_ALLOWED' },
      });
    }
    const checked = await relation.check(ctx, group, elements.map((element) => element.guid), operation);
    const change = changeOf(elements, checked, operation, listField, errors);
    if (errors.length > 0) return failed(inListOrder(errors));
    if (change.length === 0) return { group, userErrors: [] };
    try {
      await ctx.client.updateGroup({ orgId: group.orgId }, group.id, { ...relation.update(change), operation });
    } catch (caught) {
      return failed([userErrorOf(caught, listField)]);
    }
    // The group as ThoughtSpot now has it (its modification time moved); the relations are read after the loaders
    // are cleared (mutations.ts `mutate`), so the payload shows the new membership.
    ctx.loaders.groupIndex.clear(group.orgId);
    const fresh = (await ctx.loaders.groupIndex.load(group.orgId)).byId.get(group.id);
    return { group: fresh ?? group, userErrors: [] };
  });
}

/**
 * Runs `organizationUsersAdd` or `organizationUsersRemove` (see the header). Users are cluster-wide: each is looked up
 * among the users the caller can see (members of at least one of its Organizations), and is a member of the target
 * when the target is among its Organizations. The write is one `orgs/{id}/update`, which ThoughtSpot accepts from
 * a cluster administrator's Primary-Org token only (CONTRACT.md §3, §11.4).
 */
export function changeOrganizationUsers(
  ctx: Context,
  operationName: string,
  operation: SetOperation,
  input: RelationshipInput & { readonly organizationId: string; readonly userIds: readonly string[] },
): Promise<{ organization: OrgRecord; userErrors: UserErrorModel[] } | Payload> {
  const targetField = ['input', 'organizationId'];
  return mutate(ctx, writeOf(operationName, { type: 'Organization', id: input.organizationId }, input.organizationId, input), async () => {
    const listField = ['input', 'userIds'];
    if (input.userIds.length > MAX_RELATIONSHIP_IDS) return failed([tooMany(listField, input.userIds.length)]);
    const target = decode(ctx, input.organizationId, 'Organization', targetField);
    const { elements, errors } = decodeIdList(ctx, input.userIds, { typename: 'User', field: listField, orgId: null, unknown: UNKNOWN_USER });
    const { org, error } =
      target.error === undefined ? await writableOrg(ctx, input.organizationId, targetField) : { org: null, error: target.error };
    if (org === null) return failed(withoutTarget(error, errors));
    const rows = await ctx.loaders.userByKey.loadMany(elements.map((element) => ({ by: 'id' as const, value: element.guid })));
    const checked = rows.map((row) =>
      found(row, UNKNOWN_USER, (user) => ({ related: user.orgs.some((ref) => ref.id === org.id) })),
    );
    const change = changeOf(elements, checked, operation, listField, errors);
    if (errors.length > 0) return failed(inListOrder(errors));
    if (change.length === 0) return { organization: org, userErrors: [] };
    try {
      await ctx.client.updateOrg({ orgId: PRIMARY_ORG_ID }, String(org.id), { userIdentifiers: change, operation });
    } catch (caught) {
      return failed([userErrorOf(caught, listField)]);
    }
    return { organization: org, userErrors: [] };
  });
}

// Private: what `mutate` is told of a relationship write (the audit event and the idempotency key).
function writeOf(operation: string, target: MutationSpec['target'], organizationId: string | null, input: RelationshipInput): MutationSpec {
  return { operation, scope: 'directory:write', target, organizationId, input, idempotencyKey: input.idempotencyKey };
}

// Private: a list over the limit is one error on the list itself; its elements are not looked at.
function tooMany(field: readonly string[], count: number): UserErrorModel {
  return { field: [...field], message: `At most ${MAX_RELATIONSHIP_IDS} IDs at a time, but got ${count}.`, code: 'INVALID' };
}

// Private: a refusal of a list element (its field is filled in by `changeOf`).
function refuse(message: string, code: UserErrorModel['code']): Checked {
  return { refused: { field: null, message, code } };
}

// Private: a loader's answer for one element: the user, judged by `relate`; not found is a refusal with `message`, and
// any other failure (ThoughtSpot unavailable…) is not the caller's input and fails the whole mutation.
function found(row: UserRecord | Error, message: string, relate: (user: UserRecord) => Checked): Checked {
  if (!(row instanceof Error)) return relate(row);
  if (isRecordNotFound(row)) return refuse(message, 'NOT_FOUND');
  throw row;
}

/**
 * Decodes a global ID that must name a `expected`: the target, null for an ID of another connection (which names
 * nothing here, as an object that does not exist), or an INVALID user error on `field` for anything else.
 */
function decode<T extends NodeTypename>(
  ctx: Context,
  id: string,
  expected: T,
  field: readonly string[],
): { readonly target: Extract<GlobalIdTarget, { typename: T }> | null; readonly error?: undefined } | { readonly target?: undefined; readonly error: UserErrorModel } {
  let target: GlobalIdTarget;
  try {
    target = fromGlobalId(ctx.connectionId, id, field.join('.'));
  } catch (error) {
    if (error instanceof ForeignIdError) return { target: null };
    return { error: { field: [...field], message: 'This is not an ID issued by this API.', code: 'INVALID' } };
  }
  if (target.typename !== expected) {
    return { error: { field: [...field], message: `This is the ID of ${article(target.typename)}, not of ${article(expected)}.`, code: 'INVALID' } };
  }
  return { target: target as Extract<GlobalIdTarget, { typename: T }> };
}

function article(typename: NodeTypename): string {
  return typename === 'Organization' ? 'an Organization' : `a ${typename}`;
}

/** How `decodeIdList` reads a list of IDs. */
export interface IdListSpec {
  /** The type every ID must name. */
  readonly typename: NodeTypename;
  /** The list's input field, e.g. `["input", "userIds"]`; an element's error adds its index. */
  readonly field: readonly string[];
  /** The Organization every group or role must belong to, or null when any (or none, for users) will do. */
  readonly orgId: number | null;
  /** What an element that names nothing the caller may act on is told (NOT_FOUND), whatever the reason. */
  readonly unknown: string;
}

/**
 * Decodes every element of a list: the GUIDs of those that decode, and an error for each that does not, is repeated
 * (the second and later occurrences), or names another Organization than `spec.orgId`; IDs of another Organization
 * or another connection read as unknown, exactly like IDs of nothing.
 */
export function decodeIdList(ctx: Context, ids: readonly string[], spec: IdListSpec): { elements: Element[]; errors: Indexed[] } {
  const elements: Element[] = [];
  const errors: Indexed[] = [];
  const seen = new Map<string, number>();
  ids.forEach((id, index) => {
    const at = [...spec.field, String(index)];
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      errors.push({ index, error: { field: at, message: `This ID is already in the list, at index ${earlier}; give each ID once.`, code: 'INVALID' } });
      return;
    }
    seen.set(id, index);
    const decoded = decode(ctx, id, spec.typename, at);
    if (decoded.error !== undefined) {
      errors.push({ index, error: decoded.error });
      return;
    }
    const target = decoded.target;
    if (target === null || (spec.orgId !== null && 'orgId' in target && target.orgId !== spec.orgId)) {
      errors.push({ index, error: { field: at, message: spec.unknown, code: 'NOT_FOUND' } });
      return;
    }
    elements.push({ index, guid: 'guid' in target ? target.guid : String(target.orgId) });
  });
  return { elements, errors };
}

/**
 * The GUIDs the write must name: elements not yet related for ADD, related ones for REMOVE. Refusals are added to
 * `errors` with their index.
 */
function changeOf(elements: readonly Element[], checked: readonly Checked[], operation: SetOperation, field: readonly string[], errors: Indexed[]): string[] {
  const change: string[] = [];
  elements.forEach((element, i) => {
    const check = checked[i] as Checked;
    if (check.refused !== undefined) {
      errors.push({ index: element.index, error: { ...check.refused, field: [...field, String(element.index)] } });
    } else if (check.related === (operation === 'REMOVE')) {
      change.push(element.guid);
    }
  });
  return change;
}

/**
 * The user errors when the target names nothing the caller may act on: the target's, and the elements' own format
 * errors (malformed, wrong type, repeated). Whether an element exists is not judged against a target that does not:
 * an element of another connection, known at once to name nothing, must read like any other then.
 */
function withoutTarget(targetError: UserErrorModel, errors: readonly Indexed[]): UserErrorModel[] {
  return inListOrder([{ index: -1, error: targetError }, ...errors.filter((indexed) => indexed.error.code !== 'NOT_FOUND')]);
}

/** The user errors of a list check: the target's first, then the elements' in list order. */
export function inListOrder(errors: readonly Indexed[]): UserErrorModel[] {
  return [...errors].sort((a, b) => a.index - b.index).map((entry) => entry.error);
}

// Private: the global ID of the Organization a group ID names, for the audit event (null when it is not a group ID).
function organizationOfGroup(ctx: Context, groupId: string): string | null {
  try {
    const target = fromGlobalId(ctx.connectionId, groupId, 'groupId');
    return target.typename === 'Group' ? globalIdOf(ctx, { typename: 'Organization', orgId: target.orgId }) : null;
  } catch {
    return null;
  }
}
