// Public to the rest of src: what the loaders hand to resolvers, and the codegen mappers' targets (codegen.yml).
// Organizations and users are the adapter's records as they are. Groups and roles are per Org (CONTRACT.md §3), so
// their models are the record plus the Org it was read in: that Org goes into the global ID and picks the token
// for every follow-up call.

import type { GroupRecord, OrgRecord, RoleRecord, UserRecord } from '../thoughtspot/index.js';
import type { ConnectionModel, EdgeModel } from '../relay/connection.js';

/**
 * A group and its Org. `subGroups` and `users` are left out on purpose: list reads ask ThoughtSpot not to fill them
 * (`include_sub_groups`/`include_users` false, the cheap listing), so hierarchy questions go to the Org's group
 * index instead (loaders/groups.ts).
 */
export type GroupNode = Omit<GroupRecord, 'subGroups' | 'users'> & { readonly orgId: number };

/** A role and its Org. */
export type RoleNode = RoleRecord & { readonly orgId: number };

export type OrganizationConnectionModel = ConnectionModel<OrgRecord>;
export type OrganizationEdgeModel = EdgeModel<OrgRecord>;
export type GroupConnectionModel = ConnectionModel<GroupNode>;
export type GroupEdgeModel = EdgeModel<GroupNode>;
export type UserConnectionModel = ConnectionModel<UserRecord>;
export type UserEdgeModel = EdgeModel<UserRecord>;
export type RoleConnectionModel = ConnectionModel<RoleNode>;
export type RoleEdgeModel = EdgeModel<RoleNode>;
/** How a member belongs to a group (the schema's MembershipKind). */
export type MembershipKind = 'DIRECT' | 'INHERITED';
/** An edge of `Group.members` / `User.groups`: the edge and how the membership comes about. */
export type GroupMemberEdgeModel = EdgeModel<UserRecord> & { readonly membership: MembershipKind };
export type GroupMemberConnectionModel = Omit<ConnectionModel<UserRecord>, 'edges'> & { readonly edges: readonly GroupMemberEdgeModel[] };
export type UserGroupEdgeModel = EdgeModel<GroupNode> & { readonly membership: MembershipKind };
export type UserGroupConnectionModel = Omit<ConnectionModel<GroupNode>, 'edges'> & { readonly edges: readonly UserGroupEdgeModel[] };

/** Any model of a type that implements Node. */
export type NodeModel = OrgRecord | GroupNode | UserRecord | RoleNode;

/**
 * The GraphQL type of a Node model. The four models are told apart by fields only one of them has: Orgs have
 * numeric ids, roles a `permission`, groups a `systemGroup` flag, users an `accountStatus`.
 */
export function typenameOf(model: NodeModel): 'Organization' | 'Group' | 'User' | 'Role' {
  if (typeof model.id === 'number') return 'Organization';
  if ('permission' in model) return 'Role';
  if ('systemGroup' in model) return 'Group';
  return 'User';
}

/** Wraps a group record read in Org `orgId`. */
export function toGroupNode(record: GroupRecord, orgId: number): GroupNode {
  const { subGroups: _subGroups, users: _users, ...rest } = record;
  return { ...rest, orgId };
}

/** Wraps a role record read in Org `orgId`. */
export function toRoleNode(record: RoleRecord, orgId: number): RoleNode {
  return { ...record, orgId };
}

/** The fields of a group that an {id, name} reference (`user_groups` in a user row) carries. */
export const GROUP_REF_FIELDS: ReadonlySet<string> = new Set(['__typename', 'id', 'remoteId', 'name']);

/**
 * A group of Org `orgId` known only from an {id, name} reference in another row. Every other field is a placeholder:
 * serve it only where the query selects nothing beyond GROUP_REF_FIELDS, so the answer is the one a full read gives.
 */
export function groupRefNode(ref: { readonly id: string; readonly name: string }, orgId: number): GroupNode {
  return {
    id: ref.id,
    name: ref.name,
    displayName: ref.name,
    description: null,
    type: null,
    visibility: 'SHARABLE',
    privileges: [],
    orgs: [],
    roles: [],
    defaultLiveboards: [],
    systemGroup: false,
    external: false,
    hidden: false,
    authorId: null,
    createdAt: null,
    modifiedAt: null,
    orgId,
  };
}

/** The fields of a role that an {id, name} reference (`roles` in a group row) carries. */
export const ROLE_REF_FIELDS: ReadonlySet<string> = new Set(['__typename', 'id', 'remoteId', 'name']);

/**
 * A role of Org `orgId` known only from an {id, name} reference in a group row. Every other field is a placeholder:
 * serve it only where the query selects nothing beyond ROLE_REF_FIELDS, so the answer is the one a full read gives.
 */
export function roleRefNode(ref: { readonly id: string; readonly name: string }, orgId: number): RoleNode {
  return {
    id: ref.id,
    name: ref.name,
    description: '',
    privileges: [],
    permission: null,
    groups: [],
    groupsAssignedCount: null,
    orgs: [],
    external: false,
    hidden: false,
    deprecated: false,
    sharedViaConnection: false,
    authorId: null,
    createdAt: null,
    modifiedAt: null,
    orgId,
  };
}
