// Internal to src/thoughtspot: the groups/* endpoints (CONTRACT.md §11.3). Groups are per Org: every call runs in the
// Org of the scope's token.

import { GROUP_TYPES, type GroupRecord, type ImportResult } from './records.js';
import type { CallOptions, GroupCreate, GroupImport, GroupSearch, GroupUpdate, OrgScope, PageRequest } from './types.js';
import type { Pipeline } from './pipeline.js';
import {
  enumOrNull,
  expectObject,
  flag,
  optionalNumber,
  optionalString,
  orgRefList,
  refList,
  requiredString,
  stringList,
} from './decode.js';
import { checkOperation, checkPage, checkScope, pathIdentifier } from './request-checks.js';
import { deleteIdentified, orgCall, voidWrite } from './calls.js';
import { importResult, recordList, sortOptions, withoutUndefined } from './shared.js';
import { readVisibility } from './users.js';

/** Contract endpoint ids. */
export const GROUP_ENDPOINTS = {
  search: 'POST /api/rest/2.0/groups/search',
  create: 'POST /api/rest/2.0/groups/create',
  update: 'POST /api/rest/2.0/groups/{group_identifier}/update',
  delete: 'POST /api/rest/2.0/groups/{group_identifier}/delete',
  import: 'POST /api/rest/2.0/groups/import',
} as const;

/** Read one wire `UserGroupResponse` into a record. */
export function toGroupRecord(value: unknown, what = 'group'): GroupRecord {
  const wire = expectObject(value, what);
  const name = requiredString(wire, 'name', what);
  return {
    id: requiredString(wire, 'id', what),
    name,
    displayName: optionalString(wire, 'display_name', what) ?? name,
    description: optionalString(wire, 'description', what),
    type: enumOrNull(wire, 'type', GROUP_TYPES),
    visibility: readVisibility(wire),
    privileges: stringList(wire, 'privileges', what),
    orgs: orgRefList(wire, 'orgs', what),
    subGroups: refList(wire, 'sub_groups', what),
    users: refList(wire, 'users', what),
    roles: refList(wire, 'roles', what),
    defaultLiveboards: refList(wire, 'default_liveboards', what),
    systemGroup: flag(wire, 'system_group', what),
    external: flag(wire, 'external', what),
    hidden: flag(wire, 'hidden', what),
    authorId: optionalString(wire, 'author_id', what),
    createdAt: optionalNumber(wire, 'creation_time_in_millis', what),
    modifiedAt: optionalNumber(wire, 'modification_time_in_millis', what),
  };
}

/** The `groups/search` body; a sort is always sent (CONTRACT.md §16 Q19). */
export function groupSearchBody(query: GroupSearch, page: { record_offset: number; record_size: number }): Record<string, unknown> {
  return withoutUndefined({
    group_identifier: query.identifier,
    display_name: query.displayName,
    name_pattern: query.namePattern,
    description: query.description,
    type: query.type,
    visibility: query.visibility,
    user_identifiers: query.userIdentifiers,
    sub_group_identifiers: query.subGroupIdentifiers,
    role_identifiers: query.roleIdentifiers,
    org_identifiers: query.orgIdentifiers,
    privileges: query.privileges,
    include_users: query.includeUsers,
    include_sub_groups: query.includeSubGroups,
    sort_options: sortOptions(query.sort),
    ...page,
  });
}

/** `groups/search`: one page. */
export function searchGroups(
  pipeline: Pipeline,
  scope: OrgScope,
  query: GroupSearch,
  page: PageRequest,
  options?: CallOptions,
): Promise<GroupRecord[]> {
  const endpoint = GROUP_ENDPOINTS.search;
  const orgId = checkScope(endpoint, scope);
  return orgCall(pipeline, endpoint, orgId, {
    kind: 'read',
    body: groupSearchBody(query, checkPage(endpoint, orgId, page)),
    decode: (json) => recordList(json, 'groups/search response', toGroupRecord),
    options,
  });
}

function groupFields(input: GroupCreate | GroupUpdate): Record<string, unknown> {
  return {
    name: input.name,
    display_name: input.displayName,
    description: input.description,
    type: input.type,
    visibility: input.visibility,
    privileges: input.privileges,
    sub_group_identifiers: input.subGroupIdentifiers,
    user_identifiers: input.userIdentifiers,
    role_identifiers: input.roleIdentifiers,
    default_liveboard_identifiers: input.defaultLiveboardIdentifiers,
  };
}

/** `groups/create`, in the scope's Org. */
export function createGroup(pipeline: Pipeline, scope: OrgScope, input: GroupCreate, options?: CallOptions): Promise<GroupRecord> {
  const endpoint = GROUP_ENDPOINTS.create;
  return orgCall(pipeline, endpoint, checkScope(endpoint, scope), {
    kind: 'write',
    body: withoutUndefined(groupFields(input)),
    decode: (json) => toGroupRecord(json, 'groups/create response'),
    options,
  });
}

/** `groups/{id}/update` (204). */
export function updateGroup(pipeline: Pipeline, scope: OrgScope, identifier: string, input: GroupUpdate, options?: CallOptions): Promise<void> {
  const endpoint = GROUP_ENDPOINTS.update;
  const orgId = checkScope(endpoint, scope);
  checkOperation(endpoint, orgId, input, [
    'privileges',
    'subGroupIdentifiers',
    'userIdentifiers',
    'roleIdentifiers',
    'defaultLiveboardIdentifiers',
  ]);
  return voidWrite(pipeline, endpoint, orgId, {
    segment: pathIdentifier(endpoint, orgId, 'group identifier', identifier),
    body: withoutUndefined({ ...groupFields(input), operation: input.operation }),
    options,
  });
}

/** `groups/{id}/delete` (204). */
export function deleteGroup(pipeline: Pipeline, scope: OrgScope, identifier: string, options?: CallOptions): Promise<void> {
  return deleteIdentified(pipeline, GROUP_ENDPOINTS.delete, scope, 'group identifier', identifier, options);
}

/** `groups/import`: `dry_run` and `delete_unspecified_groups` always sent; a dry run is retried like a read. */
export function importGroups(pipeline: Pipeline, scope: OrgScope, input: GroupImport, options?: CallOptions): Promise<ImportResult> {
  const endpoint = GROUP_ENDPOINTS.import;
  return orgCall(pipeline, endpoint, checkScope(endpoint, scope), {
    kind: input.dryRun ? 'read' : 'write',
    body: {
      groups: input.groups.map((row) =>
        withoutUndefined({
          group_identifier: row.identifier,
          display_name: row.displayName,
          description: row.description,
          type: row.type,
          visibility: row.visibility,
          privileges: row.privileges,
          sub_group_identifiers: row.subGroupIdentifiers,
          user_identifiers: row.userIdentifiers,
        }),
      ),
      dry_run: input.dryRun === true,
      delete_unspecified_groups: input.deleteUnspecifiedGroups === true,
    },
    decode: (json) => importResult(json, 'groups', 'groups/import response'),
    options,
  });
}
