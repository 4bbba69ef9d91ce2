// Internal to src/loaders: user reads, where batching matters most (DESIGN.md §5).
//
// ThoughtSpot's `users/search` answers in the token's Org only (CONTRACT.md §3) and has exactly one way to name
// users: a single `user_identifier`. Its array filters select users by *group* and *role*, OR-ed
// (`group_identifiers`, `role_identifiers`). The loaders below turn that into calls that grow with the number of Orgs
// a query touches and its depth, not with the number of users on a page; the one exception is naming users one by
// one (by id or username), which costs up to `lookupMaxKeys` identifier searches per Org and batch:
//
// - `members`: every `Group.members` / `Role.users` list of one query level becomes one `users/search` per Org,
//   with the array filter holding every group (or role) of the level; the rows are then partitioned locally by
//   each row's own group lists. A level with a single list pages upstream (`record_offset`/`record_size`) instead.
// - `userInOrg`: a user as seen from one Org (groups, inherited groups and privileges in a user row are the token
//   Org's view). There is no batch-get, so a batch of users in one Org is either looked up one `user_identifier`
//   search per user (small batches: a few small answers, in parallel) or found by scanning the Org's user list page
//   by page until every wanted user has turned up (large batches: one call per page, however many users it holds).
//   `UserBatchOptions` sets where one ends and the other begins. Every row any loader reads primes it.
// - `userByKey`: a user by id or username, cluster-wide. Users are cluster principals but only visible from an
//   Org they belong to, so `orgs/search` with `user_identifiers` (one call for the whole batch) says which Orgs to
//   look in, and the same two strategies look.
// - `userSearch`: one filtered, paged `users/search` per key (Org user lists, root lists, e-mail lookups).

import DataLoader from 'dataloader';
import type { PageRequest, SortOptions, ThoughtSpotClient, UserRecord, UserSearch } from '../thoughtspot/index.js';
import { RecordNotFoundError, bucketBy, canonicalKey, settleBuckets } from './align.js';
import { mapBounded } from './bounded.js';
import { PRIMARY_ORG_ID, toError } from './orgs.js';

/**
 * How batched user lookups read ThoughtSpot (`THOUGHTSPOT_USER_LOOKUP_MAX_KEYS`, `THOUGHTSPOT_USER_SCAN_PAGE_SIZE`;
 * config.ts argues the defaults).
 */
export interface UserBatchOptions {
  /**
   * A batch of at most this many users in one Org is looked up one `user_identifier` search per user; a larger one
   * scans the Org's user list. At least 1: a single user is always looked up by identifier.
   */
  readonly lookupMaxKeys: number;
  /** `record_size` of each page of a scan. */
  readonly scanPageSize: number;
}

/** Most identifier searches (and per-user `orgs/search` calls) one batch keeps in flight at once (see bounded.ts). */
export const USER_LOOKUP_CONCURRENCY = 10;

/**
 * A scan does not list hidden users (system principals; ThoughtSpot leaves them out of listings), so keys a scan
 * missed are searched one by one, but at most this many per batch: a burst of bogus IDs must not turn into a burst
 * of upstream calls. Keys beyond the cap are reported as not found.
 */
export const MAX_MISS_LOOKUPS = 10;

// Private: the order of a scan. ThoughtSpot's default order is undocumented (CONTRACT.md §16 Q19), and offset paging
// is only meaningful over a stable one; usernames are unique, so NAME ascending is total.
const USER_SCAN_SORT: SortOptions = { field: 'NAME', order: 'ASC' };

/** A user named by GUID or by username. */
export interface UserRef {
  readonly by: 'id' | 'name';
  readonly value: string;
}

/** A user as seen from one Org. */
export interface UserInOrgKey extends UserRef {
  readonly orgId: number;
}

/** The filters `users/search` evaluates, besides the identifier and the group/role arrays used for batching. */
export type UserFilter = Omit<UserSearch, 'identifier' | 'sort' | 'groupIdentifiers' | 'roleIdentifiers'>;

/** One paged `users/search` in one Org. */
export interface UserSearchKey {
  readonly orgId: number;
  readonly query: Omit<UserSearch, 'identifier' | 'sort'>;
  readonly sort: SortOptions;
  readonly page: PageRequest;
}

/**
 * One member list: the users of Org `orgId` that `users/search` selects with `via` = `ids`, and that belong to the
 * list according to `match`. For `Group.members(membership: DIRECT)` that is `via: groups`, `ids = match = [group]`;
 * for `ALL`, the group's sub-group closure; for `Role.users`, `via: roles`, `ids = [role]` and `match` = the groups
 * holding the role, compared with each row's inherited groups.
 */
