// Internal to src/thoughtspot: the roles/* endpoints (CONTRACT.md §11.5). Roles exist only on RBAC clusters and are
// per Org; on other clusters these calls fail with 403, which callers can use as the RBAC probe.

import { ROLE_PERMISSIONS, type RoleRecord } from './records.js';
import type { CallOptions, OrgScope, RoleCreate, RoleSearch, RoleUpdate } from './types.js';
import type { Pipeline } from './pipeline.js';
import { enumOrNull, expectObject, flag, optionalNumber, optionalString, orgRefList, refList, requiredString, stringList } from './decode.js';
import { checkScope, pathIdentifier } from './request-checks.js';
import { deleteIdentified, orgCall } from './calls.js';
import { recordList, withoutUndefined } from './shared.js';

/** Contract endpoint ids. */
export const ROLE_ENDPOINTS = {
  search: 'POST /api/rest/2.0/roles/search',
  create: 'POST /api/rest/2.0/roles/create',
  update: 'POST /api/rest/2.0/roles/{role_identifier}/update',
  delete: 'POST /api/rest/2.0/roles/{role_identifier}/delete',
} as const;

/** Read one wire `RoleResponse` / `SearchRoleResponse` into a record. */
export function toRoleRecord(value: unknown, what = 'role'): RoleRecord {
  const wire = expectObject(value, what);
  return {
    id: requiredString(wire, 'id', what),
    name: requiredString(wire, 'name', what),
    description: optionalString(wire, 'description', what) ?? '',
    privileges: stringList(wire, 'privileges', what),
    permission: enumOrNull(wire, 'permission', ROLE_PERMISSIONS),
    groups: refList(wire, 'groups', what),
    groupsAssignedCount: optionalNumber(wire, 'groups_assigned_count', what),
    orgs: orgRefList(wire, 'orgs', what),
    external: flag(wire, 'external', what),
    hidden: flag(wire, 'hidden', what),
    deprecated: flag(wire, 'deprecated', what),
    sharedViaConnection: flag(wire, 'shared_via_connection', what),
    authorId: optionalString(wire, 'author_id', what),
    createdAt: optionalNumber(wire, 'creation_time_in_millis', what),
    modifiedAt: optionalNumber(wire, 'modification_time_in_millis', what),
  };
}

/** `roles/search`: not paginated upstream. */
export function searchRoles(pipeline: Pipeline, scope: OrgScope, query: RoleSearch, options?: CallOptions): Promise<RoleRecord[]> {
  const endpoint = ROLE_ENDPOINTS.search;
  return orgCall(pipeline, endpoint, checkScope(endpoint, scope), {
    kind: 'read',
    body: withoutUndefined({
      role_identifiers: query.roleIdentifiers,
      org_identifiers: query.orgIdentifiers,
      group_identifiers: query.groupIdentifiers,
      privileges: query.privileges,
    }),
    decode: (json) => recordList(json, 'roles/search response', toRoleRecord),
    options,
  });
}

/** `roles/create`, in the scope's Org. */
export function createRole(pipeline: Pipeline, scope: OrgScope, input: RoleCreate, options?: CallOptions): Promise<RoleRecord> {
  const endpoint = ROLE_ENDPOINTS.create;
  return orgCall(pipeline, endpoint, checkScope(endpoint, scope), {
    kind: 'write',
    body: withoutUndefined({
      name: input.name,
      description: input.description,
      privileges: input.privileges,
      read_only: input.readOnly,
    }),
    decode: (json) => toRoleRecord(json, 'roles/create response'),
    options,
  });
}

/** `roles/{id}/update`: returns the role (200, unlike the other updates). `name` is required upstream. */
export function updateRole(pipeline: Pipeline, scope: OrgScope, identifier: string, input: RoleUpdate, options?: CallOptions): Promise<RoleRecord> {
  const endpoint = ROLE_ENDPOINTS.update;
  const orgId = checkScope(endpoint, scope);
  return orgCall(pipeline, endpoint, orgId, {
    segment: pathIdentifier(endpoint, orgId, 'role identifier', identifier),
    kind: 'write',
    body: withoutUndefined({ name: input.name, description: input.description, privileges: input.privileges }),
    decode: (json) => toRoleRecord(json, 'roles/update response'),
    options,
  });
}

/** `roles/{id}/delete` (204). */
export function deleteRole(pipeline: Pipeline, scope: OrgScope, identifier: string, options?: CallOptions): Promise<void> {
  return deleteIdentified(pipeline, ROLE_ENDPOINTS.delete, scope, 'role identifier', identifier, options);
}
