// Internal to src/loaders: tenant isolation, enforced where ThoughtSpot's rows enter a request (DESIGN.md §7a).
//
// A caller may act in some of the cluster's Organizations only (its token's `orgs` claim). Rather than asking every
// resolver to remember that, the loaders read ThoughtSpot through `scopeReads`, a view of the adapter's four search
// methods that makes every other Organization look exactly as if it did not exist:
// - `orgs/search` answers only the granted Organizations, so counts, lookups by id or name and `orgExists` agree;
// - a search in any other Organization is never sent (no call, no token minted for it) and fails as a search in an
//   Organization that does not exist fails, so the resolvers' one rule for a missing Organization (null for a
//   lookup, BAD_USER_INPUT for an argument) applies to both alike;
// - every row's list of Organizations (`orgs` of a user, group or role) is cut to the granted ones, so a user who
//   also belongs to another tenant shows no trace of it in `organizations` or in the per-Org fields built from it;
//   a row none of whose Organizations is granted is dropped (a Primary-Org `groups/search` can list every Org's
//   groups, CONTRACT.md §16 Q17), where the loaders' own `belongsTo` would take a row that lists no Org as-is.
// A caller granted every Organization (`*`) reads the adapter unchanged, at no cost.

import type { OrgRecord, OrgRef, ThoughtSpotClient, UserRecord } from '../thoughtspot/index.js';
import { RecordNotFoundError } from './align.js';

/** The Organizations a caller may see: every one, or those with these names. */
export type OrgGrant = '*' | ReadonlySet<string>;

/** What the loaders read ThoughtSpot with: the adapter's searches, nothing that writes. */
export type DirectoryReads = Pick<ThoughtSpotClient, 'searchOrgs' | 'searchUsers' | 'searchGroups' | 'searchRoles'>;

/** The Org the cluster-wide searches run in (`orgs/search` needs a Primary-Org token). */
const PRIMARY_ORG = { orgId: 0 } as const;

/** The reads of one request as its caller may see them, and a way to forget what they learnt (after a write). */
export interface ScopedReads {
  readonly reads: DirectoryReads;
  /** Forgets the Organizations read so far, so an Organization created or renamed by this request is seen. */
  reset(): void;
}

/** The adapter's searches as a caller granted `grant` may see them (see the header). */
export function scopeReads(client: DirectoryReads, grant: OrgGrant): ScopedReads {
  if (grant === '*') return { reads: client, reset: () => undefined };
  // The granted Orgs' ids, from one unfiltered `orgs/search` per request, which the Org index's own read reuses.
  let everyOrg: Promise<OrgRecord[]> | undefined;
  const granted = async (): Promise<OrgRecord[]> => {
    everyOrg ??= client.searchOrgs(PRIMARY_ORG, {});
    return (await everyOrg).filter((org) => grant.has(org.name));
  };
  const grantedIds = async (): Promise<ReadonlySet<number>> => new Set((await granted()).map((org) => org.id));
  const inGrant = async (orgId: number): Promise<ReadonlySet<number>> => {
    const ids = await grantedIds();
    if (!ids.has(orgId)) throw new RecordNotFoundError('Organization', String(orgId));
    return ids;
  };
  const cut = <T extends { readonly orgs: readonly OrgRef[] }>(ids: ReadonlySet<number>, rows: readonly T[]): T[] =>
    rows.flatMap((row) => {
      if (row.orgs.every((org) => ids.has(org.id))) return [row];
      const orgs = row.orgs.filter((org) => ids.has(org.id));
      return orgs.length === 0 ? [] : [{ ...row, orgs }];
    });
  const cutUsers = (ids: ReadonlySet<number>, rows: readonly UserRecord[]): UserRecord[] =>
    cut(ids, rows).map((user) => (user.currentOrg !== null && !ids.has(user.currentOrg.id) ? { ...user, currentOrg: null } : user));
  const reads: DirectoryReads = {
    async searchOrgs(scope, query, options) {
      if (Object.keys(query).length === 0) return granted();
      const ids = await grantedIds();
      return (await client.searchOrgs(scope, query, options)).filter((org) => ids.has(org.id));
    },
    async searchUsers(scope, query, page, options) {
      const ids = await inGrant(scope.orgId);
      return cutUsers(ids, await client.searchUsers(scope, query, page, options));
    },
    async searchGroups(scope, query, page, options) {
      const ids = await inGrant(scope.orgId);
      return cut(ids, await client.searchGroups(scope, query, page, options));
    },
    async searchRoles(scope, query, options) {
      const ids = await inGrant(scope.orgId);
      return cut(ids, await client.searchRoles(scope, query, options));
    },
  };
  return {
    reads,
    reset: () => {
      everyOrg = undefined;
    },
  };
}