export interface MemberKey {
  readonly orgId: number;
  readonly via: 'groups' | 'roles';
  /** The upstream array filter's values for this list (group or role GUIDs). */
  readonly ids: readonly string[];
  /** Group GUIDs that make a row a member of this list. */
  readonly match: readonly string[];
  /** Compare `match` with the row's direct groups, or with its direct and inherited groups. */
  readonly matchOn: 'direct' | 'inherited';
  /** The list includes the Org's implicit `All` group: every user of the Org is a member. */
  readonly everyone: boolean;
  readonly filter: UserFilter;
  readonly sort: SortOptions;
  /** Which part of the list to return (`size` -1: all of it). */
  readonly page: PageRequest;
}

/** User loaders of one request. */
export interface UserLoaders {
  readonly userInOrg: DataLoader<UserInOrgKey, UserRecord, string>;
  readonly userByKey: DataLoader<UserRef, UserRecord, string>;
  readonly userSearch: DataLoader<UserSearchKey, UserRecord[], string>;
  readonly members: DataLoader<MemberKey, UserRecord[], string>;
}

/** @internal Creates the user loaders for one request. */
export function createUserLoaders(client: ThoughtSpotClient, options: UserBatchOptions): UserLoaders {
  const prime = (orgId: number, rows: readonly UserRecord[]): void => {
    for (const row of rows) {
      userInOrg.prime({ orgId, by: 'id', value: row.id }, row);
      userInOrg.prime({ orgId, by: 'name', value: row.name }, row);
      userByKey.prime({ by: 'id', value: row.id }, row);
      userByKey.prime({ by: 'name', value: row.name }, row);
    }
  };
  const lookup = (key: UserInOrgKey): Promise<UserRecord | Error> => lookupUser(client, key, prime);
  const reads: UserReads = {
    client,
    options,
    lookup,
    scan: (orgIds, refs) => scanForUsers(client, options.scanPageSize, prime, lookup, orgIds, refs),
  };
  const userInOrg: DataLoader<UserInOrgKey, UserRecord, string> = new DataLoader<UserInOrgKey, UserRecord, string>(
    (keys) => {
      const buckets = bucketBy(keys, (key) => String(key.orgId));
      return settleBuckets(keys.length, buckets, (bucket) => findInOrg(reads, bucket));
    },
    { cacheKeyFn: (key) => `${key.orgId}|${refKey(key)}` },
  );
  const userByKey: DataLoader<UserRef, UserRecord, string> = new DataLoader<UserRef, UserRecord, string>(
    (refs) => loadUsersByKey(reads, userInOrg, refs),
    { cacheKeyFn: refKey },
  );
  const userSearch = new DataLoader<UserSearchKey, UserRecord[], string>(
    (keys) =>
      Promise.all(
        keys.map(async (key) => {
          if (key.page.size === 0) return [];
          try {
            const rows = await client.searchUsers({ orgId: key.orgId }, { ...key.query, sort: key.sort }, key.page);
            prime(key.orgId, rows);
            return rows;
          } catch (error) {
            return toError(error);
          }
        }),
      ),
    { cacheKeyFn: canonicalKey },
  );
  const members = new DataLoader<MemberKey, UserRecord[], string>(
    (keys) => {
      const buckets = bucketBy(keys, (key) => canonicalKey([key.orgId, key.via, key.filter, key.sort]));
      return settleBuckets(keys.length, buckets, (bucket) => loadMembers(client, bucket, prime));
    },
    { cacheKeyFn: canonicalKey },
  );
  return { userInOrg, userByKey, userSearch, members };
}

// Private: the cache key of a user reference; usernames compare without case, as ThoughtSpot resolves them.
function refKey(ref: UserRef): string {
  return `${ref.by}:${ref.by === 'name' ? ref.value.toLowerCase() : ref.value}`;
}

