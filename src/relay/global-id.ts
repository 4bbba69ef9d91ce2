// Public to the rest of src: the subgraph's global IDs (DESIGN.md §4). Pure functions, no I/O.
//
// An ID is the unpadded base64url encoding of `v1:<Type>:<connection>:<key>`, where <key> is what ThoughtSpot
// needs to find the object again:
//
//   Organization  `<orgId>`          ThoughtSpot's integer Org id.
//   User          `<guid>`           users are cluster-wide principals (CONTRACT.md §3), so no Org in the key.
//   Group, Role   `<orgId>:<guid>`   groups and roles are per Org, and every call runs in one Org's token scope;
//                                    the Org travels in the ID so a lookup knows which token to use.
//
// The connection id makes an ID from one ThoughtSpot cluster useless (and detectably so) on another one served by
// the same schema. The version prefix lets a later format coexist with this one. Clients must treat IDs as
// opaque; `remoteId` exposes ThoughtSpot's own identifier.

import { GraphQLError } from 'graphql';
import { badUserInput, ErrorCode } from '../errors/codes.js';

/** The GraphQL types that implement Node. */
export type NodeTypename = 'Organization' | 'Group' | 'User' | 'Role';

/** What a global ID names, once decoded. */
export type GlobalIdTarget =
  | { readonly typename: 'Organization'; readonly orgId: number }
  | { readonly typename: 'User'; readonly guid: string }
  | { readonly typename: 'Group'; readonly orgId: number; readonly guid: string }
  | { readonly typename: 'Role'; readonly orgId: number; readonly guid: string };

const VERSION = 'v1';
const TYPENAMES: ReadonlySet<string> = new Set<NodeTypename>(['Organization', 'Group', 'User', 'Role']);
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const ORG_ID = /^(0|[1-9][0-9]{0,15})$/;
/** Longest received value echoed back in an error message; IDs are short, anything longer is garbage. */
const ECHO_LIMIT = 80;

/** Encodes a global ID for `target` on ThoughtSpot connection `connectionId`. */
export function toGlobalId(connectionId: string, target: GlobalIdTarget): string {
  let key: string;
  switch (target.typename) {
    case 'Organization':
      key = String(target.orgId);
      break;
    case 'User':
      key = target.guid;
      break;
    case 'Group':
    case 'Role':
      key = `${target.orgId}:${target.guid}`;
      break;
  }
  return Buffer.from(`${VERSION}:${target.typename}:${connectionId}:${key}`, 'utf8').toString('base64url');
}

/**
 * Decodes any global ID issued for `connectionId`. Throws a `BAD_USER_INPUT` GraphQL error naming `argumentName`
 * when the value is not such an ID. It does not check that the object exists.
 */
export function fromGlobalId(connectionId: string, id: string, argumentName: string): GlobalIdTarget {
  const text = decodeStrictBase64Url(id);
  const parts = text?.split(':');
  if (parts === undefined || parts.length < 4 || parts[0] !== VERSION || !TYPENAMES.has(parts[1] ?? '')) {
    throw badUserInput(`Argument "${argumentName}" must be an ID issued by this API, but got: ${echo(id)}.`, argumentName);
  }
  const [, typename, connection, ...rest] = parts as [string, NodeTypename, string, ...string[]];
  // The message names neither connection: a caller must learn nothing about connections other than its own.
  if (connection !== connectionId) throw new ForeignIdError(argumentName);
  const target = parseKey(typename, rest);
  if (target === null) {
    throw badUserInput(`Argument "${argumentName}" must be an ID issued by this API, but got: ${echo(id)}.`, argumentName);
  }
  return target;
}

/**
 * A well-formed ID issued for another ThoughtSpot connection (another tenant's cluster, DESIGN.md §7a). As an argument
 * that narrows a list it is a BAD_USER_INPUT like any ID this connection did not issue; a lookup (`node`, `nodes`,
 * `_entities`, `user(id:)`, …) finds nothing instead (`lookupGlobalId`), as for an object that does not exist.
 */
export class ForeignIdError extends GraphQLError {
  constructor(argumentName: string) {
    super(`Argument "${argumentName}" must be an ID issued by this API for the caller's ThoughtSpot connection.`, {
      extensions: { code: ErrorCode.BAD_USER_INPUT, argumentName },
    });
  }
}

/** `fromGlobalId` for a lookup: an ID of another connection is null (the object does not exist here). */
export function lookupGlobalId(connectionId: string, id: string, argumentName: string): GlobalIdTarget | null {
  try {
    return fromGlobalId(connectionId, id, argumentName);
  } catch (error) {
    if (error instanceof ForeignIdError) return null;
    throw error;
  }
}

/** `fromGlobalIdOfType` for a lookup: an ID of another connection is null (the object does not exist here). */
export function lookupGlobalIdOfType<T extends NodeTypename>(
  connectionId: string,
  id: string,
  expected: T,
  argumentName: string,
): Extract<GlobalIdTarget, { typename: T }> | null {
  try {
    return fromGlobalIdOfType(connectionId, id, expected, argumentName);
  } catch (error) {
    if (error instanceof ForeignIdError) return null;
    throw error;
  }
}

/**
 * Decodes a global ID that must name an object of type `expected`. Throws `BAD_USER_INPUT` naming `argumentName`
 * for a malformed or foreign ID, and for an ID of another type.
 */
export function fromGlobalIdOfType<T extends NodeTypename>(
  connectionId: string,
  id: string,
  expected: T,
  argumentName: string,
): Extract<GlobalIdTarget, { typename: T }> {
  const target = fromGlobalId(connectionId, id, argumentName);
  if (target.typename !== expected) {
    throw badUserInput(
      `Argument "${argumentName}" must be the ID of ${article(expected)} ${expected}, but got the ID of ${article(target.typename)} ${target.typename}.`,
      argumentName,
    );
  }
  return target as Extract<GlobalIdTarget, { typename: T }>;
}

// Private: Node's Buffer decoder skips characters outside the alphabet and tolerates missing or extra bits, so
// "abc" and "abd" could decode alike. Re-encoding and comparing accepts exactly the strings toGlobalId produces.
function decodeStrictBase64Url(value: string): string | null {
  if (value.length === 0 || value.length > 512 || !BASE64URL.test(value)) return null;
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.toString('base64url') !== value) return null;
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : null;
}

// Private: the key's shape depends on the type; GUIDs are taken as ThoughtSpot gives them (non-empty, no colon).
function parseKey(typename: NodeTypename, rest: readonly string[]): GlobalIdTarget | null {
  switch (typename) {
    case 'Organization': {
      const [orgId] = rest;
      return rest.length === 1 && orgId !== undefined && ORG_ID.test(orgId) ? { typename, orgId: Number(orgId) } : null;
    }
    case 'User': {
      const [guid] = rest;
      return rest.length === 1 && guid ? { typename, guid } : null;
    }
    case 'Group':
    case 'Role': {
      const [orgId, guid] = rest;
      return rest.length === 2 && orgId !== undefined && ORG_ID.test(orgId) && guid
        ? { typename, orgId: Number(orgId), guid }
        : null;
    }
  }
}

function article(typename: NodeTypename): string {
  return typename === 'Organization' ? 'an' : 'a';
}

/** @internal Quotes a received value for an error message, cut to a readable length. */
export function echo(value: string): string {
  return JSON.stringify(value.length > ECHO_LIMIT ? `${value.slice(0, ECHO_LIMIT)}…` : value);
}
