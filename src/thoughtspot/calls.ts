// Internal to src/thoughtspot: how the resource modules hand a call to the pipeline. A contract endpoint id such as
// `POST /api/rest/2.0/users/{user_identifier}/update` already names the method and the path, so a resource function
// states only what differs from call to call: the Org, the path identifier, the body and how to read the answer.

import type { CallSpec, Pipeline } from './pipeline.js';
import type { CallOptions, OrgScope } from './types.js';
import { checkScope, pathIdentifier } from './request-checks.js';

/** A contract endpoint id: the method, one space, then the path template below the base URL. */
export type EndpointId = `${'GET' | 'POST'} /${string}`;

/** The parts of a call that differ between calls to one Org; the rest follows from the endpoint id. */
export type OrgCallParts<T> = Pick<CallSpec<T>, 'kind' | 'body' | 'secrets' | 'decode' | 'options'> & {
  /** The value of the path's `{…_identifier}` parameter, as `pathIdentifier` returned it (checked and encoded). */
  readonly segment?: string;
};

/** Method and path of `endpoint`, with `segment` in place of its path parameter. */
export function route(endpoint: EndpointId, segment?: string): Pick<CallSpec<unknown>, 'method' | 'path'> {
  const method = endpoint.startsWith('GET ') ? 'GET' : 'POST';
  const template = endpoint.slice(method.length + 1);
  // A replacer function, so that nothing in the segment is read as a `$&`-style replacement pattern.
  const path = segment === undefined ? template : template.replace(/\{\w+\}/, () => segment);
  if (path.includes('{')) throw new Error(`${endpoint} was called without a value for its path parameter`);
  return { method, path };
}

/** A call authenticated with the service token of Org `orgId` (already checked with `checkScope`). */
export function orgCall<T>(pipeline: Pipeline, endpoint: EndpointId, orgId: number, parts: OrgCallParts<T>): Promise<T> {
  const { segment, ...spec } = parts;
  return pipeline.execute({ endpoint, ...route(endpoint, segment), orgId, auth: 'bearer', ...spec });
}

/** A write that ThoughtSpot answers with 204: nothing comes back. */
export function voidWrite(
  pipeline: Pipeline,
  endpoint: EndpointId,
  orgId: number,
  parts: Omit<OrgCallParts<void>, 'kind' | 'decode'>,
): Promise<void> {
  return orgCall(pipeline, endpoint, orgId, { ...parts, kind: 'write', decode: () => undefined });
}

/** `<resource>/{id}/delete` (204), the same for users, groups, Orgs and roles: an empty body, nothing comes back. */
export function deleteIdentified(
  pipeline: Pipeline,
  endpoint: EndpointId,
  scope: OrgScope,
  name: string,
  identifier: string,
  options: CallOptions | undefined,
): Promise<void> {
  const orgId = checkScope(endpoint, scope);
  return voidWrite(pipeline, endpoint, orgId, { segment: pathIdentifier(endpoint, orgId, name, identifier), body: {}, options });
}