// Private: the `members` batch function for one bucket (one Org, one filter, one order).
async function loadMembers(
  client: ThoughtSpotClient,
  keys: readonly MemberKey[],
  prime: (orgId: number, rows: readonly UserRecord[]) => void,
): Promise<(UserRecord[] | Error)[]> {
  const first = keys[0];
  if (first === undefined) return [];
  const scope = { orgId: first.orgId };
  const arrayFilter = (ids: readonly string[]): Pick<UserSearch, 'groupIdentifiers' | 'roleIdentifiers'> =>
    first.via === 'groups' ? { groupIdentifiers: ids } : { roleIdentifiers: ids };
  // A lone list pages upstream: its filter selects exactly its members, so offsets are ThoughtSpot's.
  if (keys.length === 1) {
    if (first.ids.length === 0 || first.page.size === 0) return [[]];
    const rows = await client.searchUsers(scope, { ...first.filter, ...arrayFilter(first.ids), sort: first.sort }, first.page);
    prime(first.orgId, rows);
    return [rows];
  }
  // Several lists: one call for their union, everything from offset 0 (a union's offsets mean nothing for any one
  // list), then each list keeps its own rows, in ThoughtSpot's order, and cuts its own page.
  const union = [...new Set(keys.flatMap((key) => key.ids))].sort();
  if (union.length === 0) return keys.map(() => []);
  const rows = await client.searchUsers(
    scope,
    { ...first.filter, ...arrayFilter(union), sort: first.sort },
    { offset: 0, size: -1 },
  );
  prime(first.orgId, rows);
  return keys.map((key) => {
    if (key.ids.length === 0) return [];
    const match = new Set(key.match);
    const mine = key.everyone
      ? rows
      : rows.filter((row) =>
          (key.matchOn === 'direct' ? row.groups : [...row.groups, ...row.inheritedGroups]).some((group) =>
            match.has(group.id),
          ),
        );
    return key.page.size === -1 ? mine.slice(key.page.offset) : mine.slice(key.page.offset, key.page.offset + key.page.size);
  });
}

// Private: what the two lookup strategies need, shared by `userInOrg` and `userByKey`.
interface UserReads {
  readonly client: ThoughtSpotClient;
  readonly options: UserBatchOptions;
  /** One `user_identifier` search in one Org; primes what it finds. */
  readonly lookup: (key: UserInOrgKey) => Promise<UserRecord | Error>;
  /** Scans the user lists of `orgIds` (in preference order) until every ref has turned up; primes every row read. */
  readonly scan: <R extends UserRef>(orgIds: readonly number[], refs: readonly R[]) => Promise<(UserRecord | Error)[]>;
}

// Private: the `userInOrg` batch function for one Org's keys. The trade-off, per Org and batch: N identifier searches
// cost N calls with one small row each; a scan costs one call per page of the Org's list and finds any number of
// users, but reads every row before the last wanted one. Small batches are looked up, large ones scanned.
function findInOrg(reads: UserReads, keys: readonly UserInOrgKey[]): Promise<(UserRecord | Error)[]> {
  const first = keys[0];
  if (first === undefined) return Promise.resolve([]);
  if (keys.length <= reads.options.lookupMaxKeys) return mapBounded(keys, USER_LOOKUP_CONCURRENCY, reads.lookup);
  return reads.scan([first.orgId], keys);
}

// Private: one `user_identifier` search. A user outside the token's Org is not found (CONTRACT.md §3).
async function lookupUser(
  client: ThoughtSpotClient,
  key: UserInOrgKey,
  prime: (orgId: number, rows: readonly UserRecord[]) => void,
): Promise<UserRecord | Error> {
  try {
    const [row] = await client.searchUsers({ orgId: key.orgId }, { identifier: key.value }, { offset: 0, size: 1 });
    if (row === undefined || !matches(row, key)) return new RecordNotFoundError('User', key.value);
    prime(key.orgId, [row]);
    return row;
  } catch (error) {
    return toError(error);
  }
}

