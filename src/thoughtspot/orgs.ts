// Internal to src/thoughtspot: the orgs/* endpoints (CONTRACT.md §11.4). They need a cluster administrator, and
// ThoughtSpot's own tools call them with a Primary-Org (0) token (§16 Q3).

import { ORG_STATUSES, ORG_VISIBILITIES, type OrgRecord } from './records.js';
import type { CallOptions, OrgCreate, OrgScope, OrgSearch, OrgUpdate } from './types.js';
import type { Pipeline } from './pipeline.js';
import { enumOrNull, expectObject, optionalString, orgId as readOrgId, requiredString } from './decode.js';
import { checkOperation, checkScope, pathIdentifier } from './request-checks.js';
import { deleteIdentified, orgCall, voidWrite } from './calls.js';
import { recordList, withoutUndefined } from './shared.js';

/** Contract endpoint ids. */
export const ORG_ENDPOINTS = {
  search: 'POST /api/rest/2.0/orgs/search',
  create: 'POST /api/rest/2.0/orgs/create',
  update: 'POST /api/rest/2.0/orgs/{org_identifier}/update',
  delete: 'POST /api/rest/2.0/orgs/{org_identifier}/delete',
} as const;

/** Read one wire `OrgResponse` into a record. */
export function toOrgRecord(value: unknown, what = 'org'): OrgRecord {
  const wire = expectObject(value, what);
  return {
    id: readOrgId(wire['id'], `${what}.id`),
    name: requiredString(wire, 'name', what),
    description: optionalString(wire, 'description', what),
    status: enumOrNull(wire, 'status', ORG_STATUSES),
    visibility: enumOrNull(wire, 'visibility', ORG_VISIBILITIES),
  };
}

/** `orgs/search`: not paginated upstream, every match comes back. */
export function searchOrgs(pipeline: Pipeline, scope: OrgScope, query: OrgSearch, options?: CallOptions): Promise<OrgRecord[]> {
  const endpoint = ORG_ENDPOINTS.search;
  return orgCall(pipeline, endpoint, checkScope(endpoint, scope), {
    kind: 'read',
    body: withoutUndefined({
      org_identifier: query.identifier,
      description: query.description,
      visibility: query.visibility,
      status: query.status,
      user_identifiers: query.userIdentifiers,
    }),
    decode: (json) => recordList(json, 'orgs/search response', toOrgRecord),
    options,
  });
}

/** `orgs/create`. */
export function createOrg(pipeline: Pipeline, scope: OrgScope, input: OrgCreate, options?: CallOptions): Promise<OrgRecord> {
  const endpoint = ORG_ENDPOINTS.create;
  return orgCall(pipeline, endpoint, checkScope(endpoint, scope), {
    kind: 'write',
    body: withoutUndefined({ name: input.name, description: input.description }),
    decode: (json) => toOrgRecord(json, 'orgs/create response'),
    options,
  });
}

/** `orgs/{id}/update` (204). Note ThoughtSpot's default operation here is ADD, unlike users and groups. */
export function updateOrg(pipeline: Pipeline, scope: OrgScope, identifier: string, input: OrgUpdate, options?: CallOptions): Promise<void> {
  const endpoint = ORG_ENDPOINTS.update;
  const orgId = checkScope(endpoint, scope);
  checkOperation(endpoint, orgId, input, ['userIdentifiers', 'groupIdentifiers']);
  return voidWrite(pipeline, endpoint, orgId, {
    segment: pathIdentifier(endpoint, orgId, 'Org identifier', String(identifier)),
    body: withoutUndefined({
      name: input.name,
      description: input.description,
      user_identifiers: input.userIdentifiers,
      group_identifiers: input.groupIdentifiers,
      operation: input.operation,
    }),
    options,
  });
}

/** `orgs/{id}/delete` (204): removes the Org, its objects and the users that belonged only to it. */
export function deleteOrg(pipeline: Pipeline, scope: OrgScope, identifier: string, options?: CallOptions): Promise<void> {
  return deleteIdentified(pipeline, ORG_ENDPOINTS.delete, scope, 'Org identifier', String(identifier), options);
}
