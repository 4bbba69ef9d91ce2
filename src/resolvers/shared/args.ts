// Internal to src/resolvers: turning GraphQL arguments into what the loaders take (decoded IDs, ThoughtSpot sort
// options). Every failure is a BAD_USER_INPUT naming the argument.

import type {
  GroupOrder,
  OrganizationOrder,
  RoleOrder,
  UserOrder,
} from '../../__generated__/resolvers-types.js';
import type { Context } from '../../context.js';
import { lookupGlobalIdOfType } from '../../relay/global-id.js';
import type { GroupNode, RoleNode } from '../../loaders/index.js';
import type { OrgRecord, SortOptions } from '../../thoughtspot/index.js';
import { compileNamePattern } from '../../name-pattern.js';

/** A group or role named by a global ID: its Org and its GUID. */
export interface ScopedId {
  readonly orgId: number;
  readonly guid: string;
}

/**
 * What an argument holding another connection's ID is read as: an Organization and a GUID that exist on no cluster
 * (ThoughtSpot's Org ids are int32, so 2^31 is none of them; the nil UUID is never issued). The argument then narrows
 * the list exactly as an object that does not exist would (the same answer, the same error), and the foreign key
 * itself is never looked up here, where it could name an unrelated object of this cluster.
 */
export const NOWHERE: ScopedId = Object.freeze({ orgId: 2 ** 31, guid: '00000000-0000-0000-0000-000000000000' });

/** Decodes an optional Organization ID argument to ThoughtSpot's Org id. */
export function orgIdArg(ctx: Context, id: string | null | undefined, argumentName: string): number | null {
  return id == null ? null : (lookupGlobalIdOfType(ctx.connectionId, id, 'Organization', argumentName)?.orgId ?? NOWHERE.orgId);
}

/** Decodes an optional group ID argument. */
export function groupIdArg(ctx: Context, id: string | null | undefined, argumentName: string): ScopedId | null {
  if (id == null) return null;
  const target = lookupGlobalIdOfType(ctx.connectionId, id, 'Group', argumentName);
  return target === null ? NOWHERE : { orgId: target.orgId, guid: target.guid };
}

/** Decodes an optional role ID argument. */
export function roleIdArg(ctx: Context, id: string | null | undefined, argumentName: string): ScopedId | null {
  if (id == null) return null;
  const target = lookupGlobalIdOfType(ctx.connectionId, id, 'Role', argumentName);
  return target === null ? NOWHERE : { orgId: target.orgId, guid: target.guid };
}

/** Decodes an optional user ID argument to the user's GUID. */
export function userIdArg(ctx: Context, id: string | null | undefined, argumentName: string): string | null {
  return id == null ? null : (lookupGlobalIdOfType(ctx.connectionId, id, 'User', argumentName)?.guid ?? NOWHERE.guid);
}

/** ThoughtSpot sort options for a user order (username ascending by default: unique, so paging is stable). */
export function userSort(orderBy: UserOrder | null | undefined): SortOptions {
  const field = orderBy?.field ?? 'USERNAME';
  return {
    field: field === 'USERNAME' ? 'NAME' : field === 'DISPLAY_NAME' ? 'DISPLAY_NAME' : field === 'CREATED_AT' ? 'CREATED' : 'MODIFIED',
    order: orderBy?.direction ?? 'ASC',
  };
}

/** ThoughtSpot sort options for a group order (name ascending by default). */
export function groupSort(orderBy: GroupOrder | null | undefined): SortOptions {
  const field = orderBy?.field ?? 'NAME';
  return {
    field: field === 'NAME' ? 'NAME' : field === 'DISPLAY_NAME' ? 'DISPLAY_NAME' : field === 'CREATED_AT' ? 'CREATED' : 'MODIFIED',
    order: orderBy?.direction ?? 'ASC',
  };
}

/** Sorts groups held in memory the way ThoughtSpot's sort options would. */
export function sortGroups(groups: readonly GroupNode[], orderBy: GroupOrder | null | undefined): GroupNode[] {
  const { field, order } = groupSort(orderBy);
  const key = (group: GroupNode): string | number | null =>
    field === 'NAME' ? group.name : field === 'DISPLAY_NAME' ? group.displayName : field === 'CREATED' ? group.createdAt : group.modifiedAt;
  return sortBy(groups, key, order, (group) => group.id);
}

/** Sorts roles held in memory (name ascending by default). */
export function sortRoles(roles: readonly RoleNode[], orderBy: RoleOrder | null | undefined): RoleNode[] {
  const field = orderBy?.field ?? 'NAME';
  const key = (role: RoleNode): string | number | null =>
    field === 'NAME' ? role.name : field === 'CREATED_AT' ? role.createdAt : role.modifiedAt;
  return sortBy(roles, key, orderBy?.direction ?? 'ASC', (role) => role.id);
}

/** Sorts Organizations (name ascending by default). */
export function sortOrgs(orgs: readonly OrgRecord[], orderBy: OrganizationOrder | null | undefined): OrgRecord[] {
  const field = orderBy?.field ?? 'NAME';
  return sortBy(orgs, (org) => (field === 'NAME' ? org.name : org.id), orderBy?.direction ?? 'ASC', (org) => String(org.id));
}

// Private: names compare without case first (as a person reads a list), then exactly, then by id, so the order is
// total and paging over it is stable; missing timestamps sort before every present one.
function sortBy<T>(
  items: readonly T[],
  key: (item: T) => string | number | null,
  direction: 'ASC' | 'DESC',
  tieBreak: (item: T) => string,
): T[] {
  const sign = direction === 'ASC' ? 1 : -1;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    let result = 0;
    if (ka === null || kb === null) result = ka === kb ? 0 : ka === null ? -1 : 1;
    else if (typeof ka === 'string' && typeof kb === 'string') {
      const la = ka.toLowerCase();
      const lb = kb.toLowerCase();
      result = la < lb ? -1 : la > lb ? 1 : ka < kb ? -1 : ka > kb ? 1 : 0;
    } else result = (ka as number) - (kb as number);
    if (result === 0) {
      const ta = tieBreak(a);
      const tb = tieBreak(b);
      result = ta < tb ? -1 : ta > tb ? 1 : 0;
    }
    return sign * result;
  });
}

/**
 * A `%`-pattern matcher with ThoughtSpot's `name_pattern` semantics (CONTRACT.md §5), for lists filtered in memory
 * (roles, Orgs). Linear time: no regular expression is built from the caller's pattern.
 */
export function namePatternMatcher(pattern: string | null | undefined): (name: string) => boolean {
  return pattern == null ? () => true : compileNamePattern(pattern);
}