// Private: finds `refs` by reading the user lists of `orgIds` page by page (`pageSize` rows, NAME ascending), all Orgs
// at once, and stops reading as soon as every ref has turned up in one of them; every row read is primed. A user
// several Orgs list is taken from the first Org of `orgIds` that read it. Refs still missing at the end are searched
// by identifier in the first Org, at most MAX_MISS_LOOKUPS of them (hidden users are never listed, and a row that
// moved between two pages can be missed); the rest are not found. If an Org's read failed, refs that no other Org
// turned up get that failure rather than a not-found: the failed Org may have held them.
async function scanForUsers<R extends UserRef>(
  client: ThoughtSpotClient,
  pageSize: number,
  prime: (orgId: number, rows: readonly UserRecord[]) => void,
  lookup: (key: UserInOrgKey) => Promise<UserRecord | Error>,
  orgIds: readonly number[],
  refs: readonly R[],
): Promise<(UserRecord | Error)[]> {
  const wanted = new Set(refs.map(refKey));
  const found = new Map<string, { readonly rank: number; readonly row: UserRecord }>();
  const failures: Error[] = [];
  const take = (rank: number, row: UserRecord): void => {
    for (const key of [refKey({ by: 'id', value: row.id }), refKey({ by: 'name', value: row.name })]) {
      const held = found.get(key);
      if (wanted.has(key) && (held === undefined || rank < held.rank)) found.set(key, { rank, row });
    }
  };
  await Promise.all(
    orgIds.map(async (orgId, rank) => {
      try {
        const read = new Set<string>();
        let offset = 0;
        while (found.size < wanted.size) {
          const rows = await client.searchUsers({ orgId }, { sort: USER_SCAN_SORT }, { offset, size: pageSize });
          prime(orgId, rows);
          let fresh = 0;
          for (const row of rows) {
            take(rank, row);
            if (!read.has(row.id)) fresh += 1;
            read.add(row.id);
          }
          // A short page ends the list. A full page of rows already read would mean the offset is not honoured;
          // stopping then keeps a misbehaving answer from turning into an endless walk.
          if (rows.length < pageSize || fresh === 0) break;
          offset += rows.length;
        }
      } catch (error) {
        failures.push(toError(error));
      }
    }),
  );
  const [failure] = failures;
  const fallbackOrg = orgIds[0] ?? PRIMARY_ORG_ID;
  let misses = 0;
  // mapBounded starts items in order, so the MAX_MISS_LOOKUPS searched are always the first misses.
  return mapBounded(refs, USER_LOOKUP_CONCURRENCY, async (ref) => {
    const hit = found.get(refKey(ref));
    if (hit !== undefined) return hit.row;
    if (failure !== undefined) return failure;
    misses += 1;
    return misses <= MAX_MISS_LOOKUPS
      ? lookup({ orgId: fallbackOrg, by: ref.by, value: ref.value })
      : new RecordNotFoundError('User', ref.value);
  });
}

// Private: usernames compare without case, as ThoughtSpot resolves them (CONTRACT.md §16 Q6).
function matches(row: UserRecord, ref: UserRef): boolean {
  return ref.by === 'id' ? row.id === ref.value : row.name.toLowerCase() === ref.value.toLowerCase();
}

// Private: the `userByKey` batch function. `orgs/search` with every ref in `user_identifiers` (OR-ed) says which Orgs
// hold at least one of them, in one call:
// - no Org: none of them exists (or is in an Org);
// - one ref, or one Org: every ref that exists is in that Org, so `userInOrg` finds them there;
// - several refs over several Orgs, few refs: nobody says which ref is in which Org, so each ref's Orgs are asked
//   (one `orgs/search` per ref, in parallel) and `userInOrg` looks each up where it lives;
// - many refs over several Orgs: the Orgs are scanned together until every ref has turned up.
async function loadUsersByKey(
  reads: UserReads,
  userInOrg: DataLoader<UserInOrgKey, UserRecord, string>,
  refs: readonly UserRef[],
): Promise<(UserRecord | Error)[]> {
  const { client, options } = reads;
  const orgs = await client.searchOrgs({ orgId: PRIMARY_ORG_ID }, { userIdentifiers: [...new Set(refs.map((r) => r.value))] });
  // Prefer the Primary Org, then the lowest id: any Org the user belongs to shows the same cluster-wide fields.
  const orgIds = orgs.map((org) => org.id).sort((a, b) => a - b);
  const [preferred] = orgIds;
  if (preferred === undefined) return refs.map((ref) => new RecordNotFoundError('User', ref.value));
  if (refs.length === 1 || orgIds.length === 1) {
    return userInOrg.loadMany(refs.map((ref) => ({ orgId: preferred, by: ref.by, value: ref.value })));
  }
  if (refs.length > options.lookupMaxKeys) return reads.scan(orgIds, refs);
  const homes = await mapBounded(refs, USER_LOOKUP_CONCURRENCY, async (ref): Promise<number | null | Error> => {
    try {
      const held = await client.searchOrgs({ orgId: PRIMARY_ORG_ID }, { userIdentifiers: [ref.value] });
      return held.reduce<number | null>((lowest, org) => (lowest === null || org.id < lowest ? org.id : lowest), null);
    } catch (error) {
      return toError(error);
    }
  });
  const keys: UserInOrgKey[] = [];
  refs.forEach((ref, i) => {
    const home = homes[i];
    if (typeof home === 'number') keys.push({ orgId: home, by: ref.by, value: ref.value });
  });
  const loaded = await userInOrg.loadMany(keys);
  let next = 0;
  return refs.map((ref, i) => {
    const home = homes[i];
    if (home instanceof Error) return home;
    if (typeof home !== 'number') return new RecordNotFoundError('User', ref.value);
    const row = loaded[next];
    next += 1;
    return row ?? new RecordNotFoundError('User', ref.value);
  });
}
